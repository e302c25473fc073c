// Filter-wise schedule (sort, row groups, pixel tiles) and the cycle model, with
// expectations worked out by hand from the formula documented in golden/schedule.hpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "golden/performance.hpp"
#include "golden/schedule.hpp"

namespace {

// By default one requantizer per column (G = 1 drain cycle per row) and no requant
// register stages (S = 0), so the hand-derived cases below read like the formula.
fwmac::ArrayShape make_shape(int rows, int cols, int lanes, int tree_register_every = 0, int requant_units = 0,
                             int requant_stages = 0) {
    fwmac::ArrayShape shape;
    shape.rows = rows;
    shape.cols = cols;
    shape.lanes = lanes;
    shape.tree_register_every = tree_register_every;
    shape.requant_units = requant_units > 0 ? requant_units : cols;
    shape.requant_stages = requant_stages;
    return shape;
}

void check_tile(const fwmac::Tile& tile, int group, int start, int count) {
    CHECK(tile.group == group);
    CHECK(tile.pixel_start == start);
    CHECK(tile.pixel_count == count);
}

}  // namespace

TEST_CASE("make_schedule sorts filters stably by bits into groups of R", "[schedule]") {
    // bits {3,1,2,1,3}, R = 2. Stable sort by bits: f1(1) f3(1) f2(2) f0(3) f4(3).
    // Groups are cut from the widest end so only the narrowest group is partial:
    // -> [1] b=1 (partial), [3,2] b=2, [0,4] b=3. K = 9, L = 4 -> 3 chunks.
    // P = 5, C = 2 -> pixel tiles (0,2) (2,2) (4,1) per group.
    const std::vector<int> bits{3, 1, 2, 1, 3};
    const fwmac::Schedule s = fwmac::make_schedule(bits, 9, 5, make_shape(2, 2, 4));
    CHECK(s.depth == 9);
    CHECK(s.pixels == 5);
    CHECK(s.chunks == 3);
    REQUIRE(s.groups.size() == 3);
    CHECK(s.groups[0].filters == std::vector<int>{1});
    CHECK(s.groups[0].planes == 1);
    CHECK(s.groups[1].filters == std::vector<int>{3, 2});
    CHECK(s.groups[1].planes == 2);
    CHECK(s.groups[2].filters == std::vector<int>{0, 4});
    CHECK(s.groups[2].planes == 3);
    REQUIRE(s.tiles.size() == 9);
    for (int g = 0; g < 3; ++g) {
        check_tile(s.tiles[3 * g + 0], g, 0, 2);
        check_tile(s.tiles[3 * g + 1], g, 2, 2);
        check_tile(s.tiles[3 * g + 2], g, 4, 1);
    }
    // tile_issue_cycles = chunks * b_g: 3*1, 3*2, 3*3 for groups 0, 1, 2.
    CHECK(fwmac::tile_issue_cycles(s, 0) == 3);
    CHECK(fwmac::tile_issue_cycles(s, 3) == 6);
    CHECK(fwmac::tile_issue_cycles(s, 8) == 9);
}

TEST_CASE("make_schedule with FilterOrder::original keeps layer order", "[schedule]") {
    // bits {3,1,2,1,3}, R = 2 -> [0,1] b=3, [2,3] b=2, [4] b=3.
    const std::vector<int> bits{3, 1, 2, 1, 3};
    const fwmac::Schedule s = fwmac::make_schedule(bits, 4, 3, make_shape(2, 4, 4), fwmac::FilterOrder::original);
    CHECK(s.chunks == 1);
    REQUIRE(s.groups.size() == 3);
    CHECK(s.groups[0].filters == std::vector<int>{0, 1});
    CHECK(s.groups[0].planes == 3);
    CHECK(s.groups[1].filters == std::vector<int>{2, 3});
    CHECK(s.groups[1].planes == 2);
    CHECK(s.groups[2].filters == std::vector<int>{4});
    CHECK(s.groups[2].planes == 3);
    // P = 3 <= C = 4: one partial pixel tile per group.
    REQUIRE(s.tiles.size() == 3);
    for (int g = 0; g < 3; ++g) check_tile(s.tiles[g], g, 0, 3);
}

