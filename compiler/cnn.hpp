// A small trained CNN (examples/digits, made by tools/train_digits.py) run three ways:
// in float, and in integers with every conv layer lowered to a GEMM that the array
// executes (golden model or RTL), after filter-wise or uniform weight quantization.
//
// Integer flow. Activations are unsigned act_bits-bit integers with one real scale per
// tensor: the input pixels 0..16 with the manifest's input scale, each conv output with
// scale relu_max / (2^A - 1) from the manifest's calibration (no clipping on the
// training set). Conv layer l, filter f with weight scale s_f and input scale s_in:
//   acc = sum_k q_fk x_k                     (the array's dot product)
//   bias_f = round(b_f / (s_in s_f))          (accumulator units)
//   y = clamp(round((acc + bias_f) * m_f), 0, 2^A - 1),  m_f = s_in s_f / s_out,
// with m_f as the array's 16-bit mult and shift (fixed_point_multiplier), ReLU mode.
// Max-pooling runs on the integers; the classifier (flatten + linear) runs on the host
// in float on the dequantized features, the same in every scheme.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "golden/layer.hpp"
#include "compiler/quantize.hpp"
#include "golden/schedule.hpp"
#include "compiler/workload.hpp"

namespace fwmac {

struct CnnLayer {
    enum class Kind { conv, maxpool, flatten, linear };
    Kind kind = Kind::conv;
    std::string name;
    ConvShape conv;                 // conv: shape with this layer's input height/width
    int pool = 2;                   // maxpool: kernel = stride
    int in_features = 0, out_features = 0;  // linear
    std::vector<double> weights;    // conv [F][Cin][k][k], linear [out][in]
    std::vector<double> bias;       // [F] / [out]
    double relu_max = 0.0;          // conv: calibrated largest ReLU output
};

struct CnnModel {
    std::string manifest_path;
    int channels = 1, height = 8, width = 8;
    double input_scale = 1.0;
    std::int64_t input_max = 0;     // largest input pixel value
    std::vector<CnnLayer> layers;
    std::vector<std::vector<std::int64_t>> test_images;  // [N][C*H*W] integer pixels
    std::vector<int> test_labels;
    std::vector<std::vector<std::int64_t>> calibration_images;
    std::vector<std::vector<double>> reference_logits;   // float logits of the first test images
};

// Reads model.json and the .npy files it names (paths relative to the manifest).
// Errors name the manifest field or file.
CnnModel load_cnn_model(const std::string& manifest_path);

// Float inference of one image (integer pixels times input_scale): the logits.
std::vector<double> float_forward(const CnnModel& model, const std::vector<std::int64_t>& image);

// How the conv weights are quantized: every filter at `uniform_bits`, or filter-wise
// widths in [min_bits, max_bits] under an average of `budget_bits` per MAC. With
// `within_uniform_cycles` the filter-wise widths must instead fit the array cycles of
// all filters at budget_bits (row groups run at their widest filter, so equal MAC-bits
// can cost more cycles); the largest MAC-bit budget that fits is used, and then every
// filter is widened to its row group's b_g, which costs no cycles.
struct QuantScheme {
    std::string name;
    int uniform_bits = 0;       // > 0: uniform
    double budget_bits = 0.0;   // > 0: filter-wise
    int min_bits = 2, max_bits = 8;
    bool within_uniform_cycles = false;
};
// The schemes of the accuracy table: uniform 8/4/3 bits, filter-wise at 4, 3 and 2.5
// average bits, and filter-wise within the cycles of uniform 4 and 3 bits.
std::vector<QuantScheme> standard_schemes();
QuantScheme scheme_by_name(const std::string& name);

struct QuantizedConv {
    std::string name;
    ConvShape conv;
    std::vector<int> weight_bits;        // [F]
    std::vector<std::int64_t> weights;   // [F * K]
    std::vector<RequantParams> requant;  // [F]
    double input_scale = 0.0, output_scale = 0.0;
};

struct QuantizedCnn {
    QuantScheme scheme;
    int act_bits = 8;
    std::vector<QuantizedConv> convs;    // in layer order
    double average_bits = 0.0;           // MAC-weighted over the conv layers
    double weight_error = 0.0;           // sum of the energy-weighted squared weight errors
};

// Quantizes the conv layers (jointly for filter-wise budgets; MACs per filter from the
// model's geometry; a filter's squared weight error weighted by E[x^2] / E[y^2] of its
// layer on the calibration images: output noise relative to the layer's signal).
// `shape` gives the activation bits and, for within_uniform_cycles, the array.
QuantizedCnn quantize_cnn(const CnnModel& model, const QuantScheme& scheme, const ArrayShape& shape);

// Runs one conv layer's GEMM (F x K times K x P) and returns the requantized outputs
// [F * P] in filter order: the golden model, or the RTL in the testbench.
using GemmExecutor = std::function<std::vector<std::int64_t>(const std::string& layer_name, const GemmLayer&)>;

// The conv layer `conv` of `quantized` over a batch of integer input tensors: one GEMM
// with the batch's pixels side by side (P = images * out_h * out_w).
GemmLayer batch_gemm(const QuantizedConv& conv, const std::vector<std::vector<std::int64_t>>& inputs);

// Integer inference of a batch of images; returns the logits of each image.
std::vector<std::vector<double>> integer_forward(const CnnModel& model, const QuantizedCnn& quantized,
                                                 const std::vector<std::vector<std::int64_t>>& images,
                                                 const GemmExecutor& execute);

// Runs one conv layer on every input tensor [Cin * H * W] of the batch and returns each
// image's outputs [F * OH * OW] (the accelerator testbench: one shell run per image).
using ConvExecutor = std::function<std::vector<std::vector<std::int64_t>>(
    const QuantizedConv& conv, const std::vector<std::vector<std::int64_t>>& inputs)>;

// integer_forward with a per-layer executor instead of the batched GEMM; the host steps
// between the conv layers (max-pooling, the classifier) are the same.
std::vector<std::vector<double>> integer_forward_by_conv(const CnnModel& model, const QuantizedCnn& quantized,
                                                         const std::vector<std::vector<std::int64_t>>& images,
                                                         const ConvExecutor& execute);

// The golden array model as an executor (filters sorted by bits on `shape`).
GemmExecutor golden_executor(const ArrayShape& shape);

int argmax(const std::vector<double>& values);

}  // namespace fwmac
