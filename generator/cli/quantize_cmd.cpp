#include "generator/cli/quantize_cmd.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "generator/cli/cli.hpp"
#include "generator/cli/cli_args.hpp"
#include "generator/design/design.hpp"
#include "generator/common/version.hpp"
#include "compiler/npy.hpp"
#include "compiler/quantize.hpp"
#include "compiler/quantized_file.hpp"

namespace fwmac {
namespace {

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        items.push_back(text.substr(start, comma - start));
        if (comma == std::string::npos) return items;
        start = comma + 1;
    }
}

double parse_real(const std::string& text, const std::string& option) {
    std::size_t used = 0;
    double value = 0.0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (text.empty() || used != text.size() || !std::isfinite(value)) {
        throw UsageError(fmt::format("{} expects a number, got '{}'", option, text));
    }
    return value;
}

// One value per weight file, in order.
std::vector<std::string> per_layer_list(const ParsedArgs& parsed, const std::string& option, std::size_t layers) {
    const std::vector<std::string> items = split_list(parsed.options.at(option));
    if (items.size() != layers) {
        throw std::invalid_argument(
            fmt::format("{} has {} values, expected {} (one per weight file, in order)", option, items.size(), layers));
    }
    return items;
}

// --min-bits / --max-bits; values beyond 16 are refused here, before a narrowing cast.
int bits_option(const ParsedArgs& parsed, const std::string& option, int fallback) {
    if (!parsed.flag(option)) return fallback;
    const std::uint64_t bits = parse_unsigned(parsed.options.at(option), option);
    if (bits > static_cast<std::uint64_t>(kMaxQuantizeBits)) {
        throw std::invalid_argument(fmt::format("{} = {}: allowed range 2..{}", option, bits, kMaxQuantizeBits));
    }
    return static_cast<int>(bits);
}

QuantizeOptions parse_options(const ParsedArgs& parsed) {
    QuantizeOptions options;
    options.min_bits = bits_option(parsed, "--min-bits", options.min_bits);
    options.max_bits = bits_option(parsed, "--max-bits", options.max_bits);
    if (parsed.flag("--budget")) options.budget_bits = parse_real(parsed.options.at("--budget"), "--budget");
    if (parsed.flag("--max-error")) {
        options.max_relative_error = parse_real(parsed.options.at("--max-error"), "--max-error");
    }
    if (parsed.flag("--budget") == parsed.flag("--max-error")) {
        throw UsageError("'quantize' needs exactly one of --budget AVG_BITS and --max-error E");
    }
    const std::string scale = parsed.flag("--scale") ? parsed.options.at("--scale") : "mse";
    if (scale != "mse" && scale != "max-abs") {
        throw std::invalid_argument(fmt::format("--scale = '{}': allowed values mse, max-abs", scale));
    }
    options.scale = scale == "mse" ? ScaleMethod::mse : ScaleMethod::max_abs;
    return options;
}

std::vector<LayerWeights> load_layers(const ParsedArgs& parsed) {
    if (parsed.positional.empty()) throw UsageError("'quantize' needs at least one weight file W.npy");
    const std::size_t count = parsed.positional.size();
    const std::vector<std::string> pixels = per_layer_list(parsed, "--pixels", count);
    const std::vector<std::string> energies = parsed.flag("--act-energy")
                                                  ? per_layer_list(parsed, "--act-energy", count)
                                                  : std::vector<std::string>(count, "1");
    std::vector<LayerWeights> layers;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string& path = parsed.positional[i];
        LayerWeights layer = layer_weights_from_npy(load_npy(path), path);
        layer.name = std::filesystem::path(path).stem().string();
        layer.pixels = static_cast<std::int64_t>(parse_unsigned(pixels[i], "--pixels"));
        layer.activation_energy = parse_real(energies[i], "--act-energy");
        layers.push_back(std::move(layer));
    }
    return layers;
}

std::string bits_histogram(const std::vector<int>& bits) {
    std::map<int, int> counts;
    for (int b : bits) ++counts[b];
    std::string text;
    for (const auto& [b, count] : counts) text += fmt::format("{}{}b:{}", text.empty() ? "" : " ", b, count);
    return text;
}

void print_summary(const QuantizationResult& result, std::ostream& out) {
    for (const QuantizedLayer& layer : result.layers) {
        double error = 0.0;
        for (double e : layer.errors) error += e;
        out << fmt::format("layer {}: {} filters, K={}, P={}: bits [{}], error {:.6g}\n", layer.name, layer.filters,
                           layer.depth, layer.pixels, bits_histogram(layer.bits), error);
    }
    const QuantizeOptions& options = result.options;
    out << fmt::format("total: {} MACs, average {:.4f} bits per MAC", result.macs, result.average_bits);
    if (options.budget_bits) {
        out << fmt::format(" (budget {}), error {:.6g} (lower bound {:.6g}); all filters at {} bits: error {:.6g}\n",
                           *options.budget_bits, result.total_error, result.error_lower_bound, result.uniform_bits,
                           result.uniform_error);
    } else {
        out << fmt::format(", error {:.6g}; {} filters miss relative error {} even at {} bits\n", result.total_error,
                           result.filters_above_target, *options.max_relative_error, options.max_bits);
    }
}

}  // namespace

int run_quantize(const std::vector<std::string>& args, std::ostream& out) {
    const ParsedArgs parsed = parse_args(
        args, {"--pixels", "--budget", "--max-error", "--min-bits", "--max-bits", "--scale", "--act-energy", "--out"},
        {});
    const std::string directory = required_option(parsed, "--out", "quantize");
    required_option(parsed, "--pixels", "quantize");
    const QuantizeOptions options = parse_options(parsed);
    const QuantizationResult result = quantize_layers(load_layers(parsed), options);
    nlohmann::json document = quantized_json(result);
    document["tool"] = "fwmac";
    document["version"] = kFwmacVersion;
    FileSet files{{"quantized.json", document.dump(2) + "\n"}};
    for (const QuantizedLayer& layer : result.layers) {
        files[quantized_weights_file_name(layer)] = npy_bytes(quantized_weights_npy(layer));
    }
    write_file_set(files, directory);
    print_summary(result, out);
    out << fmt::format("fwmac: wrote {} files to {}\n", files.size(), directory);
    return 0;
}

}  // namespace fwmac
