// Layer files with explicit data: quantized weights from `fwmac quantize` output and
// integer .npy weights/images replace the synthetic ones; mismatches name the field.
#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "golden/array_model.hpp"
#include "compiler/npy.hpp"
#include "compiler/quantize.hpp"
#include "compiler/quantized_file.hpp"
#include "golden/schedule.hpp"
#include "compiler/layer_file.hpp"
#include "compiler/workload.hpp"
#include "temp_dir.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

const json kConv{{"in_channels", 3}, {"height", 5},  {"width", 5},       {"kernel", 3},
                 {"stride", 1},      {"padding", 1}, {"out_channels", 6}};

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream stream(path, std::ios::binary);
    stream << bytes;
}

fwmac::NpyArray integer_array(fwmac::NpyType type, std::vector<std::size_t> shape, std::vector<std::int64_t> values) {
    fwmac::NpyArray array;
    array.type = type;
    array.shape = std::move(shape);
    array.integers = std::move(values);
    return array;
}

// Quantizes random weights [6, 3, 3, 3] and writes quantized.json + conv.weights.npy.
fwmac::QuantizationResult write_quantized(const std::filesystem::path& directory) {
    std::mt19937_64 rng(17);
    std::normal_distribution<double> normal(0.0, 0.2);
    fwmac::LayerWeights layer;
    layer.name = "conv";
    layer.shape = {6, 3, 3, 3};
    layer.pixels = 25;
    for (int i = 0; i < 6 * 27; ++i) layer.values.push_back(normal(rng));
    fwmac::QuantizeOptions options;
    options.budget_bits = 3.5;
    options.max_bits = 6;
    const fwmac::QuantizationResult result = fwmac::quantize_layers({layer}, options);
    write_bytes(directory / "quantized.json", fwmac::quantized_json(result).dump(2));
    write_bytes(directory / fwmac::quantized_weights_file_name(result.layers[0]),
                fwmac::npy_bytes(fwmac::quantized_weights_npy(result.layers[0])));
    return result;
}

