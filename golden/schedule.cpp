#include "golden/schedule.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace fwmac {

Schedule make_schedule(const std::vector<int>& weight_bits, int depth, int pixels, const ArrayShape& shape,
                       FilterOrder order) {
    if (weight_bits.empty() || depth < 1 || pixels < 1) {
        throw std::invalid_argument("make_schedule: a layer needs at least one filter, K >= 1 and P >= 1");
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
        const std::size_t size =
            (first == 0 && partial != 0) ? partial : std::min(rows, filter_order.size() - first);
        RowGroup group;
        for (std::size_t i = first; i < first + size; ++i) {
            group.filters.push_back(filter_order[i]);
            group.planes = std::max(group.planes, bit_parallel ? 1 : weight_bits[filter_order[i]]);
        }
        schedule.groups.push_back(std::move(group));
        first += size;
    }
    for (int g = 0; g < static_cast<int>(schedule.groups.size()); ++g) {
        for (int start = 0; start < pixels; start += shape.cols) {
            schedule.tiles.push_back(Tile{g, start, std::min(shape.cols, pixels - start)});
        }
    }
    return schedule;
}

std::uint64_t tile_issue_cycles(const Schedule& schedule, std::size_t tile_index) {
    const Tile& tile = schedule.tiles.at(tile_index);
    return static_cast<std::uint64_t>(schedule.chunks) *
           static_cast<std::uint64_t>(schedule.groups.at(tile.group).planes);
}

CycleReport predict_cycles(const Schedule& schedule, const std::vector<int>& weight_bits) {
    const ArrayShape& shape = schedule.shape;
    const auto rows = static_cast<std::uint64_t>(shape.rows);
    CycleReport report;
    report.fixed_overhead = static_cast<std::uint64_t>(pipeline_depth(shape)) + rows + 2;
    for (std::size_t i = 0; i < schedule.tiles.size(); ++i) {
        const std::uint64_t issue = tile_issue_cycles(schedule, i);
        report.issue += issue;
        if (i > 0 && issue < rows + 1) report.drain_stall += rows + 1 - issue;
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