TEST_CASE("make_schedule edge shapes", "[schedule]") {
    SECTION("R larger than F: one partial group") {
        const fwmac::Schedule s = fwmac::make_schedule({2, 5}, 1, 1, make_shape(8, 8, 8));
        CHECK(s.chunks == 1);  // ceil(1/8)
        REQUIRE(s.groups.size() == 1);
        CHECK(s.groups[0].filters == std::vector<int>{0, 1});
        CHECK(s.groups[0].planes == 5);
        REQUIRE(s.tiles.size() == 1);
        check_tile(s.tiles[0], 0, 0, 1);
    }
    SECTION("K a multiple of L: no padding chunk") {
        CHECK(fwmac::make_schedule({1}, 8, 1, make_shape(1, 1, 4)).chunks == 2);
        CHECK(fwmac::make_schedule({1}, 9, 1, make_shape(1, 1, 4)).chunks == 3);
    }
    SECTION("invalid layers are rejected") {
        CHECK_THROWS_AS(fwmac::make_schedule({}, 4, 4, make_shape(2, 2, 2)), std::invalid_argument);
        CHECK_THROWS_AS(fwmac::make_schedule({1}, 0, 4, make_shape(2, 2, 2)), std::invalid_argument);
        CHECK_THROWS_AS(fwmac::make_schedule({1}, 4, 0, make_shape(2, 2, 2)), std::invalid_argument);
    }
}

