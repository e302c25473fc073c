#include "compiler/workload.hpp"

#include "compiler/json_file.hpp"
#include "compiler/layer_data.hpp"
#include "compiler/networks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
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

OutputMode random_mode(Rng& rng) {
    switch (uniform(rng, 0, 2)) {
        case 0: return OutputMode{true, false};
        case 1: return OutputMode{false, false};
        default: return OutputMode{false, true};
    }
}

void require_field(bool condition, const std::string& message) {
    if (!condition) throw std::invalid_argument(message);
}

int int_field(const nlohmann::json& object, const std::string& path, const char* key, int low, int high) {
    require_field(object.contains(key), fmt::format("{}.{}: missing (integer {}..{})", path, key, low, high));
    const nlohmann::json& value = object.at(key);
    require_field(value.is_number_integer(),
                  fmt::format("{}.{}: must be an integer {}..{}, got {}", path, key, low, high, value.dump()));
    const auto number = value.get<std::int64_t>();
    require_field(number >= low && number <= high,
                  fmt::format("{}.{} = {}: allowed range {}..{}", path, key, number, low, high));
    return static_cast<int>(number);
}

ConvShape parse_conv(const nlohmann::json& conv) {
    if (conv.is_string()) {  // "resnet18:<layer name>"
        const std::string name = conv.get<std::string>();
        std::string known;
        for (const NetworkLayer& layer : resnet18_conv_layers()) {
            if ("resnet18:" + layer.name == name) return layer.conv;
            known += (known.empty() ? "" : ", ") + layer.name;
        }
        throw std::invalid_argument(
            fmt::format("layer.conv = \"{}\": unknown network layer (allowed: resnet18:<{}>)", name, known));
    }
    require_field(conv.is_object(), "layer.conv: must be an object or \"resnet18:<layer>\"");
    ConvShape shape;
    shape.in_channels = int_field(conv, "layer.conv", "in_channels", 1, 4096);
    shape.height = int_field(conv, "layer.conv", "height", 1, 4096);
    shape.width = int_field(conv, "layer.conv", "width", 1, 4096);
    shape.kernel = int_field(conv, "layer.conv", "kernel", 1, 15);
    shape.stride = int_field(conv, "layer.conv", "stride", 1, 15);
    shape.padding = int_field(conv, "layer.conv", "padding", 0, 15);
    shape.out_channels = int_field(conv, "layer.conv", "out_channels", 1, 65536);
    require_field(shape.height + 2 * shape.padding >= shape.kernel && shape.width + 2 * shape.padding >= shape.kernel,
                  "layer.conv.kernel: larger than the padded input");
    return shape;
}

OutputMode parse_mode(const nlohmann::json& file) {
    require_field(!file.contains("output") || file.at("output").is_string(),
                  "layer.output: must be one of \"relu\", \"signed\", \"raw\"");
    const std::string mode = file.value("output", std::string("relu"));
    if (mode == "relu") return OutputMode{true, false};
    if (mode == "signed") return OutputMode{false, false};
    if (mode == "raw") return OutputMode{false, true};
    throw std::invalid_argument(
        fmt::format("layer.output = \"{}\": allowed values \"relu\", \"signed\", \"raw\"", mode));
}

// Either explicit widths or {"distribution": "default" | <mean>, "seed": N}.
std::vector<int> parse_weight_bits(const nlohmann::json& value, const ConvShape& conv, const ArrayShape& shape) {
    if (value.is_object()) {
        const int seed = int_field(value, "layer.weight_bits", "seed", 0, 2147483647);
        require_field(value.contains("distribution"),
                      "layer.weight_bits.distribution: missing (\"default\" or a mean bit width)");
        const nlohmann::json& distribution = value.at("distribution");
        if (distribution == "default") {
            return sample_weight_bits(conv.out_channels, default_bit_distribution(), static_cast<std::uint64_t>(seed));
        }
        require_field(distribution.is_number() && distribution.get<double>() >= 2.0 &&
                          distribution.get<double>() <= shape.max_weight_bits,
                      fmt::format("layer.weight_bits.distribution: \"default\" or a mean in 2..{}",
                                  shape.max_weight_bits));
        return sample_weight_bits(conv.out_channels,
                                  normal_bit_distribution(distribution.get<double>(), shape.max_weight_bits),
                                  static_cast<std::uint64_t>(seed));
    }
    require_field(value.is_array(), "layer.weight_bits: must be an array or an object");
    std::vector<int> weight_bits;
    for (const auto& bits : value) {
        require_field(bits.is_number_integer() && bits.get<std::int64_t>() >= 1 &&
                          bits.get<std::int64_t>() <= shape.max_weight_bits,
                      fmt::format("layer.weight_bits[{}] = {}: allowed range 1..{}", weight_bits.size(), bits.dump(),
                                  shape.max_weight_bits));
        weight_bits.push_back(bits.get<int>());
    }
    return weight_bits;
}

