// Scalar arithmetic of one PE and one requantizer, bit-exact with the RTL.
#pragma once

#include <cstdint>
#include <vector>

namespace fwmac {

// Bit `plane` of the two's-complement weight `weight`. Planes at or above the
// weight's own width read its sign bit, which is exactly the sign extension the
// array applies to rows whose filter is narrower than the group's b_g.
inline int weight_plane_bit(std::int64_t weight, int plane) {
    return static_cast<int>((weight >> (plane < 63 ? plane : 63)) & 1);  // arithmetic shift repeats the sign
}

// Smallest and largest value of a `bits`-bit two's-complement weight.
std::int64_t min_weight(int bits);
std::int64_t max_weight(int bits);

// One tile's accumulation for one PE, in the RTL's order: chunks of `lanes`
// elements outer, bit-planes MSB (sign plane) first inner:
//   p = -dot(plane b-1); p = 2p + dot(plane k) for k = b-2..0; acc += p.
// `weights` and `activations` hold K elements; K is zero-padded to whole chunks.
std::int64_t bit_serial_dot(const std::vector<std::int64_t>& weights,
                            const std::vector<std::int64_t>& activations, int planes, int lanes);

// The same tile on a PE of the bit-parallel array: per chunk of `lanes` elements the
// lanes' full products a * w are summed (the signed adder tree), then acc += dot.
std::int64_t bit_parallel_dot(const std::vector<std::int64_t>& weights,
                              const std::vector<std::int64_t>& activations, int lanes);

struct RequantParams {
    std::int64_t bias = 0;    // signed, accumulator scale, must fit in ACC_W bits
    std::uint32_t mult = 1;   // unsigned, 16 bit
    int shift = 0;            // 0..47, arithmetic right shift with round half up
};

struct OutputMode {
    bool relu = false;  // clamp to [0, 2^A-1] instead of [-2^(A-1), 2^(A-1)-1]
    bool raw = false;   // emit the accumulator unmodified (bias/mult/shift ignored)
};

// y = clamp(((acc + bias) * mult + round) >>> shift), or acc itself in raw mode.
std::int64_t requantize(std::int64_t acc, const RequantParams& params, const OutputMode& mode,
                        int act_bits);

}  // namespace fwmac
