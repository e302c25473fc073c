#include "generator/cli/quantize_cmd.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

#include "compiler/npy.hpp"
#include "compiler/quantize.hpp"
#include "compiler/quantized_file.hpp"
#include "generator/common/errors.hpp"
#include "generator/common/file_output.hpp"
#include "generator/common/version.hpp"
#include "generator/design/design.hpp"

namespace fwmac {
namespace {

constexpr std::uint64_t kMaxPixelsPerLayer = std::uint64_t{1} << 31;

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

// A finite real number, else UsageError naming the option.
double parse_real(const std::string& text, const std::string& option) {
    std::size_t used = 0;
    double value = 0.0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (text.empty() || used != text.size() || !std::isfinite(value)) {
        throw UsageError(fmt::format("{}: '{}' is not a finite number", option, text));
    }
    return value;
}

// One value per weight file, in order.
std::vector<std::string> per_layer_list(const std::string& list, const std::string& option, std::size_t layers) {
    const std::vector<std::string> items = split_list(list);
    if (items.size() != layers) {
        throw std::invalid_argument(
            fmt::format("{} has {} values, expected {} (one per weight file, in order)", option, items.size(), layers));
    }
    return items;
}

struct QuantizeArgs {
    std::vector<std::string> weight_files;
    std::string pixels;
    std::optional<std::string> budget, max_error, act_energy;
    std::string scale = "mse";
    std::string directory;
    QuantizeOptions options;
};

std::vector<LayerWeights> load_layers(const QuantizeArgs& args) {
    const std::size_t count = args.weight_files.size();
    const std::vector<std::string> pixels = per_layer_list(args.pixels, "--pixels", count);
    const std::vector<std::string> energies = args.act_energy ? per_layer_list(*args.act_energy, "--act-energy", count)
                                                              : std::vector<std::string>(count, "1");
    std::vector<std::int64_t> pixel_counts;  // the command line is checked before any file is read
    std::vector<double> activation_energies;
    for (std::size_t i = 0; i < count; ++i) {
        pixel_counts.push_back(static_cast<std::int64_t>(
            parse_integer(pixels[i], "--pixels", 1, kMaxPixelsPerLayer, "output pixels of the layer")));
        activation_energies.push_back(parse_real(energies[i], "--act-energy"));
    }
    std::vector<LayerWeights> layers;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string& path = args.weight_files[i];
        LayerWeights layer = layer_weights_from_npy(load_npy(path), path);
        layer.name = std::filesystem::path(path).stem().string();
        layer.pixels = pixel_counts[i];
        layer.activation_energy = activation_energies[i];
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

VerbRunner add_quantize_verb(CLI::App& app) {
    auto args = std::make_shared<QuantizeArgs>();
    CLI::App* verb = app.add_subcommand(
        "quantize",
        "Per-filter bit widths for float weights [F, Cin, kh, kw] within an average-bits budget or an "
        "error bound; writes quantized.json and integer .npy weights");
    add_path_option(*verb, "W.npy", args->weight_files, "float weights, one file per layer")->required();
    verb->add_option("--pixels", args->pixels, "output pixels of each layer, comma-separated in file order")
        ->type_name("P[,P2...]")
        ->required();
    verb->add_option("--budget", args->budget, "average weight bits per MAC (--min-bits..--max-bits)")
        ->type_name("AVG_BITS");
    verb->add_option("--max-error", args->max_error, "or: the fewest bits reaching this relative error (0, 1]")
        ->type_name("E");
    verb->add_option("--min-bits", args->options.min_bits, "narrowest filter (default 2)")
        ->type_name("B")
        ->check(integer_range(2, kMaxQuantizeBits));
    verb->add_option("--max-bits", args->options.max_bits, "widest filter (default 8)")
        ->type_name("B")
        ->check(integer_range(2, kMaxQuantizeBits));
    verb->add_option("--scale", args->scale, "per-filter scale: MSE clipping search or max-abs (default mse)")
        ->check(CLI::IsMember({"mse", "max-abs"}));
    verb->add_option("--act-energy", args->act_energy, "E[x^2] of each layer's input, comma-separated (default 1)")
        ->type_name("X[,X2...]");
    add_output_directory(*verb, args->directory, "DIR");
    return [args](std::ostream& out) {
        if (args->budget.has_value() == args->max_error.has_value()) {
            throw UsageError("'quantize' needs exactly one of --budget AVG_BITS and --max-error E");
        }
        QuantizeOptions options = args->options;
        if (args->budget) options.budget_bits = parse_real(*args->budget, "--budget");
        if (args->max_error) options.max_relative_error = parse_real(*args->max_error, "--max-error");
        options.scale = args->scale == "mse" ? ScaleMethod::mse : ScaleMethod::max_abs;
        const QuantizationResult result = quantize_layers(load_layers(*args), options);
        nlohmann::json document = quantized_json(result);
        document["tool"] = "fwmac";
        document["version"] = kFwmacVersion;
        FileSet files{{"quantized.json", document.dump(2) + "\n"}};
        for (const QuantizedLayer& layer : result.layers) {
            files[quantized_weights_file_name(layer)] = npy_bytes(quantized_weights_npy(layer));
        }
        write_file_set(files, args->directory);
        print_summary(result, out);
        out << fmt::format("fwmac: wrote {} files to {}\n", files.size(), args->directory);
        return 0;
    };
}

}  // namespace fwmac