std::string layer_error(const json& file, const fwmac::ArrayShape& shape, const std::filesystem::path& base) {
    try {
        fwmac::parse_layer_json(file, shape, base.string());
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("layer file: weights from fwmac quantize output replace the synthetic ones", "[layer_data]") {
    const fwmac::testing::TempDir temp;
    const fwmac::QuantizationResult quantized = write_quantized(temp.path());
    const fwmac::ArrayShape shape;
    const json file{{"conv", kConv}, {"weights", {{"quantized", "quantized.json"}, {"layer", "conv"}}}, {"seed", 5}};
    const fwmac::LayerFile loaded = fwmac::parse_layer_json(file, shape, temp.path().string());
    CHECK(loaded.layer.weight_bits == quantized.layers[0].bits);
    CHECK(loaded.layer.weights == quantized.layers[0].integers);
    // Requant parameters and the image are those of the synthetic layer with the same bits and seed.
    const json synthetic{{"conv", kConv}, {"weight_bits", quantized.layers[0].bits}, {"seed", 5}};
    const fwmac::LayerFile reference = fwmac::parse_layer_json(synthetic, shape);
    CHECK(loaded.layer.activations == reference.layer.activations);
    REQUIRE(loaded.layer.requant.size() == reference.layer.requant.size());
    for (std::size_t f = 0; f < reference.layer.requant.size(); ++f) {
        CHECK(loaded.layer.requant[f].mult == reference.layer.requant[f].mult);
        CHECK(loaded.layer.requant[f].shift == reference.layer.requant[f].shift);
    }
    // The array model computes the quantized layer exactly.
    const fwmac::Schedule schedule =
        fwmac::make_schedule(loaded.layer.weight_bits, loaded.layer.depth, loaded.layer.pixels, shape);
    CHECK(fwmac::run_array_model(loaded.layer, schedule).accumulators == fwmac::direct_accumulators(loaded.layer));
}

TEST_CASE("layer file: an integer weight .npy with weight_bits, and an input image", "[layer_data]") {
    const fwmac::testing::TempDir temp;
    std::vector<std::int64_t> weights(6 * 27);
    for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<std::int64_t>(i % 7) - 3;  // -3..3
    write_bytes(temp.path() / "w.npy", fwmac::npy_bytes(integer_array(fwmac::NpyType::int8, {6, 3, 3, 3}, weights)));
    std::vector<std::int64_t> image(3 * 25);
    for (std::size_t i = 0; i < image.size(); ++i) image[i] = static_cast<std::int64_t>(i * 3);
    write_bytes(temp.path() / "x.npy", fwmac::npy_bytes(integer_array(fwmac::NpyType::uint8, {1, 3, 5, 5}, image)));
    const json file{
        {"conv", kConv}, {"weights", "w.npy"}, {"weight_bits", {3, 3, 4, 3, 8, 3}}, {"input", "x.npy"}, {"seed", 1}};
    const fwmac::LayerFile loaded = fwmac::parse_layer_json(file, fwmac::ArrayShape{}, temp.path().string());
    CHECK(loaded.layer.weights == weights);
    fwmac::ConvShape conv;
    conv.in_channels = 3;
    conv.height = conv.width = 5;
    conv.kernel_h = conv.kernel_w = 3;
    conv.padding_h = conv.padding_w = 1;
    conv.out_channels = 6;
    CHECK(loaded.layer.activations == fwmac::im2col(conv, image));
}

TEST_CASE("layer file: mismatched explicit data names the field", "[layer_data]") {
    const fwmac::testing::TempDir temp;
    write_quantized(temp.path());
    const fwmac::ArrayShape shape;
    const json quantized_weights{{"quantized", "quantized.json"}, {"layer", "conv"}};
    json conv9 = kConv;
    conv9["out_channels"] = 9;
    CHECK_THAT(layer_error({{"conv", conv9}, {"weights", quantized_weights}, {"seed", 1}}, shape, temp.path()),
               Contains("layer.weights") && Contains("has shape (6, 3, 3, 3)") && Contains("needs (9, 3, 3, 3)"));
    CHECK_THAT(layer_error({{"conv", kConv}, {"weights", quantized_weights}, {"weight_bits", {4}}, {"seed", 1}}, shape,
                           temp.path()),
               Contains("layer.weight_bits: not allowed with layer.weights.quantized"));
    CHECK_THAT(
        layer_error({{"conv", kConv}, {"weights", {{"quantized", "quantized.json"}, {"layer", "nope"}}}, {"seed", 1}},
                    shape, temp.path()),
        Contains("layer.weights") && Contains("no layer named \"nope\"") && Contains("layers: conv"));
    CHECK_THAT(
        layer_error({{"conv", kConv}, {"weights", {{"quantized", "missing.json"}, {"layer", "conv"}}}, {"seed", 1}},
                    shape, temp.path()),
        Contains("layer.weights") && Contains("missing.json") && Contains("cannot open"));
    CHECK_THAT(layer_error({{"conv", kConv}, {"weights", {{"quantised", "q"}}}, {"seed", 1}}, shape, temp.path()),
               Contains("layer.weights.quantised: unknown field"));
    CHECK_THAT(layer_error({{"conv", kConv}, {"weights", 3}, {"seed", 1}}, shape, temp.path()),
               Contains("layer.weights: must be"));

    fwmac::ArrayShape narrow = shape;  // quantized bits go up to 6, the array only takes 3
    narrow.max_weight_bits = 3;
    CHECK_THAT(layer_error({{"conv", kConv}, {"weights", quantized_weights}, {"seed", 1}}, narrow, temp.path()),
               Contains("layer.weights: filter") && Contains("allowed range 1..3"));

    std::vector<std::int64_t> weights(6 * 27, 1);
    weights[30] = -9;  // filter 1, k = 3: does not fit 4 bits
    write_bytes(temp.path() / "w.npy", fwmac::npy_bytes(integer_array(fwmac::NpyType::int8, {6, 3, 3, 3}, weights)));
    CHECK_THAT(layer_error({{"conv", kConv}, {"weights", "w.npy"}, {"weight_bits", {4, 4, 4, 4, 4, 4}}, {"seed", 1}},
                           shape, temp.path()),
               Contains("layer.weights[1][3] = -9") && Contains("4 bits (range -8..7)"));
    CHECK_THAT(layer_error({{"conv", kConv}, {"weights", "w.npy"}, {"seed", 1}}, shape, temp.path()),
               Contains("layer.weight_bits: missing"));
    CHECK_THAT(layer_error({{"conv", kConv}, {"weights", "w.npy"}, {"weight_bits", {4, 4, 4}}, {"seed", 1}}, shape,
                           temp.path()),
               Contains("layer.weight_bits has 3 entries, expected out_channels = 6"));
    fwmac::NpyArray floats;
    floats.shape = {6, 3, 3, 3};
    floats.reals.assign(6 * 27, 0.5);
    write_bytes(temp.path() / "f.npy", fwmac::npy_bytes(floats));
    CHECK_THAT(layer_error({{"conv", kConv}, {"weights", "f.npy"}, {"weight_bits", {4, 4, 4, 4, 4, 4}}, {"seed", 1}},
                           shape, temp.path()),
               Contains("layer.weights") && Contains("'<f4'") && Contains("expected integers"));
    write_bytes(temp.path() / "bad.npy", "not an npy file at all");
    CHECK_THAT(layer_error({{"conv", kConv}, {"weights", "bad.npy"}, {"weight_bits", {4, 4, 4, 4, 4, 4}}, {"seed", 1}},
                           shape, temp.path()),
               Contains("layer.weights: npy file") && Contains("magic string"));

    write_bytes(temp.path() / "x.npy",
                fwmac::npy_bytes(integer_array(fwmac::NpyType::int16, {3, 5, 5}, std::vector<std::int64_t>(75, 256))));
    CHECK_THAT(layer_error({{"conv", kConv}, {"weight_bits", {4, 4, 4, 4, 4, 4}}, {"input", "x.npy"}, {"seed", 1}},
                           shape, temp.path()),
               Contains("layer.input[0] = 256") && Contains("0..255"));
    write_bytes(temp.path() / "x.npy",
                fwmac::npy_bytes(integer_array(fwmac::NpyType::uint8, {3, 5, 4}, std::vector<std::int64_t>(60, 1))));
    CHECK_THAT(layer_error({{"conv", kConv}, {"weight_bits", {4, 4, 4, 4, 4, 4}}, {"input", "x.npy"}, {"seed", 1}},
                           shape, temp.path()),
               Contains("layer.input") && Contains("(3, 5, 4)") && Contains("needs (3, 5, 5)"));
}
