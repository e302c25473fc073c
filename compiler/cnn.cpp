#include "compiler/cnn.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "compiler/json_file.hpp"
#include "golden/array_model.hpp"
#include "golden/schedule.hpp"

namespace fwmac {
namespace {

using Json = nlohmann::json;

// Error naming the manifest and the field.
[[noreturn]] void manifest_error(const std::string& manifest, const std::string& field, const std::string& what) {
    throw std::invalid_argument(fmt::format("model manifest '{}': {}: {}", manifest, field, what));
}

const Json& field(const Json& object, const char* key, const std::string& path, const std::string& manifest) {
    if (!object.is_object() || !object.contains(key)) manifest_error(manifest, path + key, "missing");
    return object.at(key);
}

// An integer in low..high; `name` is the field path.
int bounded_int(const Json& value, const std::string& name, int low, int high, const std::string& manifest) {
    const std::optional<std::int64_t> number = json_int64(value);
    if (!number || *number < low || *number > high) {
        manifest_error(manifest, name, fmt::format("must be an integer in {}..{}, got {}", low, high, value.dump()));
    }
    return static_cast<int>(*number);
}

int positive_int(const Json& object, const char* key, const std::string& path, const std::string& manifest) {
    return bounded_int(field(object, key, path, manifest), path + key, 1, 4096, manifest);
}

// A square kernel given as k or [k, k].
int square_kernel(const Json& object, const std::string& path, const std::string& manifest) {
    const Json& value = field(object, "kernel", path, manifest);
    if (value.is_array() && value.size() == 2 && value[0] == value[1]) {
        return bounded_int(value[0], path + "kernel[0]", 1, 15, manifest);
    }
    if (value.is_number_integer()) return bounded_int(value, path + "kernel", 1, 15, manifest);
    manifest_error(manifest, path + "kernel", fmt::format("must be k or [k, k] (square), got {}", value.dump()));
}

std::string sibling_path(const std::string& manifest, const std::string& file) {
    const std::size_t slash = manifest.find_last_of('/');
    return slash == std::string::npos ? file : manifest.substr(0, slash + 1) + file;
}

// Float values of an .npy file with exactly `shape`.
std::vector<double> load_reals(const std::string& manifest, const Json& name, const std::string& path,
                               const std::vector<std::size_t>& shape) {
    if (!name.is_string()) manifest_error(manifest, path, "must be a file name");
    const std::string file = sibling_path(manifest, name.get<std::string>());
    const NpyArray array = load_npy(file);
    if (!npy_is_float(array.type)) manifest_error(manifest, path, fmt::format("'{}' is not a float array", file));
    if (array.shape != shape) {
        manifest_error(manifest, path,
                       fmt::format("'{}' has shape {}, the layer needs {}", file, npy_shape_text(array.shape),
                                   npy_shape_text(shape)));
    }
    return array.reals;
}

// Integer images [N, C, H, W] (or labels [N] when `image_size` is 0).
std::vector<std::vector<std::int64_t>> load_images(const std::string& manifest, const Json& name,
                                                   const std::string& path, const std::vector<std::size_t>& chw) {
    if (!name.is_string()) manifest_error(manifest, path, "must be a file name");
    const std::string file = sibling_path(manifest, name.get<std::string>());
    const NpyArray array = load_npy(file);
    if (npy_is_float(array.type)) manifest_error(manifest, path, fmt::format("'{}' must hold integers", file));
    std::vector<std::size_t> expected{array.shape.empty() ? 0 : array.shape[0]};
    expected.insert(expected.end(), chw.begin(), chw.end());
    if (array.shape != expected) {
        manifest_error(manifest, path,
                       fmt::format("'{}' has shape {}, expected {}", file, npy_shape_text(array.shape),
                                   npy_shape_text(expected)));
    }
    std::size_t size = 1;
    for (std::size_t d : chw) size *= d;
    std::vector<std::vector<std::int64_t>> images;
    for (std::size_t n = 0; n < expected[0]; ++n) {
        images.emplace_back(array.integers.begin() + static_cast<std::ptrdiff_t>(n * size),
                            array.integers.begin() + static_cast<std::ptrdiff_t>((n + 1) * size));
    }
    return images;
}

CnnLayer parse_conv(const Json& entry, const std::string& path, const std::string& manifest, int& channels,
                    int& height, int& width) {
    CnnLayer layer;
    layer.kind = CnnLayer::Kind::conv;
    ConvShape& conv = layer.conv;
    conv.in_channels = positive_int(entry, "in_channels", path, manifest);
    if (conv.in_channels != channels) {
        manifest_error(manifest, path + "in_channels",
                       fmt::format("{} does not match the {} channels of its input", conv.in_channels, channels));
    }
    conv.out_channels = positive_int(entry, "out_channels", path, manifest);
    conv.kernel_h = conv.kernel_w = square_kernel(entry, path, manifest);
    conv.stride_h = conv.stride_w = positive_int(entry, "stride", path, manifest);
    conv.padding_h = conv.padding_w =
        bounded_int(field(entry, "padding", path, manifest), path + "padding", 0, conv.kernel_h - 1, manifest);
    conv.height = height;
    conv.width = width;
    if (!field(entry, "relu", path, manifest).is_boolean() || !entry.at("relu").get<bool>()) {
        manifest_error(manifest, path + "relu", "must be true: the array's activations are unsigned");
    }
    const auto filters = static_cast<std::size_t>(conv.out_channels);
    layer.weights = load_reals(manifest, field(entry, "weight", path, manifest), path + "weight",
                               {filters, static_cast<std::size_t>(conv.in_channels),
                                static_cast<std::size_t>(conv.kernel_h), static_cast<std::size_t>(conv.kernel_w)});
    layer.bias = load_reals(manifest, field(entry, "bias", path, manifest), path + "bias", {filters});
    const Json& relu_max = field(field(entry, "calibration", path, manifest), "relu_max", path + "calibration.",
                                 manifest);
    if (!relu_max.is_number() || !(relu_max.get<double>() > 0.0)) {
        manifest_error(manifest, path + "calibration.relu_max", "must be a positive number");
    }
    layer.relu_max = relu_max.get<double>();
    channels = conv.out_channels;
    height = conv.out_height();
    width = conv.out_width();
    return layer;
}

}  // namespace

CnnModel load_cnn_model(const std::string& manifest_path) {
    const Json json = read_json_file(manifest_path, {"model manifest", "model"});
    CnnModel model;
    model.manifest_path = manifest_path;
    const Json& input = field(json, "input", "", manifest_path);
    const Json& shape = field(input, "shape", "input.", manifest_path);
    if (!shape.is_array() || shape.size() != 3) manifest_error(manifest_path, "input.shape", "must be [C, H, W]");
    model.channels = bounded_int(shape[0], "input.shape[0]", 1, 4096, manifest_path);
    model.height = bounded_int(shape[1], "input.shape[1]", 1, 4096, manifest_path);
    model.width = bounded_int(shape[2], "input.shape[2]", 1, 4096, manifest_path);
    const Json& scale = field(input, "scale", "input.", manifest_path);
    if (!scale.is_number() || !(scale.get<double>() > 0.0)) {
        manifest_error(manifest_path, "input.scale", "must be a positive number");
    }
    model.input_scale = scale.get<double>();
    const Json& range = field(input, "pixel_range", "input.", manifest_path);
    if (!range.is_array() || range.size() != 2 || range[0] != 0) {
        manifest_error(manifest_path, "input.pixel_range", "must be [0, max] (unsigned integer pixels)");
    }
    model.input_max = bounded_int(range[1], "input.pixel_range[1]", 1, 65535, manifest_path);

    int channels = model.channels, height = model.height, width = model.width;
    int features = 0;  // after flatten
    const Json& layers = field(json, "layers", "", manifest_path);
    if (!layers.is_array() || layers.empty()) manifest_error(manifest_path, "layers", "must be a non-empty array");
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Json& entry = layers[i];
        const std::string path = fmt::format("layers[{}].", i);
        const Json& type = field(entry, "type", path, manifest_path);
        CnnLayer layer;
        if (type == "conv2d") {
            layer = parse_conv(entry, path, manifest_path, channels, height, width);
        } else if (type == "maxpool2d") {
            layer.kind = CnnLayer::Kind::maxpool;
            layer.pool = square_kernel(entry, path, manifest_path);
            if (positive_int(entry, "stride", path, manifest_path) != layer.pool) {
                manifest_error(manifest_path, path + "stride", "must equal the kernel (non-overlapping pooling)");
            }
            height /= layer.pool;
            width /= layer.pool;
        } else if (type == "flatten") {
            layer.kind = CnnLayer::Kind::flatten;
            features = channels * height * width;
        } else if (type == "linear") {
            layer.kind = CnnLayer::Kind::linear;
            layer.in_features = positive_int(entry, "in_features", path, manifest_path);
            layer.out_features = positive_int(entry, "out_features", path, manifest_path);
            if (layer.in_features != features) {
                manifest_error(manifest_path, path + "in_features",
                               fmt::format("{} does not match the {} flattened features", layer.in_features,
                                           features));
            }
            const auto out = static_cast<std::size_t>(layer.out_features);
            layer.weights = load_reals(manifest_path, field(entry, "weight", path, manifest_path), path + "weight",
                                       {out, static_cast<std::size_t>(layer.in_features)});
            layer.bias = load_reals(manifest_path, field(entry, "bias", path, manifest_path), path + "bias", {out});
            features = layer.out_features;
        } else {
            manifest_error(manifest_path, path + "type",
                           fmt::format("{} is not one of conv2d, maxpool2d, flatten, linear", type.dump()));
        }
        if (entry.contains("name") && entry.at("name").is_string()) layer.name = entry.at("name").get<std::string>();
        model.layers.push_back(std::move(layer));
    }
    for (std::size_t i = 0; i < model.layers.size(); ++i) {
        const bool last = i + 1 == model.layers.size();
        if ((model.layers[i].kind == CnnLayer::Kind::linear) != last) {
            manifest_error(manifest_path, fmt::format("layers[{}].type", i),
                           "exactly one linear layer, the last one (the classifier runs on the host)");
        }
    }

