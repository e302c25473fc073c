// Requantization y = clamp(((acc + bias) * mult + round) >>> shift), every expected
// value derived by hand in the comment above its check.
#include <catch2/catch.hpp>

#include <cstdint>

#include "golden/arith.hpp"

namespace {

constexpr fwmac::OutputMode kSigned{false, false};
constexpr fwmac::OutputMode kRelu{true, false};
constexpr fwmac::OutputMode kRaw{false, true};

std::int64_t requant(std::int64_t acc, std::int64_t bias, std::uint32_t mult, int shift,
                     const fwmac::OutputMode& mode, int act_bits) {
    fwmac::RequantParams params;
    params.bias = bias;
    params.mult = mult;
    params.shift = shift;
    return fwmac::requantize(acc, params, mode, act_bits);
}

}  // namespace

TEST_CASE("requantize: bias, multiply, rounding shift", "[requant]") {
    SECTION("positive value inside the range") {
        // t = 100 - 4 = 96; 96 * 3 = 288; round = 1 << (2-1) = 2; 290 >> 2 = 72.
        CHECK(requant(100, -4, 3, 2, kSigned, 8) == 72);
        CHECK(requant(100, -4, 3, 2, kRelu, 8) == 72);
    }
    SECTION("exact halves round up, towards +infinity, for both signs") {
        // 6 / 4 = 1.5: (6 + 2) >> 2 = 8 >> 2 = 2.
        CHECK(requant(6, 0, 1, 2, kSigned, 8) == 2);
        // -6 / 4 = -1.5: (-6 + 2) >> 2 = -4 >> 2 = -1 (not -2: half up, not away from zero).
        CHECK(requant(-6, 0, 1, 2, kSigned, 8) == -1);
        // -2 / 4 = -0.5: (-2 + 2) >> 2 = 0.
        CHECK(requant(-2, 0, 1, 2, kSigned, 8) == 0);
    }
    SECTION("non-halves round to nearest") {
        // 5 / 4 = 1.25: (5 + 2) >> 2 = 7 >> 2 = 1.
        CHECK(requant(5, 0, 1, 2, kSigned, 8) == 1);
        // -7 / 4 = -1.75: (-7 + 2) >> 2 = -5 >> 2 = floor(-1.25) = -2.
        CHECK(requant(-7, 0, 1, 2, kSigned, 8) == -2);
        // -5 / 4 = -1.25: (-5 + 2) >> 2 = -3 >> 2 = floor(-0.75) = -1.
        CHECK(requant(-5, 0, 1, 2, kSigned, 8) == -1);
    }
    SECTION("shift 0 adds no rounding term") {
        // (7 + 0) * 5 = 35, no shift.
        CHECK(requant(7, 0, 5, 0, kSigned, 8) == 35);
        // (-3 + 0) * 3 = -9.
        CHECK(requant(-3, 0, 3, 0, kSigned, 8) == -9);
        // (10 + 1) * 1 = 11 (a rounding term of 1 would not show here, but 2^-1 must not be formed).
        CHECK(requant(10, 1, 1, 0, kSigned, 8) == 11);
    }
    SECTION("bias applies before the multiply") {
        // t = 10 - 10 = 0; 0 * 100 = 0; (0 + 4) >> 3 = 0.
        CHECK(requant(10, -10, 100, 3, kSigned, 8) == 0);
        // t = -20 + 30 = 10; 10 * 7 = 70; (70 + 8) >> 4 = 78 >> 4 = 4 (70/16 = 4.375).
        CHECK(requant(-20, 30, 7, 4, kSigned, 8) == 4);
    }
    SECTION("mult 0 gives 0 (a padding row's parameters)") {
        // t * 0 = 0 whatever acc and bias; 0 >> s = 0.
        CHECK(requant(123456, -77, 0, 5, kSigned, 8) == 0);
        CHECK(requant(-123456, 0, 0, 0, kRelu, 8) == 0);
    }
    SECTION("largest multiplier and shift 47") {
        // acc = 2^40, mult = 65535: product = 65535 * 2^40; round = 2^46;
        // (65535 * 2^40 + 2^46) >> 47 = floor(65535/128 + 1/2) = floor(511.99 + 0.5) = 512.
        CHECK(requant(std::int64_t{1} << 40, 0, 65535, 47, kSigned, 16) == 512);
        // Negative mirror: -65535/128 + 1/2 = -511.49 -> floor = -512.
        CHECK(requant(-(std::int64_t{1} << 40), 0, 65535, 47, kSigned, 16) == -512);
    }
}

TEST_CASE("requantize: clamping", "[requant]") {
    SECTION("relu, A = 8: clamp to [0, 255]") {
        // -50 * 1 >> 0 = -50 < 0 -> 0.
        CHECK(requant(-50, 0, 1, 0, kRelu, 8) == 0);
        // 1000 > 255 -> 255.
        CHECK(requant(1000, 0, 1, 0, kRelu, 8) == 255);
        // 200 fits [0, 255] (it would clamp to 127 in signed mode).
        CHECK(requant(200, 0, 1, 0, kRelu, 8) == 200);
        // (-6 + 2) >> 2 = -1 -> 0.
        CHECK(requant(-6, 0, 1, 2, kRelu, 8) == 0);
        // Boundaries stay: 255 and 0.
        CHECK(requant(255, 0, 1, 0, kRelu, 8) == 255);
        CHECK(requant(256, 0, 1, 0, kRelu, 8) == 255);
    }
    SECTION("signed, A = 8: clamp to [-128, 127]") {
        CHECK(requant(1000, 0, 1, 0, kSigned, 8) == 127);
        CHECK(requant(-1000, 0, 1, 0, kSigned, 8) == -128);
        CHECK(requant(127, 0, 1, 0, kSigned, 8) == 127);
        CHECK(requant(128, 0, 1, 0, kSigned, 8) == 127);
        CHECK(requant(-128, 0, 1, 0, kSigned, 8) == -128);
        CHECK(requant(-129, 0, 1, 0, kSigned, 8) == -128);
    }
    SECTION("A = 16 ranges: relu [0, 65535], signed [-32768, 32767]") {
        CHECK(requant(40000, 0, 1, 0, kRelu, 16) == 40000);
        CHECK(requant(70000, 0, 1, 0, kRelu, 16) == 65535);
        CHECK(requant(40000, 0, 1, 0, kSigned, 16) == 32767);
        CHECK(requant(-40000, 0, 1, 0, kSigned, 16) == -32768);
    }
    SECTION("A = 1: relu [0, 1], signed [-1, 0]") {
        CHECK(requant(5, 0, 1, 0, kRelu, 1) == 1);
        CHECK(requant(5, 0, 1, 0, kSigned, 1) == 0);
        CHECK(requant(-5, 0, 1, 0, kSigned, 1) == -1);
    }
}

TEST_CASE("requantize: raw mode returns the accumulator unmodified", "[requant]") {
    // bias, mult and shift are ignored; no clamp even far outside the A-bit range.
    CHECK(requant(123456789, 5, 7, 3, kRaw, 8) == 123456789);
    CHECK(requant(-42, 1000, 0, 47, kRaw, 8) == -42);
    // raw wins over relu.
    CHECK(requant(-42, 0, 1, 0, fwmac::OutputMode{true, true}, 8) == -42);
    CHECK(requant(-(std::int64_t{1} << 45), 0, 1, 0, kRaw, 16) == -(std::int64_t{1} << 45));
}
