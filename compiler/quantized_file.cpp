#include "compiler/quantized_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "compiler/json_file.hpp"

namespace fwmac {
namespace {

constexpr const char* kFormat = "fwmac-quantized-weights";
constexpr int kFormatVersion = 1;

double layer_average_bits(const QuantizedLayer& layer) {
    double sum = 0.0;
    for (int bits : layer.bits) sum += bits;
    return sum / static_cast<double>(layer.bits.size());
}

nlohmann::json layer_json(const QuantizedLayer& layer) {
    double error = 0.0;
    for (double e : layer.errors) error += e;
    const NpyType type = *std::max_element(layer.bits.begin(), layer.bits.end()) <= 8 ? NpyType::int8 : NpyType::int16;
    return nlohmann::json{
        {"name", layer.name},
        {"shape", layer.shape},
        {"depth", layer.depth},
        {"pixels", layer.pixels},
        {"macs_per_filter", layer.macs_per_filter()},
        {"activation_energy", layer.activation_energy},
        {"weights_file", quantized_weights_file_name(layer)},
        {"dtype", npy_descr(type)},
        {"average_bits", layer_average_bits(layer)},
        {"error", error},
        {"filters",
         {{"bits", layer.bits},
          {"scale", layer.scales},
          {"error", layer.errors},
          {"relative_error", layer.relative_errors}}},
    };
}

[[noreturn]] void file_error(const std::string& path, const std::string& what) {
    throw std::invalid_argument(fmt::format("quantized file '{}': {}", path, what));
}

const nlohmann::json& find_layer(const nlohmann::json& document, const std::string& path, const std::string& name) {
    if (!document.is_object() || document.value("format", "") != kFormat) {
        file_error(path, fmt::format("format: not a \"{}\" file", kFormat));
    }
    if (!document.contains("layers") || !document.at("layers").is_array()) file_error(path, "layers: missing");
    std::string known;
    for (const nlohmann::json& layer : document.at("layers")) {
        if (!layer.is_object() || !layer.contains("name") || !layer.at("name").is_string()) {
            file_error(path, "layers[]: an entry without a string name");
        }
        if (layer.at("name") == name) return layer;
        known += (known.empty() ? "" : ", ") + layer.at("name").get<std::string>();
    }
    file_error(path, fmt::format("no layer named \"{}\" (layers: {})", name, known));
}

std::vector<int> layer_bits(const nlohmann::json& layer, const std::string& path, const std::string& name) {
    const std::string field = fmt::format("layers[\"{}\"].filters.bits", name);
    if (!layer.contains("filters") || !layer.at("filters").is_object() || !layer.at("filters").contains("bits") ||
        !layer.at("filters").at("bits").is_array()) {
        file_error(path, field + ": missing (array of per-filter bit widths)");
    }
    std::vector<int> bits;
    for (const nlohmann::json& value : layer.at("filters").at("bits")) {
        const std::optional<std::int64_t> number = json_int64(value);
        if (!number || *number < 1 || *number > 16) {
            file_error(path, fmt::format("{}[{}] = {}: allowed range 1..16", field, bits.size(), value.dump()));
        }
        bits.push_back(static_cast<int>(*number));
    }
    return bits;
}

}  // namespace

std::string quantized_weights_file_name(const QuantizedLayer& layer) { return layer.name + ".weights.npy"; }

NpyArray quantized_weights_npy(const QuantizedLayer& layer) {
    NpyArray array;
    array.shape = layer.shape;
    array.type = *std::max_element(layer.bits.begin(), layer.bits.end()) <= 8 ? NpyType::int8 : NpyType::int16;
    array.integers = layer.integers;
    return array;
}

nlohmann::json quantized_json(const QuantizationResult& result) {
    const QuantizeOptions& options = result.options;
    nlohmann::json constraint{{"min_bits", options.min_bits}, {"max_bits", options.max_bits}};
    nlohmann::json summary{{"layers", result.layers.size()},
                           {"macs", result.macs},
                           {"mac_bits", result.mac_bits},
                           {"average_bits", result.average_bits},
                           {"total_error", result.total_error}};
    std::size_t filters = 0;
    for (const QuantizedLayer& layer : result.layers) filters += layer.bits.size();
    summary["filters"] = filters;
    if (options.budget_bits) {
        constraint["budget_bits"] = *options.budget_bits;
        constraint["budget_mac_bits"] = result.budget_mac_bits;
        summary["error_lower_bound"] = result.error_lower_bound;
        summary["uniform"] = {{"bits", result.uniform_bits}, {"error", result.uniform_error}};
    } else {
        constraint["max_relative_error"] = *options.max_relative_error;
        summary["filters_above_target"] = result.filters_above_target;
    }
    nlohmann::json layers = nlohmann::json::array();
    for (const QuantizedLayer& layer : result.layers) layers.push_back(layer_json(layer));
    return nlohmann::json{
        {"format", kFormat},
        {"format_version", kFormatVersion},
        {"quantizer",
         {{"range", "restricted symmetric: q in [-(2^(b-1)-1), 2^(b-1)-1]"},
          {"rounding", "half away from zero"},
          {"scale", options.scale == ScaleMethod::mse ? "mse" : "max_abs"},
          {"real_weight", "scale * q"},
          {"error", "activation_energy * sum_k (w_k - scale * q_k)^2"},
          {"allocation", options.budget_bits ? "greedy marginal gain per MAC-bit on convex hulls"
                                             : "smallest bits with relative error <= max_relative_error"}}},
        {"constraint", constraint},
        {"summary", summary},
        {"layers", layers},
    };
}

QuantizedWeights load_quantized_layer(const std::string& json_path, const std::string& layer_name) {
    const nlohmann::json document = read_json_file(json_path, {"quantized file", "quantized"});
    const nlohmann::json& layer = find_layer(document, json_path, layer_name);
    if (!layer.contains("weights_file") || !layer.at("weights_file").is_string()) {
        file_error(json_path, fmt::format("layers[\"{}\"].weights_file: missing (string)", layer_name));
    }
    QuantizedWeights weights;
    weights.bits = layer_bits(layer, json_path, layer_name);
    weights.npy_path =
        (std::filesystem::path(json_path).parent_path() / layer.at("weights_file").get<std::string>()).string();
    NpyArray array = load_npy(weights.npy_path);
    if (npy_is_float(array.type)) {
        throw NpyError(fmt::format("npy file '{}': header field 'descr' = '{}': quantized weights must be integers",
                                   weights.npy_path, npy_descr(array.type)));
    }
    if (array.shape.empty() || array.shape.front() != weights.bits.size()) {
        file_error(json_path, fmt::format("layers[\"{}\"]: {} bit widths, but '{}' has shape {}", layer_name,
                                          weights.bits.size(), weights.npy_path, npy_shape_text(array.shape)));
    }
    weights.shape = array.shape;
    weights.values = std::move(array.integers);
    return weights;
}

}  // namespace fwmac