    const std::vector<std::size_t> chw{static_cast<std::size_t>(model.channels),
                                       static_cast<std::size_t>(model.height),
                                       static_cast<std::size_t>(model.width)};
    const Json& data = field(json, "data", "", manifest_path);
    model.test_images = load_images(manifest_path, field(data, "test_images", "data.", manifest_path),
                                    "data.test_images", chw);
    const std::int64_t classes = model.layers.back().out_features;
    for (const auto& label : load_images(manifest_path, field(data, "test_labels", "data.", manifest_path),
                                         "data.test_labels", {})) {
        if (label.at(0) < 0 || label.at(0) >= classes) {
            manifest_error(manifest_path, "data.test_labels",
                           fmt::format("label {} outside 0..{} (the classifier's classes)", label.at(0), classes - 1));
        }
        model.test_labels.push_back(static_cast<int>(label.at(0)));
    }
    if (model.test_labels.size() != model.test_images.size()) {
        manifest_error(manifest_path, "data.test_labels", "needs one label per test image");
    }
    for (const auto& image : model.test_images) {
        for (std::int64_t pixel : image) {
            if (pixel < 0 || pixel > model.input_max) {
                manifest_error(manifest_path, "data.test_images",
                               fmt::format("pixel {} outside input.pixel_range 0..{}", pixel, model.input_max));
            }
        }
    }
    model.calibration_images = load_images(
        manifest_path, field(field(json, "calibration", "", manifest_path), "images", "calibration.", manifest_path),
        "calibration.images", chw);
    if (json.contains("reference_logits")) {
        const Json& name = field(json.at("reference_logits"), "file", "reference_logits.", manifest_path);
        if (!name.is_string()) manifest_error(manifest_path, "reference_logits.file", "must be a file name");
        const std::string file = sibling_path(manifest_path, name.get<std::string>());
        const NpyArray logits = load_npy(file);
        if (logits.shape.size() != 2 || !npy_is_float(logits.type)) {
            manifest_error(manifest_path, "reference_logits.file", "must be a float [N, classes] array");
        }
        for (std::size_t n = 0; n < logits.shape[0]; ++n) {
            model.reference_logits.emplace_back(
                logits.reals.begin() + static_cast<std::ptrdiff_t>(n * logits.shape[1]),
                logits.reals.begin() + static_cast<std::ptrdiff_t>((n + 1) * logits.shape[1]));
        }
    }
    return model;
}