TEST_CASE("predict_cycles hand-derived cases", "[schedule][cycles]") {
    // The formula (golden/schedule.hpp): total = (n_0 + D) + sum_{i>=1} max(n_i, G*V + 1)
    // + (G*V + S + 2), D = 2 + tree register stages (bit-serial: partial sum, then commit).
    SECTION("R=2 C=2 L=4 K=8 P=3, bits {3,1,2}, no tree registers, G = 1, S = 0") {
        // chunks = 8/4 = 2, D = 2. Sorted f1(1) f2(2) f0(3), cut from the widest end:
        // groups [1] b=1 (partial), [2,0] b=3.
        // P = 3, C = 2 -> 2 pixel tiles per group; n = 2*1, 2*1, 2*3, 2*3 = 2, 2, 6, 6.
        // G*V + 1 = 3: total = (2 + 2) + max(2,3) + max(6,3) + max(6,3) + (2 + 0 + 2) = 4 + 15 + 4 = 23.
        // issue = 16, drain_stall = 3 - 2 = 1, fixed = D + S + (G*V + 1) + 1 = 2 + 0 + 3 + 1 = 6.
        // ideal = (3+1+2) * 8 * 3 / (2*2*4) = 144 / 16 = 9.
        const std::vector<int> bits{3, 1, 2};
        const fwmac::CycleReport r = fwmac::predict_cycles(fwmac::make_schedule(bits, 8, 3, make_shape(2, 2, 4)), bits);
        CHECK(r.total == 23);
        CHECK(r.issue == 16);
        CHECK(r.drain_stall == 1);
        CHECK(r.fixed_overhead == 6);
        CHECK(r.ideal_bound == Approx(9.0));
    }
    SECTION("the same layer with one shared requantizer (G = 2) and S = 3 requant stages") {
        // G*V + 1 = 2*2 + 1 = 5: total = (2 + 2) + max(2,5) + max(6,5) + max(6,5) + (4 + 3 + 2)
        //   = 4 + 5 + 6 + 6 + 9 = 30; issue 16, drain_stall 5 - 2 = 3, fixed = 2 + 3 + 5 + 1 = 11.
        const std::vector<int> bits{3, 1, 2};
        const fwmac::CycleReport r =
            fwmac::predict_cycles(fwmac::make_schedule(bits, 8, 3, make_shape(2, 2, 4, 0, 1, 3)), bits);
        CHECK(r.total == 30);
        CHECK(r.issue == 16);
        CHECK(r.drain_stall == 3);
        CHECK(r.fixed_overhead == 11);
    }
    SECTION("R=2 C=2 L=4 K=8 P=1: sorting groups the wide filters together") {
        // Sorted: [0,1] b=1, [2,3] b=2; one pixel tile each; n = 2*1, 2*2 = 2, 4.
        // total = (2 + 2) + max(4, 3) + 4 = 12; issue 6, stall 0, fixed 6.
        // ideal = 6 * 8 * 1 / 16 = 3.
        const std::vector<int> bits{1, 1, 2, 2};
        const fwmac::CycleReport sorted =
            fwmac::predict_cycles(fwmac::make_schedule(bits, 8, 1, make_shape(2, 2, 4)), bits);
        CHECK(sorted.total == 12);
        CHECK(sorted.issue == 6);
        CHECK(sorted.ideal_bound == Approx(3.0));
        // Unsorted with bits {2,1,2,1}: [0,1] b=2, [2,3] b=2 -> n = 4, 4:
        // total = (4 + 2) + max(4, 3) + 4 = 14.
        const std::vector<int> mixed{2, 1, 2, 1};
        const fwmac::CycleReport unsorted = fwmac::predict_cycles(
            fwmac::make_schedule(mixed, 8, 1, make_shape(2, 2, 4), fwmac::FilterOrder::original), mixed);
        CHECK(unsorted.total == 14);
        CHECK(unsorted.issue == 8);
    }
    SECTION("short tiles stall on the drain chain: R=4 C=2 L=4 K=4 P=2, five 1-bit filters") {
        // chunks = 1; groups [0] b=1 (partial), [1..4] b=1; one pixel tile each: n = 1, 1.
        // total = (1 + 2) + max(1, 5) + (4 + 0 + 2) = 3 + 5 + 6 = 14.
        // issue = 2, drain_stall = 5 - 1 = 4, fixed = 2 + 0 + 5 + 1 = 8.
        // ideal = 5 * 4 * 2 / (4*2*4) = 40 / 32 = 1.25.
        const std::vector<int> bits{1, 1, 1, 1, 1};
        const fwmac::CycleReport r = fwmac::predict_cycles(fwmac::make_schedule(bits, 4, 2, make_shape(4, 2, 4)), bits);
        CHECK(r.total == 14);
        CHECK(r.issue == 2);
        CHECK(r.drain_stall == 4);
        CHECK(r.fixed_overhead == 8);
        CHECK(r.ideal_bound == Approx(1.25));
    }
    SECTION("a single tile pays only the fill and the final drain") {
        // R=3 C=1 L=2 K=5 -> chunks 3; bits {4}; n_0 = 12.
        // total = (12 + 2) + (3 + 0 + 2) = 19. ideal = 4 * 5 * 1 / (3*1*2) = 20/6.
        const std::vector<int> bits{4};
        const fwmac::CycleReport r = fwmac::predict_cycles(fwmac::make_schedule(bits, 5, 1, make_shape(3, 1, 2)), bits);
        CHECK(r.total == 19);
        CHECK(r.drain_stall == 0);
        CHECK(r.ideal_bound == Approx(20.0 / 6.0));
    }
    SECTION("adder-tree registers lengthen D") {
        // L = 8 -> 3 tree levels. R=1 C=1 K=16 -> chunks 2; bits {2}; P=2 -> n = 4, 4.
        // register every level: latency 3, D = 1 + 3 + 1 = 5: total = (4+5) + max(4,2) + (1+0+2) = 16,
        //   fixed = 5 + 0 + 2 + 1 = 8.
        // register every 2 levels: latency 3/2 = 1, D = 3: total = (4+3) + 4 + 3 = 14, fixed 6.
        const std::vector<int> bits{2};
        const fwmac::CycleReport every1 =
            fwmac::predict_cycles(fwmac::make_schedule(bits, 16, 2, make_shape(1, 1, 8, 1)), bits);
        CHECK(every1.total == 16);
        CHECK(every1.fixed_overhead == 8);
        const fwmac::CycleReport every2 =
            fwmac::predict_cycles(fwmac::make_schedule(bits, 16, 2, make_shape(1, 1, 8, 2)), bits);
        CHECK(every2.total == 14);
        CHECK(every2.fixed_overhead == 6);
    }
}

