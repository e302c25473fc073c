#include "compiler/workload.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace fwmac {
namespace {

using Rng = std::mt19937_64;

std::int64_t uniform(Rng& rng, std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(rng);
}

// Requant parameters that map a typical accumulator magnitude onto the A-bit range:
// a 16-bit multiplier in the upper half of its range and the shift that divides
// the product back down.
RequantParams fitted_requant(Rng& rng, const ArrayShape& shape, int depth, int weight_bits) {
    const double typical = std::sqrt(static_cast<double>(depth)) *
                           std::ldexp(1.0, shape.act_bits - 1) * std::ldexp(1.0, weight_bits - 1);
    const int magnitude_bits = std::max(1, static_cast<int>(std::ceil(std::log2(typical + 1.0))));
    RequantParams params;
    params.mult = static_cast<std::uint32_t>(uniform(rng, 1 << 15, (1 << 16) - 1));
    params.shift = std::clamp(magnitude_bits + kMultBits - shape.act_bits, 0, kMaxShift);
    const auto bias_range = static_cast<std::int64_t>(typical);
    params.bias = uniform(rng, -bias_range, bias_range);
    return params;
}

std::int64_t random_weight(Rng& rng, int bits, int style) {
    switch (style) {
        case 0: return min_weight(bits);  // the extreme that stresses the sign plane
        case 1: return uniform(rng, 0, 1) ? min_weight(bits) : max_weight(bits);
        default: return uniform(rng, min_weight(bits), max_weight(bits));
    }
}

// relu, signed or (on designs with raw outputs) raw
OutputMode random_mode(Rng& rng, const ArrayShape& shape) {
    switch (uniform(rng, 0, shape.raw_outputs ? 2 : 1)) {
        case 0: return OutputMode{true, false};
        case 1: return OutputMode{false, false};
        default: return OutputMode{false, true};
    }
}

}  // namespace

GemmLayer random_layer(const ArrayShape& shape, std::uint64_t seed, const LayerLimits& limits) {
    if (limits.max_filters < 1 || limits.max_depth < 1 || limits.max_pixels < 1) {
        throw std::invalid_argument(fmt::format("random layer limits F <= {}, K <= {}, P <= {}: each must be >= 1",
                                                limits.max_filters, limits.max_depth, limits.max_pixels));
    }
    const int max_depth = std::min(limits.max_depth, shape.k_max);
    if (limits.min_depth < 1 || limits.min_depth > max_depth) {
        throw std::invalid_argument(fmt::format("random layer limits: the least K {} must be in 1..{} (the largest K)",
                                                limits.min_depth, max_depth));
    }
    Rng rng(seed);
    GemmLayer layer;
    layer.filters = static_cast<int>(uniform(rng, 1, limits.max_filters));
    layer.depth = static_cast<int>(uniform(rng, limits.min_depth, max_depth));
    layer.pixels = static_cast<int>(uniform(rng, 1, limits.max_pixels));
    layer.mode = random_mode(rng, shape);
    const std::int64_t max_act = (std::int64_t{1} << shape.act_bits) - 1;
    const bool saturated_activations = uniform(rng, 0, 7) == 0;
    for (int k = 0; k < layer.depth; ++k) {
        for (int p = 0; p < layer.pixels; ++p) {
            layer.activations.push_back(saturated_activations ? max_act : uniform(rng, 0, max_act));
        }
    }
    for (int f = 0; f < layer.filters; ++f) {
        const int bits = static_cast<int>(uniform(rng, 1, shape.max_weight_bits));
        const int style = static_cast<int>(uniform(rng, 0, 7));
        layer.weight_bits.push_back(bits);
        for (int k = 0; k < layer.depth; ++k) layer.weights.push_back(random_weight(rng, bits, style));
        layer.requant.push_back(fitted_requant(rng, shape, layer.depth, bits));
    }
    return layer;
}

void widen_requant(GemmLayer& layer, const ArrayShape& shape, std::uint64_t seed) {
    Rng rng(seed ^ 0x7265717561ULL);
    const std::int64_t bias_max = (std::int64_t{1} << (acc_width(shape) - 1)) - 1;
    const std::int64_t mult_max = (std::int64_t{1} << kMultBits) - 1;
    // either end of the range (1 time in 8 each) or anywhere in it
    auto draw = [&](std::int64_t low, std::int64_t high) {
        switch (uniform(rng, 0, 7)) {
            case 0: return low;
            case 1: return high;
            default: return uniform(rng, low, high);
        }
    };
    for (RequantParams& params : layer.requant) {
        params.shift = static_cast<int>(draw(0, kMaxShift));
        params.mult = static_cast<std::uint32_t>(draw(0, mult_max));
        params.bias = draw(-bias_max - 1, bias_max);
    }
}

GemmLayer synthetic_conv_layer(const ConvShape& conv, const std::vector<int>& weight_bits, std::uint64_t seed,
                               const ArrayShape& shape, const OutputMode& mode, int pixels) {
    return synthetic_conv(conv, weight_bits, seed, shape, mode, pixels).layer;
}

SyntheticConv synthetic_conv(const ConvShape& conv, const std::vector<int>& weight_bits, std::uint64_t seed,
                             const ArrayShape& shape, const OutputMode& mode, int pixels) {
    if (weight_bits.size() != static_cast<std::size_t>(conv.out_channels)) {
        throw std::invalid_argument(fmt::format("layer.weight_bits has {} entries, expected out_channels = {}",
                                                weight_bits.size(), conv.out_channels));
    }
    Rng rng(seed);
    GemmLayer layer;
    layer.filters = conv.out_channels;
    layer.depth = conv.depth();
    layer.pixels = pixels;
    layer.mode = mode;
    layer.weight_bits = weight_bits;
    for (int f = 0; f < layer.filters; ++f) {
        const int bits = weight_bits[f];
        if (bits < 1 || bits > shape.max_weight_bits) {
            throw std::invalid_argument(fmt::format("layer.weight_bits[{}] = {}: allowed range 1..{}", f, bits,
                                                    shape.max_weight_bits));
        }
        for (int k = 0; k < layer.depth; ++k) layer.weights.push_back(uniform(rng, min_weight(bits), max_weight(bits)));
        layer.requant.push_back(fitted_requant(rng, shape, layer.depth, bits));
    }
    std::vector<std::int64_t> image(static_cast<std::size_t>(conv.in_channels) * conv.height * conv.width);
    for (auto& pixel : image) pixel = uniform(rng, 0, (std::int64_t{1} << shape.act_bits) - 1);
    layer.activations = im2col(conv, image, pixels);
    validate_layer(layer, shape);
    return SyntheticConv{std::move(layer), std::move(image)};
}

}  // namespace fwmac
