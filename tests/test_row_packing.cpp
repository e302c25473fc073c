// Two-slot row packing: hand-derived layouts, the validity checker on broken packings,
// seeded random properties, and optimality against an exhaustive search on tiny layers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "golden/row_packing.hpp"

namespace {

using fwmac::PackedGroup;
using fwmac::PackedRow;

// Sorted single-slot cost, computed independently of the packer: bits descending,
// consecutive groups of R, each costs its first (widest) element.
int sorted_single_slot_cost(std::vector<int> bits, int rows) {
    std::sort(bits.begin(), bits.end(), std::greater<int>());
    int cost = 0;
    for (std::size_t i = 0; i < bits.size(); i += static_cast<std::size_t>(rows)) cost += bits[i];
    return cost;
}

int lower_bound_planes(const std::vector<int>& bits, int rows) {
    int sum = 0;
    for (int b : bits) sum += b;
    return (sum + rows - 1) / rows;
}

PackedRow row(int first, int second, int second_span) {
    PackedRow r;
    r.first = first;
    r.second = second;
    r.second_span = second_span;
    return r;
}

PackedGroup group(int planes, std::vector<PackedRow> rows) {
    PackedGroup g;
    g.planes = planes;
    g.rows = std::move(rows);
    return g;
}

// The row (group, row) holding filter f, as a pointer into `groups`.
const PackedRow* find_row(const std::vector<PackedGroup>& groups, int f) {
    for (const PackedGroup& g : groups) {
        for (const PackedRow& r : g.rows) {
            if (r.first == f || r.second == f) return &r;
        }
    }
    return nullptr;
}

// ---- exhaustive optimum for tiny layers, straight from the hardware rules ----

// Does a row at T planes hold slot-0 filter of b0 bits and slot-1 filter of b1 bits
// (b1 = 0: none)? Enumerates every second_span instead of using a closed form.
bool brute_row_ok(int planes, int b0, int b1, int max_bits) {
    for (int span = 0; span <= max_bits; ++span) {
        if (span == 1) continue;
        if (b1 > 0 && span < std::max(b1, 2)) continue;
        const int span0 = planes - span;
        if (span0 >= b0 && span0 <= max_bits) return true;
    }
    return false;
}

// Least number of rows holding the filters of `mask` at T planes (large when impossible).
int brute_rows(const std::vector<int>& bits, unsigned mask, int planes, int max_bits) {
    if (mask == 0) return 0;
    int i = 0;
    while (!(mask & (1u << i))) ++i;
    const unsigned rest = mask & ~(1u << i);
    int best = 1000;
    if (brute_row_ok(planes, bits[i], 0, max_bits)) best = 1 + brute_rows(bits, rest, planes, max_bits);
    for (int j = i + 1; j < static_cast<int>(bits.size()); ++j) {
        if (!(rest & (1u << j))) continue;
        if (brute_row_ok(planes, bits[i], bits[j], max_bits) || brute_row_ok(planes, bits[j], bits[i], max_bits)) {
            best = std::min(best, 1 + brute_rows(bits, rest & ~(1u << j), planes, max_bits));
        }
    }
    return best;
}

// Minimal total planes over every partition of the filters into groups.
int brute_force_optimum(const std::vector<int>& bits, int rows, int max_bits) {
    const unsigned full = (1u << bits.size()) - 1;
    const int infinite = 1 << 20;
    std::vector<int> group_planes(full + 1, infinite);
    for (unsigned mask = 1; mask <= full; ++mask) {
        for (int planes = 1; planes <= 2 * max_bits; ++planes) {
            if (brute_rows(bits, mask, planes, max_bits) <= rows) {
                group_planes[mask] = planes;
                break;
            }
        }
    }
    std::vector<int> best(full + 1, infinite);
    best[0] = 0;
    for (unsigned mask = 1; mask <= full; ++mask) {
        const unsigned low = mask & (~mask + 1);
        for (unsigned sub = mask; sub != 0; sub = (sub - 1) & mask) {
            if (!(sub & low) || group_planes[sub] >= infinite) continue;
            best[mask] = std::min(best[mask], group_planes[sub] + best[mask ^ sub]);
        }
    }
    return best[full];
}

// Bits 1..8 with probabilities {0, .15, .25, .25, .15, .10, .05, .05}.
std::vector<int> realistic_bits(std::mt19937_64& rng, int filters) {
    std::discrete_distribution<int> dist({0.0, 0.15, 0.25, 0.25, 0.15, 0.10, 0.05, 0.05});
    std::vector<int> bits(static_cast<std::size_t>(filters));
    for (int& b : bits) b = dist(rng) + 1;
    return bits;
}

}  // namespace

