// Functional cover points of the testbench (coverage builds: tb/verilate.sh --coverage).
//
// Line and toggle coverage say which statements ran and which bits changed, not which
// combinations of the stream handshakes and control states occurred. These points count
// the cases that matter for the control and the streams: how a command is taken (idle or
// back to back with the last plane of the previous tile), every stream starving and
// stalling, the pipeline stall and its length, the output register held under
// back-pressure, the requant parameter stream starving or waiting, tiles of one chunk and
// chunks of one plane. They are sampled once per cycle from the top's ports and the wires
// the RTL marks public, after the inputs of the cycle are applied (before the clock edge),
// and written into the run's coverage.dat as type "user" points (page v_user/<module>),
// so verilator_coverage merges and annotates them with the line and toggle points.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace fwmac::tb {

// One point: the module whose behaviour it describes, a name, what it means. The line of
// its entry below is its line in coverage.dat.
struct CoverPointInfo {
    const char* module;
    const char* name;
    const char* description;
    int line;
};

#define FWMAC_COVER_POINT(module, name, description) CoverPointInfo{module, name, description, __LINE__}
inline constexpr std::array<CoverPointInfo, 22> kCoverPoints{{
    FWMAC_COVER_POINT("ctrl", "cmd_taken_idle", "a command is taken while the sequencer is idle"),
    FWMAC_COVER_POINT("ctrl", "cmd_taken_back_to_back", "a command is taken with the last plane of the previous tile"),
    FWMAC_COVER_POINT("ctrl", "cmd_waits", "a command waits while a tile is being issued"),
    FWMAC_COVER_POINT("ctrl", "idle_no_cmd", "the sequencer is idle and no command is offered"),
    FWMAC_COVER_POINT("ctrl", "weights_starve", "the sequencer could issue but no weight beat is offered"),
    FWMAC_COVER_POINT("ctrl", "acts_starve", "a weight beat waits for the activation chunk of its sign plane"),
    FWMAC_COVER_POINT("ctrl", "stall", "the pipeline holds (a finished tile waits for the drain)"),
    FWMAC_COVER_POINT("ctrl", "stall_2_cycles", "the pipeline holds for a second cycle in a row"),
    FWMAC_COVER_POINT("ctrl", "stall_operands_offered", "the pipeline holds while a weight beat is offered"),
    FWMAC_COVER_POINT("ctrl", "resume_after_stall", "the pipeline advances again after a stall"),
    FWMAC_COVER_POINT("ctrl", "cmd_one_chunk", "a command of a one-chunk tile is taken"),
    FWMAC_COVER_POINT("ctrl", "cmd_one_plane", "a command of one plane per chunk is taken"),
    FWMAC_COVER_POINT("drain", "y_held", "an output beat is valid and not taken"),
    FWMAC_COVER_POINT("drain", "y_held_2_cycles", "an output beat is held for a second cycle in a row"),
    FWMAC_COVER_POINT("drain", "y_taken_after_hold", "a held output beat is taken"),
    FWMAC_COVER_POINT("drain", "y_back_to_back", "output beats are taken in consecutive cycles"),
    FWMAC_COVER_POINT("drain", "y_last_taken", "the last beat of a tile is taken"),
    FWMAC_COVER_POINT("drain", "p_starve", "the drain holds rows and the output can move, but no parameter beat"),
    FWMAC_COVER_POINT("drain", "p_waits_output_held", "a parameter beat waits while the output register is held"),
    FWMAC_COVER_POINT("drain", "p_early", "a parameter beat is offered while the drain chain is empty"),
    FWMAC_COVER_POINT("drain", "tile_load_output_held", "a tile enters the drain while an output beat is held"),
    FWMAC_COVER_POINT("drain", "requant_issue_output_empty", "a group enters the requantizers, output register empty"),
}};
#undef FWMAC_COVER_POINT

// The handshakes and control wires of one cycle.
struct CoverSample {
    bool cmd_valid, cmd_ready, w_valid, w_ready, a_valid, a_ready, p_valid, p_ready, y_valid, y_ready, y_last;
    bool advance, drain_load, drain_empty, drain_issue;
    std::uint64_t cmd_chunks, cmd_planes;
};

class CoverPoints {
public:
    void sample(const CoverSample& s) {
        const bool cmd_fire = s.cmd_valid && s.cmd_ready;
        const bool w_fire = s.w_valid && s.w_ready;
        const bool y_fire = s.y_valid && s.y_ready;
        const bool y_held = s.y_valid && !s.y_ready;
        // cmd_ready = idle or last issue, and an issue takes a weight beat: with no weight
        // beat taken, cmd_ready means idle; not ready means a tile is being issued
        const bool idle = s.cmd_ready && !w_fire;
        // w_ready = busy, advancing and (not a sign plane or activations offered)
        const bool acts_starve = s.w_valid && !s.w_ready && s.advance && !s.cmd_ready;
        const bool drain_can_move = !s.y_valid || s.y_ready;
        const bool hits[kCoverPoints.size()] = {
            cmd_fire && !w_fire,
            cmd_fire && w_fire,
            s.cmd_valid && !s.cmd_ready,
            idle && !s.cmd_valid,
            s.w_ready && !s.w_valid,
            acts_starve,
            !s.advance,
            !s.advance && previous_stall_,
            !s.advance && s.w_valid,
            s.advance && previous_stall_,
            cmd_fire && s.cmd_chunks == 1,
            cmd_fire && s.cmd_planes == 1,
            y_held,
            y_held && previous_y_held_,
            y_fire && previous_y_held_,
            y_fire && previous_y_fire_,
            y_fire && s.y_last,
            !s.p_valid && !s.drain_empty && drain_can_move,
            s.p_valid && !s.drain_empty && y_held,
            s.p_valid && s.drain_empty,
            s.drain_load && y_held,
            s.drain_issue && !s.y_valid,
        };
        for (std::size_t i = 0; i < kCoverPoints.size(); ++i) counts_[i] += hits[i] ? 1 : 0;
        previous_stall_ = !s.advance;
        previous_y_held_ = y_held;
        previous_y_fire_ = y_fire;
    }

    // Registers the counters with a coverage context (VerilatedCovContext); they must
    // outlive its write().
    template <typename CovContext>
    void insert_into(CovContext& coverage, const std::string& top_module) {
        for (std::size_t i = 0; i < kCoverPoints.size(); ++i) {
            const CoverPointInfo& point = kCoverPoints[i];
            const std::string page = std::string("v_user/") + point.module;
            const std::string hier = "TOP." + top_module + ".u_" + point.module;
            const std::string comment = std::string(point.name) + ": " + point.description;
            coverage._inserti(&counts_[i]);
            coverage._insertf(__FILE__, point.line);
            coverage._insertp("hier", hier.c_str(), "page", page.c_str(), "comment", comment.c_str());
        }
    }

private:
    std::array<std::uint32_t, kCoverPoints.size()> counts_{};
    bool previous_stall_ = false;
    bool previous_y_held_ = false;
    bool previous_y_fire_ = false;
};

}  // namespace fwmac::tb
