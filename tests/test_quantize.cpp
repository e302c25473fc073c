// Per-filter quantization and bit allocation: hand-worked quantizer and allocation
// cases, the greedy allocation against exhaustive search, and properties of
// quantize_layers on random weights (budget, monotonicity, ranges, reported errors).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "compiler/quantize.hpp"

using Catch::Matchers::Contains;

namespace {

struct Exhaustive {
    double error = std::numeric_limits<double>::infinity();
    std::vector<int> bits;
};

// The optimum by enumerating every combination of bit widths.
Exhaustive exhaustive_optimum(const fwmac::AllocationProblem& problem, std::int64_t budget) {
    const int widths = problem.max_bits - problem.min_bits + 1;
    const std::size_t filters = problem.bit_cost.size();
    std::vector<int> index(filters, 0);
    Exhaustive best;
    while (true) {
        std::int64_t cost = 0;
        double error = 0.0;
        for (std::size_t f = 0; f < filters; ++f) {
            cost += problem.bit_cost[f] * (problem.min_bits + index[f]);
            error += problem.error[f][static_cast<std::size_t>(index[f])];
        }
        if (cost <= budget && error < best.error) {
            best.error = error;
            best.bits.clear();
            for (int i : index) best.bits.push_back(problem.min_bits + i);
        }
        std::size_t digit = 0;
        while (digit < filters && ++index[digit] == widths) index[digit++] = 0;
        if (digit == filters) return best;
    }
}

std::int64_t base_cost(const fwmac::AllocationProblem& problem) {
    std::int64_t cost = 0;
    for (std::int64_t c : problem.bit_cost) cost += c * problem.min_bits;
    return cost;
}

// Random problem: 1..5 filters, bits 2..(2..5); errors decreasing and convex, or arbitrary.
fwmac::AllocationProblem random_problem(std::mt19937_64& rng, bool equal_costs, bool convex) {
    fwmac::AllocationProblem problem;
    problem.min_bits = 2;
    problem.max_bits = std::uniform_int_distribution<int>(2, 5)(rng);
    const int filters = std::uniform_int_distribution<int>(1, 5)(rng);
    const std::vector<std::int64_t> layer_costs{1, 2, 3, 5, 8};
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int f = 0; f < filters; ++f) {
        problem.bit_cost.push_back(equal_costs ? 4 : layer_costs[rng() % layer_costs.size()]);
        std::vector<double> error;
        double value = 1.0 + 10.0 * unit(rng);
        double drop = value * (0.3 + 0.6 * unit(rng));
        for (int b = problem.min_bits; b <= problem.max_bits; ++b) {
            error.push_back(convex ? value : 10.0 * unit(rng));
            value -= drop;
            drop *= 0.2 + 0.7 * unit(rng);  // shrinking drops: convex and decreasing
        }
        problem.error.push_back(error);
    }
    return problem;
}

double largest_filter_gain(const fwmac::AllocationProblem& problem) {
    double gain = 0.0;
    for (const auto& error : problem.error) {
        gain = std::max(gain, error.front() - *std::min_element(error.begin(), error.end()));
    }
    return gain;
}

std::vector<double> gaussian_weights(std::mt19937_64& rng, std::size_t count, double sigma) {
    std::normal_distribution<double> normal(0.0, sigma);
    std::vector<double> weights(count);
    for (double& w : weights) w = normal(rng);
    return weights;
}

fwmac::LayerWeights random_layer(std::mt19937_64& rng, const std::string& name, int filters, int depth,
                                 std::int64_t pixels) {
    fwmac::LayerWeights layer;
    layer.name = name;
    layer.shape = {static_cast<std::size_t>(filters), static_cast<std::size_t>(depth)};
    layer.pixels = pixels;
    std::lognormal_distribution<double> filter_scale(0.0, 0.7);  // filters differ in magnitude
    for (int f = 0; f < filters; ++f) {
        const std::vector<double> weights = gaussian_weights(rng, static_cast<std::size_t>(depth), filter_scale(rng));
        layer.values.insert(layer.values.end(), weights.begin(), weights.end());
    }
    return layer;
}

