#include "golden/accel_timing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <stdexcept>
#include <vector>

#include "golden/core_timing.hpp"

namespace fwmac {
namespace {

// What a group of the run holds, as its header states it.
struct GroupInfo {
    int planes = 1;  // b_g (1 on the bit-parallel array)
    int beats = 1;   // V: drained beats per tile = parameter words
    std::vector<bool> real;
};

// fwmac_loader: the packet as steps (a container <= the bus is one step, a wider one a
// step per beat); a step happens in a cycle when its gate is open (the source is always
// valid): a group's header waits for its bank, an activation word for room in the
// two-word output register.
class LoaderTiming {
public:
    LoaderTiming(const std::vector<GroupInfo>& groups, int chunks, std::int64_t act_words, const ArrayShape& shape,
                 int bus_bits) {
        auto section = [&](Kind kind, int group, std::int64_t count, int bits, bool group_end) {
            const int container = container_bits(bits);
            for (std::int64_t i = 0; i < count; ++i) {
                const bool last = i + 1 == count;
                if (container <= bus_bits) {
                    const bool ends = ((i + 1) * container) % bus_bits == 0 || last;
                    steps_.push_back(Step{kind, group, ends, true, group_end && last});
                } else {
                    for (int part = 0, parts = container / bus_bits; part < parts; ++part) {
                        steps_.push_back(Step{kind, group, true, part + 1 == parts, group_end && last && part + 1 == parts});
                    }
                }
            }
        };
        auto add_group = [&](int g) {
            const GroupInfo& group = groups[static_cast<std::size_t>(g)];
            const std::int64_t weights = static_cast<std::int64_t>(chunks) * group.planes;
            section(Kind::header, g, 1, header_bits(shape), group.beats == 0 && weights == 0);
            section(Kind::other, g, group.beats, param_word_bits(shape), weights == 0);
            section(Kind::other, g, weights, weight_beat_width(shape), true);
        };
        if (!groups.empty()) add_group(0);
        section(Kind::act, -1, act_words, act_word_bits(shape), false);
        for (int g = 1; g < static_cast<int>(groups.size()); ++g) add_group(g);
    }

    bool done() const { return next_ == steps_.size(); }
    std::size_t steps() const { return steps_.size(); }
    // this cycle's step can happen (the source is valid while beats are left)
    bool gate(const bool bank_free[2]) const {
        if (done()) return false;
        const Step& step = steps_[next_];
        if (step.kind == Kind::header) return bank_free[step.group % 2];
        if (step.kind == Kind::act) return held_ < 2;
        return true;
    }
    bool act_valid() const { return held_ > 0; }
    // the edge: `step` whether this cycle's step happened, `act_taken` whether the writer
    // took an activation word; returns the bank whose group completed (-1: none)
    int clock(bool step, bool act_taken, bool* beat_taken) {
        if (act_taken) --held_;
        *beat_taken = false;
        if (!step) return -1;
        const Step& s = steps_[next_++];
        *beat_taken = s.ends_beat;
        if (s.delivers && s.kind == Kind::act) ++held_;
        return s.group_last ? s.group % 2 : -1;
    }

private:
    enum class Kind { header, other, act };
    struct Step {
        Kind kind;
        int group;
        bool ends_beat;
        bool delivers;
        bool group_last;
    };
    std::vector<Step> steps_;
    std::size_t next_ = 0;
    int held_ = 0;  // activation words in the output register
};

// fwmac_stream_fifo fed by a read port with one cycle latency and a credit (slots not yet
// claimed by a read): a read in cycle t is pushed at the end of t + 1 and valid from t + 2.
struct CreditFifo {
    int depth = 4;
    int credit = 4;
    int level = 0;
    bool inflight = false;
    bool valid() const { return level > 0; }
    void clock(bool read, bool pop) {
        level += (inflight ? 1 : 0) - (pop ? 1 : 0);
        inflight = read;
        credit += (pop ? 1 : 0) - (read ? 1 : 0);
    }
};

// fwmac_sequencer: four streamers over (group, tile): cmd, tile info, w words (chunks x
// planes per tile) and p words (V per tile); a streamer uses bank g mod 2 while the bank is
// full and it has not left the group; the bank is released when all four have left it.
class SequencerTiming {
public:
    SequencerTiming(const std::vector<GroupInfo>& groups, int tiles, int chunks, int fifo_depth)
        : groups_(groups), tiles_(tiles), chunks_(chunks) {
        w_fifo_.depth = w_fifo_.credit = p_fifo_.depth = p_fifo_.credit = fifo_depth;
    }