namespace {

// One tensor [C][H][W] through the float layers.
struct FloatTensor {
    int channels, height, width;
    std::vector<double> values;
};

FloatTensor float_conv(const CnnLayer& layer, const FloatTensor& input) {
    const ConvShape& conv = layer.conv;
    FloatTensor output{conv.out_channels, conv.out_height(), conv.out_width(), {}};
    output.values.assign(static_cast<std::size_t>(output.channels) * output.height * output.width, 0.0);
    for (int f = 0; f < conv.out_channels; ++f) {
        for (int oy = 0; oy < output.height; ++oy) {
            for (int ox = 0; ox < output.width; ++ox) {
                double sum = layer.bias[f];
                for (int c = 0; c < conv.in_channels; ++c) {
                    for (int ky = 0; ky < conv.kernel_h; ++ky) {
                        for (int kx = 0; kx < conv.kernel_w; ++kx) {
                            const int y = oy * conv.stride_h + ky * conv.dilation_h - conv.padding_h;
                            const int x = ox * conv.stride_w + kx * conv.dilation_w - conv.padding_w;
                            if (y < 0 || y >= input.height || x < 0 || x >= input.width) continue;
                            sum += layer.weights[((static_cast<std::size_t>(f) * conv.in_channels + c) * conv.kernel_h +
                                                  ky) * conv.kernel_w + kx] *
                                   input.values[(static_cast<std::size_t>(c) * input.height + y) * input.width + x];
                        }
                    }
                }
                output.values[(static_cast<std::size_t>(f) * output.height + oy) * output.width + ox] =
                    std::max(sum, 0.0);
            }
        }
    }
    return output;
}

// Non-overlapping max-pooling of a [C][H][W] tensor of any element type.
template <typename Value>
std::vector<Value> max_pool(const std::vector<Value>& values, int channels, int height, int width, int pool) {
    const int out_height = height / pool, out_width = width / pool;
    std::vector<Value> pooled;
    for (int c = 0; c < channels; ++c) {
        for (int oy = 0; oy < out_height; ++oy) {
            for (int ox = 0; ox < out_width; ++ox) {
                Value best = values[(static_cast<std::size_t>(c) * height + oy * pool) * width + ox * pool];
                for (int dy = 0; dy < pool; ++dy) {
                    for (int dx = 0; dx < pool; ++dx) {
                        best = std::max(best, values[(static_cast<std::size_t>(c) * height + oy * pool + dy) * width +
                                                     ox * pool + dx]);
                    }
                }
                pooled.push_back(best);
            }
        }
    }
    return pooled;
}

std::vector<double> linear(const CnnLayer& layer, const std::vector<double>& features) {
    std::vector<double> out(static_cast<std::size_t>(layer.out_features));
    for (int o = 0; o < layer.out_features; ++o) {
        double sum = layer.bias[o];
        for (int i = 0; i < layer.in_features; ++i) {
            sum += layer.weights[static_cast<std::size_t>(o) * layer.in_features + i] * features[i];
        }
        out[o] = sum;
    }
    return out;
}

// Float inference of one image (integer pixels times input_scale) through every layer;
// `observe_conv`, if given, sees each conv layer's index, input and output.
using ConvObserver = std::function<void(std::size_t, const FloatTensor&, const FloatTensor&)>;
std::vector<double> run_float_layers(const CnnModel& model, const std::vector<std::int64_t>& image,
                                     const ConvObserver& observe_conv) {
    FloatTensor tensor{model.channels, model.height, model.width, {}};
    for (std::int64_t pixel : image) tensor.values.push_back(static_cast<double>(pixel) * model.input_scale);
    std::size_t conv_index = 0;
    for (const CnnLayer& layer : model.layers) {
        switch (layer.kind) {
            case CnnLayer::Kind::conv: {
                FloatTensor output = float_conv(layer, tensor);
                if (observe_conv) observe_conv(conv_index, tensor, output);
                ++conv_index;
                tensor = std::move(output);
                break;
            }
            case CnnLayer::Kind::maxpool:
                tensor.values = max_pool(tensor.values, tensor.channels, tensor.height, tensor.width, layer.pool);
                tensor.height /= layer.pool;
                tensor.width /= layer.pool;
                break;
            case CnnLayer::Kind::flatten:
                break;  // [C][H][W] is already the flattened order
            case CnnLayer::Kind::linear:
                tensor.values = linear(layer, tensor.values);
                break;
        }
    }
    return tensor.values;
}

// The error weight of every conv layer: mean squared input activation over mean
// squared output (after ReLU) on the calibration images (float model). A filter's
// error sum_k dw_k^2 times E[x^2] is the expected squared error of one of its outputs;
// dividing by E[y^2] makes it noise relative to the layer's signal, so layers whose
// outputs live on different scales compete on equal terms for the bit budget.
std::vector<double> conv_error_weights(const CnnModel& model) {
    std::vector<double> input_energy, output_energy;
    auto mean_square = [](const std::vector<double>& values) {
        double sum = 0;
        for (double value : values) sum += value * value;
        return sum / static_cast<double>(values.size());
    };
    for (const auto& image : model.calibration_images) {
        run_float_layers(model, image, [&](std::size_t index, const FloatTensor& input, const FloatTensor& output) {
            if (input_energy.size() <= index) {
                input_energy.resize(index + 1, 0.0);
                output_energy.resize(index + 1, 0.0);
            }
            input_energy[index] += mean_square(input.values);
            output_energy[index] += mean_square(output.values);
        });
    }
    std::vector<double> weights;
    for (std::size_t l = 0; l < input_energy.size(); ++l) {
        weights.push_back(output_energy[l] > 0.0 ? input_energy[l] / output_energy[l] : input_energy[l]);
    }
    return weights;
}

}  // namespace

