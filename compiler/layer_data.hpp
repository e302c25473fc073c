// Explicit data for a layer file instead of the seeded synthetic data:
//   "weights": "W.npy"                                  integer weights [F, Cin, kh, kw];
//                                                       bits from "weight_bits"
//   "weights": {"quantized": "Q/quantized.json", "layer": "NAME"}
//                                                       weights and bits of a layer of
//                                                       `fwmac quantize` ("weight_bits" not allowed)
//   "input": "X.npy"                                    integer image [Cin, H, W] or [1, Cin, H, W]
// Paths are relative to the layer file's directory. Requant parameters (unless given as
// "requant", compiler/layer_file.hpp) and the image (when "input" is absent) still come
// from "seed".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "golden/shape.hpp"
#include "compiler/workload.hpp"

namespace fwmac {

struct LayerWeightsData {
    std::vector<int> bits;             // [F]
    std::vector<std::int64_t> values;  // [F * K], each fitting its filter's bits
};

// `listed_bits` is the parsed "weight_bits" (absent: nullopt). Throws std::invalid_argument
// naming layer.weights / layer.weight_bits: wrong shape for the conv, non-integer dtype,
// a weight that does not fit its filter's bits, bits outside 1..Bmax.
LayerWeightsData load_layer_weights(const nlohmann::json& weights, const std::optional<std::vector<int>>& listed_bits,
                                    const ConvShape& conv, const ArrayShape& shape, const std::string& base_dir);

// The image [Cin][H][W] of "input"; values must be in 0..2^A-1. Errors name layer.input.
std::vector<std::int64_t> load_layer_input(const nlohmann::json& input, const ConvShape& conv, const ArrayShape& shape,
                                           const std::string& base_dir);

}  // namespace fwmac