TEST_CASE("pack_two_slot_groups hand-derived layouts", "[row_packing]") {
    SECTION("pairs of complementary widths share one group") {
        // R = 2, Bmax = 8, bits {8,2,6,4}. Single slot: [8,6],[4,2] -> 8 + 4 = 12.
        // Two slots: (8|2) and (6|4) both need 10 planes -> one group, T = 10, which is
        // also the lower bound ceil(20 / 2) = 10.
        const std::vector<int> bits{8, 2, 6, 4};
        CHECK(sorted_single_slot_cost(bits, 2) == 12);
        const auto groups = fwmac::pack_two_slot_groups(bits, 2, 8);
        CHECK(fwmac::check_packing(groups, bits, 2, 8).empty());
        CHECK(fwmac::total_planes(groups) == 10);
        REQUIRE(groups.size() == 1);
        CHECK(groups[0].planes == 10);
        // T = 10 > Bmax: every used row is split, no span over 8.
        for (const PackedRow& r : groups[0].rows) CHECK(r.second_span >= 2);
    }
    SECTION("all filters at Bmax: pairing cannot help") {
        // R = 2, Bmax = 4, five 4-bit filters. A group holding k of them needs
        // T >= 4 * ceil(k / 2), i.e. >= 2 planes per filter whatever k is, and an odd k
        // wastes a half row: every split of 5 costs 12 ({2,2,1}: 4+4+4, {4,1}: 8+4,
        // {3,2}: 8+4). Single slot: [4,4],[4,4],[4] -> 12.
        const std::vector<int> bits{4, 4, 4, 4, 4};
        const auto groups = fwmac::pack_two_slot_groups(bits, 2, 4);
        CHECK(fwmac::check_packing(groups, bits, 2, 4).empty());
        CHECK(fwmac::total_planes(groups) == 12);
        // On a tie the single-slot layout is kept: no pairs, no split rows.
        for (const PackedGroup& g : groups) {
            CHECK(g.planes == 4);
            for (const PackedRow& r : g.rows) {
                CHECK(r.second == -1);
                CHECK(r.second_span == 0);
            }
        }
    }
    SECTION("1-bit filters: slot 1 needs two planes, so (1|1) costs 3 and never beats single slot") {
        // R = 2, Bmax = 8, four 1-bit filters. Single slot: [1,1],[1,1] -> 2.
        // Pairing them would need T = 1 + 2 = 3.
        const std::vector<int> bits{1, 1, 1, 1};
        const auto groups = fwmac::pack_two_slot_groups(bits, 2, 8);
        CHECK(fwmac::check_packing(groups, bits, 2, 8).empty());
        CHECK(fwmac::total_planes(groups) == 2);
    }
    SECTION("a 1-bit partner of a Bmax filter goes to slot 0") {
        // R = 2, Bmax = 8, bits {8,1,6,3}. Single slot: [8,6],[3,1] -> 11; bound ceil(18/2) = 9.
        // (8|1) with the 8-bit filter first needs 8 + 2 = 10 planes (slot 1 >= 2), but
        // with the 1-bit filter first it needs 1 + 8 = 9; (6|3) needs 9 -> one group, T = 9.
        const std::vector<int> bits{8, 1, 6, 3};
        const auto groups = fwmac::pack_two_slot_groups(bits, 2, 8);
        CHECK(fwmac::check_packing(groups, bits, 2, 8).empty());
        CHECK(fwmac::total_planes(groups) == 9);
        const PackedRow* r = find_row(groups, 0);
        REQUIRE(r != nullptr);
        CHECK(r->first == 1);
        CHECK(r->second == 0);
        CHECK(r->second_span == 8);
    }
    SECTION("a 1-bit filter in slot 1 gets a span of 2") {
        // R = 2, Bmax = 8, bits {7,1,6,3}. Single slot: [7,6],[3,1] -> 10; bound ceil(17/2) = 9.
        // (7|1): 7 + max(1, 2) = 9, (6|3): 9 -> one group, T = 9; the 1-bit filter
        // sits behind the 7-bit one with second_span 2 (sign-extended to 2 planes).
        const std::vector<int> bits{7, 1, 6, 3};
        const auto groups = fwmac::pack_two_slot_groups(bits, 2, 8);
        CHECK(fwmac::check_packing(groups, bits, 2, 8).empty());
        CHECK(fwmac::total_planes(groups) == 9);
        const PackedRow* r = find_row(groups, 1);
        REQUIRE(r != nullptr);
        CHECK(r->first == 0);
        CHECK(r->second == 1);
        CHECK(r->second_span == 2);
    }
    SECTION("exchanges between groups reach the bound") {
        // R = 3, Bmax = 5, bits {5,4,3,3,3,2,2,2,2,1}: sum 27 -> bound ceil(27/3) = 9.
        // Single slot: [5,4,3],[3,3,2],[2,2,2],[1] -> 5 + 3 + 2 + 1 = 11.
        // (4)(1|3)(2|2) at T = 4 (1-bit filter first: 1 + 3) and (5)(3|2)(3|2) at T = 5
        // hold all ten filters in 4 + 5 = 9 planes.
        const std::vector<int> bits{2, 3, 5, 2, 1, 3, 2, 4, 3, 2};
        CHECK(sorted_single_slot_cost(bits, 3) == 11);
        const auto groups = fwmac::pack_two_slot_groups(bits, 3, 5);
        CHECK(fwmac::check_packing(groups, bits, 3, 5).empty());
        CHECK(fwmac::total_planes(groups) == 9);
    }
    SECTION("R = 1: a row alone is its own group, pairing gains nothing") {
        // Each group is one row: a pair (a|b) costs max(a + b, 3) >= a + b, the cost of
        // the two filters in rows of their own. Single slot: 5 + 3 + 2 = 10.
        const std::vector<int> bits{3, 5, 2};
        const auto groups = fwmac::pack_two_slot_groups(bits, 1, 8);
        CHECK(fwmac::check_packing(groups, bits, 1, 8).empty());
        CHECK(fwmac::total_planes(groups) == 10);
    }
    SECTION("groups are returned in order of non-decreasing planes") {
        // R = 2, Bmax = 8, bits {8,8,8,8,2,2}: [8,8],[8,8],[2,2] -> 18 single slot,
        // which is also the bound ceil(36 / 2) = 18. Groups come out 2, 8, 8.
        const std::vector<int> bits{8, 2, 8, 8, 2, 8};
        const auto groups = fwmac::pack_two_slot_groups(bits, 2, 8);
        CHECK(fwmac::check_packing(groups, bits, 2, 8).empty());
        CHECK(fwmac::total_planes(groups) == 18);
        REQUIRE(groups.size() == 3);
        CHECK(groups[0].planes == 2);
        CHECK(groups[1].planes == 8);
        CHECK(groups[2].planes == 8);
    }
}

