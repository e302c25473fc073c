// Layers to run: seeded random GEMM layers (tests, TB) and conv layers lowered by
// im2col with synthetic data (demo, benchmarks).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "golden/conv.hpp"
#include "golden/layer.hpp"

namespace fwmac {

struct LayerLimits {
    int max_filters = 1;
    int max_depth = 1;
    int max_pixels = 1;
};

// Random F, K, P within the limits (K also within k_max), random b_f in 1..Bmax,
// weights and activations that include the extremes, random requant parameters
// scaled so that outputs are not all clamped, and a random output mode.
GemmLayer random_layer(const ArrayShape& shape, std::uint64_t seed, const LayerLimits& limits);

// A conv layer with seeded random weights (filter f uses its weight_bits[f]) and a
// random A-bit input image, lowered to GEMM, with requant parameters fitted so that
// the outputs use the A-bit range.
GemmLayer synthetic_conv_layer(const ConvShape& conv, const std::vector<int>& weight_bits, std::uint64_t seed,
                               const ArrayShape& shape, const OutputMode& mode);

struct LayerFile {
    std::string name;
    GemmLayer layer;
};

// Reads a conv layer description (docs in README "Layer files"): conv shape, per-filter
// weight bits, seed, output mode, optional explicit weights/input (compiler/layer_data.hpp).
// Errors name the JSON field and its allowed range.
LayerFile load_layer_file(const std::string& path, const ArrayShape& shape);
// The same from parsed JSON; throws std::invalid_argument naming the field. Relative
// paths of explicit data are resolved against `base_dir` (the layer file's directory).
LayerFile parse_layer_json(const nlohmann::json& file, const ArrayShape& shape, const std::string& base_dir = "");

}  // namespace fwmac