namespace {

// One random layer geometry per case, reproducible from its seed alone.
struct RandomLayer {
    fwmac::ArrayShape shape;
    int depth = 1;
    int pixels = 1;
    std::vector<int> bits;
};

RandomLayer random_geometry(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
    RandomLayer layer;
    const int cols = pick(1, 9);
    layer.shape = make_shape(pick(1, 9), cols, pick(1, 9), 0, pick(1, cols), pick(0, fwmac::kMaxRequantStages));
    const int max_bits = pick(0, 1) ? 8 : 16;
    layer.depth = pick(1, 300);
    layer.pixels = pick(1, 40);
    layer.bits.resize(static_cast<std::size_t>(pick(1, 40)));
    for (int& b : layer.bits) b = pick(1, max_bits);
    return layer;
}

// Sum over groups of max b_f, recomputed from the group members.
std::uint64_t sum_of_group_maxima(const fwmac::Schedule& schedule, const std::vector<int>& bits) {
    std::uint64_t sum = 0;
    for (const fwmac::RowGroup& group : schedule.groups) {
        int group_max = 0;
        for (int f : group.filters) group_max = std::max(group_max, bits[static_cast<std::size_t>(f)]);
        sum += static_cast<std::uint64_t>(group_max);
    }
    return sum;
}

constexpr std::uint64_t kScheduleSeed = 0x5c4e'd01e'0000'0001ULL;
constexpr int kScheduleCases = 2000;

}  // namespace

