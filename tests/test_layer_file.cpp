// The layer-file format (compiler/layer_file.hpp): unknown fields at every level,
// explicit requant parameters (hand-computed outputs), conv-shape and size checks.
#include <catch2/catch.hpp>

#include <fstream>

#include "compiler/layer_file.hpp"
#include "compiler/npy.hpp"
#include "golden/array_model.hpp"
#include "golden/schedule.hpp"
#include "temp_dir.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using nlohmann::json;

namespace {

const json kConv{{"in_channels", 2}, {"height", 4}, {"width", 4}, {"kernel", 3}, {"out_channels", 2}};

json layer_with(const json& extra) {
    json file{{"conv", kConv}, {"weight_bits", {4, 4}}, {"seed", 1}};
    for (const auto& [key, value] : extra.items()) file[key] = value;
    return file;
}

std::string layer_error(const json& file, const fwmac::ArrayShape& shape = {}) {
    try {
        fwmac::parse_layer_json(file, shape);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "no error";
}

fwmac::ArrayResult run(const fwmac::LayerFile& file, const fwmac::ArrayShape& shape) {
    const fwmac::GemmLayer& layer = file.layer;
    return fwmac::run_array_model(layer, fwmac::make_schedule(layer.weight_bits, layer.depth, layer.pixels, shape));
}

}  // namespace

TEST_CASE("layer file: unknown fields are rejected at every level, naming the path and the allowed fields",
          "[layer_file]") {
    CHECK_THAT(layer_error(layer_with({{"ouput", "raw"}})),
               Equals("layer.ouput: unknown field (allowed: conv, input, name, output, pixel_limit, requant, seed, "
                      "weight_bits, weights)"));
    CHECK_THAT(layer_error(layer_with({{"inptu", "X.npy"}})), Contains("layer.inptu: unknown field"));
    json conv = kConv;
    conv["dilatoin"] = 2;
    CHECK_THAT(layer_error(layer_with({{"conv", conv}})),
               Equals("layer.conv.dilatoin: unknown field (allowed: dilation, height, in_channels, kernel, "
                      "out_channels, padding, stride, width)"));
    CHECK_THAT(layer_error(layer_with({{"weight_bits", {{"distribution", "default"}, {"seed", 1}, {"mean", 4}}}})),
               Equals("layer.weight_bits.mean: unknown field (allowed: distribution, seed)"));
    CHECK_THAT(layer_error(layer_with({{"weights", {{"quantized", "q.json"}, {"layers", "c"}}}})),
               Contains("layer.weights.layers: unknown field (allowed: layer, quantized)"));
    CHECK_THAT(layer_error(layer_with({{"requant", {{"bias", {0, 0}}, {"scale", {1, 1}}}}})),
               Equals("layer.requant.scale: unknown field (allowed: bias, mult, shift)"));
}

TEST_CASE("layer file: conv fields per axis are checked by name", "[layer_file]") {
    auto conv_error = [](const json& changes) {
        json conv = kConv;
        for (const auto& [key, value] : changes.items()) conv[key] = value;
        return layer_error(layer_with({{"conv", conv}}));
    };
    CHECK_THAT(conv_error({{"kernel", {3, 16}}}), Equals("layer.conv.kernel[1] = 16: allowed range 1..15"));
    CHECK_THAT(conv_error({{"stride", 0}}), Equals("layer.conv.stride = 0: allowed range 1..15"));
    CHECK_THAT(conv_error({{"padding", {1, -1}}}), Equals("layer.conv.padding[1] = -1: allowed range 0..15"));
    CHECK_THAT(conv_error({{"dilation", {1, 2, 3}}}),
               Contains("layer.conv.dilation: must be an integer 1..15 or [height, width], got [1,2,3]"));
    CHECK_THAT(conv_error({{"kernel", "3"}}), Contains("layer.conv.kernel: must be an integer"));
    // 4 rows, kernel 3 dilated by 2 spans 5 rows
    CHECK_THAT(conv_error({{"dilation", {2, 1}}}),
               Contains("layer.conv.kernel: the kernel spans 5 rows") && Contains("the 4 rows of the padded input"));
    CHECK_THAT(conv_error({{"dilation", {2, 1}}, {"padding", {1, 0}}}), Equals("no error"));
    CHECK_THAT(conv_error({{"kernel", {1, 5}}}), Contains("spans 5 columns"));
    json no_kernel = kConv;
    no_kernel.erase("kernel");
    CHECK_THAT(layer_error(layer_with({{"conv", no_kernel}})), Contains("layer.conv.kernel: missing"));
    // stride, padding and dilation default to 1, 0 and 1: kernel 3 on 4x4 -> 2x2 outputs
    const fwmac::LayerFile file = fwmac::parse_layer_json(layer_with({}), fwmac::ArrayShape{});
    CHECK(file.conv.out_height() == 2);
    CHECK(file.layer.pixels == 4);
    CHECK(file.layer.depth == 18);
}

TEST_CASE("layer file: sizes beyond the limits are refused before anything is allocated", "[layer_file]") {
    json huge = kConv;
    huge["in_channels"] = 4096;
    huge["height"] = 4096;
    huge["width"] = 4096;
    CHECK_THAT(layer_error(layer_with({{"conv", huge}})),
               Contains("layer.conv: input values in_channels * height * width = 68719476736, more than the "
                        "16777216"));
    json wide = kConv;  // image 2 * 2048^2 = 8388608 values; K = 2 * 9 = 18, P = 2046^2: K * P = 75350088
    wide["in_channels"] = 2;
    wide["height"] = wide["width"] = 2048;
    CHECK_THAT(layer_error(layer_with({{"conv", wide}})),
               Contains("im2col values K * P = 75350088, more than the 16777216") && Contains("pixel_limit"));
    // with pixel_limit the same layer fits
    CHECK_THAT(layer_error(layer_with({{"conv", wide}, {"pixel_limit", 1000}})), Equals("no error"));
}

TEST_CASE("layer file: explicit requant parameters give the hand-computed outputs", "[layer_file]") {
    // 1 channel, 2x2 image 1 2 3 4, 1x1 kernel, filters w = 3 and -2, signed 8-bit outputs:
    //   filter 0: acc = 3 6 9 12, t = acc + 1, u = (3t + 2^0) >> 1 = 6 11 15 20
    //   filter 1: acc = -2 -4 -6 -8, bias 0, mult 1, shift 0: u = acc
    const fwmac::testing::TempDir temp;
    fwmac::NpyArray weights;
    weights.type = fwmac::NpyType::int8;
    weights.shape = {2, 1, 1, 1};
    weights.integers = {3, -2};
    fwmac::NpyArray image;
    image.type = fwmac::NpyType::uint8;
    image.shape = {1, 2, 2};
    image.integers = {1, 2, 3, 4};
    std::ofstream(temp.path() / "w.npy", std::ios::binary) << fwmac::npy_bytes(weights);
    std::ofstream(temp.path() / "x.npy", std::ios::binary) << fwmac::npy_bytes(image);
    const json conv{{"in_channels", 1}, {"height", 2}, {"width", 2}, {"kernel", 1}, {"out_channels", 2}};
    json file{{"conv", conv},    {"weights", "w.npy"}, {"weight_bits", {3, 3}},
              {"input", "x.npy"}, {"seed", 9},          {"output", "signed"},
              {"requant", {{"bias", {1, 0}}, {"mult", {3, 1}}, {"shift", {1, 0}}}}};
    const fwmac::ArrayShape shape;
    const fwmac::LayerFile loaded = fwmac::parse_layer_json(file, shape, temp.path().string());
    CHECK(run(loaded, shape).outputs == std::vector<std::int64_t>{6, 11, 15, 20, -2, -4, -6, -8});

    // relu clamps filter 1 at 0
    file["output"] = "relu";
    CHECK(run(fwmac::parse_layer_json(file, shape, temp.path().string()), shape).outputs ==
          std::vector<std::int64_t>{6, 11, 15, 20, 0, 0, 0, 0});

    // a list left out keeps the fitted (seeded) values of that parameter
    file.erase("requant");
    const fwmac::LayerFile fitted = fwmac::parse_layer_json(file, shape, temp.path().string());
    file["requant"] = {{"mult", {100, 200}}};
    const fwmac::LayerFile mult_only = fwmac::parse_layer_json(file, shape, temp.path().string());
    for (int f = 0; f < 2; ++f) {
        CHECK(mult_only.layer.requant[f].bias == fitted.layer.requant[f].bias);
        CHECK(mult_only.layer.requant[f].shift == fitted.layer.requant[f].shift);
    }
    CHECK(mult_only.layer.requant[0].mult == 100);
    CHECK(mult_only.layer.requant[1].mult == 200);
}

TEST_CASE("layer file: the image the activations were lowered from is kept", "[layer_file]") {
    const fwmac::ArrayShape shape;
    // synthetic: the seeded image, [Cin][H][W], whose im2col over the kept pixels is X
    json file = layer_with({{"pixel_limit", 3}});
    const fwmac::LayerFile synthetic = fwmac::parse_layer_json(file, shape);
    REQUIRE(synthetic.image.size() == 2u * 4 * 4);
    CHECK(fwmac::im2col(synthetic.conv, synthetic.image, 3) == synthetic.layer.activations);
    // the same seed without pixel_limit draws the same image
    CHECK(fwmac::parse_layer_json(layer_with({}), shape).image == synthetic.image);
    // explicit input: the file's image
    const fwmac::testing::TempDir temp;
    fwmac::NpyArray image;
    image.type = fwmac::NpyType::uint8;
    image.shape = {2, 4, 4};
    for (int i = 0; i < 32; ++i) image.integers.push_back(i % 16);
    std::ofstream(temp.path() / "x.npy", std::ios::binary) << fwmac::npy_bytes(image);
    file["input"] = "x.npy";
    const fwmac::LayerFile given = fwmac::parse_layer_json(file, shape, temp.path().string());
    CHECK(given.image == image.integers);
    CHECK(fwmac::im2col(given.conv, given.image, 3) == given.layer.activations);
}

TEST_CASE("layer file: requant values outside the array's ranges are named", "[layer_file]") {
    fwmac::ArrayShape shape;  // |sum| <= 4608 * 2^7 * 255 < 2^28: ACC_W = 29, bias in -2^28..2^28-1
    REQUIRE(fwmac::acc_width(shape) == 29);
    CHECK_THAT(layer_error(layer_with({{"requant", {{"mult", {65535, 65536}}}}}), shape),
               Equals("layer.requant.mult[1] = 65536: allowed range 0..65535 (16-bit unsigned multiplier)"));
    CHECK_THAT(layer_error(layer_with({{"requant", {{"mult", {-1, 0}}}}}), shape),
               Contains("layer.requant.mult[0] = -1: allowed range 0..65535"));
    CHECK_THAT(layer_error(layer_with({{"requant", {{"shift", {47, 48}}}}}), shape),
               Contains("layer.requant.shift[1] = 48: allowed range 0..47"));
    CHECK_THAT(layer_error(layer_with({{"requant", {{"bias", {-268435456, 268435456}}}}}), shape),
               Equals("layer.requant.bias[1] = 268435456: allowed range -268435456..268435455 (ACC_W = 29 bits: the "
                      "array's signed accumulator)"));
    CHECK_THAT(layer_error(layer_with({{"requant", {{"bias", {-268435457, 0}}}}}), shape),
               Contains("layer.requant.bias[0] = -268435457"));
    CHECK_THAT(layer_error(layer_with({{"requant", {{"bias", {0, 18446744073709551615ULL}}}}}), shape),
               Contains("layer.requant.bias[1] = 18446744073709551615: allowed range"));
    CHECK_THAT(layer_error(layer_with({{"requant", {{"shift", {1.5, 2}}}}}), shape),
               Contains("layer.requant.shift[0]: must be an integer 0..47"));
    CHECK_THAT(layer_error(layer_with({{"requant", {{"bias", {1, 2, 3}}}}}), shape),
               Contains("layer.requant.bias: must be an array of 2 integers (one per filter, in the layer's filter "
                        "order), got 3 entries"));
    CHECK_THAT(layer_error(layer_with({{"requant", {1, 2}}}), shape), Contains("layer.requant: must be an object"));
    CHECK_THAT(layer_error(layer_with({{"requant", {{"mult", {0, 65535}}, {"shift", {0, 47}}}}}), shape),
               Equals("no error"));
}

TEST_CASE("layer file: integer fields beyond int64 are range errors, not wrapped values", "[layer_file]") {
    CHECK_THAT(layer_error(layer_with({{"seed", 18446744073709551615ULL}})),
               Equals("layer.seed = 18446744073709551615: allowed range 0..2147483647"));
    CHECK_THAT(layer_error(layer_with({{"weight_bits", {4, 4294967300LL}}})),
               Equals("layer.weight_bits[1] = 4294967300: allowed range 1..8"));
    CHECK_THAT(layer_error(layer_with({{"pixel_limit", 5}})), Equals("layer.pixel_limit = 5: allowed range 1..4"));
}