TEST_CASE("pack_two_slot_groups rejects invalid arguments", "[row_packing]") {
    using Catch::Matchers::Contains;
    CHECK_THROWS_WITH(fwmac::pack_two_slot_groups({}, 2, 8), Contains("weight_bits is empty"));
    CHECK_THROWS_WITH(fwmac::pack_two_slot_groups({1, 2}, 0, 8), Contains("rows = 0"));
    CHECK_THROWS_WITH(fwmac::pack_two_slot_groups({1, 2}, 2, 0), Contains("max_bits = 0 outside 1..32"));
    CHECK_THROWS_WITH(fwmac::pack_two_slot_groups({1, 2}, 2, 33), Contains("max_bits = 33 outside 1..32"));
    CHECK_THROWS_WITH(fwmac::pack_two_slot_groups({1, 9}, 2, 8), Contains("weight_bits[1] = 9 outside 1..8"));
    CHECK_THROWS_WITH(fwmac::pack_two_slot_groups({0, 2}, 2, 8), Contains("weight_bits[0] = 0 outside 1..8"));
    CHECK_THROWS_AS(fwmac::pack_two_slot_groups({1, 9}, 2, 8), std::invalid_argument);
}

TEST_CASE("check_packing names the violated constraint", "[row_packing]") {
    using Catch::Matchers::Contains;
    // Valid reference: R = 2, Bmax = 8, bits {8,2,6,4}, one group at T = 10:
    // (8|2) spans 8 + 2, (6|4) spans 6 + 4.
    const std::vector<int> bits{8, 2, 6, 4};
    const std::vector<PackedGroup> good{group(10, {row(0, 1, 2), row(2, 3, 4)})};
    REQUIRE(fwmac::check_packing(good, bits, 2, 8).empty());

    SECTION("missing filter") {
        auto bad = good;
        bad[0].rows[1] = row(2, -1, 4);  // filter 3 dropped, the row stays valid on its own
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("filter 3 is not placed"));
    }
    SECTION("duplicated filter") {
        auto bad = good;
        bad[0].rows[1].second = 1;
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("group 0 row 1: filter 1 duplicated"));
    }
    SECTION("index out of range") {
        auto bad = good;
        bad[0].rows[1].second = 4;
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("filter index 4 outside 0..3"));
    }
    SECTION("slot-0 span too small") {
        auto bad = good;
        bad[0].rows[0].second_span = 3;  // 8-bit filter gets 10 - 3 = 7 planes
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("group 0 row 0: slot-0 span 7"));
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("too small for filter 0 of 8 bits"));
    }
    SECTION("slot-1 span too small") {
        auto bad = good;
        bad[0].rows[1].second_span = 3;  // 4-bit filter gets 3 planes
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8),
                   Contains("group 0 row 1: second_span 3 too small for filter 3 of 4 bits"));
    }
    SECTION("slot-0 span above Bmax") {
        auto bad = good;
        bad[0].rows[0].second_span = 0;  // the 8-bit filter alone in one span of T = 10 planes > 8
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("group 0 row 0: slot-0 span 10"));
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("exceeds max_bits 8"));
    }
    SECTION("second_span above Bmax") {
        const std::vector<PackedGroup> bad{group(12, {row(0, 1, 9), row(2, 3, 4)})};
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("second_span 9 must be 0 or in 2..8"));
    }
    SECTION("second_span of 1") {
        // bits {2,1}, R = 1, T = 3: (2|1) with a 1-plane slot 1 is not allowed.
        const std::vector<PackedGroup> bad{group(3, {row(0, 1, 1)})};
        CHECK_THAT(fwmac::check_packing(bad, {2, 1}, 1, 8), Contains("group 0 row 0: second_span 1 must be 0 or in 2..8"));
        // With span 2 the 2-bit filter would get only one plane: T = 4 is the least valid.
        CHECK_THAT(fwmac::check_packing({group(3, {row(0, 1, 2)})}, {2, 1}, 1, 8), Contains("slot-0 span 1"));
        CHECK(fwmac::check_packing({group(4, {row(0, 1, 2)})}, {2, 1}, 1, 8).empty());
    }
    SECTION("slot-1 filter without a slot-1 span") {
        auto bad = good;
        bad[0].rows[1] = row(2, 3, 0);
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("group 0 row 1: slot-0 span 10"));
        const std::vector<PackedGroup> low{group(8, {row(0, -1, 0), row(2, 3, 0)}), group(8, {row(1, -1, 0), PackedRow{}})};
        CHECK_THAT(fwmac::check_packing(low, bits, 2, 8), Contains("group 0 row 1: second_span 0 too small for filter 3"));
    }
    SECTION("planes above 2 * Bmax") {
        const std::vector<PackedGroup> bad{group(17, {row(0, 1, 8), row(2, 3, 8)})};
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("group 0: planes 17 outside 1..16"));
    }
    SECTION("planes of 0") {
        auto bad = good;
        bad.insert(bad.begin(), group(0, {PackedRow{}, PackedRow{}}));
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("group 0: planes 0 outside 1..16"));
    }
    SECTION("wrong number of rows") {
        auto bad = good;
        bad[0].rows.push_back(PackedRow{});
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("group 0: has 3 rows, expected 2"));
    }
    SECTION("unused row with a slot-1 filter or span") {
        auto bad = good;
        bad[0].rows.push_back(PackedRow{});
        bad[0].rows[2].second = 3;
        bad[0].rows[1].second = -1;
        CHECK_THAT(fwmac::check_packing(bad, bits, 3, 8), Contains("group 0 row 2: second = 3 without a first filter"));
        bad[0].rows[2] = row(-1, -1, 2);
        CHECK_THAT(fwmac::check_packing(bad, bits, 3, 8), Contains("group 0 row 2: unused row has second_span 2"));
    }
    SECTION("groups out of planes order") {
        // bits {8,2,6,4} as (6|4) at T = 10 after [8],[2] at T = 8.
        const std::vector<PackedGroup> bad{group(10, {row(2, 3, 4), PackedRow{}}),
                                           group(8, {row(0, -1, 0), row(1, -1, 0)})};
        CHECK_THAT(fwmac::check_packing(bad, bits, 2, 8), Contains("group 1: planes 8 below group 0's 10"));
        const std::vector<PackedGroup> sorted{bad[1], bad[0]};
        CHECK(fwmac::check_packing(sorted, bits, 2, 8).empty());
    }
}

