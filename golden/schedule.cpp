#include "golden/schedule.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "golden/row_packing.hpp"

namespace fwmac {
namespace {

// Two filters per row where that saves planes (pack_two_slot_groups never does worse
// than the sorted single-slot groups), in the virtual-row layout of RowGroup.
std::vector<RowGroup> two_slot_groups(const std::vector<int>& weight_bits, const ArrayShape& shape) {
    const std::vector<PackedGroup> packed = pack_two_slot_groups(weight_bits, shape.rows, shape.max_weight_bits);
    const std::string problem = check_packing(packed, weight_bits, shape.rows, shape.max_weight_bits);
    if (!problem.empty()) throw std::logic_error("make_schedule: invalid two-slot packing: " + problem);
    std::vector<RowGroup> groups;
    for (const PackedGroup& packed_group : packed) {
        RowGroup group;
        group.planes = packed_group.planes;
        for (const PackedRow& row : packed_group.rows) {
            group.filters.push_back(row.first);
            group.filters.push_back(row.second);
            group.second_spans.push_back(row.second_span);
        }
        groups.push_back(std::move(group));
    }
    return groups;
}

// One filter per row (slot 1 empty and span 0 with row_slots = 2).
RowGroup single_slot_group(const std::vector<int>& members, const std::vector<int>& weight_bits,
                           const ArrayShape& shape) {
    RowGroup group;
    for (int filter : members) {
        group.filters.push_back(filter);
        if (shape.row_slots == 2) {
            group.filters.push_back(kNoFilter);
            group.second_spans.push_back(0);
        }
        group.planes = std::max(group.planes, is_bit_parallel(shape) ? 1 : weight_bits[filter]);
    }
    if (shape.row_slots == 2) group.second_spans.resize(static_cast<std::size_t>(shape.rows), 0);  // padding rows
    return group;
}

// Tiles run group-major; each group covers the P pixels in C-wide tiles.
void add_pixel_tiles(Schedule& schedule) {
    for (int g = 0; g < static_cast<int>(schedule.groups.size()); ++g) {
        for (int start = 0; start < schedule.pixels; start += schedule.shape.cols) {
            schedule.tiles.push_back(Tile{g, start, std::min(schedule.shape.cols, schedule.pixels - start)});
        }
    }
}

}  // namespace

int slot_span(const RowGroup& group, int virtual_row, int row_slots) {
    if (row_slots == 1) return group.planes;
    const int second = group.second_spans.at(static_cast<std::size_t>(virtual_row / 2));
    return virtual_row % 2 == 1 ? second : group.planes - second;
}

Schedule make_schedule(const std::vector<int>& weight_bits, int depth, int pixels, const ArrayShape& shape,
                       FilterOrder order) {
    if (weight_bits.empty() || depth < 1 || pixels < 1) {
        throw std::invalid_argument("make_schedule: a layer needs at least one filter, K >= 1 and P >= 1");
    }
    if (shape.row_slots != 1 && (shape.row_slots != 2 || is_bit_parallel(shape))) {
        throw std::invalid_argument("make_schedule: row_slots must be 1, or 2 on the bit-serial array");
    }
    Schedule schedule;
    schedule.shape = shape;
    schedule.depth = depth;
    schedule.pixels = pixels;
    schedule.chunks = (depth + shape.lanes - 1) / shape.lanes;

    // The bit-parallel array multiplies whole weights: every chunk takes one cycle
    // whatever b_f is, so sorting gains nothing and the layer order is kept.
    const bool bit_parallel = is_bit_parallel(shape);
    if (bit_parallel) order = FilterOrder::original;
    std::vector<int> filter_order(weight_bits.size());
    std::iota(filter_order.begin(), filter_order.end(), 0);
    if (order == FilterOrder::by_bits) {
        std::stable_sort(filter_order.begin(), filter_order.end(),
                         [&](int a, int b) { return weight_bits[a] < weight_bits[b]; });
    }
    // Sorted groups are cut from the widest filters down, so every group but the
    // narrowest is full: the g-th largest group maximum is then the (g*R+1)-th widest
    // filter, the least any partition into ceil(F/R) groups can achieve. Groups issue
    // narrowest first. In layer order the last group is the partial one.
    const std::size_t rows = static_cast<std::size_t>(shape.rows);
    const std::size_t partial = order == FilterOrder::by_bits ? filter_order.size() % rows : 0;
    std::size_t first = 0;
    while (first < filter_order.size()) {
        const std::size_t size = (first == 0 && partial != 0) ? partial : std::min(rows, filter_order.size() - first);
        const std::vector<int> members(filter_order.begin() + static_cast<std::ptrdiff_t>(first),
                                       filter_order.begin() + static_cast<std::ptrdiff_t>(first + size));
        schedule.groups.push_back(single_slot_group(members, weight_bits, shape));
        first += size;
    }
    add_pixel_tiles(schedule);
    if (order != FilterOrder::by_bits || shape.row_slots != 2) return schedule;

    // Two slots: the packed groups issue fewer planes, but their tiles drain 2R rows, so
    // on layers with short tiles (small K) the sorted one-filter rows (R drained rows)
    // can still be faster. Keep whichever the cycle model prefers (ties: fewer planes).
    Schedule packed = schedule;
    packed.groups = two_slot_groups(weight_bits, shape);
    packed.tiles.clear();
    add_pixel_tiles(packed);
    const CycleReport sorted_cycles = predict_cycles(schedule, weight_bits);
    const CycleReport packed_cycles = predict_cycles(packed, weight_bits);
    const bool packed_better =
        packed_cycles.total < sorted_cycles.total ||
        (packed_cycles.total == sorted_cycles.total && packed_cycles.issue < sorted_cycles.issue);
    return packed_better ? packed : schedule;
}

std::uint64_t tile_issue_cycles(const Schedule& schedule, std::size_t tile_index) {
    const Tile& tile = schedule.tiles.at(tile_index);
    return static_cast<std::uint64_t>(schedule.chunks) *
           static_cast<std::uint64_t>(schedule.groups.at(tile.group).planes);
}

bool has_second_filters(const RowGroup& group) {
    return std::any_of(group.second_spans.begin(), group.second_spans.end(), [](int span) { return span != 0; });
}

std::uint64_t tile_drain_rows(const Schedule& schedule, std::size_t tile_index) {
    const RowGroup& group = schedule.groups.at(schedule.tiles.at(tile_index).group);
    const auto rows = static_cast<std::uint64_t>(schedule.shape.rows);
    return schedule.shape.row_slots == 2 && has_second_filters(group) ? 2 * rows : rows;
}

std::uint64_t tile_drain_cycles(const Schedule& schedule, std::size_t tile_index) {
    return static_cast<std::uint64_t>(drain_groups(schedule.shape)) * tile_drain_rows(schedule, tile_index) + 1;
}

CycleReport predict_cycles(const Schedule& schedule, const std::vector<int>& weight_bits) {
    const ArrayShape& shape = schedule.shape;
    CycleReport report;
    // the last tile: its rows' groups, the requant stages, the output register, cycle 0
    const std::uint64_t last_drain = schedule.tiles.empty() ? 0 : tile_drain_cycles(schedule, schedule.tiles.size() - 1);
    report.fixed_overhead = static_cast<std::uint64_t>(pipeline_depth(shape) + shape.requant_stages) + last_drain + 1;
    for (std::size_t i = 0; i < schedule.tiles.size(); ++i) {
        const std::uint64_t issue = tile_issue_cycles(schedule, i);
        report.issue += issue;
        if (i == 0) continue;
        const std::uint64_t previous_drain = tile_drain_cycles(schedule, i - 1);
        if (issue < previous_drain) report.drain_stall += previous_drain - issue;
    }
    report.total = report.issue + report.drain_stall + report.fixed_overhead;

    // Cycles per filter and chunk of L: b_f planes bit-serially, one bit-parallel.
    double bit_sum = 0.0;
    for (int bits : weight_bits) bit_sum += is_bit_parallel(shape) ? 1 : bits;
    report.ideal_bound = bit_sum * schedule.depth * schedule.pixels /
                         (static_cast<double>(shape.rows) * shape.cols * shape.lanes);
    return report;
}

}  // namespace fwmac
