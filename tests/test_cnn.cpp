// The CNN flow on the committed digits model: float inference against the logits the
// training script computed with PyTorch, manifest validation, the batched im2col GEMM,
// and the integer pipeline against an executor built from the plain dot product.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "compiler/cnn.hpp"
#include "temp_dir.hpp"

namespace fwmac {
namespace {

std::string digits_manifest() { return std::string(FWMAC_SOURCE_DIR) + "/examples/digits/model.json"; }

const CnnModel& digits_model() {
    static const CnnModel model = load_cnn_model(digits_manifest());
    return model;
}

ArrayShape e2e_shape() {
    ArrayShape shape;  // 8x8x8, A = 8, Bmax = 8
    shape.k_max = 256;
    return shape;
}

// Requantized outputs from the direct integer dot product (no bit-serial model, no schedule).
std::vector<std::int64_t> direct_outputs(const GemmLayer& layer, int act_bits) {
    const std::vector<std::int64_t> accumulators = direct_accumulators(layer);
    std::vector<std::int64_t> outputs(accumulators.size());
    for (int f = 0; f < layer.filters; ++f) {
        for (int p = 0; p < layer.pixels; ++p) {
            const std::size_t index = static_cast<std::size_t>(f) * layer.pixels + p;
            outputs[index] = requantize(accumulators[index], layer.requant[f], layer.mode, act_bits);
        }
    }
    return outputs;
}

}  // namespace

TEST_CASE("digits model: float forward reproduces the PyTorch reference logits", "[cnn]") {
    const CnnModel& model = digits_model();
    REQUIRE(model.reference_logits.size() == 8);
    REQUIRE(model.test_images.size() == model.test_labels.size());
    for (std::size_t n = 0; n < model.reference_logits.size(); ++n) {
        const std::vector<double> logits = float_forward(model, model.test_images[n]);
        REQUIRE(logits.size() == 10);
        for (std::size_t c = 0; c < logits.size(); ++c) {
            CHECK(logits[c] == Approx(model.reference_logits[n][c]).margin(1e-4));
        }
    }
}

TEST_CASE("batch_gemm puts the images' im2col matrices side by side", "[cnn]") {
    QuantizedConv conv;
    conv.conv.in_channels = 1;
    conv.conv.height = 2;
    conv.conv.width = 2;
    conv.conv.kernel_h = conv.conv.kernel_w = 1;
    conv.conv.out_channels = 1;
    conv.weight_bits = {2};
    conv.weights = {1};
    conv.requant = {RequantParams{}};
    // 1x1 kernel: X is the image itself, one row; two images -> 8 columns.
    const GemmLayer gemm = batch_gemm(conv, {{1, 2, 3, 4}, {5, 6, 7, 8}});
    CHECK(gemm.depth == 1);
    CHECK(gemm.pixels == 8);
    CHECK(gemm.activations == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8});
    CHECK(gemm.mode.relu);
}

TEST_CASE("integer inference: the array model equals the direct dot product, and 8 bits keep the accuracy",
          "[cnn]") {
    const CnnModel& model = digits_model();
    const ArrayShape shape = e2e_shape();
    const std::vector<std::vector<std::int64_t>> images(model.test_images.begin(), model.test_images.begin() + 16);
    for (const char* name : {"uniform8", "filterwise4", "filterwise3"}) {
        const QuantizedCnn quantized = quantize_cnn(model, scheme_by_name(name), shape);
        INFO(name);
        CHECK(quantized.average_bits <= scheme_by_name(name).budget_bits + 1e-9 +
                                            scheme_by_name(name).uniform_bits);
        const GemmExecutor golden = golden_executor(shape);
        int layers = 0;
        const auto array_logits = integer_forward(model, quantized, images, [&](const std::string& layer_name,
                                                                                 const GemmLayer& layer) {
            ++layers;
            const std::vector<std::int64_t> outputs = golden(layer_name, layer);
            CHECK(outputs == direct_outputs(layer, shape.act_bits));
            return outputs;
        });
        CHECK(layers == 3);
        REQUIRE(array_logits.size() == images.size());
        if (std::string(name) == "uniform8") {
            // 8-bit weights and activations: the same class as the float model on every image.
            for (std::size_t n = 0; n < images.size(); ++n) {
                CHECK(argmax(array_logits[n]) == argmax(float_forward(model, images[n])));
            }
        }
    }
}

