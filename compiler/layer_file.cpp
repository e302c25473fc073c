#include "compiler/layer_file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <utility>

#include "compiler/json_file.hpp"
#include "compiler/layer_data.hpp"
#include "compiler/networks.hpp"

namespace fwmac {
namespace {

using Json = nlohmann::json;

void require_field(bool condition, const std::string& message) {
    if (!condition) throw std::invalid_argument(message);
}

void reject_unknown_fields(const Json& object, const std::string& path, const std::vector<std::string>& allowed) {
    const std::string message = unknown_field_message(object, path, allowed);
    require_field(message.empty(), message);
}

// An integer in low..high; `name` is the field path in messages, `note` says what bounds it.
std::int64_t checked_integer(const Json& value, const std::string& name, std::int64_t low, std::int64_t high,
                             const std::string& note = "") {
    require_field(value.is_number_integer(),
                  fmt::format("{}: must be an integer {}..{}{}, got {}", name, low, high, note, value.dump()));
    const std::optional<std::int64_t> number = json_int64(value);
    require_field(number && *number >= low && *number <= high,
                  fmt::format("{} = {}: allowed range {}..{}{}", name, value.dump(), low, high, note));
    return *number;
}

int int_field(const Json& object, const std::string& path, const char* key, int low, int high) {
    require_field(object.contains(key), fmt::format("{}.{}: missing (integer {}..{})", path, key, low, high));
    return static_cast<int>(checked_integer(object.at(key), fmt::format("{}.{}", path, key), low, high));
}

// "kernel": k | [kh, kw] (likewise stride, padding, dilation): the (height, width) pair.
std::pair<int, int> axis_pair(const Json& conv, const char* key, int low, int high, std::optional<int> fallback) {
    const std::string name = fmt::format("layer.conv.{}", key);
    if (!conv.contains(key)) {
        require_field(fallback.has_value(),
                      fmt::format("{}: missing (integer {}..{}, or [height, width])", name, low, high));
        return {*fallback, *fallback};
    }
    const Json& value = conv.at(key);
    if (value.is_array()) {
        require_field(value.size() == 2, fmt::format("{}: must be an integer {}..{} or [height, width], got {}", name,
                                                     low, high, value.dump()));
        return {static_cast<int>(checked_integer(value[0], name + "[0]", low, high)),
                static_cast<int>(checked_integer(value[1], name + "[1]", low, high))};
    }
    require_field(value.is_number_integer(), fmt::format("{}: must be an integer {}..{} or [height, width], got {}",
                                                         name, low, high, value.dump()));
    const int both = static_cast<int>(checked_integer(value, name, low, high));
    return {both, both};
}

ConvShape parse_conv(const Json& conv) {
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
    reject_unknown_fields(conv, "layer.conv",
                          {"in_channels", "height", "width", "kernel", "stride", "padding", "dilation", "out_channels"});
    ConvShape shape;
    shape.in_channels = int_field(conv, "layer.conv", "in_channels", 1, 4096);
    shape.height = int_field(conv, "layer.conv", "height", 1, 4096);
    shape.width = int_field(conv, "layer.conv", "width", 1, 4096);
    std::tie(shape.kernel_h, shape.kernel_w) = axis_pair(conv, "kernel", 1, 15, std::nullopt);
    std::tie(shape.stride_h, shape.stride_w) = axis_pair(conv, "stride", 1, 15, 1);
    std::tie(shape.padding_h, shape.padding_w) = axis_pair(conv, "padding", 0, 15, 0);
    std::tie(shape.dilation_h, shape.dilation_w) = axis_pair(conv, "dilation", 1, 15, 1);
    shape.out_channels = int_field(conv, "layer.conv", "out_channels", 1, 65536);
    require_field(shape.span_h() <= shape.height + 2 * shape.padding_h,
                  fmt::format("layer.conv.kernel: the kernel spans {} rows (dilation * (kernel - 1) + 1), more than "
                              "the {} rows of the padded input (height + 2 * padding)",
                              shape.span_h(), shape.height + 2 * shape.padding_h));
    require_field(shape.span_w() <= shape.width + 2 * shape.padding_w,
                  fmt::format("layer.conv.kernel: the kernel spans {} columns (dilation * (kernel - 1) + 1), more "
                              "than the {} columns of the padded input (width + 2 * padding)",
                              shape.span_w(), shape.width + 2 * shape.padding_w));
    return shape;
}

OutputMode parse_mode(const Json& file) {
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
std::vector<int> parse_weight_bits(const Json& value, const ConvShape& conv, const ArrayShape& shape) {
    if (value.is_object()) {
        reject_unknown_fields(value, "layer.weight_bits", {"distribution", "seed"});
        const int seed = int_field(value, "layer.weight_bits", "seed", 0, 2147483647);
        require_field(value.contains("distribution"),
                      "layer.weight_bits.distribution: missing (\"default\" or a mean bit width)");
        const Json& distribution = value.at("distribution");
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
        const std::string name = fmt::format("layer.weight_bits[{}]", weight_bits.size());
        weight_bits.push_back(static_cast<int>(checked_integer(bits, name, 1, shape.max_weight_bits)));
    }
    return weight_bits;
}

// What the layer's GEMM holds, against the limits that keep memory bounded.
void check_layer_size(const ConvShape& conv, std::int64_t pixels) {
    const std::int64_t filters = conv.out_channels;
    const std::int64_t depth = conv.depth();
    const std::int64_t image = std::int64_t{conv.in_channels} * conv.height * conv.width;
    auto check = [](std::int64_t value, std::int64_t limit, const char* what, bool per_pixel) {
        require_field(value <= limit, fmt::format("layer.conv: {} = {}, more than the {} a layer file may have{}",
                                                  what, value, limit,
                                                  per_pixel ? " (pixel_limit keeps fewer output pixels)" : ""));
    };
    check(image, kMaxLayerImageValues, "input values in_channels * height * width", false);
    check(filters * depth, kMaxLayerWeightValues, "weights F * K", false);
    check(depth * pixels, kMaxLayerColumnValues, "im2col values K * P", true);
    check(filters * pixels, kMaxLayerOutputs, "outputs F * P", true);
    check(filters * depth * pixels, kMaxLayerMacs, "MACs F * K * P", true);
}

// "requant": {"bias": [F], "mult": [F], "shift": [F]}: each list optional, in the layer's
// filter order; a list that is absent keeps the fitted (seeded) values of that parameter.
void apply_requant(const Json& requant, const ArrayShape& shape, std::vector<RequantParams>& params) {
    require_field(requant.is_object(),
                  "layer.requant: must be an object {\"bias\": [...], \"mult\": [...], \"shift\": [...]}");
    reject_unknown_fields(requant, "layer.requant", {"bias", "mult", "shift"});
    const int acc_bits = acc_width(shape);
    const std::int64_t bias_limit = std::int64_t{1} << (acc_bits - 1);
    struct Parameter {
        const char* key;
        std::int64_t low, high;
        std::string note;
        void (*set)(RequantParams&, std::int64_t);
    };
    const Parameter parameters[] = {
        {"bias", -bias_limit, bias_limit - 1,
         fmt::format(" (ACC_W = {} bits: the array's signed accumulator)", acc_bits),
         [](RequantParams& p, std::int64_t value) { p.bias = value; }},
        {"mult", 0, (std::int64_t{1} << kMultBits) - 1, " (16-bit unsigned multiplier)",
         [](RequantParams& p, std::int64_t value) { p.mult = static_cast<std::uint32_t>(value); }},
        {"shift", 0, kMaxShift, " (rounding arithmetic right shift)",
         [](RequantParams& p, std::int64_t value) { p.shift = static_cast<int>(value); }},
    };
    for (const Parameter& parameter : parameters) {
        if (!requant.contains(parameter.key)) continue;
        const std::string name = fmt::format("layer.requant.{}", parameter.key);
        const Json& values = requant.at(parameter.key);
        require_field(values.is_array() && values.size() == params.size(),
                      fmt::format("{}: must be an array of {} integers (one per filter, in the layer's filter order), "
                                  "got {}",
                                  name, params.size(),
                                  values.is_array() ? fmt::format("{} entries", values.size()) : values.dump()));
        for (std::size_t f = 0; f < params.size(); ++f) {
            parameter.set(params[f], checked_integer(values[f], fmt::format("{}[{}]", name, f), parameter.low,
                                                     parameter.high, parameter.note));
        }
    }
}

}  // namespace

LayerFile parse_layer_json(const Json& file, const ArrayShape& shape, const std::string& base_dir) {
    require_field(file.is_object(), "layer: the file must hold a JSON object");
    reject_unknown_fields(file, "layer",
                          {"name", "conv", "weight_bits", "weights", "input", "seed", "output", "pixel_limit",
                           "requant"});
    require_field(!file.contains("name") || file.at("name").is_string(), "layer.name: must be a string");
    require_field(file.contains("conv"), "layer.conv: missing (object with the conv shape)");
    const ConvShape conv = parse_conv(file.at("conv"));
    const int pixels =
        file.contains("pixel_limit") ? int_field(file, "layer", "pixel_limit", 1, conv.pixels()) : conv.pixels();
    check_layer_size(conv, pixels);
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
    LayerFile result{file.value("name", std::string("layer")), conv, {}, {}};
    SyntheticConv synthetic =
        synthetic_conv(conv, weight_bits, static_cast<std::uint64_t>(seed), shape, parse_mode(file), pixels);
    result.layer = std::move(synthetic.layer);
    result.image = std::move(synthetic.image);
    // Explicit data replaces the synthetic data after it was drawn, so the seed's
    // requant parameters (and image) stay those of the synthetic layer.
    if (explicit_weights) result.layer.weights = std::move(explicit_weights->values);
    if (file.contains("input")) {
        result.image = load_layer_input(file.at("input"), conv, shape, base_dir);
        result.layer.activations = im2col(conv, result.image, pixels);
    }
    if (file.contains("requant")) apply_requant(file.at("requant"), shape, result.layer.requant);
    validate_layer(result.layer, shape);
    return result;
}

LayerFile load_layer_file(const std::string& path, const ArrayShape& shape) {
    const Json file = read_json_file(path, {"layer file", "layer"});
    try {
        return parse_layer_json(file, shape, std::filesystem::path(path).parent_path().string());
    } catch (const std::invalid_argument& error) {
        throw std::invalid_argument(fmt::format("layer file '{}': {}", path, error.what()));
    }
}

}  // namespace fwmac