TEST_CASE("schedule structure and cycle formula on random layers", "[schedule][property]") {
    for (int case_index = 0; case_index < kScheduleCases; ++case_index) {
        const std::uint64_t seed = kScheduleSeed + static_cast<std::uint64_t>(case_index);
        const RandomLayer layer = random_geometry(seed);
        const int rows = layer.shape.rows;
        const int cols = layer.shape.cols;
        const int lanes = layer.shape.lanes;
        CAPTURE(seed, case_index, rows, cols, lanes, layer.depth, layer.pixels, layer.bits);

        const fwmac::Schedule sorted = fwmac::make_schedule(layer.bits, layer.depth, layer.pixels, layer.shape);
        const fwmac::Schedule unsorted = fwmac::make_schedule(layer.bits, layer.depth, layer.pixels, layer.shape,
                                                              fwmac::FilterOrder::original);
        // Groups partition the filters; planes = group maximum. Sorted groups run
        // non-decreasing in bits and only the first (narrowest) may be partial; unsorted
        // groups run in layer order and only the last may be partial.
        for (const fwmac::Schedule* s : {&sorted, &unsorted}) {
            std::vector<int> issued;
            for (std::size_t g = 0; g < s->groups.size(); ++g) {
                const fwmac::RowGroup& group = s->groups[g];
                REQUIRE(!group.filters.empty());
                REQUIRE(static_cast<int>(group.filters.size()) <= rows);
                const std::size_t partial_group = s == &sorted ? 0 : s->groups.size() - 1;
                if (g != partial_group) REQUIRE(static_cast<int>(group.filters.size()) == rows);
                int group_max = 0;
                for (int f : group.filters) {
                    group_max = std::max(group_max, layer.bits[static_cast<std::size_t>(f)]);
                    issued.push_back(f);
                }
                REQUIRE(group.planes == group_max);
            }
            REQUIRE(issued.size() == layer.bits.size());
            for (std::size_t i = 1; i < issued.size(); ++i) {
                if (s == &unsorted) {
                    REQUIRE(issued[i] == issued[i - 1] + 1);
                } else {
                    const int previous = layer.bits[static_cast<std::size_t>(issued[i - 1])];
                    const int current = layer.bits[static_cast<std::size_t>(issued[i])];
                    REQUIRE(previous <= current);
                    if (previous == current) REQUIRE(issued[i - 1] < issued[i]);  // stable
                }
            }
            std::sort(issued.begin(), issued.end());
            for (std::size_t i = 0; i < issued.size(); ++i) REQUIRE(issued[i] == static_cast<int>(i));
            // Tiles: group-major, each group covers 0..P-1 in C-wide tiles.
            const auto tiles_per_group = static_cast<std::size_t>((layer.pixels + cols - 1) / cols);
            REQUIRE(s->tiles.size() == s->groups.size() * tiles_per_group);
            for (std::size_t t = 0; t < s->tiles.size(); ++t) {
                const fwmac::Tile& tile = s->tiles[t];
                REQUIRE(tile.group == static_cast<int>(t / tiles_per_group));
                REQUIRE(tile.pixel_start == static_cast<int>(t % tiles_per_group) * cols);
                REQUIRE(tile.pixel_count == std::min(cols, layer.pixels - tile.pixel_start));
            }
        }

        // The documented formula, evaluated here independently of predict_cycles:
        // D = 2 (no tree registers), G = ceil(C / units) cycles per drained row, S stages.
        const auto chunks = static_cast<std::uint64_t>((layer.depth + lanes - 1) / lanes);
        const auto r = static_cast<std::uint64_t>(rows);
        const auto g = static_cast<std::uint64_t>((cols + layer.shape.requant_units - 1) / layer.shape.requant_units);
        const auto stages = static_cast<std::uint64_t>(layer.shape.requant_stages);
        std::uint64_t expected = 0;
        for (std::size_t t = 0; t < sorted.tiles.size(); ++t) {
            const std::uint64_t n =
                chunks * static_cast<std::uint64_t>(sorted.groups[static_cast<std::size_t>(sorted.tiles[t].group)].planes);
            expected += t == 0 ? n + 2 : std::max(n, g * r + 1);
        }
        expected += g * r + stages + 2;
        const fwmac::CycleReport report = fwmac::predict_cycles(sorted, layer.bits);
        REQUIRE(report.total == expected);
        REQUIRE(report.total == report.issue + report.drain_stall + report.fixed_overhead);
        REQUIRE(report.ideal_bound <= static_cast<double>(report.issue) + 1e-9);
    }
}

// schedule.hpp: "stable sort by b_f: minimises the sum of group maxima for groups of R".
// The minimum for ceil(F/R) groups of at most R is reached by cutting the widths,
// sorted descending, into groups of R from the top: the g-th group's maximum can be
// no smaller than the (g*R + 1)-th largest width.
TEST_CASE("sorting by bits never increases the sum of group maxima", "[schedule][property]") {
    bool unsorted_failed = false;  // each property reports its first counterexample only
    bool optimum_failed = false;
    for (int case_index = 0; case_index < kScheduleCases; ++case_index) {
        const std::uint64_t seed = kScheduleSeed + static_cast<std::uint64_t>(case_index);
        const RandomLayer layer = random_geometry(seed);
        const std::size_t rows = static_cast<std::size_t>(layer.shape.rows);
        CAPTURE(seed, case_index, rows, layer.bits);

        std::vector<int> descending = layer.bits;
        std::sort(descending.rbegin(), descending.rend());
        std::uint64_t optimum = 0;
        for (std::size_t i = 0; i < descending.size(); i += rows) optimum += static_cast<std::uint64_t>(descending[i]);

        const std::uint64_t sorted_sum = sum_of_group_maxima(
            fwmac::make_schedule(layer.bits, layer.depth, layer.pixels, layer.shape), layer.bits);
        const std::uint64_t unsorted_sum = sum_of_group_maxima(
            fwmac::make_schedule(layer.bits, layer.depth, layer.pixels, layer.shape, fwmac::FilterOrder::original),
            layer.bits);
        if (!unsorted_failed) {
            CHECK(sorted_sum <= unsorted_sum);
            unsorted_failed = sorted_sum > unsorted_sum;
        }
        if (!optimum_failed) {
            CHECK(sorted_sum == optimum);
            optimum_failed = sorted_sum != optimum;
        }
        if (unsorted_failed && optimum_failed) break;
    }
}