// Crops the GEMM to its first `pixels` output pixels (columns of X).
void keep_first_pixels(GemmLayer& layer, int pixels) {
    std::vector<std::int64_t> activations;
    activations.reserve(static_cast<std::size_t>(layer.depth) * pixels);
    for (int k = 0; k < layer.depth; ++k) {
        for (int p = 0; p < pixels; ++p) activations.push_back(layer.activation(k, p));
    }
    layer.activations = std::move(activations);
    layer.pixels = pixels;
}

}  // namespace

GemmLayer random_layer(const ArrayShape& shape, std::uint64_t seed, const LayerLimits& limits) {
    Rng rng(seed);
    GemmLayer layer;
    layer.filters = static_cast<int>(uniform(rng, 1, limits.max_filters));
    layer.depth = static_cast<int>(uniform(rng, 1, std::min(limits.max_depth, shape.k_max)));
    layer.pixels = static_cast<int>(uniform(rng, 1, limits.max_pixels));
    layer.mode = random_mode(rng);
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

GemmLayer synthetic_conv_layer(const ConvShape& conv, const std::vector<int>& weight_bits, std::uint64_t seed,
                               const ArrayShape& shape, const OutputMode& mode) {
    if (weight_bits.size() != static_cast<std::size_t>(conv.out_channels)) {
        throw std::invalid_argument(fmt::format("layer.weight_bits has {} entries, expected out_channels = {}",
                                                weight_bits.size(), conv.out_channels));
    }
    Rng rng(seed);
    GemmLayer layer;
    layer.filters = conv.out_channels;
    layer.depth = conv.depth();
    layer.pixels = conv.pixels();
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
    layer.activations = im2col(conv, image);
    validate_layer(layer, shape);
    return layer;
}

LayerFile parse_layer_json(const nlohmann::json& file, const ArrayShape& shape, const std::string& base_dir) {
    require_field(file.is_object(), "layer: the file must hold a JSON object");
    require_field(!file.contains("name") || file.at("name").is_string(), "layer.name: must be a string");
    require_field(file.contains("conv"), "layer.conv: missing (object with the conv shape)");
    const ConvShape conv = parse_conv(file.at("conv"));
    std::optional<std::vector<int>> listed_bits;
    if (file.contains("weight_bits")) listed_bits = parse_weight_bits(file.at("weight_bits"), conv, shape);
    std::optional<LayerWeightsData> explicit_weights;
    if (file.contains("weights")) {
        explicit_weights = load_layer_weights(file.at("weights"), listed_bits, conv, shape, base_dir);
    }
    require_field(listed_bits || explicit_weights,
                  "layer.weight_bits: missing (array of per-filter bit widths, or {\"distribution\": ...})");
    const std::vector<int> weight_bits = explicit_weights ? explicit_weights->bits : *listed_bits;
    const int seed = int_field(file, "layer", "seed", 0, 2147483647);
    LayerFile result{file.value("name", std::string("layer")), {}};
    result.layer =
        synthetic_conv_layer(conv, weight_bits, static_cast<std::uint64_t>(seed), shape, parse_mode(file));
    // Explicit data replaces the synthetic data after it was drawn, so the seed's
    // requant parameters (and image) stay those of the synthetic layer.
    if (explicit_weights) result.layer.weights = std::move(explicit_weights->values);
    if (file.contains("input")) {
        result.layer.activations = im2col(conv, load_layer_input(file.at("input"), conv, shape, base_dir));
    }
    if (file.contains("pixel_limit")) {
        keep_first_pixels(result.layer, int_field(file, "layer", "pixel_limit", 1, result.layer.pixels));
    }
    return result;
}

LayerFile load_layer_file(const std::string& path, const ArrayShape& shape) {
    const nlohmann::json file = read_json_file(path, {"layer file", "layer"});
    try {
        return parse_layer_json(file, shape, std::filesystem::path(path).parent_path().string());
    } catch (const std::invalid_argument& error) {
        throw std::invalid_argument(fmt::format("layer file '{}': {}", path, error.what()));
    }
}

}  // namespace fwmac