    struct Cycle {
        unsigned users[2];
        bool cmd_valid, ti_valid, w_read, p_read;
    };
    Cycle evaluate(const bool full[2]) const {
        Cycle c{};
        for (int b = 0; b < 2; ++b) c.users[b] = full[b] && !full_seen_[b] ? 0xfu : users_[b];
        c.cmd_valid = cmd_.active && (c.users[cmd_.group % 2] & 1u);
        c.ti_valid = ti_.active && (c.users[ti_.group % 2] & 2u);
        c.w_read = w_.active && (c.users[w_.group % 2] & 4u) && w_fifo_.credit > 0;
        c.p_read = p_.active && (c.users[p_.group % 2] & 8u) && p_fifo_.credit > 0;
        return c;
    }
    bool w_valid() const { return w_fifo_.valid(); }
    bool p_valid() const { return p_fifo_.valid(); }
    const GroupInfo& cmd_group() const { return groups_[static_cast<std::size_t>(cmd_.group)]; }
    const GroupInfo& ti_group() const { return groups_[static_cast<std::size_t>(ti_.group)]; }
    bool ti_last_tile() const { return ti_.tile == tiles_ - 1; }
    bool ti_last() const { return ti_last_tile() && ti_.group == static_cast<int>(groups_.size()) - 1; }