TEST_CASE("integer inference per conv layer: one image at a time gives the batched flow's logits", "[cnn]") {
    const CnnModel& model = digits_model();
    const ArrayShape shape = e2e_shape();
    const std::vector<std::vector<std::int64_t>> images(model.test_images.begin(), model.test_images.begin() + 6);
    const QuantizedCnn quantized = quantize_cnn(model, scheme_by_name("filterwise4"), shape);
    const GemmExecutor golden = golden_executor(shape);
    std::vector<std::string> layers;
    // each image's layer on its own: the direct dot product of a one-image batch
    const auto by_conv = integer_forward_by_conv(
        model, quantized, images, [&](const QuantizedConv& conv, const std::vector<std::vector<std::int64_t>>& inputs) {
            layers.push_back(conv.name);
            CHECK(inputs.size() == images.size());
            std::vector<std::vector<std::int64_t>> outputs;
            for (const auto& input : inputs) {
                REQUIRE(input.size() == static_cast<std::size_t>(conv.conv.in_channels) * conv.conv.height *
                                            conv.conv.width);
                outputs.push_back(direct_outputs(batch_gemm(conv, {input}), shape.act_bits));
            }
            return outputs;
        });
    CHECK(layers == std::vector<std::string>{"conv1", "conv2", "conv3"});
    CHECK(by_conv == integer_forward(model, quantized, images, golden));
    // an executor that returns the wrong number of values is an error, not a silent misread
    REQUIRE_THROWS_WITH(integer_forward_by_conv(model, quantized, images,
                                                [](const QuantizedConv&, const std::vector<std::vector<std::int64_t>>&
                                                                             inputs) {
                                                    return std::vector<std::vector<std::int64_t>>(inputs.size(), {1});
                                                }),
                        Catch::Contains("returned 1 values per image, expected F * OH * OW = 512"));
}

TEST_CASE("model manifest errors name the field or file", "[cnn]") {
    testing::TempDir dir;
    const std::filesystem::path source = std::filesystem::path(digits_manifest()).parent_path();
    for (const auto& entry : std::filesystem::directory_iterator(source)) {
        std::filesystem::copy(entry.path(), dir.path() / entry.path().filename());
    }
    const std::string manifest = (dir.path() / "model.json").string();
    nlohmann::json json;
    std::ifstream(manifest) >> json;
    auto expect_error = [&](const nlohmann::json& broken, const std::string& needle) {
        std::ofstream(manifest) << broken.dump();
        REQUIRE_THROWS_WITH(load_cnn_model(manifest), Catch::Contains(needle));
    };
    nlohmann::json broken = json;
    broken["layers"][1]["in_channels"] = 9;
    expect_error(broken, "layers[1].in_channels");
    broken = json;
    broken["layers"][0]["weight"] = "conv2_weight.npy";
    expect_error(broken, "has shape (16, 8, 3, 3), the layer needs (8, 1, 3, 3)");
    broken = json;
    broken["layers"][0]["relu"] = false;
    expect_error(broken, "layers[0].relu");
    broken = json;
    broken["layers"][0]["type"] = "conv3d";
    expect_error(broken, "layers[0].type");
    broken = json;
    broken["input"]["pixel_range"] = nlohmann::json::array({0, 15});
    expect_error(broken, "pixel 16 outside input.pixel_range 0..15");
    broken = json;
    broken["data"]["test_labels"] = "missing.npy";
    expect_error(broken, "missing.npy");
}

}  // namespace fwmac

namespace fwmac {

TEST_CASE("filter-wise within the uniform cycles: fits them, and every filter uses its row group's b_g", "[cnn]") {
    const CnnModel& model = digits_model();
    ArrayShape shape;
    shape.k_max = 256;
    // one requantizer per column: the drain keeps up with these short layers (with fewer,
    // the first layer's 2-chunk tiles wait for the drain whatever their bits, so the
    // budget can only be met by narrowing the other layers)
    shape.requant_units = shape.cols;
    for (int bits : {4, 3}) {
        const QuantizedCnn uniform = quantize_cnn(model, scheme_by_name(fmt::format("uniform{}", bits)), shape);
        const QuantizedCnn filled =
            quantize_cnn(model, scheme_by_name(fmt::format("filterwise{}-cycles", bits)), shape);
        std::uint64_t uniform_cycles = 0, filled_cycles = 0;
        for (std::size_t l = 0; l < uniform.convs.size(); ++l) {
            const ConvShape& conv = uniform.convs[l].conv;
            const Schedule uniform_schedule =
                make_schedule(uniform.convs[l].weight_bits, conv.depth(), conv.pixels(), shape);
            const Schedule filled_schedule =
                make_schedule(filled.convs[l].weight_bits, conv.depth(), conv.pixels(), shape);
            uniform_cycles += predict_cycles(uniform_schedule, uniform.convs[l].weight_bits).total;
            filled_cycles += predict_cycles(filled_schedule, filled.convs[l].weight_bits).total;
            for (const RowGroup& group : filled_schedule.groups) {
                for (int f : group.filters) CHECK(filled.convs[l].weight_bits[f] == group.planes);
            }
            // the integers fit their widths
            const int depth = conv.depth();
            for (int f = 0; f < conv.out_channels; ++f) {
                for (int k = 0; k < depth; ++k) {
                    CHECK(std::abs(filled.convs[l].weights[static_cast<std::size_t>(f) * depth + k]) <=
                          max_level(filled.convs[l].weight_bits[f]));
                }
            }
        }
        INFO(bits << " bits: uniform " << uniform_cycles << " cycles, filter-wise " << filled_cycles);
        CHECK(filled_cycles <= uniform_cycles);
        CHECK(filled.weight_error < uniform.weight_error);
    }
}

}  // namespace fwmac
