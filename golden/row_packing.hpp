// Two-slot row packing: each array row may run two filters one after the other inside
// every chunk, so a group's plane count T is set by the widest *pair* of a row rather
// than by its widest filter. Narrow filters then share rows and a layer can approach
// its lower bound ceil(sum(bits) / R) planes per chunk.
//
// Hardware rules (per group of R rows, T planes every chunk):
// - a row runs its slot-0 filter for T - second_span planes, then its slot-1 filter
//   for second_span planes; a filter of b bits accepts any span >= b (sign extension);
// - every span is <= max_bits (the partial-sum width), a non-empty slot-1 span is >= 2,
//   and T <= 2 * max_bits.
#pragma once

#include <string>
#include <vector>

namespace fwmac {

// One row of a two-slot group: up to two filters share the row's T planes of every chunk.
struct PackedRow {
    int first = -1;       // filter in slot 0 (its planes issue first); -1: row unused
    int second = -1;      // filter in slot 1; -1: none (slot 1 may still hold an empty span)
    int second_span = 0;  // planes of slot 1; 0: the row is one span of T planes
};

struct PackedGroup {
    int planes = 0;               // T: planes per chunk for every row of the group
    std::vector<PackedRow> rows;  // exactly `rows` entries
};

// Packs the filters into groups of `rows` rows, minimising total_planes. Never worse
// than the sorted single-slot layout (sort by bits, cut into groups of `rows`).
// Deterministic. Groups are returned in order of non-decreasing planes.
// Throws std::invalid_argument (message naming the argument and its allowed range) if
// weight_bits is empty, any bits outside 1..max_bits, rows < 1, or max_bits outside 1..32.
std::vector<PackedGroup> pack_two_slot_groups(const std::vector<int>& weight_bits, int rows, int max_bits);

// Sum of planes over the groups (the cost to minimise).
int total_planes(const std::vector<PackedGroup>& groups);

// Empty string when `groups` is a valid packing of weight_bits (every constraint below),
// else a message naming the first violated constraint (group, row). Used by tests and
// by make_schedule as a self-check.
// - every filter 0..F-1 appears exactly once (as first or second of some row);
// - each group has exactly `rows` rows and 1 <= planes <= 2 * max_bits, and groups are
//   in order of non-decreasing planes;
// - an unused row (first == -1) has second == -1 and second_span == 0;
// - a used row has bits[first] <= planes - second_span <= max_bits;
// - second_span is 0 or in 2..max_bits, and >= max(bits[second], 2) when second != -1.
std::string check_packing(const std::vector<PackedGroup>& groups, const std::vector<int>& weight_bits, int rows,
                          int max_bits);

}  // namespace fwmac
