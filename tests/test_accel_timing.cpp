// The golden shell model (golden/accel_timing) against quantities computed another way:
// the input and output packets the driver builds (their beats), the weight planes of the
// schedule, the loader's steps from the packet format, and lower bounds every run must
// respect. (The model's cycle counts are checked exactly against the RTL by the
// end-to-end testbench, tb.accel.*always_ready_exact_cycles.)
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <vector>

#include "compiler/accel_driver.hpp"
#include "golden/accel_layout.hpp"
#include "golden/accel_timing.hpp"
#include "golden/schedule.hpp"

namespace {

fwmac::ArrayShape shape_of(int rows, int cols, int lanes, int tree_register_every) {
    fwmac::ArrayShape shape;
    shape.rows = rows;
    shape.cols = cols;
    shape.lanes = lanes;
    shape.act_bits = 8;
    shape.max_weight_bits = 8;
    shape.k_max = 7 * 7 * 3 * lanes;
    shape.requant_units = (cols + 3) / 4;
    shape.tree_register_every = tree_register_every;
    return shape;
}

// Beats of a section of n containers of `bits` on a bus of `bus` bits.
std::uint64_t section_beats(std::uint64_t n, int bits, int bus) {
    const int container = fwmac::container_bits(bits);
    return container <= bus ? (n * container + bus - 1) / bus : n * (container / bus);
}

}  // namespace

TEST_CASE("accel timing: packets, planes and bounds of random runs", "[accel]") {
    const std::uint64_t seed = 77;
    INFO("seed " << seed);
    std::mt19937_64 rng(seed);
    auto pick = [&](int low, int high) { return low + static_cast<int>(rng() % static_cast<std::uint64_t>(high - low + 1)); };
    for (int trial = 0; trial < 40; ++trial) {
        const fwmac::ArrayShape shape = shape_of(pick(1, 8), pick(1, 9), 8, pick(0, 2));
        fwmac::SystemShape system;
        system.bus_bits = 32 << pick(0, 3);
        system.act_buffer_kib = 16;
        const int kernel = pick(1, 3) * 2 - 1;
        const int channels = pick(4, 24);
        const int size = pick(kernel, 14);
        fwmac::AccelLayer layer;
        layer.name = "random";
        layer.conv = fwmac::ConvShape(channels, size, size + pick(0, 3), kernel, pick(1, 2), kernel / 2, pick(1, 20));
        const int filters = layer.conv.out_channels;
        for (int f = 0; f < filters; ++f) layer.weight_bits.push_back(pick(2, 8));
        layer.weights.assign(static_cast<std::size_t>(filters) * layer.conv.depth(), 1);
        layer.image.assign(static_cast<std::size_t>(channels) * layer.conv.height * layer.conv.width, 3);
        layer.requant.assign(static_cast<std::size_t>(filters), fwmac::RequantParams{});
        const fwmac::AccelShellTiming timing = fwmac::accel_shell_timing(shape, system);
        for (const fwmac::AccelRunProgram& program : fwmac::pack_layer(layer, shape, system)) {
            INFO("trial " << trial << ": " << program.core.description << ", bus " << system.bus_bits);
            const fwmac::Schedule& schedule = program.core.schedule;
            const fwmac::AccelRunCycles cycles = fwmac::simulate_accel_run(schedule, program.run, timing);
            CHECK(cycles.input_beats == program.input_beats.size());
            CHECK(cycles.output_beats == program.output_beats.size());
            CHECK(cycles.compute == program.core.streams.weight_planes.size());
            // the loader's steps: one per container (<= the bus) or per beat (wider)
            std::uint64_t steps = 0;
            auto add = [&](std::uint64_t n, int bits) {
                const int container = fwmac::container_bits(bits);
                steps += container <= system.bus_bits ? n : n * (container / system.bus_bits);
            };
            std::uint64_t beats = 0;
            for (std::size_t g = 0; g < schedule.groups.size(); ++g) {
                const std::size_t first = g * ((schedule.tiles.size()) / schedule.groups.size());
                const std::uint64_t params = fwmac::tile_drain_rows(schedule, first);
                const std::uint64_t weights = fwmac::tile_issue_cycles(schedule, first);
                add(1, fwmac::header_bits(shape));
                add(params, fwmac::param_word_bits(shape));
                add(weights, fwmac::weight_beat_width(shape));
                beats += section_beats(1, fwmac::header_bits(shape), system.bus_bits) +
                         section_beats(params, fwmac::param_word_bits(shape), system.bus_bits) +
                         section_beats(weights, fwmac::weight_beat_width(shape), system.bus_bits);
            }
            add(static_cast<std::uint64_t>(program.run.act_words), fwmac::act_word_bits(shape));
            beats += section_beats(static_cast<std::uint64_t>(program.run.act_words), fwmac::act_word_bits(shape),
                                   system.bus_bits);
            CHECK(cycles.input_steps == steps);
            CHECK(cycles.input_beats == beats);
            // bounds: the loader takes a step per cycle at most, the core needs its own cycles
            CHECK(cycles.load_end >= steps);
            CHECK(cycles.busy > cycles.load_end);
            CHECK(cycles.busy > program.core.cycles.total);
            CHECK(cycles.wait_weights + cycles.wait_rows + cycles.compute <= cycles.busy);
        }
    }
}

TEST_CASE("accel timing: the shell's group order is the faster of the two", "[accel]") {
    // a strided 2x2 layer: the first group computes while the activations stream in
    const fwmac::ArrayShape shape = shape_of(4, 4, 8, 0);
    fwmac::SystemShape system;
    system.bus_bits = 64;
    system.act_buffer_kib = 64;
    const fwmac::ConvShape conv(16, 20, 40, 2, 2, 0, 12);
    const std::vector<int> bits = {2, 2, 2, 2, 5, 5, 5, 5, 8, 8, 8, 8};
    const fwmac::AccelRun run = fwmac::plan_runs(conv, shape, system).at(0);
    const fwmac::AccelShellTiming timing = fwmac::accel_shell_timing(shape, system);
    const fwmac::Schedule core_order = fwmac::make_schedule(bits, run.chunks * shape.lanes, static_cast<int>(run.pixels), shape);
    const fwmac::Schedule chosen = fwmac::accel_run_schedule(run, bits, shape, timing);
    REQUIRE(core_order.groups.size() == 3);
    REQUIRE(chosen.groups.size() == 3);
    CHECK(core_order.groups.front().planes == 2);
    const std::uint64_t core_cycles = fwmac::simulate_accel_run(core_order, run, timing).busy;
    const std::uint64_t chosen_cycles = fwmac::simulate_accel_run(chosen, run, timing).busy;
    CHECK(chosen_cycles <= core_cycles);
    // here widest first wins: an output row (OW = 20: 5 tiles of C = 4) needs two input rows,
    // 2 x 40 x 2 = 160 words (cycles); its tiles compute 5 x 8 chunks x b planes: 80 cycles
    // for b = 2 (the group waits for rows), 320 for b = 8 (the rows arrive in time)
    CHECK(chosen.groups.front().planes == 8);
    CHECK(chosen_cycles < core_cycles);
    for (std::size_t t = 1; t < chosen.tiles.size(); ++t) CHECK(chosen.tiles[t - 1].group <= chosen.tiles[t].group);
}