TEST_CASE("sorted schedule is not slower than the unsorted one (partial group)", "[schedule][cycles]") {
    // R=2 C=1 L=1 K=4 P=1 -> chunks 4, D = 2, G = 1, S = 0, one pixel tile per group; bits {3,2,1}.
    // Unsorted: [f0,f1] b=3, [f2] b=1 -> n = 12, 4: total = (12+2) + max(4,3) + 4 = 22.
    // Sorted f2(1) f1(2) f0(3), cut from the widest end: [f2] b=1, [f1,f0] b=3 -> n = 4, 12:
    //   total = (4+2) + max(12,3) + 4 = 22. Sum of group maxima 1 + 3 = 4, the optimum.
    // (Cutting from the narrow end instead, [f2,f1] b=2 + [f0] b=3, would cost 26.)
    const std::vector<int> bits{3, 2, 1};
    const fwmac::ArrayShape shape = make_shape(2, 1, 1);
    const fwmac::CycleReport unsorted =
        fwmac::predict_cycles(fwmac::make_schedule(bits, 4, 1, shape, fwmac::FilterOrder::original), bits);
    const fwmac::CycleReport sorted = fwmac::predict_cycles(fwmac::make_schedule(bits, 4, 1, shape), bits);
    CHECK(unsorted.total == 22);
    CHECK(sorted.total == 22);
}