std::string options_error(const fwmac::QuantizeOptions& options) {
    std::mt19937_64 rng(1);
    try {
        fwmac::quantize_layers({random_layer(rng, "a", 2, 4, 1)}, options);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("quantize_filter: hand-worked max-abs cases", "[quantize]") {
    const std::vector<double> weights{1.0, -0.5, 0.25, 0.0};
    SECTION("2 bits: ternary, s = max|w| / 1, halves round away from zero") {
        // q = round(w / 1) = {1, -1 (-0.5 away from zero), 0, 0};
        // error = 0 + 0.5^2 + 0.25^2 + 0 = 0.3125.
        const fwmac::FilterQuantization q = fwmac::quantize_filter(weights, 2, fwmac::ScaleMethod::max_abs);
        CHECK(q.scale == 1.0);
        CHECK(q.values == std::vector<std::int64_t>{1, -1, 0, 0});
        CHECK(q.squared_error == Approx(0.3125).epsilon(1e-12));
    }
    SECTION("3 bits: Q = 3, s = 1/3") {
        // w / s = {3, -1.5, 0.75, 0} -> q = {3, -2, 1, 0}; real {1, -2/3, 1/3, 0};
        // error = (1/6)^2 + (1/12)^2 = 1/36 + 1/144 = 5/144.
        const fwmac::FilterQuantization q = fwmac::quantize_filter(weights, 3, fwmac::ScaleMethod::max_abs);
        CHECK(q.scale == Approx(1.0 / 3).epsilon(1e-12));
        CHECK(q.values == std::vector<std::int64_t>{3, -2, 1, 0});
        CHECK(q.squared_error == Approx(5.0 / 144).epsilon(1e-12));
    }
    SECTION("an all-zero filter: scale 0, integers 0, no error") {
        const fwmac::FilterQuantization q = fwmac::quantize_filter({0.0, 0.0}, 4, fwmac::ScaleMethod::mse);
        CHECK(q.scale == 0.0);
        CHECK(q.values == std::vector<std::int64_t>{0, 0});
        CHECK(q.squared_error == 0.0);
    }
    SECTION("bits outside 2..16") {
        CHECK_THROWS_WITH(fwmac::quantize_filter(weights, 1, fwmac::ScaleMethod::mse), Contains("2..16"));
        CHECK_THROWS_WITH(fwmac::quantize_filter(weights, 17, fwmac::ScaleMethod::mse), Contains("2..16"));
    }
}

TEST_CASE("quantize_filter: the MSE clipping search finds the hand-derived optimum", "[quantize]") {
    // w = {4, 1 x 15}, 2 bits. Max-abs: s = 4, the ones round to 0: error 15.
    // With s < 2 the ones round to 1: error (4 - s)^2 + 15 (1 - s)^2, least at
    // s = (8 + 30) / 32 = 1.1875 (ratio 1.1875 / 4 = 152/512, on the fine grid):
    // error 2.8125^2 + 15 * 0.1875^2 = 7.91015625 + 0.52734375 = 8.4375.
    std::vector<double> weights(16, 1.0);
    weights[0] = 4.0;
    const fwmac::FilterQuantization max_abs = fwmac::quantize_filter(weights, 2, fwmac::ScaleMethod::max_abs);
    CHECK(max_abs.squared_error == Approx(15.0).epsilon(1e-12));
    const fwmac::FilterQuantization mse = fwmac::quantize_filter(weights, 2, fwmac::ScaleMethod::mse);
    CHECK(mse.scale == Approx(1.1875).epsilon(1e-12));
    CHECK(mse.squared_error == Approx(8.4375).epsilon(1e-12));
    CHECK(mse.values == std::vector<std::int64_t>(16, 1));
}

TEST_CASE("quantize_filter: MSE scale is never worse than max-abs, integers in the restricted range", "[quantize]") {
    std::mt19937_64 rng(2024);
    for (int trial = 0; trial < 40; ++trial) {
        const std::vector<double> weights = gaussian_weights(rng, 1 + rng() % 300, 0.1);
        for (int bits = 2; bits <= 8; ++bits) {
            INFO("trial " << trial << " bits " << bits);
            const fwmac::FilterQuantization max_abs =
                fwmac::quantize_filter(weights, bits, fwmac::ScaleMethod::max_abs);
            const fwmac::FilterQuantization mse = fwmac::quantize_filter(weights, bits, fwmac::ScaleMethod::mse);
            CHECK(mse.squared_error <= max_abs.squared_error);
            const std::int64_t level = (std::int64_t{1} << (bits - 1)) - 1;
            double recomputed = 0.0;
            for (std::size_t k = 0; k < weights.size(); ++k) {
                CHECK(std::llabs(mse.values[k]) <= level);
                recomputed += std::pow(weights[k] - mse.scale * static_cast<double>(mse.values[k]), 2);
            }
            CHECK(mse.squared_error == Approx(recomputed).epsilon(1e-9));
        }
    }
}

TEST_CASE("quantize_filter: clipping matters for Gaussian weights at 2 bits", "[quantize]") {
    // Ternary max-abs puts s at the largest of 576 normal samples (about 3 sigma), so
    // only |w| > 1.5 sigma survive: error > 0.5 of the energy. Clipped, s ~ sigma.
    std::mt19937_64 rng(7);
    const std::vector<double> weights = gaussian_weights(rng, 576, 1.0);
    const double max_abs = fwmac::quantize_filter(weights, 2, fwmac::ScaleMethod::max_abs).squared_error;
    const double mse = fwmac::quantize_filter(weights, 2, fwmac::ScaleMethod::mse).squared_error;
    CHECK(mse < 0.6 * max_abs);
}

TEST_CASE("allocate_bits: hand-worked cases", "[quantize][allocation]") {
    SECTION("one layer: the steps with the largest error reduction win") {
        // Costs 1, base 3 * 2 = 6 MAC-bits, budget 8: two extra bits.
        // Gains 2->3: f0 6, f1 6, f2 0.5; 3->4: f0 3, f1 0.5, f2 0.1.
        // Best two steps: f0 2->3 and f1 2->3: bits {3, 3, 2}, error 4 + 2 + 3 = 9.
        fwmac::AllocationProblem problem{2, 4, {1, 1, 1}, {{10, 4, 1}, {8, 2, 1.5}, {3, 2.5, 2.4}}};
        const fwmac::Allocation a = fwmac::allocate_bits(problem, 8);
        CHECK(a.bits == std::vector<int>{3, 3, 2});
        CHECK(a.cost == 8);
        CHECK(a.error == Approx(9.0));
        CHECK(a.error_lower_bound == Approx(9.0));  // the next step (f0 3->4) has no budget left
        // Budget 9: then f0 3->4 (gain 3): {4, 3, 2}, error 8.
        CHECK(fwmac::allocate_bits(problem, 9).bits == std::vector<int>{4, 3, 2});
    }
    SECTION("two layers: a step that does not fit is skipped, cheaper ones fill the budget") {
        // Costs {3, 1, 1}, bits 2..3. Gains 9 (per MAC-bit 3), 3 (3), 2.5 (2.5). Base 10.
        // Budget 12: f0's step (cost 3) does not fit the remaining 2; f1 and f2 do:
        // error 10 + 2 + 2.5 = 14.5, the optimum (f0 alone needs 3).
        // Lower bound: 20 - 9 * 2/3 = 14.
        fwmac::AllocationProblem problem{2, 3, {3, 1, 1}, {{10, 1}, {5, 2}, {5, 2.5}}};
        const fwmac::Allocation a12 = fwmac::allocate_bits(problem, 12);
        CHECK(a12.bits == std::vector<int>{2, 3, 3});
        CHECK(a12.error == Approx(14.5));
        CHECK(a12.error_lower_bound == Approx(14.0));
        // Budget 13: f0's step fits: error 1 + 5 + 5 = 11 (optimal: f1 + f2 give 14.5).
        const fwmac::Allocation a13 = fwmac::allocate_bits(problem, 13);
        CHECK(a13.bits == std::vector<int>{3, 2, 2});
        CHECK(a13.error == Approx(11.0));
    }
    SECTION("a non-convex error curve is replaced by its hull: the documented gap") {
        // e = {10, 9.5, 1} for bits 2..4: the hull goes 2 -> 4 (gain 9 for 2 bits).
        // Budget base + 1: the 2-bit hull step does not fit, so the result stays at 2 bits
        // (error 10) although 3 bits (9.5) would fit: gap 0.5 <= the step's gain 9.
        // Lower bound 10 - 9 * 1/2 = 5.5.
        fwmac::AllocationProblem problem{2, 4, {1}, {{10, 9.5, 1}}};
        const fwmac::Allocation a = fwmac::allocate_bits(problem, 3);
        CHECK(a.bits == std::vector<int>{2});
        CHECK(a.error == Approx(10.0));
        CHECK(a.error_lower_bound == Approx(5.5));
        CHECK(fwmac::allocate_bits(problem, 4).bits == std::vector<int>{4});
    }
    SECTION("no gain, no bits: a flat curve stays at min_bits") {
        fwmac::AllocationProblem problem{2, 5, {1, 1}, {{1, 1, 1, 1}, {4, 3, 3, 5}}};
        CHECK(fwmac::allocate_bits(problem, 100).bits == std::vector<int>{2, 3});
    }
    SECTION("a budget below every filter at min_bits") {
        fwmac::AllocationProblem problem{2, 4, {5, 5}, {{3, 2, 1}, {3, 2, 1}}};
        CHECK_THROWS_WITH(fwmac::allocate_bits(problem, 19), Contains("below 20"));
    }
}

TEST_CASE("allocate_bits against exhaustive search", "[quantize][allocation]") {
    const std::uint64_t seed = 99;
    std::mt19937_64 rng(seed);
    int optimal = 0, cases = 0;
    for (int trial = 0; trial < 400; ++trial) {
        const bool equal_costs = trial % 2 == 0;
        const bool convex = trial % 4 < 3;
        const fwmac::AllocationProblem problem = random_problem(rng, equal_costs, convex);
        std::int64_t full_cost = 0;
        for (std::int64_t c : problem.bit_cost) full_cost += c * problem.max_bits;
        double previous_error = std::numeric_limits<double>::infinity();
        for (std::int64_t budget = base_cost(problem); budget <= full_cost + 2; ++budget) {
            INFO("seed " << seed << " trial " << trial << " budget " << budget << " equal costs " << equal_costs
                         << " convex " << convex);
            const fwmac::Allocation greedy = fwmac::allocate_bits(problem, budget);
            const Exhaustive best = exhaustive_optimum(problem, budget);
            CHECK(greedy.cost <= budget);
            CHECK(greedy.error_lower_bound <= best.error + 1e-9);
            CHECK(greedy.error >= best.error - 1e-9);
            CHECK(greedy.error <= greedy.error_lower_bound + largest_filter_gain(problem) + 1e-9);
            CHECK(greedy.error <= previous_error + 1e-9);  // monotone in the budget
            if (equal_costs && convex) CHECK(greedy.error == Approx(best.error).margin(1e-9));
            optimal += std::fabs(greedy.error - best.error) < 1e-9;
            ++cases;
            previous_error = greedy.error;
        }
    }
    // Most budgets are solved exactly even with mixed costs (a sanity check on the bound's use).
    CHECK(optimal > cases * 8 / 10);
}

TEST_CASE("quantize_layers: budget, monotonicity, ranges and reported errors", "[quantize]") {
    std::mt19937_64 rng(5);
    const std::vector<fwmac::LayerWeights> layers{random_layer(rng, "a", 12, 36, 64),
                                                  random_layer(rng, "b", 20, 18, 16), random_layer(rng, "c", 6, 72, 4)};
    double previous_error = std::numeric_limits<double>::infinity();
    for (double budget = 2.0; budget <= 8.0; budget += 0.25) {
        INFO("budget " << budget);
        fwmac::QuantizeOptions options;
        options.budget_bits = budget;
        const fwmac::QuantizationResult result = fwmac::quantize_layers(layers, options);
        CHECK(static_cast<double>(result.mac_bits) <= budget * static_cast<double>(result.macs) + 1e-6);
        CHECK(result.average_bits <= budget + 1e-12);
        CHECK(result.total_error <= previous_error + 1e-12);
        CHECK(result.error_lower_bound <= result.total_error + 1e-12);
        previous_error = result.total_error;
        double total_error = 0.0;
        std::int64_t mac_bits = 0;
        for (std::size_t l = 0; l < layers.size(); ++l) {
            const fwmac::LayerWeights& input = layers[l];
            const fwmac::QuantizedLayer& layer = result.layers[l];
            REQUIRE(layer.integers.size() == input.values.size());
            for (int f = 0; f < layer.filters; ++f) {
                const int bits = layer.bits[static_cast<std::size_t>(f)];
                CHECK(bits >= 2);
                CHECK(bits <= 8);
                mac_bits += static_cast<std::int64_t>(input.depth()) * input.pixels * bits;
                double error = 0.0;
                for (int k = 0; k < layer.depth; ++k) {
                    const std::size_t i = static_cast<std::size_t>(f) * layer.depth + k;
                    const std::int64_t q = layer.integers[i];
                    CHECK(q >= -(std::int64_t{1} << (bits - 1)));  // fits b_f-bit two's complement
                    CHECK(q <= (std::int64_t{1} << (bits - 1)) - 1);
                    error += std::pow(input.values[i] - layer.scales[f] * static_cast<double>(q), 2);
                }
                CHECK(layer.errors[f] == Approx(error).epsilon(1e-9));
                total_error += error;
            }
        }
        CHECK(result.mac_bits == mac_bits);
        CHECK(result.total_error == Approx(total_error).epsilon(1e-9));
    }
}

TEST_CASE("quantize_layers: the budget is spent where a bit buys the most error per MAC", "[quantize]") {
    // Identical weights in two layers, one with 16x the pixels: a bit there costs 16x as
    // much, so the cheap layer gets at least as many bits, filter by filter.
    std::mt19937_64 rng(11);
    fwmac::LayerWeights expensive = random_layer(rng, "expensive", 8, 27, 256);
    fwmac::LayerWeights cheap = expensive;
    cheap.name = "cheap";
    cheap.pixels = 16;
    fwmac::QuantizeOptions options;
    options.budget_bits = 4.0;
    const fwmac::QuantizationResult result = fwmac::quantize_layers({expensive, cheap}, options);
    for (int f = 0; f < 8; ++f) CHECK(result.layers[1].bits[f] >= result.layers[0].bits[f]);
    double cheap_bits = 0, expensive_bits = 0;
    for (int f = 0; f < 8; ++f) {
        cheap_bits += result.layers[1].bits[f];
        expensive_bits += result.layers[0].bits[f];
    }
    CHECK(cheap_bits > expensive_bits);
}

TEST_CASE("quantize_layers: --max-error picks the fewest bits reaching the target", "[quantize]") {
    std::mt19937_64 rng(3);
    const fwmac::LayerWeights layer = random_layer(rng, "a", 16, 50, 9);
    for (double target : {0.02, 0.1, 0.3}) {
        fwmac::QuantizeOptions options;
        options.max_relative_error = target;
        const fwmac::QuantizationResult result = fwmac::quantize_layers({layer}, options);
        int missed = 0;
        for (int f = 0; f < 16; ++f) {
            INFO("target " << target << " filter " << f);
            const std::vector<double> weights(layer.values.begin() + f * 50, layer.values.begin() + (f + 1) * 50);
            double energy = 0.0;
            for (double w : weights) energy += w * w;
            auto relative = [&](int bits) {
                return std::sqrt(fwmac::quantize_filter(weights, bits, fwmac::ScaleMethod::mse).squared_error / energy);
            };
            const int bits = result.layers[0].bits[f];
            for (int fewer = 2; fewer < bits; ++fewer) CHECK(relative(fewer) > target);
            if (relative(bits) > target) {
                CHECK(bits == 8);
                ++missed;
            }
            CHECK(result.layers[0].relative_errors[f] == Approx(relative(bits)));
        }
        CHECK(result.filters_above_target == missed);
    }
}

TEST_CASE("quantize_layers: option errors name the option and its range", "[quantize]") {
    fwmac::QuantizeOptions options;
    options.budget_bits = 9.0;
    CHECK_THAT(options_error(options), Contains("--budget = 9") && Contains("allowed range 2..8"));
    options.budget_bits = 1.5;
    CHECK_THAT(options_error(options), Contains("--budget = 1.5") && Contains("2..8"));
    options.budget_bits = 3.0;
    options.min_bits = 1;
    CHECK_THAT(options_error(options), Contains("--min-bits = 1") && Contains("2..16"));
    options.min_bits = 4;
    options.max_bits = 3;
    CHECK_THAT(options_error(options), Contains("--max-bits = 3") && Contains("4..16"));
    options.min_bits = 2;
    options.max_bits = 8;
    options.max_relative_error = 0.1;
    CHECK_THAT(options_error(options), Contains("exactly one of --budget"));
    options.budget_bits.reset();
    options.max_relative_error = 0.0;
    CHECK_THAT(options_error(options), Contains("--max-error = 0") && Contains("(0, 1]"));
    options.max_relative_error = 1.5;
    CHECK_THAT(options_error(options), Contains("--max-error = 1.5"));
}

TEST_CASE("quantize_layers: layer names and weight arrays are validated", "[quantize]") {
    std::mt19937_64 rng(1);
    fwmac::QuantizeOptions options;
    options.budget_bits = 4.0;
    const fwmac::LayerWeights a = random_layer(rng, "a", 2, 4, 1);
    CHECK_THROWS_WITH(fwmac::quantize_layers({a, a}, options), Contains("layer name 'a'") && Contains("twice"));
    fwmac::LayerWeights hidden = a;
    hidden.name = ".hidden";
    CHECK_THROWS_WITH(fwmac::quantize_layers({hidden}, options), Contains("layer name '.hidden'"));
    fwmac::NpyArray integers;
    integers.type = fwmac::NpyType::int8;
    integers.shape = {2, 2, 1, 1};
    integers.integers = {1, 2, 3, 4};
    CHECK_THROWS_WITH(fwmac::layer_weights_from_npy(integers, "i.npy"),
                      Contains("npy file 'i.npy'") && Contains("'descr' = '|i1'") && Contains("float"));
    fwmac::NpyArray cube;
    cube.shape = {2, 2, 2};
    cube.reals.assign(8, 0.5);
    CHECK_THROWS_WITH(fwmac::layer_weights_from_npy(cube, "c.npy"),
                      Contains("'shape' = (2, 2, 2)") && Contains("[F, Cin, kh, kw]"));
    cube.shape = {2, 4};
    cube.reals[5] = std::nan("");
    CHECK_THROWS_WITH(fwmac::layer_weights_from_npy(cube, "c.npy"), Contains("weight [5]") && Contains("not finite"));
}

TEST_CASE("fixed_point_multiplier: hand-worked cases", "[quantize][requant]") {
    // 1.0: 2^16 * 1 = 65536 > 65535, so shift 15, mult 32768, exact.
    fwmac::FixedPointMultiplier m = fwmac::fixed_point_multiplier(1.0);
    CHECK(m.mult == 32768);
    CHECK(m.shift == 15);
    CHECK(m.relative_error == 0.0);
    // 0.1: 0.1 * 2^19 = 52428.8 -> 52429 (2^20 would give 104858 > 65535);
    // relative error 52429 / 52428.8 - 1 = 3.8147e-6.
    m = fwmac::fixed_point_multiplier(0.1);
    CHECK(m.mult == 52429);
    CHECK(m.shift == 19);
    CHECK(m.relative_error == Approx(0.2 / 52428.8).epsilon(1e-6));
    // 65535: shift 0.
    m = fwmac::fixed_point_multiplier(65535.0);
    CHECK(m.mult == 65535);
    CHECK(m.shift == 0);
    // 3e-10: shift capped at 47, 3e-10 * 2^47 = 3e-10 * 140737488355328 = 42221.25 -> 42221.
    m = fwmac::fixed_point_multiplier(3e-10);
    CHECK(m.mult == 42221);
    CHECK(m.shift == 47);
    // 2^-47: mult 1 at shift 47.
    m = fwmac::fixed_point_multiplier(std::ldexp(1.0, -47));
    CHECK(m.mult == 1);
    CHECK(m.shift == 47);
    m = fwmac::fixed_point_multiplier(0.0);
    CHECK(m.mult == 0);
    CHECK(m.shift == 0);
    CHECK_THROWS_WITH(fwmac::fixed_point_multiplier(70000.0), Contains("70000") && Contains("allowed range"));
    CHECK_THROWS_WITH(fwmac::fixed_point_multiplier(std::ldexp(1.0, -50)), Contains("allowed range"));
    CHECK_THROWS_WITH(fwmac::fixed_point_multiplier(-0.5), Contains("non-negative"));
}

TEST_CASE("fixed_point_multiplier: mult keeps 16 significant bits below shift 47", "[quantize][requant]") {
    std::mt19937_64 rng(8);
    std::uniform_real_distribution<double> exponent(-40.0, 15.9);
    for (int i = 0; i < 2000; ++i) {
        const double real = std::exp2(exponent(rng));
        INFO("m = " << real);
        const fwmac::FixedPointMultiplier m = fwmac::fixed_point_multiplier(real);
        CHECK(m.mult <= 65535);
        CHECK(m.shift >= 0);
        CHECK(m.shift <= 47);
        if (m.shift < 47) {
            CHECK(m.mult >= 32768);
            CHECK(std::fabs(m.relative_error) <= std::ldexp(1.0, -16));
        }
        CHECK(std::ldexp(static_cast<double>(m.mult), -m.shift) == Approx(real * (1 + m.relative_error)));
    }
}