std::vector<double> float_forward(const CnnModel& model, const std::vector<std::int64_t>& image) {
    return run_float_layers(model, image, nullptr);
}

std::vector<QuantScheme> standard_schemes() {
    std::vector<QuantScheme> schemes{{"uniform8", 8, 0.0},    {"uniform4", 4, 0.0},    {"filterwise4", 0, 4.0},
                                     {"filterwise4-cycles", 0, 4.0}, {"uniform3", 3, 0.0}, {"filterwise3", 0, 3.0},
                                     {"filterwise3-cycles", 0, 3.0}, {"filterwise2.5", 0, 2.5}};
    for (QuantScheme& scheme : schemes) {
        scheme.within_uniform_cycles = scheme.name.find("-cycles") != std::string::npos;
    }
    return schemes;
}

QuantScheme scheme_by_name(const std::string& name) {
    std::string names;
    for (const QuantScheme& scheme : standard_schemes()) {
        if (scheme.name == name) return scheme;
        names += (names.empty() ? "" : ", ") + scheme.name;
    }
    throw std::invalid_argument(fmt::format("unknown quantization scheme '{}' (one of {})", name, names));
}

namespace {

struct ConvWeights {
    std::vector<LayerWeights> layers;           // the conv layers' float weights, error weights, pixels
    std::vector<const CnnLayer*> conv_layers;
};

ConvWeights conv_weights(const CnnModel& model) {
    const std::vector<double> error_weights = conv_error_weights(model);
    ConvWeights result;
    for (const CnnLayer& layer : model.layers) {
        if (layer.kind != CnnLayer::Kind::conv) continue;
        LayerWeights weights;
        weights.name = layer.name;
        weights.shape = {static_cast<std::size_t>(layer.conv.out_channels),
                         static_cast<std::size_t>(layer.conv.depth())};
        weights.values = layer.weights;
        weights.pixels = layer.conv.pixels();
        weights.activation_energy = error_weights.at(result.conv_layers.size());
        result.layers.push_back(std::move(weights));
        result.conv_layers.push_back(&layer);
    }
    return result;
}

QuantizationResult allocate(const std::vector<LayerWeights>& layers, int min_bits, int max_bits, double budget) {
    QuantizeOptions options;
    options.min_bits = min_bits;
    options.max_bits = max_bits;
    options.budget_bits = budget;
    return quantize_layers(layers, options);
}

// Array cycles of one image's conv layers (the cycle model's totals: issue, drain stalls
// and fixed overhead).
std::uint64_t array_cycles(const std::vector<LayerWeights>& layers, const QuantizationResult& result,
                           const ArrayShape& shape) {
    std::uint64_t cycles = 0;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const std::vector<int>& bits = result.layers[l].bits;
        cycles += predict_cycles(make_schedule(bits, layers[l].depth(), static_cast<int>(layers[l].pixels), shape), bits)
                      .total;
    }
    return cycles;
}

