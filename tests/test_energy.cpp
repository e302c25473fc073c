// Energy model: the table reproduces its source's points, and the operation counts of
// a tiny layer match a count done by hand from the RTL structure.
#include <catch2/catch.hpp>

#include "generator/analysis/energy.hpp"
#include "generator/analysis/energy_bench.hpp"

namespace fwmac {
namespace {

// R = C = 1, L = 2, A = 2, Bmax = 2, k_max = 2: ACC_W = 1 + 2 + 2 + 1 = 6,
// dot width = bits_for(3 + 3) = 3, partial width = 3 + 2 = 5.
ArrayShape tiny_shape() {
    ArrayShape shape;
    shape.rows = 1;
    shape.cols = 1;
    shape.lanes = 2;
    shape.act_bits = 2;
    shape.max_weight_bits = 2;
    shape.k_max = 2;
    return shape;
}

}  // namespace

TEST_CASE("energy table reproduces the published 8/32-bit points", "[energy]") {
    const EnergyTable table;
    CHECK(table.add(8) == Approx(0.03));
    CHECK(table.add(32) == Approx(0.1));
    CHECK(table.multiply(8, 8) == Approx(0.2));
    CHECK(table.multiply(32, 32) == Approx(3.1));
    CHECK(table.sram_bit() == Approx(10.0 / 64));
    CHECK(table.add(16) > table.add(8));
}

TEST_CASE("bit-serial operation counts of a 1x1x2 array, hand-derived", "[energy]") {
    // One filter of 2 bits, K = 2 (one chunk), P = 1: one tile, 2 plane cycles.
    const Schedule schedule = make_schedule({2}, 2, 1, tiny_shape());
    const OperationCounts counts = count_operations(schedule);
    CHECK(counts.and_bits == 8);  // 2 cycles x 2 lanes x 2 bits
    // Per cycle: the one tree adder (3 bits), the partial add/sub (5), the accumulator
    // adder (6); per result: bias add (6) and the rounding add after the multiply (22).
    const std::map<int, double> expected_adds{{3, 2}, {5, 2}, {6, 3}, {22, 1}};
    CHECK(counts.adds_by_width == expected_adds);
    CHECK(counts.multiplies_by_shape == std::map<std::pair<int, int>, double>{{{6, 16}, 1}});
    // acc 6 + activation reg 4 + partial reg (1 non-last plane) 5 + weight planes 2 x 2
    // + drain: load 6, one shift 6, output register 6.
    CHECK(counts.flop_bits == 6 + 4 + 5 + 4 + 18);
    CHECK(counts.sram_bits == 4 + 4 + 2);  // activations, weight planes, output
}

TEST_CASE("bit-parallel operation counts of a 1x1x2 array, hand-derived", "[energy]") {
    const Schedule schedule =
        make_schedule({2}, 2, 1, with_architecture(tiny_shape(), Architecture::bit_parallel));
    REQUIRE(schedule.groups.size() == 1);
    CHECK(schedule.groups[0].planes == 1);
    const OperationCounts counts = count_operations(schedule);
    CHECK(counts.and_bits == 0);
    // Products are within +-3*2 = 6: their sum within 12 -> 4 bits + sign = 5.
    const std::map<int, double> expected_adds{{5, 1}, {6, 2}, {22, 1}};
    CHECK(counts.adds_by_width == expected_adds);
    const std::map<std::pair<int, int>, double> expected_multiplies{{{2, 2}, 2}, {{6, 16}, 1}};
    CHECK(counts.multiplies_by_shape == expected_multiplies);
    CHECK(counts.flop_bits == 6 + 4 + 4 + 18);
    CHECK(counts.sram_bits == 4 + 4 + 2);
}

TEST_CASE("bit-serial energy per MAC grows with the weight bits; bit-parallel does not", "[energy]") {
    const ArrayShape serial_shape;  // 8x8x8, A = 8, Bmax = 8
    const ArrayShape parallel_shape = with_architecture(serial_shape, Architecture::bit_parallel);
    const EnergyTable table;
    double previous = 0;
    const EnergyReport parallel_narrow = layer_energy(std::vector<int>(64, 2), 576, 196, parallel_shape, table);
    for (int bits = 1; bits <= 8; ++bits) {
        const std::vector<int> weight_bits(64, bits);
        const EnergyReport serial = layer_energy(weight_bits, 576, 196, serial_shape, table);
        CHECK(serial.pj_per_mac() > previous);
        previous = serial.pj_per_mac();
        const EnergyReport parallel = layer_energy(weight_bits, 576, 196, parallel_shape, table);
        CHECK(parallel.pj_per_mac() == Approx(parallel_narrow.pj_per_mac()));
        CHECK(parallel.cycles == parallel_narrow.cycles);
    }
}

TEST_CASE("2 ops per MAC: TOPS/W is 2 / (pJ per MAC)", "[energy]") {
    const EnergyReport report =
        layer_energy(std::vector<int>(8, 4), 72, 16, ArrayShape{}, EnergyTable{});
    CHECK(report.tops_per_watt() == Approx(2.0 / report.pj_per_mac()));
}

}  // namespace fwmac
