// Filter-wise schedule of one GEMM layer on the array, and its exact cycle model.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/shape.hpp"

namespace fwmac {

enum class FilterOrder {
    by_bits,   // stable sort by b_f, groups cut from the widest: minimal sum of group maxima;
               // with row_slots = 2, filters packed two to a row where that saves planes
    original,  // filters in layer order, one per row (the "unsorted" baseline)
};

// An empty slot or a padding row of a partial group.
constexpr int kNoFilter = -1;

struct RowGroup {
    // Virtual row v = row * row_slots + slot runs filters[v]: an original filter index or
    // kNoFilter; at most R * row_slots entries (missing ones are padding).
    std::vector<int> filters;
    // row_slots = 2: per row (R entries), the span of its second filter, the last planes
    // of every chunk (0: the row is one span of all planes); empty with row_slots = 1.
    std::vector<int> second_spans;
    int planes = 0;  // b_g: bit-planes every chunk runs (the max b_f over the group with one
                     // slot per row; 1 on the bit-parallel array: one cycle per chunk)
};

// Planes virtual row v's filter is issued in per chunk: the whole b_g with one slot; with
// two, the second span (slot 1) or b_g minus it (slot 0).
int slot_span(const RowGroup& group, int virtual_row, int row_slots);

struct Tile {
    int group = 0;
    int pixel_start = 0;
    int pixel_count = 0;  // at most C; missing columns get zero activations
};

struct Schedule {
    ArrayShape shape;
    int depth = 0;   // K
    int pixels = 0;  // P
    int chunks = 0;  // ceil(K / L): K is zero-padded to whole chunks
    std::vector<RowGroup> groups;
    std::vector<Tile> tiles;  // issue order: group-major, then pixel tiles
};

// On a bit-parallel array (shape.architecture) every group has planes = 1 and the
// filters stay in layer order whatever `order` says: cycles do not depend on b_f.
Schedule make_schedule(const std::vector<int>& weight_bits, int depth, int pixels, const ArrayShape& shape,
                       FilterOrder order = FilterOrder::by_bits);

// Cycles tile `tile_index` spends issuing bit-planes: chunks * b_g (chunks on a bit-parallel array).
std::uint64_t tile_issue_cycles(const Schedule& schedule, std::size_t tile_index);

// Whether some row of the group holds a second filter (a nonzero second span).
bool has_second_filters(const RowGroup& group);
// Rows tile `tile_index` drains: R; with row_slots = 2, 2R virtual rows when its group
// has a second filter anywhere, else the R slot-0 rows.
std::uint64_t tile_drain_rows(const Schedule& schedule, std::size_t tile_index);
// Cycles tile `tile_index` occupies the drain chains: G * V_i rows' groups + 1 to become
// free; a following tile shorter than this stalls the array.
std::uint64_t tile_drain_cycles(const Schedule& schedule, std::size_t tile_index);

// Exact cycle count of the RTL with an always-ready environment (every input
// stream valid, output always ready), counted from the cycle the first tile
// command is presented after reset to the cycle of the last output beat, inclusive.
//
// With n_i = chunks * b_g of tile i, V_i = tile_drain_rows of tile i (R; 2R for a
// two-slot tile with second filters), G = drain_groups (ceil(C / requant units)),
// S = requant_stages and D = pipeline_depth (1 + tree register stages, + 1 for the
// bit-serial partial-sum stage):
//   total = (n_0 + D) + sum_{i>=1} max(n_i, G * V_{i-1} + 1) + (G * V_last + S + 2)
// - 1 cycle to accept the first command, then planes issue back to back across
//   tiles (the next command is taken with the last plane of the current tile);
// - D cycles from a chunk's last plane's issue to its accumulator commit;
// - a finished tile moves into the column drain chains in the cycle of its final
//   commit; the drain requantizes a row per G cycles, so the chains need G * V_i
//   cycles to empty plus one to become free, and a tile shorter than G * V_{i-1} + 1
//   cycles stalls the array for the difference;
// - the last tile's last row leaves the chains G * V_last cycles after its hand-over,
//   passes S requant stages and the output register, + 1 for counting the first cycle
//   as cycle 0.
// The bit-parallel array runs the same control with b_g = 1, so n_i = chunks: its
// cycles are proportional to K / L and independent of the weight bits.
struct CycleReport {
    std::uint64_t total = 0;
    std::uint64_t issue = 0;          // sum_i n_i: cycles doing bit-plane work
    std::uint64_t drain_stall = 0;    // sum_{i>=1} max(0, G * V_{i-1} + 1 - n_i)
    std::uint64_t fixed_overhead = 0; // D + G * V_last + S + 2: fill and final drain
    double ideal_bound = 0.0;         // sum_f K * P * b_f / (R * C * L); bit-parallel: F * K * P / (R * C * L)
};

CycleReport predict_cycles(const Schedule& schedule, const std::vector<int>& weight_bits);

}  // namespace fwmac
