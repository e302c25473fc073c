// The files `fwmac quantize` writes (quantized.json + one integer .npy per layer) and
// the reader the layer-file flow uses to run a quantized layer.
//
// quantized.json: {"format": "fwmac-quantized-weights", "format_version": 1,
//   "quantizer": {...method...}, "constraint": {...}, "summary": {...},
//   "layers": [{"name", "shape", "depth", "pixels", "macs_per_filter", "activation_energy",
//               "weights_file" (relative to the JSON file), "dtype", "average_bits", "error",
//               "filters": {"bits": [F], "scale": [F], "error": [F], "relative_error": [F]}}]}
// Real weight of filter f ~ scale[f] * integer; the integers are in the layer's .npy
// ('|i1' if every b_f <= 8, else '<i2'), same shape as the float weights.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/npy.hpp"
#include "compiler/quantize.hpp"

namespace fwmac {

// "<layer name>.weights.npy"
std::string quantized_weights_file_name(const QuantizedLayer& layer);
NpyArray quantized_weights_npy(const QuantizedLayer& layer);
nlohmann::json quantized_json(const QuantizationResult& result);

struct QuantizedWeights {
    std::string npy_path;
    std::vector<std::size_t> shape;
    std::vector<int> bits;             // [F]
    std::vector<std::int64_t> values;  // [F * K]
};

// Layer `layer_name` of a quantized.json: its per-filter bits and integer weights.
// Throws std::invalid_argument naming the file and the field.
QuantizedWeights load_quantized_layer(const std::string& json_path, const std::string& layer_name);

}  // namespace fwmac
