#include "golden/layer.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace fwmac {
namespace {

// The message is built only on failure: layers hold millions of values.
template <typename Message>
void require(bool condition, Message&& message) {
    if (!condition) throw std::invalid_argument(message());
}

void validate_sizes(const GemmLayer& layer, const ArrayShape& shape) {
    require(layer.filters >= 1, [&] { return fmt::format("layer.filters = {}: must be >= 1", layer.filters); });
    require(layer.pixels >= 1, [&] { return fmt::format("layer.pixels = {}: must be >= 1", layer.pixels); });
    require(layer.depth >= 1 && layer.depth <= shape.k_max, [&] {
        return fmt::format("layer.depth (K) = {}: allowed range 1..{} (k_max of the array)", layer.depth, shape.k_max);
    });
    const auto filters = static_cast<std::size_t>(layer.filters);
    require(layer.weight_bits.size() == filters, [&] {
        return fmt::format("layer.weight_bits has {} entries, expected {} (one per filter)", layer.weight_bits.size(),
                           filters);
    });
    require(layer.requant.size() == filters, [&] {
        return fmt::format("layer.requant has {} entries, expected {} (one per filter)", layer.requant.size(), filters);
    });
    require(layer.weights.size() == filters * layer.depth, [&] {
        return fmt::format("layer.weights has {} entries, expected F*K = {}", layer.weights.size(),
                           filters * layer.depth);
    });
    require(layer.activations.size() == static_cast<std::size_t>(layer.depth) * layer.pixels, [&] {
        return fmt::format("layer.activations has {} entries, expected K*P = {}", layer.activations.size(),
                           static_cast<std::size_t>(layer.depth) * layer.pixels);
    });
}

void validate_filter(const GemmLayer& layer, const ArrayShape& shape, int filter) {
    const int bits = layer.weight_bits[filter];
    require(bits >= 1 && bits <= shape.max_weight_bits, [&] {
        return fmt::format("layer.weight_bits[{}] = {}: allowed range 1..{} (max_weight_bits)", filter, bits,
                           shape.max_weight_bits);
    });
    for (int k = 0; k < layer.depth; ++k) {
        const std::int64_t w = layer.weight(filter, k);
        require(w >= min_weight(bits) && w <= max_weight(bits), [&] {
            return fmt::format("layer.weights[{}][{}] = {}: does not fit the filter's {} bits (range {}..{})", filter,
                               k, w, bits, min_weight(bits), max_weight(bits));
        });
    }
    const RequantParams& params = layer.requant[filter];
    const int acc_bits = acc_width(shape);
    const std::int64_t bias_limit = std::int64_t{1} << (acc_bits - 1);
    require(params.bias >= -bias_limit && params.bias < bias_limit, [&] {
        return fmt::format("layer.requant[{}].bias = {}: allowed range {}..{} (ACC_W = {} bits)", filter, params.bias,
                           -bias_limit, bias_limit - 1, acc_bits);
    });
    require(params.mult < (1u << kMultBits), [&] {
        return fmt::format("layer.requant[{}].mult = {}: allowed range 0..{}", filter, params.mult,
                           (1u << kMultBits) - 1);
    });
    require(params.shift >= 0 && params.shift <= kMaxShift, [&] {
        return fmt::format("layer.requant[{}].shift = {}: allowed range 0..{}", filter, params.shift, kMaxShift);
    });
}

}  // namespace

void validate_layer(const GemmLayer& layer, const ArrayShape& shape) {
    validate_sizes(layer, shape);
    require(!layer.mode.raw || shape.raw_outputs, [] {
        return std::string("layer.output = raw: the design's y stream carries requantized A-bit values only "
                           "(generate it with config.raw_outputs = true for raw accumulators)");
    });
    for (int f = 0; f < layer.filters; ++f) validate_filter(layer, shape, f);
    const std::int64_t max_act = (std::int64_t{1} << shape.act_bits) - 1;
    for (std::size_t i = 0; i < layer.activations.size(); ++i) {
        const std::int64_t a = layer.activations[i];
        require(a >= 0 && a <= max_act, [&] {
            return fmt::format("layer.activations[k={}][p={}] = {}: allowed range 0..{} (act_bits = {})",
                               i / layer.pixels, i % layer.pixels, a, max_act, shape.act_bits);
        });
    }
}

std::vector<std::int64_t> direct_accumulators(const GemmLayer& layer) {
    std::vector<std::int64_t> acc(static_cast<std::size_t>(layer.filters) * layer.pixels, 0);
    for (int f = 0; f < layer.filters; ++f) {
        for (int k = 0; k < layer.depth; ++k) {
            const std::int64_t w = layer.weight(f, k);
            for (int p = 0; p < layer.pixels; ++p) {
                acc[static_cast<std::size_t>(f) * layer.pixels + p] += w * layer.activation(k, p);
            }
        }
    }
    return acc;
}

}  // namespace fwmac
