#include "golden/shape.hpp"

namespace fwmac {

const char* architecture_name(Architecture architecture) {
    return architecture == Architecture::bit_parallel ? "bit_parallel" : "bit_serial";
}

int clog2(std::uint64_t n) {
    int bits = 0;
    while ((std::uint64_t{1} << bits) < n) ++bits;
    return bits;
}

int bits_for(std::uint64_t max_value) {
    int bits = 1;
    while (bits < 64 && (max_value >> bits) != 0) ++bits;
    return bits;
}

int signed_bits_for(std::int64_t min_value, std::int64_t max_value) {
    int bits = 1;
    auto fits = [&](int width) {
        const std::int64_t half = std::int64_t{1} << (width - 1);
        return min_value >= -half && max_value <= half - 1;
    };
    while (bits < 63 && !fits(bits)) ++bits;
    return bits;
}

int tree_levels(const ArrayShape& shape) { return clog2(static_cast<std::uint64_t>(shape.lanes)); }

int tree_latency(const ArrayShape& shape) {
    if (shape.tree_register_every <= 0) return 0;
    return tree_levels(shape) / shape.tree_register_every;
}

ValueRange lane_term_range(const ArrayShape& shape) {
    const std::int64_t max_act = (std::int64_t{1} << shape.act_bits) - 1;
    if (!is_bit_parallel(shape)) return ValueRange{0, max_act};
    const std::int64_t weight_magnitude = std::int64_t{1} << (shape.max_weight_bits - 1);
    return ValueRange{-weight_magnitude * max_act, (weight_magnitude - 1) * max_act};
}

int lane_term_width(const ArrayShape& shape) {
    const ValueRange range = lane_term_range(shape);
    return is_bit_parallel(shape) ? signed_bits_for(range.min_value, range.max_value)
                                  : bits_for(static_cast<std::uint64_t>(range.max_value));
}

int dot_width(const ArrayShape& shape) {
    const ValueRange range = lane_term_range(shape);
    if (!is_bit_parallel(shape)) return bits_for(static_cast<std::uint64_t>(range.max_value) * shape.lanes);
    return signed_bits_for(range.min_value * shape.lanes, range.max_value * shape.lanes);
}

int partial_width(const ArrayShape& shape) {
    return is_bit_parallel(shape) ? 0 : dot_width(shape) + shape.max_weight_bits;
}

int weight_lane_bits(const ArrayShape& shape) { return is_bit_parallel(shape) ? shape.max_weight_bits : 1; }

int weight_beat_width(const ArrayShape& shape) { return shape.rows * shape.lanes * weight_lane_bits(shape); }

int acc_width(const ArrayShape& shape) {
    return clog2(static_cast<std::uint64_t>(shape.k_max)) + shape.act_bits + shape.max_weight_bits + 1;
}

int max_chunks(const ArrayShape& shape) { return (shape.k_max + shape.lanes - 1) / shape.lanes; }

int chunk_count_width(const ArrayShape& shape) {
    return bits_for(static_cast<std::uint64_t>(max_chunks(shape)));
}

int plane_count_width(const ArrayShape& shape) {
    if (is_bit_parallel(shape)) return 1;
    return bits_for(static_cast<std::uint64_t>(max_tile_planes(shape)));
}

ArrayShape with_architecture(ArrayShape shape, Architecture architecture) {
    shape.architecture = architecture;
    if (architecture == Architecture::bit_parallel) shape.row_slots = 1;
    return shape;
}

int max_tile_planes(const ArrayShape& shape) {
    return is_bit_parallel(shape) ? 1 : shape.max_weight_bits * shape.row_slots;
}

int span_width(const ArrayShape& shape) { return bits_for(static_cast<std::uint64_t>(shape.max_weight_bits)); }

int drain_rows(const ArrayShape& shape) { return shape.rows * shape.row_slots; }

int param_width(const ArrayShape& shape) { return acc_width(shape) + kMultBits + kShiftBits; }

int pipeline_depth(const ArrayShape& shape) { return 1 + tree_latency(shape); }

}  // namespace fwmac
