#include "golden/shape.hpp"

namespace fwmac {

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

int tree_levels(const ArrayShape& shape) { return clog2(static_cast<std::uint64_t>(shape.lanes)); }

int tree_latency(const ArrayShape& shape) {
    if (shape.tree_register_every <= 0) return 0;
    return tree_levels(shape) / shape.tree_register_every;
}

int dot_width(const ArrayShape& shape) {
    const std::uint64_t max_act = (std::uint64_t{1} << shape.act_bits) - 1;
    return bits_for(max_act * static_cast<std::uint64_t>(shape.lanes));
}

int partial_width(const ArrayShape& shape) { return dot_width(shape) + shape.max_weight_bits; }

int acc_width(const ArrayShape& shape) {
    return clog2(static_cast<std::uint64_t>(shape.k_max)) + shape.act_bits + shape.max_weight_bits + 1;
}

int max_chunks(const ArrayShape& shape) { return (shape.k_max + shape.lanes - 1) / shape.lanes; }

int chunk_count_width(const ArrayShape& shape) {
    return bits_for(static_cast<std::uint64_t>(max_chunks(shape)));
}

int plane_count_width(const ArrayShape& shape) {
    return bits_for(static_cast<std::uint64_t>(shape.max_weight_bits));
}

int param_width(const ArrayShape& shape) { return acc_width(shape) + kMultBits + kShiftBits; }

int pipeline_depth(const ArrayShape& shape) { return 1 + tree_latency(shape); }

}  // namespace fwmac