// Widens every filter to the planes its row slot runs (b_g with one slot per row): the
// group runs them anyway, so the extra bits cost no cycles. Re-quantizes the widened
// filters and updates the totals.
void fill_row_groups(const std::vector<LayerWeights>& layers, QuantizationResult& result, const ArrayShape& shape,
                     ScaleMethod scale) {
    double mac_bits = 0;
    result.total_error = 0;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        QuantizedLayer& quantized = result.layers[l];
        const int depth = layers[l].depth();
        const Schedule schedule =
            make_schedule(quantized.bits, depth, static_cast<int>(layers[l].pixels), shape);
        for (const RowGroup& group : schedule.groups) {
            for (std::size_t virtual_row = 0; virtual_row < group.filters.size(); ++virtual_row) {
                const int f = group.filters[virtual_row];
                if (f == kNoFilter) continue;
                const int span = slot_span(group, static_cast<int>(virtual_row), shape.row_slots);
                if (quantized.bits[f] != span) {
                    const std::vector<double> filter(
                        layers[l].values.begin() + static_cast<std::ptrdiff_t>(f) * depth,
                        layers[l].values.begin() + static_cast<std::ptrdiff_t>(f + 1) * depth);
                    const FilterQuantization widened = quantize_filter(filter, span, scale);
                    quantized.bits[f] = span;
                    quantized.scales[f] = widened.scale;
                    quantized.errors[f] = widened.squared_error * layers[l].activation_energy;
                    std::copy(widened.values.begin(), widened.values.end(),
                              quantized.integers.begin() + static_cast<std::ptrdiff_t>(f) * depth);
                }
                result.total_error += quantized.errors[f];
                mac_bits += static_cast<double>(quantized.bits[f]) * static_cast<double>(quantized.macs_per_filter());
            }
        }
    }
    result.average_bits = mac_bits / static_cast<double>(result.macs);
}

