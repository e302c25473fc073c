// A cycle-level model of the accelerator shell (<name>_accel, docs/accelerator.md) without
// data: the loader's steps and gates, the group buffer's full flags, the sequencer's four
// streamers with their FIFOs and bank use, the activation writer's rows, the im2col's
// issue rule, the core (golden/core_timing) and the packer, each following the timing
// contract of its block (rtl_templates/accel/README.md), joined as fwmac_accel joins them.
// For an always-ready environment (the input packet valid from the start, the output
// always ready) it gives the run's cycle count as the shell's busy_cycles counter counts
// it, and the other performance counters; the end-to-end testbench checks them exactly.
#pragma once

#include <cstdint>

#include "golden/accel_layout.hpp"
#include "golden/schedule.hpp"

namespace fwmac {

// The shell's parameters that shape its timing, as `fwmac generate` sets them.
struct AccelShellTiming {
    int bus_bits = 128;
    int dim_bits = 15;       // DIM_W: width of the activation side's sizes (the writer's set-up time)
    int fifo_depth = 4;      // the sequencer's w and p FIFOs
    int tile_depth = 2;      // the packer's tile-info FIFO
};
AccelShellTiming accel_shell_timing(const ArrayShape& shape, const SystemShape& system);

// One run, always ready, as the shell's counters report it (start write = cycle 0).
struct AccelRunCycles {
    std::uint64_t busy = 0;          // cycles from the one after start to the output beat with tlast
    std::uint64_t compute = 0;       // weight planes the core took
    std::uint64_t wait_weights = 0;  // the core ready for a weight plane, none there
    std::uint64_t wait_rows = 0;     // the core ready for an activation beat, none there
    std::uint64_t input_beats = 0;   // bus beats of the input packet
    std::uint64_t input_steps = 0;   // the loader's steps: a container <= the bus, else a beat (its least cycles)
    std::uint64_t load_end = 0;      // cycle the input packet's last beat is taken
    std::uint64_t output_beats = 0;  // beats of the output packet
};

// The run `run` whose GEMM the core computes with `schedule` (the driver's schedule of the
// run, golden/accel_layout accel_gemm).
AccelRunCycles simulate_accel_run(const Schedule& schedule, const AccelRun& run, const AccelShellTiming& timing);

// The schedule the shell runs `run` of a layer with filters of `weight_bits` with (the GEMM
// of accel_gemm: K = chunks x L, P = the run's pixels): the core's schedule (narrowest
// group first) or the same groups widest first, whichever this model finds faster at
// `timing` (ties: the core's). Widest first helps when the first group's tiles compute
// while the activations stream in (a narrow group would wait for input rows); narrowest
// first when the first group's weights are what the array waits for. `cycles`, if given,
// gets the chosen schedule's run at `timing`.
Schedule accel_run_schedule(const AccelRun& run, const std::vector<int>& weight_bits, const ArrayShape& shape,
                            const AccelShellTiming& timing, AccelRunCycles* cycles = nullptr);


}  // namespace fwmac
