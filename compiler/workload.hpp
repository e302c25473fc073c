// Layers to run: seeded random GEMM layers (tests, TB) and conv layers lowered by
// im2col with synthetic data (demo, benchmarks).
#pragma once

#include <cstdint>
#include <vector>

#include "golden/conv.hpp"
#include "golden/layer.hpp"

namespace fwmac {

struct LayerLimits {
    int max_filters = 1;
    int max_depth = 1;
    int max_pixels = 1;
    int min_depth = 1;  // K is drawn from min_depth..max_depth (both within k_max)
};

// Random F, K, P within the limits (K also within k_max), random b_f in 1..Bmax,
// weights and activations that include the extremes, random requant parameters
// scaled so that outputs are not all clamped, and a random output mode.
GemmLayer random_layer(const ArrayShape& shape, std::uint64_t seed, const LayerLimits& limits);

// Replaces every filter's requant parameters by draws over their whole legal range
// (shift 0..47, mult 0..65535, bias over the ACC_W-bit range, each with its extremes),
// so the requantizer's shifter, clamp and saturation see every case; most outputs then
// clamp or round to 0, which the bit-exact check covers as well as any other value.
void widen_requant(GemmLayer& layer, const ArrayShape& shape, std::uint64_t seed);

// A conv layer with seeded random weights (filter f uses its weight_bits[f]) and a
// random A-bit input image, lowered to GEMM over its first `pixels` output pixels
// (0 < pixels <= conv.pixels(); the draws do not depend on it), with requant parameters
// fitted so that the outputs use the A-bit range.
GemmLayer synthetic_conv_layer(const ConvShape& conv, const std::vector<int>& weight_bits, std::uint64_t seed,
                               const ArrayShape& shape, const OutputMode& mode, int pixels);

// The same layer with the image it was lowered from ([Cin][H][W]), for a consumer that
// does its own lowering (the accelerator's hardware im2col).
struct SyntheticConv {
    GemmLayer layer;
    std::vector<std::int64_t> image;
};
SyntheticConv synthetic_conv(const ConvShape& conv, const std::vector<int>& weight_bits, std::uint64_t seed,
                             const ArrayShape& shape, const OutputMode& mode, int pixels);

}  // namespace fwmac
