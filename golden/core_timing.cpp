#include "golden/core_timing.hpp"

#include <stdexcept>

namespace fwmac {

struct CoreTiming::Signals {
    // fwmac_ctrl
    bool advance = false, sign = false, last_plane = false, last_chunk = false, issue = false, last_issue = false;
    bool cmd_fire = false, drain_load = false;
    int load_rows = 0;  // V of the tile handed to the drain
    // fwmac_drain
    bool drain_advance = false, drain_issue = false, last_group = false, row_done = false, write = false;
    DrainTag issue_tag, out_tag;
    CoreOutputs out;
};

CoreTiming::CoreTiming(const ArrayShape& shape)
    : stages_(pipeline_depth(shape)),
      groups_(drain_groups(shape)),
      requant_stages_(shape.requant_stages),
      tags_(static_cast<std::size_t>(pipeline_depth(shape))),
      drain_tags_(static_cast<std::size_t>(shape.requant_stages)) {}

CoreTiming::Signals CoreTiming::evaluate(const CoreInputs& in) const {
    Signals s;
    const Tag& commit = tags_.back();
    const bool drain_ready = rows_left_ == 0;
    s.advance = !(commit.valid && commit.tile_end && !drain_ready);
    s.sign = plane_ == planes_ - 1;
    s.last_plane = plane_ == 0;
    s.last_chunk = chunk_ == chunks_ - 1;
    const bool operands = in.w_valid && (!s.sign || in.a_valid);
    s.issue = busy_ && s.advance && operands;
    s.last_issue = s.issue && s.last_plane && s.last_chunk;
    s.out.cmd_ready = !busy_ || s.last_issue;
    s.cmd_fire = in.cmd_valid && s.out.cmd_ready;
    s.out.w_ready = busy_ && s.advance && (!s.sign || in.a_valid);
    s.out.a_ready = busy_ && s.advance && s.sign && in.w_valid;
    s.drain_load = commit.valid && commit.tile_end && drain_ready;
    s.load_rows = commit.drain_rows;

    s.drain_advance = !y_valid_ || in.y_ready;
    s.drain_issue = rows_left_ != 0 && in.p_valid && s.drain_advance;
    s.last_group = group_ == groups_ - 1;
    s.row_done = s.drain_issue && s.last_group;
    s.issue_tag = DrainTag{s.drain_issue, s.last_group, rows_left_ == 1};
    s.out_tag = requant_stages_ == 0 ? s.issue_tag : drain_tags_.back();
    s.write = s.drain_advance && s.out_tag.valid;
    s.out.p_ready = s.row_done;
    s.out.y_valid = y_valid_;
    s.out.y_last = y_last_;
    return s;
}

CoreOutputs CoreTiming::outputs(const CoreInputs& inputs) const { return evaluate(inputs).out; }

void CoreTiming::clock(const CoreInputs& in) {
    const Signals s = evaluate(in);
    // fwmac_ctrl: the issued plane's tag (it belongs to the tile issuing now, even when
    // the next command is taken in the same cycle), then the issue state
    if (s.advance) {
        tags_.push_front(Tag{s.issue, s.last_plane && s.last_chunk, drain_rows_});
        tags_.pop_back();
    }
    if (s.cmd_fire) {
        busy_ = true;
        chunks_ = in.cmd_chunks;
        planes_ = in.cmd_planes;
        chunk_ = 0;
        plane_ = in.cmd_planes - 1;
        drain_rows_ = in.cmd_drain_rows;
        if (in.cmd_chunks < 1 || in.cmd_planes < 1 || in.cmd_drain_rows < 1) {
            throw std::invalid_argument("CoreTiming: a command needs chunks, planes and drain rows >= 1");
        }
    } else if (s.last_issue) {
        busy_ = false;
    } else if (s.issue) {
        if (s.last_plane) {
            plane_ = planes_ - 1;
            ++chunk_;
        } else {
            --plane_;
        }
    }
    // fwmac_drain
    if (s.drain_issue) group_ = s.last_group ? 0 : group_ + 1;
    if (s.row_done) --rows_left_;
    if (s.drain_load) rows_left_ = s.load_rows;
    if (in.y_ready) y_valid_ = false;
    if (s.write && s.out_tag.last_group) {
        y_valid_ = true;
        y_last_ = s.out_tag.tile_last;
    }
    if (requant_stages_ > 0 && s.drain_advance) {
        drain_tags_.push_front(s.issue_tag);
        drain_tags_.pop_back();
    }
}

bool CoreTiming::idle() const {
    if (busy_ || rows_left_ != 0 || y_valid_) return false;
    for (const Tag& tag : tags_) {
        if (tag.valid) return false;
    }
    for (const DrainTag& tag : drain_tags_) {
        if (tag.valid) return false;
    }
    return true;
}

std::uint64_t simulate_core_cycles(const Schedule& schedule) {
    CoreTiming core(schedule.shape);
    const std::size_t tiles = schedule.tiles.size();
    std::size_t commands = 0, weights = 0, acts = 0, params = 0, outputs = 0;
    std::size_t total_weights = 0, total_outputs = 0;
    for (std::size_t t = 0; t < tiles; ++t) {
        total_weights += tile_issue_cycles(schedule, t);
        total_outputs += tile_drain_rows(schedule, t);
    }
    const std::size_t total_acts = tiles * static_cast<std::size_t>(schedule.chunks);
    const std::uint64_t limit = 100 * (total_weights + total_outputs) + 1000;
    for (std::uint64_t cycle = 0; cycle < limit; ++cycle) {
        CoreInputs in;
        in.cmd_valid = commands < tiles;
        if (in.cmd_valid) {
            in.cmd_chunks = schedule.chunks;
            in.cmd_planes = schedule.groups.at(static_cast<std::size_t>(schedule.tiles[commands].group)).planes;
            in.cmd_drain_rows = static_cast<int>(tile_drain_rows(schedule, commands));
        }
        in.w_valid = weights < total_weights;
        in.a_valid = acts < total_acts;
        in.p_valid = params < total_outputs;
        in.y_ready = true;
        const CoreOutputs out = core.outputs(in);
        commands += in.cmd_valid && out.cmd_ready;
        weights += in.w_valid && out.w_ready;
        acts += in.a_valid && out.a_ready;
        params += in.p_valid && out.p_ready;
        const bool y_fire = out.y_valid && in.y_ready;
        core.clock(in);
        if (y_fire && ++outputs == total_outputs) return cycle + 1;
    }
    throw std::logic_error("simulate_core_cycles: the core model did not finish");
}

}  // namespace fwmac
