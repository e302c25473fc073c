#include "golden/performance.hpp"

#include <cmath>

namespace fwmac {
namespace {

// MAC-and-bits weighted mean of a per-layer factor (weights = ideal bound cycles).
struct WeightedMean {
    double sum = 0.0, weight = 0.0;
    void add(double value, double w) { sum += value * w; weight += w; }
    double mean() const { return weight > 0.0 ? sum / weight : 1.0; }
};

void add_cycles(CycleReport& total, const CycleReport& part) {
    total.total += part.total;
    total.issue += part.issue;
    total.drain_stall += part.drain_stall;
    total.fixed_overhead += part.fixed_overhead;
    total.ideal_bound += part.ideal_bound;
}

}  // namespace

double LayerPerformance::utilisation(const ArrayShape& shape) const {
    const double offered = static_cast<double>(sorted.total) * shape.rows * shape.cols * shape.lanes;
    return sorted.ideal_bound * shape.rows * shape.cols * shape.lanes / offered;
}

LayerPerformance layer_performance(const std::vector<int>& weight_bits, int depth, int pixels,
                                   const ArrayShape& shape) {
    LayerPerformance performance;
    double bit_sum = 0.0;
    for (int bits : weight_bits) bit_sum += bits;
    performance.average_bits = bit_sum / static_cast<double>(weight_bits.size());
    performance.macs = static_cast<std::uint64_t>(weight_bits.size()) * depth * pixels;
    const Schedule sorted = make_schedule(weight_bits, depth, pixels, shape, FilterOrder::by_bits);
    performance.tiles = sorted.tiles.size();
    double group_planes = 0.0;
    for (const RowGroup& group : sorted.groups) group_planes += group.planes;
    performance.row_factor = shape.rows * group_planes / bit_sum;
    const double pixel_tiles = static_cast<double>(sorted.tiles.size()) / static_cast<double>(sorted.groups.size());
    performance.column_factor = pixel_tiles * shape.cols / pixels;
    performance.lane_factor = static_cast<double>(sorted.chunks) * shape.lanes / depth;
    const double bound_bits = is_bit_parallel(shape) ? static_cast<double>(weight_bits.size()) : bit_sum;
    performance.array_bound = static_cast<double>(sorted.chunks) * pixel_tiles * std::ceil(bound_bits / shape.rows);
    performance.sorted = predict_cycles(sorted, weight_bits);
    performance.unsorted =
        predict_cycles(make_schedule(weight_bits, depth, pixels, shape, FilterOrder::original), weight_bits);
    const std::vector<int> all_bmax(weight_bits.size(), shape.max_weight_bits);
    performance.all_bmax = predict_cycles(make_schedule(all_bmax, depth, pixels, shape), all_bmax);
    const ArrayShape parallel_shape = with_architecture(shape, Architecture::bit_parallel);
    performance.bit_parallel =
        predict_cycles(make_schedule(weight_bits, depth, pixels, parallel_shape), weight_bits);
    return performance;
}

LayerPerformance total_performance(const std::vector<LayerPerformance>& layers) {
    LayerPerformance total;
    double weighted_bits = 0.0;
    WeightedMean rows, columns, lanes;
    for (const LayerPerformance& layer : layers) {
        rows.add(layer.row_factor, layer.sorted.ideal_bound);
        columns.add(layer.column_factor, layer.sorted.ideal_bound * layer.row_factor);
        lanes.add(layer.lane_factor, layer.sorted.ideal_bound * layer.row_factor * layer.column_factor);
        total.macs += layer.macs;
        total.tiles += layer.tiles;
        total.array_bound += layer.array_bound;
        weighted_bits += layer.average_bits * static_cast<double>(layer.macs);
        add_cycles(total.sorted, layer.sorted);
        add_cycles(total.unsorted, layer.unsorted);
        add_cycles(total.all_bmax, layer.all_bmax);
        add_cycles(total.bit_parallel, layer.bit_parallel);
    }
    total.row_factor = rows.mean();
    total.column_factor = columns.mean();
    total.lane_factor = lanes.mean();
    total.average_bits = total.macs ? weighted_bits / static_cast<double>(total.macs) : 0.0;
    return total;
}

}  // namespace fwmac