TEST_CASE("pack_two_slot_groups random properties", "[row_packing]") {
    const std::vector<int> row_choices{1, 2, 3, 4, 7, 8, 16, 64};
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
        std::mt19937_64 rng(seed);
        const int rows = row_choices[rng() % row_choices.size()];
        const int max_bits = 1 + static_cast<int>(rng() % 16);
        const int filters = 1 + static_cast<int>(rng() % 300);
        std::vector<int> bits(static_cast<std::size_t>(filters));
        const int style = static_cast<int>(rng() % 3);
        for (int& b : bits) {
            if (style == 0) {
                b = 1 + static_cast<int>(rng() % max_bits);  // uniform
            } else if (style == 1) {
                b = std::min(max_bits, 1 + static_cast<int>(rng() % 3) + static_cast<int>(rng() % 3));  // narrow
            } else {
                b = rng() % 4 == 0 ? max_bits : 1 + static_cast<int>(rng() % std::max(1, max_bits / 2));  // bimodal
            }
        }
        INFO("seed " << seed << " F " << filters << " R " << rows << " Bmax " << max_bits << " style " << style);
        const auto groups = fwmac::pack_two_slot_groups(bits, rows, max_bits);
        CHECK(fwmac::check_packing(groups, bits, rows, max_bits).empty());
        const int total = fwmac::total_planes(groups);
        CHECK(total <= sorted_single_slot_cost(bits, rows));
        CHECK(total >= lower_bound_planes(bits, rows));
        // Deterministic: the same input gives the same layout.
        const auto again = fwmac::pack_two_slot_groups(bits, rows, max_bits);
        REQUIRE(again.size() == groups.size());
        for (std::size_t g = 0; g < groups.size(); ++g) {
            CHECK(again[g].planes == groups[g].planes);
            for (std::size_t r = 0; r < groups[g].rows.size(); ++r) {
                CHECK(again[g].rows[r].first == groups[g].rows[r].first);
                CHECK(again[g].rows[r].second == groups[g].rows[r].second);
                CHECK(again[g].rows[r].second_span == groups[g].rows[r].second_span);
            }
        }
    }
}