// Filter-wise widths whose array cycles stay within those of every filter at
// `uniform_bits`: the largest MAC-bit budget (in 1/64 bit steps) that fits, then the
// row groups filled.
QuantizationResult allocate_within_uniform_cycles(const std::vector<LayerWeights>& layers, const QuantScheme& scheme,
                                                  const ArrayShape& shape) {
    const int uniform_bits = static_cast<int>(scheme.budget_bits);
    const std::uint64_t limit =
        array_cycles(layers, allocate(layers, uniform_bits, uniform_bits, uniform_bits), shape);
    for (int step = 0;; ++step) {
        const double budget = scheme.budget_bits - step / 64.0;
        if (budget < scheme.min_bits) {
            throw std::logic_error("allocate_within_uniform_cycles: no budget fits the cycle limit");
        }
        QuantizationResult result = allocate(layers, scheme.min_bits, scheme.max_bits, budget);
        if (array_cycles(layers, result, shape) <= limit) {
            fill_row_groups(layers, result, shape, result.options.scale);
            return result;
        }
    }
}

}  // namespace

QuantizedCnn quantize_cnn(const CnnModel& model, const QuantScheme& scheme, const ArrayShape& shape) {
    const int act_bits = shape.act_bits;
    const ConvWeights weights_by_layer = conv_weights(model);
    const std::vector<LayerWeights>& layers = weights_by_layer.layers;
    const std::vector<const CnnLayer*>& conv_layers = weights_by_layer.conv_layers;
    const QuantizationResult result =
        scheme.uniform_bits > 0      ? allocate(layers, scheme.uniform_bits, scheme.uniform_bits, scheme.uniform_bits)
        : scheme.within_uniform_cycles ? allocate_within_uniform_cycles(layers, scheme, shape)
                                       : allocate(layers, scheme.min_bits, scheme.max_bits, scheme.budget_bits);

    QuantizedCnn quantized;
    quantized.scheme = scheme;
    quantized.act_bits = act_bits;
    quantized.average_bits = result.average_bits;
    quantized.weight_error = result.total_error;
    const double levels = static_cast<double>((std::int64_t{1} << act_bits) - 1);
    if (static_cast<double>(model.input_max) > levels) {
        throw std::invalid_argument(
            fmt::format("input pixels up to {} do not fit {} activation bits", model.input_max, act_bits));
    }
    double input_scale = model.input_scale;
    for (std::size_t l = 0; l < conv_layers.size(); ++l) {
        const CnnLayer& layer = *conv_layers[l];
        const QuantizedLayer& weights = result.layers[l];
        QuantizedConv conv;
        conv.name = layer.name;
        conv.conv = layer.conv;
        conv.weight_bits = weights.bits;
        conv.weights = weights.integers;
        conv.input_scale = input_scale;
        conv.output_scale = layer.relu_max / levels;
        for (int f = 0; f < layer.conv.out_channels; ++f) {
            // An all-zero filter (scale 0) still passes its bias through: any scale will do.
            const double weight_scale = weights.scales[f] > 0.0 ? weights.scales[f] : 1.0;
            const double accumulator_scale = input_scale * weight_scale;
            const FixedPointMultiplier multiplier = fixed_point_multiplier(accumulator_scale / conv.output_scale);
            RequantParams params;
            params.bias = static_cast<std::int64_t>(std::llround(layer.bias[f] / accumulator_scale));
            params.mult = multiplier.mult;
            params.shift = multiplier.shift;
            conv.requant.push_back(params);
        }
        input_scale = conv.output_scale;
        quantized.convs.push_back(std::move(conv));
    }
    return quantized;
}

