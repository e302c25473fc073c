#include "compiler/quantize.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <tuple>

namespace fwmac {
namespace {

constexpr int kCoarseSteps = 32;  // clipping ratios a = i/32
constexpr int kFineSteps = 16;    // then a +- j/(32*16) around the best

// Quantizes with a fixed scale; returns the squared error and, if asked, the integers.
double quantize_with_scale(const std::vector<double>& weights, double scale, std::int64_t level,
                           std::vector<std::int64_t>* values) {
    if (values) values->assign(weights.size(), 0);
    if (scale <= 0.0) {
        double sum = 0.0;
        for (double w : weights) sum += w * w;
        return sum;
    }
    const auto bound = static_cast<double>(level);
    const double inverse = 1.0 / scale;
    double sum = 0.0;
    for (std::size_t k = 0; k < weights.size(); ++k) {
        const double q = std::clamp(std::round(weights[k] * inverse), -bound, bound);
        const double difference = weights[k] - scale * q;
        sum += difference * difference;
        if (values) (*values)[k] = static_cast<std::int64_t>(q);
    }
    return sum;
}

// The clipping ratio a in (0, 1] of the least squared error (ties: the larger a).
double best_clip_ratio(const std::vector<double>& weights, double max_abs, std::int64_t level) {
    double best_ratio = 1.0;
    double best_error = std::numeric_limits<double>::infinity();
    auto consider = [&](double ratio) {
        const double error = quantize_with_scale(weights, ratio * max_abs / static_cast<double>(level), level, nullptr);
        if (error < best_error) {
            best_error = error;
            best_ratio = ratio;
        }
    };
    for (int i = kCoarseSteps; i >= 1; --i) consider(static_cast<double>(i) / kCoarseSteps);
    const double coarse = best_ratio;
    for (int j = kFineSteps - 1; j >= -(kFineSteps - 1); --j) {
        const double ratio = coarse + static_cast<double>(j) / (kCoarseSteps * kFineSteps);
        if (j != 0 && ratio > 0.0 && ratio <= 1.0) consider(ratio);
    }
    return best_ratio;
}

struct Step {
    int filter;
    int from_bits;
    int to_bits;
    std::int64_t cost;
    double gain;
    double gain_per_cost;
};

// The steps along the lower convex hull of (b, e_f(b)) from min_bits, gains > 0.
void append_hull_steps(const AllocationProblem& problem, int filter, std::vector<Step>& steps) {
    const std::vector<double>& error = problem.error[filter];
    auto rate = [&](int from, int to) { return (error[from] - error[to]) / (to - from); };  // indices
    std::vector<int> hull{0};
    for (int index = 1; index <= problem.max_bits - problem.min_bits; ++index) {
        while (hull.size() >= 2 && rate(hull[hull.size() - 2], hull.back()) <= rate(hull.back(), index)) {
            hull.pop_back();
        }
        hull.push_back(index);
    }
    for (std::size_t i = 0; i + 1 < hull.size(); ++i) {
        const double gain = error[hull[i]] - error[hull[i + 1]];
        if (!(gain > 0.0)) break;  // rates decrease along the hull: no later step gains either
        const std::int64_t cost = problem.bit_cost[filter] * (hull[i + 1] - hull[i]);
        steps.push_back({filter, problem.min_bits + hull[i], problem.min_bits + hull[i + 1], cost, gain,
                         gain / static_cast<double>(cost)});
    }
}

void validate_problem(const AllocationProblem& problem) {
    if (problem.min_bits < 1 || problem.max_bits < problem.min_bits) {
        throw std::invalid_argument(
            fmt::format("allocation: bit range {}..{} is empty", problem.min_bits, problem.max_bits));
    }
    if (problem.error.size() != problem.bit_cost.size()) {
        throw std::invalid_argument("allocation: error and bit_cost differ in length");
    }
    const std::size_t widths = static_cast<std::size_t>(problem.max_bits - problem.min_bits + 1);
    for (std::size_t f = 0; f < problem.error.size(); ++f) {
        if (problem.bit_cost[f] < 1) throw std::invalid_argument(fmt::format("allocation: bit_cost[{}] < 1", f));
        if (problem.error[f].size() != widths) {
            throw std::invalid_argument(
                fmt::format("allocation: error[{}] has {} entries, expected {}", f, problem.error[f].size(), widths));
        }
        for (double e : problem.error[f]) {
            if (!std::isfinite(e)) throw std::invalid_argument(fmt::format("allocation: error[{}] not finite", f));
        }
    }
}

void require_option(bool condition, const std::string& message) {
    if (!condition) throw std::invalid_argument(message);
}

void validate_options(const QuantizeOptions& options) {
    require_option(options.min_bits >= 2 && options.min_bits <= kMaxQuantizeBits,
                   fmt::format("--min-bits = {}: allowed range 2..{} (b = 1 has no nonzero symmetric level)",
                               options.min_bits, kMaxQuantizeBits));
    require_option(options.max_bits >= options.min_bits && options.max_bits <= kMaxQuantizeBits,
                   fmt::format("--max-bits = {}: allowed range {}..{} (--min-bits..16)", options.max_bits,
                               options.min_bits, kMaxQuantizeBits));
    require_option(options.budget_bits.has_value() != options.max_relative_error.has_value(),
                   "quantize: give exactly one of --budget AVG_BITS and --max-error E");
    if (options.budget_bits) {
        const double budget = *options.budget_bits;
        require_option(std::isfinite(budget) && budget >= options.min_bits && budget <= options.max_bits,
                       fmt::format("--budget = {}: allowed range {}..{} (average weight bits per MAC, between "
                                   "--min-bits and --max-bits)",
                                   budget, options.min_bits, options.max_bits));
    } else {
        const double target = *options.max_relative_error;
        require_option(
            std::isfinite(target) && target > 0.0 && target <= 1.0,
            fmt::format("--max-error = {}: allowed range (0, 1] (per filter RMS error / RMS weight)", target));
    }
}

// Everything quantize_layers needs per filter: where its weights are and e_f(b) for all b.
struct FilterTable {
    std::size_t layer;
    int filter;
    std::vector<double> weights;
    double energy;                      // sum_k w_k^2
    std::vector<double> squared_error;  // [b - min_bits], unweighted
};

std::vector<FilterTable> error_tables(const std::vector<LayerWeights>& layers, const QuantizeOptions& options) {
    std::vector<FilterTable> tables;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const LayerWeights& layer = layers[l];
        const auto depth = static_cast<std::size_t>(layer.depth());
        for (int f = 0; f < layer.filters(); ++f) {
            FilterTable table{l, f, {}, 0.0, {}};
            table.weights.assign(layer.values.begin() + static_cast<std::ptrdiff_t>(f * depth),
                                 layer.values.begin() + static_cast<std::ptrdiff_t>((f + 1) * depth));
            for (double w : table.weights) table.energy += w * w;
            for (int bits = options.min_bits; bits <= options.max_bits; ++bits) {
                table.squared_error.push_back(quantize_filter(table.weights, bits, options.scale).squared_error);
            }
            tables.push_back(std::move(table));
        }
    }
    return tables;
}

double relative_error(const FilterTable& table, int index) {
    return table.energy > 0.0 ? std::sqrt(table.squared_error[index] / table.energy) : 0.0;
}

bool usable_file_name(const std::string& name) {
    if (name.empty() || name.size() > 200 || name[0] == '.') return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.';
    });
}