TEST_CASE("pack_two_slot_groups on the largest supported layers", "[row_packing]") {
    // F = 2048 with R = 1 (2048 one-row groups) and R = 64, Bmax = 16: valid and bounded.
    std::mt19937_64 rng(99);
    std::vector<int> bits(2048);
    for (int& b : bits) b = 1 + static_cast<int>(rng() % 16);
    for (int rows : {1, 64}) {
        INFO("R " << rows);
        const auto groups = fwmac::pack_two_slot_groups(bits, rows, 16);
        CHECK(fwmac::check_packing(groups, bits, rows, 16).empty());
        CHECK(fwmac::total_planes(groups) <= sorted_single_slot_cost(bits, rows));
        CHECK(fwmac::total_planes(groups) >= lower_bound_planes(bits, rows));
    }
}

TEST_CASE("pack_two_slot_groups against brute force on tiny layers", "[row_packing]") {
    // Every multiset of F <= 6 widths in 1..Bmax, R in {1, 2, 3}, Bmax in {2, 3, 4}:
    // the packer is exactly optimal on all of them.
    int cases = 0;
    int optimal = 0;
    int worst_gap = 0;
    for (int max_bits = 2; max_bits <= 4; ++max_bits) {
        for (int filters = 1; filters <= 6; ++filters) {
            std::vector<int> bits(static_cast<std::size_t>(filters), 1);
            while (true) {
                for (int rows = 1; rows <= 3; ++rows) {
                    // Interleave the widths so the packer cannot rely on input order.
                    std::vector<int> shuffled = bits;
                    std::rotate(shuffled.begin(), shuffled.begin() + filters / 2, shuffled.end());
                    INFO("Bmax " << max_bits << " R " << rows << " bits " << Catch::Detail::stringify(shuffled));
                    const auto groups = fwmac::pack_two_slot_groups(shuffled, rows, max_bits);
                    REQUIRE(fwmac::check_packing(groups, shuffled, rows, max_bits).empty());
                    const int total = fwmac::total_planes(groups);
                    const int best = brute_force_optimum(shuffled, rows, max_bits);
                    CHECK(total == best);
                    ++cases;
                    if (total == best) ++optimal;
                    worst_gap = std::max(worst_gap, total - best);
                }
                // Next non-decreasing vector (multiset) of widths.
                int i = filters - 1;
                while (i >= 0 && bits[i] == max_bits) --i;
                if (i < 0) break;
                const int next = bits[i] + 1;
                for (int j = i; j < filters; ++j) bits[j] = next;
            }
        }
    }
    // Larger random layers, F = 7..9, R in 2..4, Bmax in 2..6: within one plane.
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        std::mt19937_64 rng(seed);
        const int max_bits = 2 + static_cast<int>(rng() % 5);
        const int rows = 2 + static_cast<int>(rng() % 3);
        std::vector<int> bits(7 + rng() % 3);
        for (int& b : bits) b = 1 + static_cast<int>(rng() % max_bits);
        INFO("seed " << seed << " Bmax " << max_bits << " R " << rows << " bits " << Catch::Detail::stringify(bits));
        const auto groups = fwmac::pack_two_slot_groups(bits, rows, max_bits);
        REQUIRE(fwmac::check_packing(groups, bits, rows, max_bits).empty());
        const int total = fwmac::total_planes(groups);
        const int best = brute_force_optimum(bits, rows, max_bits);
        CHECK(total >= best);
        CHECK(total <= best + 1);
        ++cases;
        if (total == best) ++optimal;
        worst_gap = std::max(worst_gap, total - best);
    }
    WARN("row packing vs brute force: optimal in " << optimal << " of " << cases << " cases, worst gap " << worst_gap
                                                   << " planes");
}