GemmLayer batch_gemm(const QuantizedConv& conv, const std::vector<std::vector<std::int64_t>>& inputs) {
    GemmLayer gemm;
    gemm.filters = conv.conv.out_channels;
    gemm.depth = conv.conv.depth();
    const int image_pixels = conv.conv.pixels();
    gemm.pixels = image_pixels * static_cast<int>(inputs.size());
    gemm.weight_bits = conv.weight_bits;
    gemm.weights = conv.weights;
    gemm.requant = conv.requant;
    gemm.mode.relu = true;
    gemm.activations.assign(static_cast<std::size_t>(gemm.depth) * gemm.pixels, 0);
    for (std::size_t n = 0; n < inputs.size(); ++n) {
        const std::vector<std::int64_t> columns = im2col(conv.conv, inputs[n]);
        for (int k = 0; k < gemm.depth; ++k) {
            std::copy_n(columns.begin() + static_cast<std::ptrdiff_t>(k) * image_pixels, image_pixels,
                        gemm.activations.begin() + static_cast<std::ptrdiff_t>(k) * gemm.pixels +
                            static_cast<std::ptrdiff_t>(n) * image_pixels);
        }
    }
    return gemm;
}

std::vector<std::vector<double>> integer_forward(const CnnModel& model, const QuantizedCnn& quantized,
                                                 const std::vector<std::vector<std::int64_t>>& images,
                                                 const GemmExecutor& execute) {
    return integer_forward_by_conv(
        model, quantized, images,
        [&](const QuantizedConv& conv, const std::vector<std::vector<std::int64_t>>& inputs) {
            const GemmLayer gemm = batch_gemm(conv, inputs);
            const std::vector<std::int64_t> outputs = execute(conv.name, gemm);
            const int image_pixels = conv.conv.pixels();
            std::vector<std::vector<std::int64_t>> tensors(inputs.size());
            for (std::size_t n = 0; n < inputs.size(); ++n) {
                std::vector<std::int64_t>& tensor = tensors[n];
                tensor.assign(static_cast<std::size_t>(gemm.filters) * image_pixels, 0);
                for (int f = 0; f < gemm.filters; ++f) {
                    std::copy_n(outputs.begin() + static_cast<std::ptrdiff_t>(f) * gemm.pixels +
                                    static_cast<std::ptrdiff_t>(n) * image_pixels,
                                image_pixels, tensor.begin() + static_cast<std::ptrdiff_t>(f) * image_pixels);
                }
            }
            return tensors;
        });
}

