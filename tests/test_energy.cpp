// Energy model: the table reproduces its source's points, and the operation counts of
// a tiny layer match a count done by hand from the RTL structure.
#include <catch2/catch.hpp>

#include "generator/analysis/energy.hpp"
#include "generator/analysis/energy_bench.hpp"

namespace fwmac {
namespace {

// R = C = 1, L = 2, A = 2, Bmax = 2, k_max = 2: sums of 2 terms w * a, w in -2..1, a in
// 0..3, lie in -12..6 -> ACC_W = 5; dot width bits_for(2 * 3) = 3; partial sum -2*6..1*6
// -> 5 bits. One requantizer (ceil(C/4) = 1, G = 1), 2 requant stages (cuts C3 and C6),
// narrow outputs (2 bits per value).
ArrayShape tiny_shape() {
    ArrayShape shape;
    shape.rows = 1;
    shape.cols = 1;
    shape.lanes = 2;
    shape.act_bits = 2;
    shape.max_weight_bits = 2;
    shape.k_max = 2;
    shape.requant_stages = 2;
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
    CHECK(table.clock_bit() == Approx(table.flop_bit() / 2));
    CHECK(table.add(16) > table.add(8));
}

TEST_CASE("activity of a two-slot layer, hand-derived", "[energy][activity]") {
    // R = 2, C = 3, L = 1, Bmax = 8, two slots, 2 requant units (G = ceil(3/2) = 2);
    // bits {8, 2, 6, 4}, K = 2 (2 chunks), P = 4: one group of rows (8|2), (6|4) in 10
    // planes (both rows hold a second filter), 2 pixel tiles of 3 and 1 columns.
    ArrayShape shape = tiny_shape();
    shape.rows = 2;
    shape.cols = 3;
    shape.lanes = 1;
    shape.max_weight_bits = 8;
    shape.act_bits = 8;
    shape.k_max = 64;
    shape.row_slots = 2;
    shape.requant_units = 2;
    const std::vector<int> bits{8, 2, 6, 4};
    const Schedule schedule = make_schedule(bits, 2, 4, shape);
    REQUIRE(schedule.groups.size() == 1);
    REQUIRE(schedule.groups[0].planes == 10);
    REQUIRE(schedule.tiles.size() == 2);
    const ActivityCounts activity = count_activity(schedule);
    CHECK(activity.plane_cycles == 2 * 2 * 10);       // tiles x chunks x planes
    CHECK(activity.activation_loads == 2 * 2);        // tiles x chunks
    CHECK(activity.commits == 2 * 2);                 // every chunk's last plane
    CHECK(activity.first_span_commits == 2 * 2 * 2);  // and both rows' first spans
    CHECK(activity.drain_loads == 2);
    CHECK(activity.drain_shifts == 2 * 4);            // 2R virtual rows per tile
    CHECK(activity.requant_cycles == 2 * 4 * 2);      // G = 2 cycles per row
}

TEST_CASE("bit-serial operation counts of a 1x1x2 array, hand-derived", "[energy]") {
    // One filter of 2 bits, K = 2 (one chunk), P = 1: one tile, 2 plane cycles, D = 2.
    const Schedule schedule = make_schedule({2}, 2, 1, tiny_shape());
    const OperationCounts counts = count_operations(schedule);
    CHECK(counts.and_bits == 8);  // 2 cycles x 2 lanes x 2 bits
    // Per plane: the tree adder (3 bits) and the partial add/sub (5); one commit (5); per
    // requantized value: bias add (ACC_W + 1 = 6), the 6 x 16 multiply, round and clamp (A + 2 = 4).
    const std::map<int, double> expected_adds{{3, 2}, {4, 1}, {5, 3}, {6, 1}};
    CHECK(counts.adds_by_width == expected_adds);
    CHECK(counts.multiplies_by_shape == std::map<std::pair<int, int>, double>{{{6, 16}, 1}});
    // accumulator 5 + activation register 4 + weight planes 2 x 2 + control tags 5 bits x
    // D = 2 stages x 2 planes + partial register 2 x 5 + drain chain (load + 1 shift) x 5
    // + requant stages 2 = cuts C3 (4 r words of T_W + 4 = 10 bits + 8 = 48) and C6 (A + 9
    // + 7 + 17 = 35) + output register 2.
    CHECK(counts.flop_bits == 5 + 4 + 4 + 20 + 10 + 10 + 48 + 35 + 2);
    CHECK(counts.sram_bits == 4 + 4 + 2);  // activations, weight planes, output
}

TEST_CASE("bit-parallel operation counts of a 1x1x2 array, hand-derived", "[energy]") {
    const Schedule schedule =
        make_schedule({2}, 2, 1, with_architecture(tiny_shape(), Architecture::bit_parallel));
    REQUIRE(schedule.groups.size() == 1);
    CHECK(schedule.groups[0].planes == 1);
    const OperationCounts counts = count_operations(schedule);
    CHECK(counts.and_bits == 0);
    // Products are within -2*3..1*3: their sum within -12..6 -> 5 bits, as the accumulator.
    const std::map<int, double> expected_adds{{4, 1}, {5, 2}, {6, 1}};
    CHECK(counts.adds_by_width == expected_adds);
    const std::map<std::pair<int, int>, double> expected_multiplies{{{2, 2}, 2}, {{6, 16}, 1}};
    CHECK(counts.multiplies_by_shape == expected_multiplies);
    // accumulator 5 + activations 4 + whole weights 2 x 2 + tags 5 x D = 1 + drain chain 10
    // + requant cuts 48 + 35 + output register 2.
    CHECK(counts.flop_bits == 5 + 4 + 4 + 5 + 10 + 48 + 35 + 2);
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