TEST_CASE("row packing quality on realistic widths", "[.row_packing_quality]") {
    // Average total / ceil(sum / R) over 50 seeded layers per F, R = 16, Bmax = 8, with
    // the single-slot ratio for comparison and the slowest call.
    for (int filters : {64, 128, 256, 512}) {
        double ratio = 0.0;
        double single_ratio = 0.0;
        double slowest_ms = 0.0;
        const int trials = 50;
        for (int seed = 1; seed <= trials; ++seed) {
            std::mt19937_64 rng(static_cast<std::uint64_t>(seed) * 1000 + filters);
            const std::vector<int> bits = realistic_bits(rng, filters);
            const auto start = std::chrono::steady_clock::now();
            const auto groups = fwmac::pack_two_slot_groups(bits, 16, 8);
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            slowest_ms = std::max(slowest_ms, ms);
            REQUIRE(fwmac::check_packing(groups, bits, 16, 8).empty());
            const double bound = lower_bound_planes(bits, 16);
            ratio += fwmac::total_planes(groups) / bound;
            single_ratio += sorted_single_slot_cost(bits, 16) / bound;
        }
        WARN("F " << filters << " R 16 Bmax 8: two-slot total / bound " << ratio / trials << ", single slot "
                  << single_ratio / trials << ", slowest call " << slowest_ms << " ms");
    }
}
