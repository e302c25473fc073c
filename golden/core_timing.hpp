// A cycle-level model of the core's control (fwmac_ctrl, the row-slot tile tag and
// fwmac_drain) without data: which stream beats move in which cycle, for any pattern of
// valid/ready on the core's five streams. predict_cycles is its closed form for an
// always-ready environment (tested against each other); the accelerator model
// (golden/accel.hpp) drives it with the times its buffers and streamers can supply.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "golden/schedule.hpp"

namespace fwmac {

// What the environment presents in one cycle. A command carries what the RTL derives
// from it: the tile's chunks, planes per chunk and drained rows V (R, or 2R for a
// two-slot tile with second filters).
struct CoreInputs {
    bool cmd_valid = false;
    int cmd_chunks = 0;
    int cmd_planes = 0;
    int cmd_drain_rows = 0;
    bool w_valid = false;
    bool a_valid = false;
    bool p_valid = false;
    bool y_ready = false;
};

// The handshakes of the cycle (a beat moves when its valid and ready are both high).
struct CoreOutputs {
    bool cmd_ready = false;
    bool w_ready = false;
    bool a_ready = false;
    bool p_ready = false;
    bool y_valid = false;
    bool y_last = false;
};

class CoreTiming {
public:
    explicit CoreTiming(const ArrayShape& shape);
    // The ready and valid outputs of the current cycle for `inputs` (combinational).
    CoreOutputs outputs(const CoreInputs& inputs) const;
    // The rising clock edge at the end of the cycle.
    void clock(const CoreInputs& inputs);
    // Nothing in flight: no tile issuing, in the pipeline, draining or on the y port.
    bool idle() const;

private:
    struct Tag {  // fwmac_ctrl's tag {tile_end, first_chunk, last_plane, sign_plane, valid}, + the tile's V
        bool valid = false;
        bool tile_end = false;
        int drain_rows = 0;
    };
    struct DrainTag {  // fwmac_drain's {tile_last, last_group, group, valid}
        bool valid = false;
        bool last_group = false;
        bool tile_last = false;
    };
    struct Signals;  // this cycle's combinational values
    Signals evaluate(const CoreInputs& inputs) const;

    int stages_;       // pipeline_depth: issue -> commit
    int groups_;       // drain cycles per row
    int requant_stages_;
    // fwmac_ctrl
    bool busy_ = false;
    int chunks_ = 0, planes_ = 0, chunk_ = 0, plane_ = 0;
    int drain_rows_ = 0;  // V of the tile being issued
    std::deque<Tag> tags_;  // stage 0 first
    // fwmac_drain
    int rows_left_ = 0;
    int group_ = 0;
    bool y_valid_ = false;
    bool y_last_ = false;
    std::deque<DrainTag> drain_tags_;
};

// The always-ready run of `schedule` through CoreTiming: the cycle count as
// predict_cycles counts it (first command cycle to the last output beat, inclusive).
std::uint64_t simulate_core_cycles(const Schedule& schedule);

}  // namespace fwmac