    // the edge; returns the banks released in this cycle (bit b)
    unsigned clock(const Cycle& c, const bool full[2], bool cmd_fire, bool ti_fire, bool w_pop, bool p_pop) {
        unsigned leaves[2] = {0, 0};
        if (cmd_fire && cmd_.step(1, tiles_, groups_.size())) leaves[cmd_.left % 2] |= 1u;
        if (ti_fire && ti_.step(1, tiles_, groups_.size())) leaves[ti_.left % 2] |= 2u;
        if (c.w_read && w_.step(chunks_ * groups_[static_cast<std::size_t>(w_.group)].planes, tiles_, groups_.size())) {
            leaves[w_.left % 2] |= 4u;
        }
        if (c.p_read && p_.step(groups_[static_cast<std::size_t>(p_.group)].beats, tiles_, groups_.size())) {
            leaves[p_.left % 2] |= 8u;
        }
        unsigned released = 0;
        for (int b = 0; b < 2; ++b) {
            const unsigned next = c.users[b] & ~leaves[b];
            if (full[b] && c.users[b] != 0 && next == 0) released |= 1u << b;
            users_[b] = next;
        }
        for (int b = 0; b < 2; ++b) full_seen_[b] = (full_seen_[b] || full[b]) && !(released >> b & 1u);
        w_fifo_.clock(c.w_read, w_pop);
        p_fifo_.clock(c.p_read, p_pop);
        return released;
    }

private:
    // a streamer's position: group, tile, word within the tile
    struct Walker {
        bool active = true;
        int group = 0, tile = 0, word = 0;
        int left = 0;  // the group it left in its last step
        // one item; true when it was the group's last
        bool step(int words, int tiles, std::size_t groups) {
            if (++word < words) return false;
            word = 0;
            if (++tile < tiles) return false;
            tile = 0;
            left = group++;
            if (static_cast<std::size_t>(group) == groups) active = false;
            return true;
        }
    };
    const std::vector<GroupInfo>& groups_;
    int tiles_, chunks_;
    Walker cmd_, ti_, w_, p_;
    CreditFifo w_fifo_, p_fifo_;
    unsigned users_[2] = {0, 0};
    bool full_seen_[2] = {false, false};
};

// fwmac_act_writer: ready from INIT cycles after start, one word per cycle; a row whose
// last word is accepted in cycle A counts from A + 2.
class WriterTiming {
public:
    WriterTiming(const AccelRun& run, int dim_bits)
        : init_(dim_bits + run.pad_left + run.pad_top + 6),
          words_(run.act_words),
          row_words_(static_cast<std::int64_t>(run.in_width) * run.in_groups) {}
    bool ready(std::uint64_t cycle) const { return cycle >= static_cast<std::uint64_t>(init_) && accepted_ < words_; }
    int rows_ready(std::uint64_t cycle) const {
        while (!pending_.empty() && pending_.front() <= cycle) {
            pending_.pop_front();
            ++rows_;
        }
        return rows_;
    }
    void clock(std::uint64_t cycle, bool accept) {
        if (accept && ++accepted_ % row_words_ == 0) pending_.push_back(cycle + 2);
    }

private:
    int init_;
    std::int64_t words_, row_words_;
    std::int64_t accepted_ = 0;
    mutable std::deque<std::uint64_t> pending_;
    mutable int rows_ = 0;
};

// fwmac_im2col: beat n (group, tile, chunk order) issues in the first cycle X >= C + 2 after
// the previous one with fewer than 4 beats outstanding and, for a tile's first chunk, the
// tile's input rows ready in X - 1; it is valid from X + 3 until taken.
class Im2colTiming {
public:
    Im2colTiming(const AccelRun& run, int cols, int groups) : cols_(cols), chunks_(run.chunks) {
        const std::int64_t tiles = (run.pixels + cols - 1) / cols;
        total_ = tiles * groups * run.chunks;
        for (std::int64_t t = 0; t < tiles; ++t) {
            const std::int64_t last_pixel = std::min<std::int64_t>(t * cols + cols, run.pixels) - 1;
            const std::int64_t oy_last = last_pixel / run.out_width;
            const std::int64_t rows = oy_last * run.stride + run.kernel_h - run.pad_top;
            needed_.push_back(static_cast<int>(std::min<std::int64_t>(run.in_height, std::max<std::int64_t>(0, rows))));
        }
    }
    bool valid(std::uint64_t cycle) const { return !issued_.empty() && issued_.front() + 3 <= cycle; }
    bool issue(std::uint64_t cycle, int rows_ready_before) const {
        if (cycle < static_cast<std::uint64_t>(cols_) + 2 || next_ == total_ || issued_.size() >= 4) return false;
        if (next_ % chunks_ != 0) return true;
        const auto tile = static_cast<std::size_t>((next_ / chunks_) % static_cast<std::int64_t>(needed_.size()));
        return rows_ready_before >= needed_[tile];
    }
    void clock(std::uint64_t cycle, bool issue, bool taken) {
        if (taken) issued_.pop_front();
        if (issue) {
            issued_.push_back(cycle);
            ++next_;
        }
    }

private:
    int cols_, chunks_;
    std::int64_t total_ = 0, next_ = 0;
    std::vector<int> needed_;
    std::deque<std::uint64_t> issued_;  // issue cycles of the beats not yet taken
};

// fwmac_packer with an always-ready output: tile infos through a TILE_DEPTH FIFO (usable
// the cycle after they are taken), y beats in pieces of CH values into a buffer of CAP, a
// bus beat out whenever VPB values are held or the run's last value is.
class PackerTiming {
public:
    struct Info {
        int pixels;
        int beats;
        std::vector<bool> real;
        bool last;
    };
    PackerTiming(const ArrayShape& shape, int bus_bits, int tile_depth)
        : cols_(shape.cols),
          vmax_(drain_rows(shape)),
          vpb_(bus_bits / container_bits(output_width(shape))),
          ch_(std::min(cols_, vpb_)),
          cap_(vpb_ + 2 * ch_ - 1),
          tile_depth_(tile_depth) {}