void validate_layers(const std::vector<LayerWeights>& layers) {
    require_option(!layers.empty(), "quantize: no weight files given");
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const LayerWeights& layer = layers[l];
        require_option(usable_file_name(layer.name),
                       fmt::format("layer name '{}': allowed characters A-Z a-z 0-9 _ - . (not first), 1..200 of "
                                   "them (it names the output file)",
                                   layer.name));
        for (std::size_t other = 0; other < l; ++other) {
            require_option(layers[other].name != layer.name,
                           fmt::format("layer name '{}': given twice (layer names must be unique)", layer.name));
        }
        require_option(layer.shape.size() == 2 || layer.shape.size() == 4,
                       fmt::format("layer '{}': weights have shape {}, expected [F, Cin, kh, kw] or [F, K]", layer.name,
                                   npy_shape_text(layer.shape)));
        require_option(
            layer.shape.front() >= 1 && !layer.values.empty() && layer.values.size() % layer.shape.front() == 0,
            fmt::format("layer '{}': weights of shape {} have no filters or no weights", layer.name,
                        npy_shape_text(layer.shape)));
        require_option(layer.pixels >= 1 && layer.pixels <= (std::int64_t{1} << 32),
                       fmt::format("layer '{}': pixels = {}: allowed range 1..2^32", layer.name, layer.pixels));
        require_option(
            std::isfinite(layer.activation_energy) && layer.activation_energy > 0.0,
            fmt::format("layer '{}': activation energy = {}: must be > 0", layer.name, layer.activation_energy));
    }
}

}  // namespace

