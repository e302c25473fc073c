#include "compiler/layer_data.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "compiler/json_file.hpp"
#include "golden/arith.hpp"
#include "compiler/npy.hpp"
#include "compiler/quantized_file.hpp"

namespace fwmac {
namespace {

void require_field(bool condition, const std::string& message) {
    if (!condition) throw std::invalid_argument(message);
}

std::string resolve(const std::string& base_dir, const std::string& path) {
    const std::filesystem::path file(path);
    if (file.is_absolute() || base_dir.empty()) return path;
    return (std::filesystem::path(base_dir) / file).string();
}

// Any error of the file (missing, bad header, float dtype) is reported under `field`.
NpyArray load_integer_npy(const std::string& path, const char* field) {
    NpyArray array;
    try {
        array = load_npy(path);
    } catch (const std::exception& error) {
        throw std::invalid_argument(fmt::format("{}: {}", field, error.what()));
    }
    require_field(!npy_is_float(array.type),
                  fmt::format("{}: '{}' holds '{}' values, expected integers ('|u1', '|i1', '<i2', '<i4', '<i8')",
                              field, path, npy_descr(array.type)));
    return array;
}

struct WeightsFile {
    std::string path;
    std::vector<std::size_t> shape;
    LayerWeightsData data;
};

WeightsFile quantized_weights(const nlohmann::json& weights, const std::optional<std::vector<int>>& listed_bits,
                              const std::string& base_dir) {
    const std::string unknown = unknown_field_message(weights, "layer.weights", {"quantized", "layer"});
    require_field(unknown.empty(), unknown);
    require_field(weights.contains("quantized") && weights.at("quantized").is_string(),
                  "layer.weights.quantized: missing (path of the quantized.json written by fwmac quantize)");
    require_field(weights.contains("layer") && weights.at("layer").is_string(),
                  "layer.weights.layer: missing (name of a layer in the quantized file)");
    require_field(!listed_bits,
                  "layer.weight_bits: not allowed with layer.weights.quantized (the bits come from "
                  "the quantized file)");
    QuantizedWeights quantized;
    try {
        quantized = load_quantized_layer(resolve(base_dir, weights.at("quantized").get<std::string>()),
                                         weights.at("layer").get<std::string>());
    } catch (const std::exception& error) {
        throw std::invalid_argument(fmt::format("layer.weights: {}", error.what()));
    }
    return {quantized.npy_path, quantized.shape, {quantized.bits, std::move(quantized.values)}};
}

void check_weights_fit(const LayerWeightsData& data, const ConvShape& conv, const ArrayShape& shape) {
    require_field(data.bits.size() == static_cast<std::size_t>(conv.out_channels),
                  fmt::format("layer.weight_bits has {} entries, expected out_channels = {}", data.bits.size(),
                              conv.out_channels));
    const auto depth = static_cast<std::size_t>(conv.depth());
    for (std::size_t f = 0; f < data.bits.size(); ++f) {
        const int bits = data.bits[f];
        require_field(bits >= 1 && bits <= shape.max_weight_bits,
                      fmt::format("layer.weights: filter {} has {} bits: allowed range 1..{} (max_weight_bits)", f,
                                  bits, shape.max_weight_bits));
        for (std::size_t k = 0; k < depth; ++k) {
            const std::int64_t value = data.values[f * depth + k];
            if (value < min_weight(bits) || value > max_weight(bits)) {
                throw std::invalid_argument(
                    fmt::format("layer.weights[{}][{}] = {}: does not fit filter {}'s {} bits (range {}..{})", f, k,
                                value, f, bits, min_weight(bits), max_weight(bits)));
            }
        }
    }
}

}  // namespace

LayerWeightsData load_layer_weights(const nlohmann::json& weights, const std::optional<std::vector<int>>& listed_bits,
                                    const ConvShape& conv, const ArrayShape& shape, const std::string& base_dir) {
    WeightsFile file;
    if (weights.is_string()) {
        require_field(listed_bits.has_value(),
                      "layer.weight_bits: missing (per-filter bit widths of the weights in layer.weights)");
        file.path = resolve(base_dir, weights.get<std::string>());
        NpyArray array = load_integer_npy(file.path, "layer.weights");
        file.shape = array.shape;
        file.data = {*listed_bits, std::move(array.integers)};
    } else {
        require_field(weights.is_object(),
                      "layer.weights: must be the path of an integer .npy [out_channels, "
                      "in_channels, kernel height, kernel width] or {\"quantized\": ..., \"layer\": ...}");
        file = quantized_weights(weights, listed_bits, base_dir);
    }
    const std::vector<std::size_t> expected{
        static_cast<std::size_t>(conv.out_channels), static_cast<std::size_t>(conv.in_channels),
        static_cast<std::size_t>(conv.kernel_h), static_cast<std::size_t>(conv.kernel_w)};
    require_field(file.shape == expected,
                  fmt::format("layer.weights: '{}' has shape {}, layer.conv needs {} = [out_channels, in_channels, "
                              "kernel height, kernel width]",
                              file.path, npy_shape_text(file.shape), npy_shape_text(expected)));
    check_weights_fit(file.data, conv, shape);
    return file.data;
}

std::vector<std::int64_t> load_layer_input(const nlohmann::json& input, const ConvShape& conv, const ArrayShape& shape,
                                           const std::string& base_dir) {
    require_field(input.is_string(),
                  "layer.input: must be the path of an integer .npy image [in_channels, height, width]");
    const std::string path = resolve(base_dir, input.get<std::string>());
    const NpyArray array = load_integer_npy(path, "layer.input");
    const std::vector<std::size_t> expected{static_cast<std::size_t>(conv.in_channels),
                                            static_cast<std::size_t>(conv.height),
                                            static_cast<std::size_t>(conv.width)};
    std::vector<std::size_t> batched{1};
    batched.insert(batched.end(), expected.begin(), expected.end());
    require_field(array.shape == expected || array.shape == batched,
                  fmt::format("layer.input: '{}' has shape {}, layer.conv needs {} = [in_channels, height, width] "
                              "(or with a leading 1)",
                              path, npy_shape_text(array.shape), npy_shape_text(expected)));
    const std::int64_t max_act = (std::int64_t{1} << shape.act_bits) - 1;
    for (std::size_t i = 0; i < array.integers.size(); ++i) {
        const std::int64_t value = array.integers[i];
        require_field(value >= 0 && value <= max_act,
                      fmt::format("layer.input[{}] = {}: allowed range 0..{} (act_bits = {})", i, value, max_act,
                                  shape.act_bits));
    }
    return array.integers;
}

}  // namespace fwmac