std::vector<std::vector<double>> integer_forward_by_conv(const CnnModel& model, const QuantizedCnn& quantized,
                                                         const std::vector<std::vector<std::int64_t>>& images,
                                                         const ConvExecutor& execute) {
    std::vector<std::vector<std::int64_t>> tensors = images;  // [N][C*H*W]
    int channels = model.channels, height = model.height, width = model.width;
    double scale = model.input_scale;
    std::size_t conv_index = 0;
    std::vector<std::vector<double>> logits;
    for (const CnnLayer& layer : model.layers) {
        if (layer.kind == CnnLayer::Kind::conv) {
            const QuantizedConv& conv = quantized.convs.at(conv_index++);
            std::vector<std::vector<std::int64_t>> outputs = execute(conv, tensors);
            const auto values = static_cast<std::size_t>(conv.conv.out_channels) * conv.conv.pixels();
            if (outputs.size() != tensors.size()) {
                throw std::logic_error(fmt::format("integer_forward: the executor of {} returned {} tensors for {} "
                                                   "images", conv.name, outputs.size(), tensors.size()));
            }
            for (const auto& tensor : outputs) {
                if (tensor.size() != values) {
                    throw std::logic_error(fmt::format("integer_forward: the executor of {} returned {} values per "
                                                       "image, expected F * OH * OW = {}",
                                                       conv.name, tensor.size(), values));
                }
            }
            tensors = std::move(outputs);
            channels = conv.conv.out_channels;
            height = conv.conv.out_height();
            width = conv.conv.out_width();
            scale = conv.output_scale;
        } else if (layer.kind == CnnLayer::Kind::maxpool) {
            for (auto& tensor : tensors) tensor = max_pool(tensor, channels, height, width, layer.pool);
            height /= layer.pool;
            width /= layer.pool;
        } else if (layer.kind == CnnLayer::Kind::linear) {
            for (const auto& tensor : tensors) {
                std::vector<double> features;
                for (std::int64_t value : tensor) features.push_back(static_cast<double>(value) * scale);
                logits.push_back(linear(layer, features));
            }
        }
    }
    return logits;
}

GemmExecutor golden_executor(const ArrayShape& shape) {
    return [shape](const std::string&, const GemmLayer& layer) {
        validate_layer(layer, shape);
        return run_array_model(layer, make_schedule(layer.weight_bits, layer.depth, layer.pixels, shape)).outputs;
    };
}

int argmax(const std::vector<double>& values) {
    return static_cast<int>(std::max_element(values.begin(), values.end()) - values.begin());
}

}  // namespace fwmac