std::int64_t max_level(int bits) { return (std::int64_t{1} << (bits - 1)) - 1; }

FilterQuantization quantize_filter(const std::vector<double>& weights, int bits, ScaleMethod method) {
    if (bits < 2 || bits > kMaxQuantizeBits) {
        throw std::invalid_argument(
            fmt::format("quantize_filter: bits = {}: allowed range 2..{}", bits, kMaxQuantizeBits));
    }
    const std::int64_t level = max_level(bits);
    double max_abs = 0.0;
    for (double w : weights) max_abs = std::max(max_abs, std::fabs(w));
    FilterQuantization result;
    if (max_abs > 0.0) {
        const double ratio = method == ScaleMethod::mse ? best_clip_ratio(weights, max_abs, level) : 1.0;
        result.scale = ratio * max_abs / static_cast<double>(level);
    }
    result.squared_error = quantize_with_scale(weights, result.scale, level, &result.values);
    return result;
}

Allocation allocate_bits(const AllocationProblem& problem, std::int64_t budget) {
    validate_problem(problem);
    Allocation result;
    result.bits.assign(problem.bit_cost.size(), problem.min_bits);
    std::vector<Step> steps;
    for (std::size_t f = 0; f < problem.bit_cost.size(); ++f) {
        result.cost += problem.bit_cost[f] * problem.min_bits;
        result.error += problem.error[f].front();
        append_hull_steps(problem, static_cast<int>(f), steps);
    }
    if (result.cost > budget) {
        throw std::invalid_argument(fmt::format("allocation: budget {} MAC-bits is below {} (every filter at {} bits)",
                                                budget, result.cost, problem.min_bits));
    }
    std::sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
        return std::tie(b.gain_per_cost, a.filter, a.from_bits) < std::tie(a.gain_per_cost, b.filter, b.from_bits);
    });
    bool critical_seen = false;
    for (const Step& step : steps) {
        if (result.bits[step.filter] != step.from_bits) continue;  // an earlier step of the filter did not fit
        const std::int64_t remaining = budget - result.cost;
        if (step.cost <= remaining) {
            result.bits[step.filter] = step.to_bits;
            result.cost += step.cost;
            result.error -= step.gain;
        } else if (!critical_seen) {
            critical_seen = true;
            result.error_lower_bound =
                result.error - step.gain * static_cast<double>(remaining) / static_cast<double>(step.cost);
        }
    }
    if (!critical_seen) result.error_lower_bound = result.error;
    // Recomputed from the table so that the reported error carries no subtraction drift.
    result.error = 0.0;
    for (std::size_t f = 0; f < result.bits.size(); ++f) {
        result.error += problem.error[f][static_cast<std::size_t>(result.bits[f] - problem.min_bits)];
    }
    result.error_lower_bound = std::min(result.error_lower_bound, result.error);
    return result;
}

LayerWeights layer_weights_from_npy(const NpyArray& array, const std::string& source) {
    if (!npy_is_float(array.type)) {
        throw NpyError(
            fmt::format("npy file '{}': header field 'descr' = '{}': quantize needs float weights ('<f4' "
                        "or '<f8')",
                        source, npy_descr(array.type)));
    }
    if ((array.shape.size() != 4 && array.shape.size() != 2) || array.element_count() == 0) {
        throw NpyError(
            fmt::format("npy file '{}': header field 'shape' = {}: quantize needs [F, Cin, kh, kw] (or "
                        "[F, K]) with no zero dimension",
                        source, npy_shape_text(array.shape)));
    }
    for (std::size_t i = 0; i < array.reals.size(); ++i) {
        if (!std::isfinite(array.reals[i])) {
            throw NpyError(
                fmt::format("npy file '{}': data: weight [{}] = {} is not finite", source, i, array.reals[i]));
        }
    }
    LayerWeights layer;
    layer.shape = array.shape;
    layer.values = array.reals;
    return layer;
}