// row_slots = 2: the schedule packs up to two filters per row. Checked here against the
// interface rules (golden/schedule.hpp, the fwmac_top.v header), the single-slot sorted
// schedule of the same layer, and the cycle formula with V_i = R or 2R drained rows.
TEST_CASE("two-slot schedules: filters once, span rules, never more planes, R or 2R drain rows",
          "[schedule][property][row_slots]") {
    for (int case_index = 0; case_index < kScheduleCases; ++case_index) {
        const std::uint64_t seed = kScheduleSeed + 7000 + static_cast<std::uint64_t>(case_index);
        RandomLayer layer = random_geometry(seed);
        layer.shape.max_weight_bits = *std::max_element(layer.bits.begin(), layer.bits.end());
        fwmac::ArrayShape two_slots = layer.shape;
        two_slots.row_slots = 2;
        const int rows = two_slots.rows;
        const int max_bits = two_slots.max_weight_bits;
        CAPTURE(seed, rows, layer.depth, layer.pixels, layer.bits);

        const fwmac::Schedule packed = fwmac::make_schedule(layer.bits, layer.depth, layer.pixels, two_slots);
        const fwmac::Schedule single = fwmac::make_schedule(layer.bits, layer.depth, layer.pixels, layer.shape);
        std::vector<int> seen(layer.bits.size(), 0);
        std::uint64_t packed_planes = 0;
        for (const fwmac::RowGroup& group : packed.groups) {
            packed_planes += static_cast<std::uint64_t>(group.planes);
            REQUIRE(group.planes >= 1);
            REQUIRE(group.planes <= 2 * max_bits);
            REQUIRE(static_cast<int>(group.second_spans.size()) == rows);
            REQUIRE(static_cast<int>(group.filters.size()) <= 2 * rows);
            for (int row = 0; row < rows; ++row) {
                const int second_span = group.second_spans[static_cast<std::size_t>(row)];
                const int first_span = group.planes - second_span;
                const auto at = [&](int v) {
                    return v < static_cast<int>(group.filters.size()) ? group.filters[static_cast<std::size_t>(v)] : -1;
                };
                const int first = at(2 * row);
                const int second = at(2 * row + 1);
                CAPTURE(row, group.planes, second_span, first, second);
                // partial-sum width (an unused row has zero weights: its partial stays 0)
                if (first >= 0) REQUIRE(first_span <= max_bits);
                REQUIRE((second_span == 0 || (second_span >= 2 && second_span <= max_bits)));
                if (first >= 0) REQUIRE(layer.bits[static_cast<std::size_t>(first)] <= first_span);
                if (second >= 0) {
                    REQUIRE(first >= 0);
                    REQUIRE(layer.bits[static_cast<std::size_t>(second)] <= second_span);
                }
                REQUIRE(fwmac::slot_span(group, 2 * row, 2) == first_span);
                REQUIRE(fwmac::slot_span(group, 2 * row + 1, 2) == second_span);
                for (int f : {first, second}) {
                    if (f >= 0) ++seen[static_cast<std::size_t>(f)];
                }
            }
        }
        for (int count : seen) REQUIRE(count == 1);
        std::uint64_t single_planes = 0;
        for (const fwmac::RowGroup& group : single.groups) single_planes += static_cast<std::uint64_t>(group.planes);
        REQUIRE(packed_planes <= single_planes);

        // V_i: 2R drained rows when tile i's group holds a second filter somewhere, else R
        const auto chunks = static_cast<std::uint64_t>((layer.depth + two_slots.lanes - 1) / two_slots.lanes);
        const auto drained = [&](std::size_t t) {
            const fwmac::RowGroup& group = packed.groups[static_cast<std::size_t>(packed.tiles[t].group)];
            bool any_second = false;
            for (int span : group.second_spans) any_second = any_second || span != 0;
            return static_cast<std::uint64_t>(any_second ? 2 * rows : rows);
        };
        const auto cols = two_slots.cols;
        const auto g = static_cast<std::uint64_t>((cols + two_slots.requant_units - 1) / two_slots.requant_units);
        std::uint64_t expected = 0;
        for (std::size_t t = 0; t < packed.tiles.size(); ++t) {
            const std::uint64_t n = chunks * static_cast<std::uint64_t>(
                                                 packed.groups[static_cast<std::size_t>(packed.tiles[t].group)].planes);
            expected += t == 0 ? n + 2 : std::max(n, g * drained(t - 1) + 1);
        }
        expected += g * drained(packed.tiles.size() - 1) + static_cast<std::uint64_t>(two_slots.requant_stages) + 2;
        REQUIRE(fwmac::predict_cycles(packed, layer.bits).total == expected);
    }
}

TEST_CASE("two-slot schedule: hand-derived packing and cycles", "[schedule][cycles][row_slots]") {
    // R=2, Bmax=8, bits {8, 2, 6, 4}, K=L=1 (1 chunk), P=C=1; D = 2, G = 1, S = 0.
    // One slot per row: groups {4,2} then {8,6} (narrowest first) -> 4 + 8 = 12 planes,
    //   2 tiles: total = (4 + 2) + max(8, R+1 = 3) + (R + 2 = 4) = 18.
    // Two slots: rows (8|2) and (6|4) in one group of 10 planes, 1 tile:
    //   total = (10 + 2) + (2R + 2 = 6) = 18 as well: the saved 2 planes pay for the
    //   doubled drain on this one-tile layer; with K = 8 (8 chunks) the saving shows:
    //   single: (32 + 2) + 64 + 4 = 102; two slots: (80 + 2) + 6 = 88.
    const std::vector<int> bits{8, 2, 6, 4};
    fwmac::ArrayShape shape = make_shape(2, 1, 1);
    const fwmac::Schedule single = fwmac::make_schedule(bits, 1, 1, shape);
    CHECK(fwmac::predict_cycles(single, bits).total == 18);
    CHECK(fwmac::predict_cycles(fwmac::make_schedule(bits, 8, 1, shape), bits).total == 102);
    shape.row_slots = 2;
    const fwmac::Schedule packed = fwmac::make_schedule(bits, 1, 1, shape);
    REQUIRE(packed.groups.size() == 1);
    CHECK(packed.groups[0].planes == 10);
    CHECK(fwmac::predict_cycles(packed, bits).total == 18);
    CHECK(fwmac::predict_cycles(fwmac::make_schedule(bits, 8, 1, shape), bits).total == 88);
}

