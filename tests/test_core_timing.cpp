// The cycle-level model of the core's control against the closed-form cycle model
// (two formulations of the same RTL rules: predict_cycles is tested against the RTL by
// every always-ready testbench run), and its behaviour under back-pressure.
#include <catch2/catch.hpp>

#include <random>

#include "golden/core_timing.hpp"
#include "golden/schedule.hpp"

namespace {

fwmac::ArrayShape random_shape(std::mt19937_64& rng) {
    auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
    fwmac::ArrayShape shape;
    shape.rows = pick(1, 9);
    shape.cols = pick(1, 9);
    shape.lanes = pick(1, 9);
    shape.max_weight_bits = pick(1, 8);
    shape.k_max = 4096;
    shape.tree_register_every = pick(0, 3);
    shape.architecture = pick(0, 3) == 0 ? fwmac::Architecture::bit_parallel : fwmac::Architecture::bit_serial;
    shape.row_slots = !fwmac::is_bit_parallel(shape) && pick(0, 1) ? 2 : 1;
    shape.requant_units = pick(1, shape.cols);
    shape.requant_stages = pick(0, fwmac::kMaxRequantStages);
    return shape;
}

}  // namespace

TEST_CASE("core timing model == predict_cycles for always-ready runs", "[core_timing][property]") {
    constexpr std::uint64_t kSeed = 0xc07e'7141'0000ULL;
    for (int i = 0; i < 1500; ++i) {
        std::mt19937_64 rng(kSeed + static_cast<std::uint64_t>(i));
        const fwmac::ArrayShape shape = random_shape(rng);
        auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
        std::vector<int> bits(static_cast<std::size_t>(pick(1, 30)));
        for (int& b : bits) b = pick(1, shape.max_weight_bits);
        const int depth = pick(1, 120);
        const int pixels = pick(1, 30);
        CAPTURE(i, shape.rows, shape.cols, shape.lanes, shape.row_slots, shape.requant_units, shape.requant_stages,
                shape.tree_register_every, fwmac::architecture_name(shape.architecture), depth, pixels, bits);
        const fwmac::Schedule schedule = fwmac::make_schedule(bits, depth, pixels, shape);
        REQUIRE(fwmac::simulate_core_cycles(schedule) == fwmac::predict_cycles(schedule, bits).total);
    }
}

TEST_CASE("core timing model: hand-derived single tile", "[core_timing]") {
    // R = 2, C = 1, L = 4, one 3-bit filter, K = 8 (2 chunks): 6 plane cycles. D = 2, G = 1,
    // S = 0: command in cycle 0, planes in cycles 1..6, the last commit in cycle 6 + 2 = 8 and
    // the drain loaded then; rows leave the chain in cycles 9 and 10, the last y beat is valid
    // in cycle 11: 12 cycles (= (6 + 2) + (1 * 2 + 0 + 2)).
    fwmac::ArrayShape shape;
    shape.rows = 2;
    shape.cols = 1;
    shape.lanes = 4;
    shape.requant_units = 1;
    shape.requant_stages = 0;
    const fwmac::Schedule schedule = fwmac::make_schedule({3}, 8, 1, shape);
    CHECK(fwmac::simulate_core_cycles(schedule) == 12);
    fwmac::CoreTiming core(shape);
    fwmac::CoreInputs in;
    in.cmd_valid = true;
    in.cmd_chunks = 2;
    in.cmd_planes = 3;
    in.cmd_drain_rows = 2;
    CHECK(core.outputs(in).cmd_ready);
    core.clock(in);
    in.cmd_valid = false;
    in.w_valid = true;
    in.a_valid = false;  // the first plane needs its activation chunk: nothing moves
    CHECK_FALSE(core.outputs(in).w_ready);
    CHECK(core.outputs(in).a_ready);  // a_ready follows w_valid (ready may depend on another stream's valid)
    in.a_valid = true;
    CHECK(core.outputs(in).w_ready);
    CHECK(core.outputs(in).a_ready);
    CHECK_FALSE(core.idle());
}