QuantizationResult quantize_layers(const std::vector<LayerWeights>& layers, const QuantizeOptions& options) {
    validate_options(options);
    validate_layers(layers);
    const std::vector<FilterTable> tables = error_tables(layers, options);
    QuantizationResult result;
    result.options = options;
    AllocationProblem problem;
    problem.min_bits = options.min_bits;
    problem.max_bits = options.max_bits;
    for (const FilterTable& table : tables) {
        const LayerWeights& layer = layers[table.layer];
        problem.bit_cost.push_back(static_cast<std::int64_t>(layer.depth()) * layer.pixels);
        problem.error.emplace_back();
        for (double e : table.squared_error) problem.error.back().push_back(layer.activation_energy * e);
        result.macs += problem.bit_cost.back();
    }
    std::vector<int> bits(tables.size(), options.max_bits);
    if (options.budget_bits) {
        // The tiny relative slack keeps a budget like 4.15 from losing a MAC-bit to rounding.
        result.budget_mac_bits = static_cast<std::int64_t>(
            std::floor(*options.budget_bits * static_cast<double>(result.macs) * (1 + 1e-12)));
        const Allocation allocation = allocate_bits(problem, result.budget_mac_bits);
        bits = allocation.bits;
        result.error_lower_bound = allocation.error_lower_bound;
        result.uniform_bits = static_cast<int>(std::floor(*options.budget_bits));
        for (const auto& errors : problem.error) {
            result.uniform_error += errors[static_cast<std::size_t>(result.uniform_bits - options.min_bits)];
        }
    } else {
        for (std::size_t i = 0; i < tables.size(); ++i) {
            int index = 0;
            while (index < options.max_bits - options.min_bits &&
                   relative_error(tables[i], index) > *options.max_relative_error) {
                ++index;
            }
            bits[i] = options.min_bits + index;
            if (relative_error(tables[i], index) > *options.max_relative_error) ++result.filters_above_target;
        }
    }
    for (const LayerWeights& layer : layers) {
        QuantizedLayer out;
        out.name = layer.name;
        out.shape = layer.shape;
        out.filters = layer.filters();
        out.depth = layer.depth();
        out.pixels = layer.pixels;
        out.activation_energy = layer.activation_energy;
        result.layers.push_back(std::move(out));
    }
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const FilterTable& table = tables[i];
        QuantizedLayer& layer = result.layers[table.layer];
        const FilterQuantization quantized = quantize_filter(table.weights, bits[i], options.scale);
        const int index = bits[i] - options.min_bits;
        layer.bits.push_back(bits[i]);
        layer.scales.push_back(quantized.scale);
        layer.errors.push_back(problem.error[i][static_cast<std::size_t>(index)]);
        layer.relative_errors.push_back(relative_error(table, index));
        layer.integers.insert(layer.integers.end(), quantized.values.begin(), quantized.values.end());
        result.mac_bits += problem.bit_cost[i] * bits[i];
        result.total_error += layer.errors.back();
    }
    result.average_bits = static_cast<double>(result.mac_bits) / static_cast<double>(result.macs);
    return result;
}

FixedPointMultiplier fixed_point_multiplier(double real_multiplier) {
    if (!std::isfinite(real_multiplier) || real_multiplier < 0.0) {
        throw std::invalid_argument(
            fmt::format("requant multiplier = {}: must be a finite non-negative number", real_multiplier));
    }
    FixedPointMultiplier result;
    if (real_multiplier == 0.0) return result;
    constexpr double kMaxMult = 65535.0;
    int shift = 47;
    while (shift > 0 && std::round(std::ldexp(real_multiplier, shift)) > kMaxMult) --shift;
    const double mult = std::round(std::ldexp(real_multiplier, shift));
    if (mult > kMaxMult || mult < 1.0) {
        throw std::invalid_argument(fmt::format(
            "requant multiplier = {}: allowed range 2^-48..65535.5 (16-bit mult, shift 0..47)", real_multiplier));
    }
    result.mult = static_cast<std::uint32_t>(mult);
    result.shift = shift;
    result.relative_error = (std::ldexp(mult, -shift) - real_multiplier) / real_multiplier;
    return result;
}

}  // namespace fwmac
