// Per-filter symmetric uniform weight quantization and the computational-complexity-
// aware choice of per-filter bit widths (`fwmac quantize`).
//
// Quantizer. Filter f at b bits: q_k = clamp(round(w_k * (1/s)), -Q, Q) with Q = 2^(b-1) - 1
// (round half away from zero; multiplying by 1/s is 20 % faster than dividing in the
// scale search), real weight ~ s * q_k. The range is the *restricted*
// symmetric one: -2^(b-1) is never used, so the grid is symmetric about zero and b = 2
// is ternary {-s, 0, s}. Every q fits b-bit two's complement, as the array needs.
// Scale: `max_abs` s = max|w| / Q (no clipping); `mse` searches the clipping ratio
// a in (0, 1], s = a * max|w| / Q, for the least squared error (32 coarse steps of
// 1/32, then 31 steps of 1/512 around the best; a = 1 is a candidate, so `mse` is
// never worse than `max_abs`). An all-zero filter gets s = 0 and q = 0.
//
// Error. e_f(b) = energy_l * sum_k (w_k - s q_k)^2: the weight-domain squared error,
// times an optional per-layer activation energy E[x^2] of the layer's input (default 1).
// With inputs of energy E[x^2] uncorrelated with the error, energy * sum_k dw_k^2 is the
// expected squared error of one output of the filter, so the factor makes errors of
// layers with different input statistics comparable.
//
// Allocation. Minimise sum_f e_f(b_f) subject to sum_f MACs_f * b_f <= budget,
// b_f in [Bmin, Bmax], MACs_f = K * P of the filter's layer: a multiple-choice knapsack.
// Greedy marginal gain on convex hulls: each filter's points (b, e_f(b)) are reduced to
// their lower convex hull from Bmin (steps with no gain dropped), so its steps have
// strictly decreasing error reduction per bit; all steps of all filters are sorted by
// error reduction per added MAC-bit and taken in that order whenever they fit the
// remaining budget (a step that does not fit is skipped, with the filter's later steps).
// Properties (tested against exhaustive search):
//   - the steps taken before the first one that does not fit are the Lagrangian (LP
//     relaxation) solution, so  lower_bound = E_prefix - gain_critical * remaining/cost
//     <= optimum <= result <= lower_bound + gain of that one step;
//   - if all MACs_f are equal (one layer) and every e_f is convex, the result is optimal;
//   - the result's error never increases with the budget.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/npy.hpp"

namespace fwmac {

enum class ScaleMethod { max_abs, mse };

constexpr int kMaxQuantizeBits = 16;  // the array's widest weight (config max_weight_bits <= 16)

// Largest quantization level Q = 2^(b-1) - 1 of the restricted symmetric range.
std::int64_t max_level(int bits);

struct FilterQuantization {
    double scale = 0.0;                // real weight ~ scale * integer
    std::vector<std::int64_t> values;  // in [-max_level(bits), max_level(bits)]
    double squared_error = 0.0;        // sum_k (w_k - scale * q_k)^2
};

// Quantizes one filter's weights to `bits` bits (2..16) with the given scale method.
FilterQuantization quantize_filter(const std::vector<double>& weights, int bits, ScaleMethod method);

// The generic allocation problem: per filter the cost of one bit and e_f(b).
struct AllocationProblem {
    int min_bits = 2;
    int max_bits = 8;
    std::vector<std::int64_t> bit_cost;      // [F] MACs_f: cost of one more bit of filter f
    std::vector<std::vector<double>> error;  // [F][b - min_bits] e_f(b)
};

struct Allocation {
    std::vector<int> bits;           // [F] in [min_bits, max_bits]
    std::int64_t cost = 0;           // sum_f bit_cost_f * bits_f <= budget
    double error = 0.0;              // sum_f e_f(bits_f)
    double error_lower_bound = 0.0;  // LP relaxation: no allocation within the budget has less error
};

// Greedy marginal-gain allocation (see the header comment). Throws std::invalid_argument
// if the budget is below sum_f bit_cost_f * min_bits or the problem is malformed.
Allocation allocate_bits(const AllocationProblem& problem, std::int64_t budget);

// One layer's float weights: [F, Cin, kh, kw] (or [F, K]) in C order, and its output pixels.
struct LayerWeights {
    std::string name;
    std::vector<std::size_t> shape;
    std::vector<double> values;      // F * K
    std::int64_t pixels = 1;         // P
    double activation_energy = 1.0;  // E[x^2] of the layer's input (error weight)

    int filters() const { return static_cast<int>(shape.front()); }
    int depth() const { return static_cast<int>(values.size() / shape.front()); }  // K
};

// Float weights from an .npy array ('<f4' or '<f8', 2 or 4 dimensions, finite values).
LayerWeights layer_weights_from_npy(const NpyArray& array, const std::string& source);

// Options as the CLI names them; exactly one of budget_bits / max_relative_error.
struct QuantizeOptions {
    int min_bits = 2;                          // --min-bits, 2..16
    int max_bits = 8;                          // --max-bits, min_bits..16
    ScaleMethod scale = ScaleMethod::mse;      // --scale
    std::optional<double> budget_bits;         // --budget: average bits per MAC, min..max
    std::optional<double> max_relative_error;  // --max-error: per filter RMS(w - q s) / RMS(w), (0, 1]
};

struct QuantizedLayer {
    std::string name;
    std::vector<std::size_t> shape;
    int filters = 0;
    int depth = 0;
    std::int64_t pixels = 0;
    double activation_energy = 1.0;
    std::vector<int> bits;                // [F]
    std::vector<double> scales;           // [F]
    std::vector<double> errors;           // [F] e_f(b_f), energy-weighted
    std::vector<double> relative_errors;  // [F] sqrt(sum dw^2 / sum w^2)
    std::vector<std::int64_t> integers;   // [F * K]

    std::int64_t macs_per_filter() const { return static_cast<std::int64_t>(depth) * pixels; }
};

struct QuantizationResult {
    QuantizeOptions options;
    std::vector<QuantizedLayer> layers;
    std::int64_t macs = 0;      // sum over filters of K * P
    std::int64_t mac_bits = 0;  // sum over filters of K * P * b_f
    double average_bits = 0.0;  // mac_bits / macs
    double total_error = 0.0;
    // Budget mode: the budget in MAC-bits, the LP lower bound on the error, and every
    // filter at floor(budget) bits (the uniform quantization within the same budget).
    std::int64_t budget_mac_bits = 0;
    double error_lower_bound = 0.0;
    int uniform_bits = 0;
    double uniform_error = 0.0;
    // Max-error mode: filters that miss the target even at max_bits (they get max_bits).
    int filters_above_target = 0;
};

// Quantizes the layers jointly. Errors name the option and its allowed range.
QuantizationResult quantize_layers(const std::vector<LayerWeights>& layers, const QuantizeOptions& options);

// A real-valued requant multiplier m > 0 (weight_scale * input_scale / output_scale) as
// the array's mult * 2^-shift: shift is the largest in 0..47 with round(m 2^shift) <=
// 65535, so mult keeps as many significant bits as possible (mult >= 2^15, relative error
// <= 2^-16, whenever shift < 47). m = 0 gives {0, 0}. Throws std::invalid_argument if m is
// negative, not finite, below 2^-48 (mult would round to 0) or above 65535.5.
struct FixedPointMultiplier {
    std::uint32_t mult = 0;
    int shift = 0;
    double relative_error = 0.0;  // (mult 2^-shift - m) / m
};
FixedPointMultiplier fixed_point_multiplier(double real_multiplier);

}  // namespace fwmac
