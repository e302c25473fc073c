// PE arithmetic: bit-plane extraction and the bit-serial dot product against a
// plain integer dot product computed here, independently of the golden model.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "golden/arith.hpp"

namespace {

using Rng = std::mt19937_64;
constexpr std::uint64_t kArithSeed = 0x0f3a'c0de'2024'0001ULL;

std::int64_t uniform(Rng& rng, std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(rng);
}

// The oracle: sum_k w_k * a_k, no bit planes, no chunking.
std::int64_t plain_dot(const std::vector<std::int64_t>& weights, const std::vector<std::int64_t>& activations) {
    std::int64_t sum = 0;
    for (std::size_t k = 0; k < weights.size(); ++k) sum += weights[k] * activations[k];
    return sum;
}

// Two's-complement range of a b-bit weight, written out here rather than taken
// from min_weight/max_weight so the generator of test data is independent.
std::int64_t lowest(int bits) { return -(std::int64_t{1} << (bits - 1)); }
std::int64_t highest(int bits) { return (std::int64_t{1} << (bits - 1)) - 1; }

struct DotCase {
    int max_bits = 8;  // Bmax of the array the case belongs to
    int bits = 1;      // the filter's own width b
    int act_bits = 8;  // A
    int planes = 1;    // b_g >= b: planes above b must sign-extend exactly
    int lanes = 1;
    std::vector<std::int64_t> weights;
    std::vector<std::int64_t> activations;
};

// One random case; a quarter of the widths are pinned to the extremes b = 1 and
// b = Bmax, and weight/activation styles include the all-extreme vectors.
DotCase random_case(Rng& rng) {
    DotCase c;
    c.max_bits = uniform(rng, 0, 1) ? 16 : 8;
    switch (uniform(rng, 0, 7)) {
        case 0: c.bits = 1; break;
        case 1: c.bits = c.max_bits; break;
        default: c.bits = static_cast<int>(uniform(rng, 1, c.max_bits));
    }
    c.act_bits = static_cast<int>(uniform(rng, 0, 3) == 0 ? uniform(rng, 1, 16) : (uniform(rng, 0, 1) ? 8 : 16));
    switch (uniform(rng, 0, 3)) {
        case 0: c.planes = c.bits; break;
        case 1: c.planes = c.max_bits; break;
        default: c.planes = c.bits + static_cast<int>(uniform(rng, 0, c.max_bits + 8)); break;
    }
    c.lanes = static_cast<int>(uniform(rng, 1, 16));
    const auto length = static_cast<std::size_t>(uniform(rng, 1, 200));
    const int weight_style = static_cast<int>(uniform(rng, 0, 4));
    const bool saturated = uniform(rng, 0, 3) == 0;
    const std::int64_t max_act = (std::int64_t{1} << c.act_bits) - 1;
    for (std::size_t k = 0; k < length; ++k) {
        std::int64_t w = 0;
        switch (weight_style) {
            case 0: w = lowest(c.bits); break;   // all -2^(b-1)
            case 1: w = highest(c.bits); break;  // all 2^(b-1)-1
            case 2: w = uniform(rng, 0, 1) ? lowest(c.bits) : highest(c.bits); break;
            default: w = uniform(rng, lowest(c.bits), highest(c.bits)); break;
        }
        c.weights.push_back(w);
        c.activations.push_back(saturated ? max_act : uniform(rng, 0, max_act));
    }
    return c;
}

}  // namespace

TEST_CASE("weight_plane_bit reads two's-complement planes and sign-extends", "[arith]") {
    SECTION("-3 in 3 bits is 101b") {
        CHECK(fwmac::weight_plane_bit(-3, 0) == 1);
        CHECK(fwmac::weight_plane_bit(-3, 1) == 0);
        CHECK(fwmac::weight_plane_bit(-3, 2) == 1);
    }
    SECTION("planes above the width of a negative weight read 1") {
        CHECK(fwmac::weight_plane_bit(-3, 3) == 1);
        CHECK(fwmac::weight_plane_bit(-3, 5) == 1);
        CHECK(fwmac::weight_plane_bit(-1, 0) == 1);   // -1 in 1 bit = 1b
        CHECK(fwmac::weight_plane_bit(-1, 15) == 1);
        CHECK(fwmac::weight_plane_bit(-128, 6) == 0);  // -128 = 1000_0000b
        CHECK(fwmac::weight_plane_bit(-128, 7) == 1);
        CHECK(fwmac::weight_plane_bit(-128, 12) == 1);
        CHECK(fwmac::weight_plane_bit(-32768, 15) == 1);
        CHECK(fwmac::weight_plane_bit(-32768, 14) == 0);
        CHECK(fwmac::weight_plane_bit(-2, 63) == 1);
    }
    SECTION("positive weights: 5 = 0101b, upper planes 0") {
        CHECK(fwmac::weight_plane_bit(5, 0) == 1);
        CHECK(fwmac::weight_plane_bit(5, 1) == 0);
        CHECK(fwmac::weight_plane_bit(5, 2) == 1);
        CHECK(fwmac::weight_plane_bit(5, 3) == 0);
        CHECK(fwmac::weight_plane_bit(5, 10) == 0);
        CHECK(fwmac::weight_plane_bit(127, 6) == 1);
        CHECK(fwmac::weight_plane_bit(127, 7) == 0);
        CHECK(fwmac::weight_plane_bit(0, 0) == 0);
        CHECK(fwmac::weight_plane_bit(0, 40) == 0);
    }
}

