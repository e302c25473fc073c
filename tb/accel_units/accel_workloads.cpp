#include "accel_workloads.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "compiler/cnn.hpp"
#include "compiler/layer_file.hpp"
#include "golden/accel_layout.hpp"

namespace accel_tb {
namespace {

int ceil_div(int a, int b) { return (a + b - 1) / b; }

// The layer's first `rows` output rows as a layer of its own: the input rows below the
// last one those rows read are dropped, which changes no value of those rows (the rows
// after them then see zero padding there and are not compared).
fwmac::AccelLayer first_rows(const fwmac::AccelLayer& layer, int rows) {
    const fwmac::ConvShape& conv = layer.conv;
    const int height = std::min(conv.height, (rows - 1) * conv.stride_h - conv.padding_h + conv.span_h());
    if (height >= conv.height) return layer;
    fwmac::AccelLayer cropped = layer;
    cropped.conv.height = height;
    cropped.image.clear();
    for (int c = 0; c < conv.in_channels; ++c) {
        const auto first = layer.image.begin() + static_cast<std::ptrdiff_t>(c) * conv.height * conv.width;
        cropped.image.insert(cropped.image.end(), first, first + static_cast<std::ptrdiff_t>(height) * conv.width);
    }
    return cropped;
}

// A digits conv layer on one image as the shell's layer.
fwmac::AccelLayer cnn_layer(const fwmac::QuantizedConv& conv, const std::vector<std::int64_t>& input, int image) {
    fwmac::AccelLayer layer;
    layer.name = fmt::format("{} image {}", conv.name, image);
    layer.conv = conv.conv;
    layer.weights = conv.weights;
    layer.weight_bits = conv.weight_bits;
    layer.image = input;
    layer.requant = conv.requant;
    layer.mode.relu = true;  // the integer flow's conv layers (compiler/cnn.cpp batch_gemm)
    return layer;
}

}  // namespace

void check_shell_layer(const fwmac::AccelLayer& layer, const fwmac::ArrayShape& shape, const std::string& what) {
    auto refuse = [&](const std::string& reason) {
        throw std::invalid_argument(fmt::format("{}: the accelerator shell cannot run it: {}", what, reason));
    };
    // the layer the shell runs: itself, or lowered on the host (GEMM mode)
    const fwmac::ConvShape conv = fwmac::accel_conv(layer.conv, shape);
    if (layer.mode.raw) refuse("raw outputs (the shell is built without raw_outputs)");
    const int groups = ceil_div(conv.in_channels, shape.lanes);
    const int depth = conv.kernel_h * conv.kernel_w * groups * shape.lanes;
    if (depth > shape.k_max) {
        refuse(
            fmt::format("K = kernel {}x{} x {} channel group(s) of L = {} (Cin = {} padded to {}) = {} exceeds "
                        "k_max = {}",
                        conv.kernel_h, conv.kernel_w, groups, shape.lanes, conv.in_channels, groups * shape.lanes,
                        depth, shape.k_max));
    }
    for (std::size_t f = 0; f < layer.weight_bits.size(); ++f) {
        if (layer.weight_bits[f] < 1 || layer.weight_bits[f] > shape.max_weight_bits) {
            refuse(fmt::format("filter {} has {}-bit weights, the shell's Bmax is {}", f, layer.weight_bits[f],
                               shape.max_weight_bits));
        }
    }
    const std::int64_t act_max = (std::int64_t{1} << shape.act_bits) - 1;
    for (std::size_t i = 0; i < layer.image.size(); ++i) {
        if (layer.image[i] < 0 || layer.image[i] > act_max) {
            refuse(fmt::format("input value {} = {} is outside the shell's {}-bit activations 0..{}", i, layer.image[i],
                               shape.act_bits, act_max));
        }
    }
}

LayerFileWorkload load_layer_workload(const std::string& path, const fwmac::ArrayShape& shape) {
    const fwmac::LayerFile file = fwmac::load_layer_file(path, shape);
    fwmac::AccelLayer layer;
    layer.name = file.name;
    layer.conv = file.conv;
    layer.weights = file.layer.weights;  // [F][K], K = (c * kh + ky) * kw + kx: the driver's [F][Cin][kh][kw]
    layer.weight_bits = file.layer.weight_bits;
    layer.image = file.image;
    layer.requant = file.layer.requant;
    layer.mode = file.layer.mode;
    check_shell_layer(layer, shape, fmt::format("layer file '{}'", path));
    LayerFileWorkload workload;
    workload.file_conv = file.conv;
    workload.pixels = file.layer.pixels;
    workload.shell_rows = ceil_div(workload.pixels, file.conv.out_width());
    workload.layer = workload.pixels < file.conv.pixels() ? first_rows(layer, workload.shell_rows) : layer;
    workload.golden = fwmac::golden_executor(shape)(file.name, file.layer);
    return workload;
}

void check_layer_workload(const LayerFileWorkload& workload, const std::vector<std::int64_t>& outputs) {
    const fwmac::ConvShape& conv = workload.layer.conv;
    const std::size_t shell_pixels = static_cast<std::size_t>(conv.pixels());
    if (outputs.size() != static_cast<std::size_t>(conv.out_channels) * shell_pixels) {
        throw std::runtime_error(fmt::format("the shell returned {} outputs, expected {} filters x {} pixels",
                                             outputs.size(), conv.out_channels, shell_pixels));
    }
    if (conv.out_height() < workload.shell_rows) {
        throw std::logic_error("check_layer_workload: the shell's layer has fewer rows than the file's pixels");
    }
    const auto pixels = static_cast<std::size_t>(workload.pixels);
    for (std::size_t f = 0; f < static_cast<std::size_t>(conv.out_channels); ++f) {
        for (std::size_t p = 0; p < pixels; ++p) {
            const std::int64_t got = outputs[f * shell_pixels + p];
            const std::int64_t expected = workload.golden[f * pixels + p];
            if (got != expected) {
                throw std::runtime_error(
                    fmt::format("layer '{}' filter {} pixel {}: the shell gave {}, fwmac sim of "
                                "the layer file {}",
                                workload.layer.name, f, p, got, expected));
            }
        }
    }
}

CnnSummary run_cnn_workload(const CnnOptions& options, const fwmac::ArrayShape& shape, const ShellRunner& run) {
    const fwmac::CnnModel model = fwmac::load_cnn_model(options.model);
    CnnSummary summary;
    summary.images = std::min<int>(options.images, static_cast<int>(model.test_images.size()));
    const fwmac::QuantizedCnn quantized = fwmac::quantize_cnn(model, fwmac::scheme_by_name(options.scheme), shape);
    summary.average_bits = quantized.average_bits;
    summary.conv_layers = static_cast<int>(quantized.convs.size());
    const std::vector<std::vector<std::int64_t>> images(model.test_images.begin(),
                                                        model.test_images.begin() + summary.images);
    const fwmac::GemmExecutor golden = fwmac::golden_executor(shape);
    const auto logits = fwmac::integer_forward_by_conv(
        model, quantized, images,
        [&](const fwmac::QuantizedConv& conv, const std::vector<std::vector<std::int64_t>>& inputs) {
            // the golden flow's layer: one GEMM over the batch on the same inputs
            const fwmac::GemmLayer gemm = fwmac::batch_gemm(conv, inputs);
            const std::vector<std::int64_t> expected = golden(conv.name, gemm);
            const auto pixels = static_cast<std::size_t>(conv.conv.pixels());
            std::vector<std::vector<std::int64_t>> outputs;
            for (std::size_t n = 0; n < inputs.size(); ++n) {
                const fwmac::AccelLayer layer = cnn_layer(conv, inputs[n], static_cast<int>(n));
                check_shell_layer(layer, shape, fmt::format("{} {}", options.model, layer.name));
                std::vector<std::int64_t> tensor = run(layer);
                for (std::size_t f = 0; f < static_cast<std::size_t>(gemm.filters); ++f) {
                    for (std::size_t p = 0; p < pixels; ++p) {
                        const std::int64_t wanted =
                            expected[f * static_cast<std::size_t>(gemm.pixels) + n * pixels + p];
                        if (tensor.at(f * pixels + p) != wanted) {
                            throw std::runtime_error(
                                fmt::format("{} filter {} pixel {}: the shell gave {}, the golden "
                                            "flow {}",
                                            layer.name, f, p, tensor[f * pixels + p], wanted));
                        }
                    }
                }
                outputs.push_back(std::move(tensor));
            }
            return outputs;
        });
    const auto golden_logits = fwmac::integer_forward(model, quantized, images, golden);
    for (int n = 0; n < summary.images; ++n) {
        summary.correct += fwmac::argmax(logits[n]) == model.test_labels[n];
        summary.golden_correct += fwmac::argmax(golden_logits[n]) == model.test_labels[n];
    }
    return summary;
}

}  // namespace accel_tb
