#include "generator/analysis/e2e.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "generator/analysis/bench.hpp"
#include "compiler/cnn.hpp"
#include "golden/schedule.hpp"

namespace fwmac {
namespace {

struct SchemeResult {
    std::string name;
    std::string allocation;  // per conv layer: bit width histogram
    double average_bits = 0;
    double weight_error = 0;
    int correct = 0;
    std::uint64_t cycles = 0;       // all conv layers of the batch on the array
    double ideal_bound = 0;
};

std::vector<std::vector<std::int64_t>> first_images(const CnnModel& model, int count) {
    return {model.test_images.begin(), model.test_images.begin() + count};
}

}  // namespace

void run_e2e(const E2eOptions& options, std::ostream& out) {
    const CnnModel model = load_cnn_model(options.model_path);
    const ArrayShape& shape = options.config.shape;
    const int total_images = static_cast<int>(model.test_images.size());
    if (options.images < 0 || options.images > total_images) {
        throw std::invalid_argument(fmt::format("--images = {}: allowed range 1..{} (0 = all)", options.images,
                                                total_images));
    }
    const int images = options.images == 0 ? total_images : options.images;
    const auto batch = first_images(model, images);

    // Float reference, checked against the logits the training script stored.
    double reference_difference = 0;
    for (std::size_t n = 0; n < model.reference_logits.size(); ++n) {
        const std::vector<double> logits = float_forward(model, model.test_images.at(n));
        for (std::size_t c = 0; c < logits.size(); ++c) {
            reference_difference = std::max(reference_difference, std::abs(logits[c] - model.reference_logits[n][c]));
        }
    }
    int float_correct = 0;
    for (int n = 0; n < images; ++n) {
        float_correct += argmax(float_forward(model, batch[n])) == model.test_labels[n];
    }
    out << fmt::format("model {}: {} test images; float forward matches the stored reference logits of {} images "
                       "within {:.2e}\n",
                       options.model_path, images, model.reference_logits.size(), reference_difference);
    out << fmt::format("array {}x{}x{} A={} Bmax={}; every conv layer runs as one GEMM over the batch through the "
                       "golden array model\n\n",
                       shape.rows, shape.cols, shape.lanes, shape.act_bits, shape.max_weight_bits);

    std::vector<SchemeResult> results;
    for (const QuantScheme& scheme : standard_schemes()) {
        if (scheme.uniform_bits > shape.max_weight_bits || scheme.max_bits > shape.max_weight_bits) continue;
        const QuantizedCnn quantized = quantize_cnn(model, scheme, shape);
        SchemeResult result{scheme.name, "", quantized.average_bits, quantized.weight_error, 0, 0, 0};
        for (const QuantizedConv& conv : quantized.convs) {
            std::map<int, int> histogram;
            for (int bits : conv.weight_bits) ++histogram[bits];
            std::string text;
            for (const auto& [bits, count] : histogram) text += fmt::format("{}{}x{}b", text.empty() ? "" : " ", count, bits);
            result.allocation += fmt::format("{}{}: {}", result.allocation.empty() ? "" : "; ", conv.name, text);
        }
        const GemmExecutor golden = golden_executor(shape);
        const auto logits = integer_forward(model, quantized, batch, [&](const std::string& name, const GemmLayer& layer) {
            const CycleReport cycles =
                predict_cycles(make_schedule(layer.weight_bits, layer.depth, layer.pixels, shape), layer.weight_bits);
            result.cycles += cycles.total;
            result.ideal_bound += cycles.ideal_bound;
            return golden(name, layer);
        });
        for (int n = 0; n < images; ++n) result.correct += argmax(logits[n]) == model.test_labels[n];
        results.push_back(result);
    }

    const SchemeResult* uniform8 = nullptr;
    for (const SchemeResult& result : results) {
        if (result.name == "uniform8") uniform8 = &result;
    }
    out << fmt::format("{:<19} {:>6} {:>10} {:>9} {:>12} {:>9} {:>8}\n", "weights", "avg_b", "accuracy", "correct",
                       "cycles/img", "vs 8-bit", "w_error");
    out << fmt::format("{:<19} {:>6} {:>9.2f}% {:>9} {:>12} {:>9} {:>8}\n", "float", "32", 100.0 * float_correct / images,
                       fmt::format("{}/{}", float_correct, images), "-", "-", "-");
    nlohmann::json schemes_json = nlohmann::json::array();
    for (const SchemeResult& result : results) {
        const double speedup = uniform8 ? static_cast<double>(uniform8->cycles) / static_cast<double>(result.cycles) : 0;
        out << fmt::format("{:<19} {:>6.2f} {:>9.2f}% {:>9} {:>12.1f} {:>8.2f}x {:>8.4f}\n", result.name,
                           result.average_bits, 100.0 * result.correct / images,
                           fmt::format("{}/{}", result.correct, images),
                           static_cast<double>(result.cycles) / images, speedup, result.weight_error);
        schemes_json.push_back({{"scheme", result.name},
                                {"average_bits", result.average_bits},
                                {"correct", result.correct},
                                {"accuracy", static_cast<double>(result.correct) / images},
                                {"cycles", result.cycles},
                                {"cycles_per_image", static_cast<double>(result.cycles) / images},
                                {"ideal_bound", result.ideal_bound},
                                {"speedup_vs_uniform8", speedup},
                                {"weight_error", result.weight_error},
                                {"allocation", result.allocation}});
    }
    out << "\nfilter bit widths per conv layer:\n";
    for (const SchemeResult& result : results) out << fmt::format("  {:<19} {}\n", result.name, result.allocation);
    out << "avg_b: MAC-weighted average weight bits of the conv layers; w_error: sum over filters of the squared\n"
           "weight error x E[x^2] / E[y^2] of its layer (output noise relative to the layer's signal; what the\n"
           "filter-wise allocation minimises). Cycles: the conv layers of the batch on the array, golden model.\n";
    if (options.json_path) {
        const nlohmann::json document{{"model", options.model_path},
                                      {"array", normalized_json(options.config)},
                                      {"images", images},
                                      {"float_correct", float_correct},
                                      {"reference_logit_difference", reference_difference},
                                      {"schemes", schemes_json}};
        write_text(*options.json_path, document.dump(2) + "\n");
    }
}

}  // namespace fwmac