TEST_CASE("array bound: hand-derived, and no schedule issues fewer cycles", "[schedule][performance][row_slots]") {
    // R=2, C=2, L=1, K=2, P=3, bits {3, 1, 2}: chunks = 2, pixel tiles = ceil(3/2) = 2,
    // ceil(sum b / R) = ceil(6 / 2) = 3 planes per chunk -> bound = 2 * 2 * 3 = 12.
    // One slot: groups {1} (1 plane) and {2, 3} (3 planes) issue 2 * 2 * (1 + 3) = 16.
    // Two slots: one group of 3 planes with rows (3) and (1|2) (the 2-bit filter in slot 1,
    // span 2 >= 2) issues 2 * 2 * 3 = 12 = the bound.
    const std::vector<int> bits{3, 1, 2};
    fwmac::ArrayShape shape = make_shape(2, 2, 1);
    fwmac::LayerPerformance single = fwmac::layer_performance(bits, 2, 3, shape);
    CHECK(single.array_bound == Approx(12.0));
    CHECK(single.sorted.issue == 16);
    shape.row_slots = 2;
    fwmac::LayerPerformance packed = fwmac::layer_performance(bits, 2, 3, shape);
    CHECK(packed.array_bound == Approx(12.0));
    CHECK(packed.sorted.issue == 12);

    for (int case_index = 0; case_index < 300; ++case_index) {
        const std::uint64_t seed = kScheduleSeed + 9000 + static_cast<std::uint64_t>(case_index);
        RandomLayer layer = random_geometry(seed);
        layer.shape.max_weight_bits = *std::max_element(layer.bits.begin(), layer.bits.end());
        CAPTURE(seed, layer.shape.rows, layer.depth, layer.pixels, layer.bits);
        for (int row_slots : {1, 2}) {
            layer.shape.row_slots = row_slots;
            const fwmac::LayerPerformance p = fwmac::layer_performance(layer.bits, layer.depth, layer.pixels, layer.shape);
            REQUIRE(static_cast<double>(p.sorted.issue) >= p.array_bound - 1e-9);
            REQUIRE(p.array_bound >= p.sorted.ideal_bound - 1e-9);
        }
    }
}

TEST_CASE("with_architecture: the bit-parallel baseline of a two-slot array holds one filter per row",
          "[schedule][row_slots][bit_parallel]") {
    fwmac::ArrayShape shape = make_shape(4, 4, 8);
    shape.row_slots = 2;
    const fwmac::ArrayShape parallel = fwmac::with_architecture(shape, fwmac::Architecture::bit_parallel);
    CHECK(parallel.row_slots == 1);
    CHECK(parallel.rows == 4);
    CHECK(fwmac::with_architecture(parallel, fwmac::Architecture::bit_serial).row_slots == 1);
    CHECK(fwmac::with_architecture(shape, fwmac::Architecture::bit_serial).row_slots == 2);
    // and layer_performance's bit-parallel cycles are those of that one-slot baseline
    const std::vector<int> bits{8, 2, 6, 4, 3, 5, 7, 1};
    CHECK(fwmac::layer_performance(bits, 64, 9, shape).bit_parallel.total ==
          fwmac::predict_cycles(fwmac::make_schedule(bits, 64, 9, parallel), bits).total);
}