    bool tile_ready() const { return static_cast<int>(tiles_.size()) < tile_depth_; }
    bool tvalid() const { return level_ >= vpb_ || fin_; }
    bool tlast() const { return fin_ && level_ <= vpb_; }
    // y_ready of this cycle (the piece can be taken and is its beat's last)
    bool y_ready() const {
        const Piece piece = current();
        return piece.can && piece.last_piece;
    }
    void clock(bool y_valid, bool ti_fire, const Info& info) {
        const Piece piece = current();
        if (tvalid()) {  // the beat leaves (always ready)
            if (tlast()) fin_ = false;
            level_ -= std::min(level_, vpb_);
        }
        bool pop = false;
        if (piece.can && y_valid) {
            level_ += piece.values;
            if (piece.final_piece) fin_ = true;
            if (piece.last_piece) {
                pos_ = 0;
                if (beat_ + 1 >= tiles_.front().beats) {
                    pop = true;
                    beat_ = 0;
                } else {
                    ++beat_;
                }
            } else {
                pos_ += ch_;
            }
        }
        if (pop) tiles_.pop_front();
        if (ti_fire) tiles_.push_back(info);
    }

private:
    struct Piece {
        bool can = false, last_piece = false, final_piece = false;
        int values = 0;
    };
    bool real(const Info& tile, int beat) const {
        return beat < tile.beats && beat < vmax_ && tile.real[static_cast<std::size_t>(beat)];
    }
    Piece current() const {
        Piece piece;
        if (tiles_.empty()) return piece;
        const Info& tile = tiles_.front();
        const bool is_real = real(tile, beat_);
        const int remaining = std::min(tile.pixels, cols_) - pos_;
        piece.last_piece = !is_real || remaining <= ch_;
        piece.values = is_real ? std::min(remaining, ch_) : 0;
        const bool tile_last_beat = beat_ + 1 >= tile.beats;
        bool later_real = false, any_real = false;
        for (int b = 0; b < std::max(tile.beats, 1); ++b) {
            any_real = any_real || real(tile, b);
            later_real = later_real || (b > beat_ && real(tile, b));
        }
        piece.final_piece =
            piece.last_piece && tile.last && ((is_real && !later_real) || (!any_real && tile_last_beat));
        const bool room = level_ + ch_ <= cap_;
        const bool hold = piece.final_piece && piece.values == 0 && level_ >= vpb_;
        piece.can = !fin_ && room && !hold;
        return piece;
    }
    int cols_, vmax_, vpb_, ch_, cap_, tile_depth_;
    std::deque<Info> tiles_;
    int level_ = 0;
    bool fin_ = false;
    int beat_ = 0, pos_ = 0;
};

}  // namespace

Schedule accel_run_schedule(const AccelRun& run, const std::vector<int>& weight_bits, const ArrayShape& shape,
                            const AccelShellTiming& timing, AccelRunCycles* cycles) {
    Schedule schedule = make_schedule(weight_bits, run.chunks * shape.lanes, static_cast<int>(run.pixels), shape);
    const AccelRunCycles core_order = simulate_accel_run(schedule, run, timing);
    const int groups = static_cast<int>(schedule.groups.size());
    if (groups >= 2) {
        Schedule widest_first = schedule;
        std::reverse(widest_first.groups.begin(), widest_first.groups.end());
        for (Tile& tile : widest_first.tiles) tile.group = groups - 1 - tile.group;
        std::stable_sort(widest_first.tiles.begin(), widest_first.tiles.end(),
                         [](const Tile& a, const Tile& b) { return a.group < b.group; });  // group-major again
        const AccelRunCycles reversed = simulate_accel_run(widest_first, run, timing);
        if (reversed.busy < core_order.busy) {
            if (cycles) *cycles = reversed;
            return widest_first;
        }
    }
    if (cycles) *cycles = core_order;
    return schedule;
}

AccelShellTiming accel_shell_timing(const ArrayShape& shape, const SystemShape& system) {
    AccelShellTiming timing;
    timing.bus_bits = system.bus_bits;
    timing.dim_bits = act_dim_bits(shape, system);
    return timing;
}

AccelRunCycles simulate_accel_run(const Schedule& schedule, const AccelRun& run, const AccelShellTiming& timing) {
    const ArrayShape& shape = schedule.shape;
    const int tiles = static_cast<int>((run.pixels + shape.cols - 1) / shape.cols);
    const int group_count = static_cast<int>(schedule.groups.size());
    if (group_count == 0 || static_cast<int>(schedule.tiles.size()) != group_count * tiles ||
        schedule.chunks != run.chunks) {
        throw std::invalid_argument(fmt::format(
            "simulate_accel_run: the schedule ({} groups, {} tiles, {} chunks) is not the run's ({} tiles of {} "
            "pixels, {} chunks)",
            group_count, schedule.tiles.size(), schedule.chunks, tiles, shape.cols, run.chunks));
    }
    std::vector<GroupInfo> groups(static_cast<std::size_t>(group_count));
    for (int g = 0; g < group_count; ++g) {
        const std::size_t first = static_cast<std::size_t>(g) * tiles;
        GroupInfo& info = groups[static_cast<std::size_t>(g)];
        info.planes = is_bit_parallel(shape) ? 1 : schedule.groups[static_cast<std::size_t>(g)].planes;
        info.beats = static_cast<int>(tile_drain_rows(schedule, first));
        info.real = tile_real_beats(schedule, first);
    }
    const int last_pixels = static_cast<int>(run.pixels - static_cast<std::int64_t>(tiles - 1) * shape.cols);

    LoaderTiming loader(groups, run.chunks, run.act_words, shape, timing.bus_bits);
    SequencerTiming sequencer(groups, tiles, run.chunks, timing.fifo_depth);
    WriterTiming writer(run, timing.dim_bits);
    Im2colTiming im2col(run, shape.cols, group_count);
    CoreTiming core(shape);
    PackerTiming packer(shape, timing.bus_bits, timing.tile_depth);
    bool full[2] = {false, false};
    int loaded_pulse = -1;  // group_loaded_o of this cycle (bank), from the loader's last edge
    int rows_before = 0;    // the writer's rows_ready in the previous cycle

    AccelRunCycles result;
    result.input_steps = loader.steps();
    const std::uint64_t limit = 1000000 + 64 * (static_cast<std::uint64_t>(run.act_words) +
                                                static_cast<std::uint64_t>(schedule.tiles.size()) *
                                                    (static_cast<std::uint64_t>(run.chunks) * shape.max_weight_bits +
                                                     static_cast<std::uint64_t>(drain_rows(shape)) * shape.cols));
    for (std::uint64_t cycle = 1; cycle < limit; ++cycle) {  // start in cycle 0
        // this cycle's valids and readies, from the blocks' state
        const bool bank_free[2] = {!full[0], !full[1]};
        const bool step = loader.gate(bank_free);
        const bool act_taken = loader.act_valid() && writer.ready(cycle);
        const int rows_now = writer.rows_ready(cycle);
        const SequencerTiming::Cycle seq = sequencer.evaluate(full);
        const bool issue = im2col.issue(cycle, rows_before);
        CoreInputs in;
        in.cmd_valid = seq.cmd_valid;
        if (in.cmd_valid) {
            in.cmd_chunks = run.chunks;
            in.cmd_planes = sequencer.cmd_group().planes;
            in.cmd_drain_rows = sequencer.cmd_group().beats;
        }
        in.w_valid = sequencer.w_valid();
        in.a_valid = im2col.valid(cycle);
        in.p_valid = sequencer.p_valid();
        in.y_ready = packer.y_ready();
        const CoreOutputs out = core.outputs(in);
        const bool cmd_fire = in.cmd_valid && out.cmd_ready;
        const bool w_pop = in.w_valid && out.w_ready;
        const bool a_taken = in.a_valid && out.a_ready;
        const bool p_pop = in.p_valid && out.p_ready;
        const bool ti_fire = seq.ti_valid && packer.tile_ready();
        const bool last_beat = packer.tvalid() && packer.tlast();
        result.compute += w_pop ? 1 : 0;
        result.wait_weights += out.w_ready && !in.w_valid ? 1 : 0;
        result.wait_rows += out.a_ready && !in.a_valid ? 1 : 0;
        result.output_beats += packer.tvalid() ? 1 : 0;
        if (last_beat) {
            result.busy = cycle;
            return result;
        }
        // the edge
        PackerTiming::Info info;
        if (ti_fire) {
            info = PackerTiming::Info{sequencer.ti_last_tile() ? last_pixels : shape.cols, sequencer.ti_group().beats,
                                      sequencer.ti_group().real, sequencer.ti_last()};
        }
        bool beat_taken = false;
        const int loaded = loader.clock(step, act_taken, &beat_taken);
        if (beat_taken) {
            ++result.input_beats;
            result.load_end = cycle;
        }
        const unsigned released = sequencer.clock(seq, full, cmd_fire, ti_fire, w_pop, p_pop);
        for (int b = 0; b < 2; ++b) {
            if (released >> b & 1u) full[b] = false;
            if (loaded_pulse == b) full[b] = true;  // group_loaded wins over a release
        }
        loaded_pulse = loaded;
        writer.clock(cycle, act_taken);
        im2col.clock(cycle, issue, a_taken);
        core.clock(in);
        packer.clock(out.y_valid, ti_fire, info);
        rows_before = rows_now;
    }
    throw std::logic_error(fmt::format("simulate_accel_run: the shell model did not finish within {} cycles", limit));
}

}  // namespace fwmac
