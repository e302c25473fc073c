#include "golden/shape.hpp"

#include <algorithm>

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
    if (is_bit_parallel(shape)) return 0;
    const auto dot_max = lane_term_range(shape).max_value * shape.lanes;
    const std::int64_t weight_magnitude = std::int64_t{1} << (shape.max_weight_bits - 1);
    // fwmac_pe_acc forms -dot and 2p + dot in PARTIAL_W bits and needs PARTIAL_W > DOT_W; the
    // exact range gives that for every shape but Bmax = 1 with dot_max a power of two
    // (e.g. L = 1, A = 1: p in -1..0 fits one signed bit, as does the dot product 0..1)
    return std::max(signed_bits_for(-weight_magnitude * dot_max, (weight_magnitude - 1) * dot_max),
                    dot_width(shape) + 1);
}

int weight_lane_bits(const ArrayShape& shape) { return is_bit_parallel(shape) ? shape.max_weight_bits : 1; }

int weight_beat_width(const ArrayShape& shape) { return shape.rows * shape.lanes * weight_lane_bits(shape); }

int acc_width(const ArrayShape& shape) {
    const std::int64_t max_act = (std::int64_t{1} << shape.act_bits) - 1;
    const std::int64_t weight_magnitude = std::int64_t{1} << (shape.max_weight_bits - 1);
    const std::int64_t terms = shape.k_max;
    const int exact = signed_bits_for(-weight_magnitude * max_act * terms, (weight_magnitude - 1) * max_act * terms);
    return std::max(exact, shape.act_bits + 2);
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

int requant_unit_count(const ArrayShape& shape) {
    return shape.requant_units > 0 ? shape.requant_units : (shape.cols + 3) / 4;
}

int drain_groups(const ArrayShape& shape) {
    const int units = requant_unit_count(shape);
    return (shape.cols + units - 1) / units;
}

int output_width(const ArrayShape& shape) { return shape.raw_outputs ? acc_width(shape) : shape.act_bits; }

std::uint64_t output_field(std::int64_t value, const ArrayShape& shape) {
    const int width = output_width(shape);
    return static_cast<std::uint64_t>(value) & (width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1);
}

int requant_register_bits(const ArrayShape& shape) {
    const int acc = acc_width(shape);
    const int a = shape.act_bits;
    const int t = acc + 1, q = t + 2, r = t + 4, s = t + 8, p = t + 16;
    const int raw_high = shape.raw_outputs ? acc - a - 1 : 0;
    const int widths[9] = {t + 24,         t + q + 24,          8 * q + 8,    4 * r + 8,       2 * s + 8,
                           p + 17,         (a + 9) + 7 + raw_high + 17, (a + 2) + 4 + raw_high, output_width(shape)};
    static const unsigned cut_table[10] = {0x000, 0x010, 0x048, 0x052, 0x0aa, 0x0da, 0x0ee, 0x0fe, 0x0ff, 0x1ff};
    int bits = 0;
    for (int cut = 0; cut < 9; ++cut) {
        if ((cut_table[shape.requant_stages] >> cut) & 1u) bits += widths[cut];
    }
    return bits;
}

int pipeline_depth(const ArrayShape& shape) { return 1 + tree_latency(shape) + (is_bit_parallel(shape) ? 0 : 1); }

}  // namespace fwmac