TEST_CASE("min_weight / max_weight are the two's-complement extremes", "[arith]") {
    CHECK(fwmac::min_weight(1) == -1);
    CHECK(fwmac::max_weight(1) == 0);
    CHECK(fwmac::min_weight(2) == -2);
    CHECK(fwmac::max_weight(2) == 1);
    CHECK(fwmac::min_weight(8) == -128);
    CHECK(fwmac::max_weight(8) == 127);
    CHECK(fwmac::min_weight(16) == -32768);
    CHECK(fwmac::max_weight(16) == 32767);
}

TEST_CASE("bit_serial_dot hand-worked cases", "[arith]") {
    // w = {-3, 2} (3 bits), a = {5, 7}: -15 + 14 = -1, independent of lanes and of
    // extra sign-extension planes.
    const std::vector<std::int64_t> w{-3, 2};
    const std::vector<std::int64_t> a{5, 7};
    CHECK(fwmac::bit_serial_dot(w, a, 3, 1) == -1);
    CHECK(fwmac::bit_serial_dot(w, a, 3, 2) == -1);
    CHECK(fwmac::bit_serial_dot(w, a, 7, 4) == -1);
    // 1-bit weights are 0 or -1: {-1, 0, -1} . {9, 100, 4} = -13.
    CHECK(fwmac::bit_serial_dot({-1, 0, -1}, {9, 100, 4}, 1, 2) == -13);
    // Zero activations give zero whatever the weights.
    CHECK(fwmac::bit_serial_dot({-128, 127, -1}, {0, 0, 0}, 8, 3) == 0);
    // Mismatched lengths are rejected.
    const std::vector<std::int64_t> two{1, 2};
    const std::vector<std::int64_t> one{1};
    CHECK_THROWS_AS(fwmac::bit_serial_dot(two, one, 2, 1), std::invalid_argument);
}

TEST_CASE("bit_serial_dot at the extremes: all weights -2^(b-1), activations 2^A-1", "[arith]") {
    for (int max_bits : {8, 16}) {
        for (int bits = 1; bits <= max_bits; ++bits) {
            for (int act_bits : {1, 8, 16}) {
                for (int length : {1, 7, 200}) {
                    for (int lanes : {1, 3, 16}) {
                        for (int planes : {bits, max_bits, bits + 9}) {
                            if (planes < bits) continue;
                            CAPTURE(max_bits, bits, act_bits, length, lanes, planes);
                            const std::int64_t w = -(std::int64_t{1} << (bits - 1));
                            const std::int64_t a = (std::int64_t{1} << act_bits) - 1;
                            const std::vector<std::int64_t> weights(static_cast<std::size_t>(length), w);
                            const std::vector<std::int64_t> acts(static_cast<std::size_t>(length), a);
                            // Closed form: length * w * a.
                            REQUIRE(fwmac::bit_serial_dot(weights, acts, planes, lanes) == length * w * a);
                        }
                    }
                }
            }
        }
    }
}

TEST_CASE("bit_serial_dot equals the plain dot product on random cases", "[arith][property]") {
    constexpr int kCases = 12000;
    int extremes_b1 = 0;
    int extremes_bmax = 0;
    int wide_planes = 0;
    for (int case_index = 0; case_index < kCases; ++case_index) {
        const std::uint64_t seed = kArithSeed + static_cast<std::uint64_t>(case_index);
        Rng rng(seed);  // one generator per case: a failure reproduces from its seed alone
        const DotCase c = random_case(rng);
        extremes_b1 += c.bits == 1;
        extremes_bmax += c.bits == c.max_bits;
        wide_planes += c.planes > c.bits;
        CAPTURE(seed, case_index, c.max_bits, c.bits, c.act_bits, c.planes, c.lanes, c.weights.size());
        REQUIRE(fwmac::bit_serial_dot(c.weights, c.activations, c.planes, c.lanes) ==
                plain_dot(c.weights, c.activations));
    }
    // The generator really covered the extremes the property is about.
    CHECK(extremes_b1 > 500);
    CHECK(extremes_bmax > 500);
    CHECK(wide_planes > kCases / 2);
}
