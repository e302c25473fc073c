// Layer files: a conv layer described in JSON (README "Layer files"), read into the GEMM
// layer the array runs. Every field is checked by name; unknown fields are rejected at
// every level, as in configs.
//
//   {"name": "...", "conv": {...} | "resnet18:<layer>", "weight_bits": [...] | {...},
//    "seed": N, "output": "relu" | "signed" | "raw", "pixel_limit": N,
//    "weights": ..., "input": ... (compiler/layer_data.hpp),
//    "requant": {"bias": [F], "mult": [F], "shift": [F]}}
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "compiler/workload.hpp"
#include "golden/conv.hpp"
#include "golden/layer.hpp"

namespace fwmac {

// Sizes a layer file may describe, so that memory stays bounded (ResNet-18's largest
// layers need 1.9M im2col values, 2.4M weights, 0.8M outputs and 0.12G MACs).
constexpr std::int64_t kMaxLayerImageValues = std::int64_t{1} << 24;   // in_channels * height * width
constexpr std::int64_t kMaxLayerColumnValues = std::int64_t{1} << 24;  // K * P (P after pixel_limit)
constexpr std::int64_t kMaxLayerWeightValues = std::int64_t{1} << 24;  // F * K
constexpr std::int64_t kMaxLayerOutputs = std::int64_t{1} << 24;       // F * P
constexpr std::int64_t kMaxLayerMacs = std::int64_t{1} << 30;          // F * K * P

struct LayerFile {
    std::string name;
    ConvShape conv;  // the layer's convolution (outputs are [F, out_height, out_width])
    GemmLayer layer;  // layer.pixels < conv.pixels() when pixel_limit kept only the first pixels
    std::vector<std::int64_t> image;  // the input image [Cin][H][W] whose im2col layer.activations are
};

// Reads a layer file; errors name the file and the JSON field with its allowed range.
LayerFile load_layer_file(const std::string& path, const ArrayShape& shape);
// The same from parsed JSON; throws std::invalid_argument naming the field. Relative
// paths of explicit data are resolved against `base_dir` (the layer file's directory).
LayerFile parse_layer_json(const nlohmann::json& file, const ArrayShape& shape, const std::string& base_dir = "");

}  // namespace fwmac
