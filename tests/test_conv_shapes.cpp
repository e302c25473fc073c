// Rectangular kernels, strides, padding and dilation per axis (golden/conv): im2col on
// hand-worked cases and, on random shapes, the GEMM W . im2col(X) and the array model of
// a layer file against a direct convolution written here (no im2col).
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <fstream>
#include <random>

#include "compiler/layer_file.hpp"
#include "compiler/networks.hpp"
#include "compiler/npy.hpp"
#include "golden/array_model.hpp"
#include "golden/conv.hpp"
#include "golden/schedule.hpp"
#include "temp_dir.hpp"

namespace {

struct Conv {
    int cin, h, w, kh, kw, sh, sw, ph, pw, dh, dw, f;
};

// Output rows: the oy >= 0 whose last tap row oy*s + (k-1)*d stays inside the padded input.
int output_size(int size, int kernel, int stride, int padding, int dilation) {
    int count = 0;
    while (count * stride + (kernel - 1) * dilation <= size - 1 + 2 * padding) ++count;
    return count;
}

// y[f][oy][ox] = sum_{c,ky,kx} w[f][c][ky][kx] * x[c][oy*sh - ph + ky*dh][ox*sw - pw + kx*dw] (0 outside).
std::vector<std::int64_t> direct_conv(const Conv& c, const std::vector<std::int64_t>& w,
                                      const std::vector<std::int64_t>& x) {
    const int oh = output_size(c.h, c.kh, c.sh, c.ph, c.dh), ow = output_size(c.w, c.kw, c.sw, c.pw, c.dw);
    std::vector<std::int64_t> y;
    for (int f = 0; f < c.f; ++f) {
        for (int oy = 0; oy < oh; ++oy) {
            for (int ox = 0; ox < ow; ++ox) {
                std::int64_t sum = 0;
                for (int ch = 0; ch < c.cin; ++ch) {
                    for (int ky = 0; ky < c.kh; ++ky) {
                        for (int kx = 0; kx < c.kw; ++kx) {
                            const int iy = oy * c.sh - c.ph + ky * c.dh, ix = ox * c.sw - c.pw + kx * c.dw;
                            if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
                            sum += w[((f * c.cin + ch) * c.kh + ky) * c.kw + kx] * x[(ch * c.h + iy) * c.w + ix];
                        }
                    }
                }
                y.push_back(sum);
            }
        }
    }
    return y;
}

fwmac::ConvShape shape_of(const Conv& c) {
    fwmac::ConvShape conv;
    conv.in_channels = c.cin;
    conv.height = c.h;
    conv.width = c.w;
    conv.kernel_h = c.kh;
    conv.kernel_w = c.kw;
    conv.stride_h = c.sh;
    conv.stride_w = c.sw;
    conv.padding_h = c.ph;
    conv.padding_w = c.pw;
    conv.dilation_h = c.dh;
    conv.dilation_w = c.dw;
    conv.out_channels = c.f;
    return conv;
}

Conv random_conv(std::mt19937_64& rng) {
    auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
    while (true) {
        Conv c{pick(1, 3), pick(1, 9), pick(1, 9), pick(1, 4), pick(1, 4), pick(1, 3), pick(1, 3),
               pick(0, 3), pick(0, 3), pick(1, 3), pick(1, 3), pick(1, 3)};
        if ((c.kh - 1) * c.dh + 1 <= c.h + 2 * c.ph && (c.kw - 1) * c.dw + 1 <= c.w + 2 * c.pw) return c;
    }
}

std::vector<std::int64_t> random_values(std::mt19937_64& rng, std::size_t count, int low, int high) {
    std::vector<std::int64_t> values(count);
    for (auto& value : values) value = std::uniform_int_distribution<int>(low, high)(rng);
    return values;
}

std::string describe(const Conv& c) {
    return fmt::format("Cin={} HxW={}x{} kernel=[{},{}] stride=[{},{}] padding=[{},{}] dilation=[{},{}] F={}", c.cin,
                       c.h, c.w, c.kh, c.kw, c.sh, c.sw, c.ph, c.pw, c.dh, c.dw, c.f);
}

}  // namespace

TEST_CASE("conv: im2col with a rectangular, dilated, strided and padded kernel (hand-worked)", "[conv]") {
    // 3x4 image 1..12; kernel [2, 2], dilation [2, 1], stride [1, 2], padding [0, 1].
    // Rows: the kernel spans 3 rows -> one output row reading rows 0 and 2.
    // Columns: padded x = -1..4, output columns read x = 2*ox - 1 + kx -> 3 outputs.
    //   k0 (ky0,kx0): row 0, x -1 1 3 -> 0 2 4     k1 (ky0,kx1): row 0, x 0 2 4 -> 1 3 0
    //   k2 (ky1,kx0): row 2, x -1 1 3 -> 0 10 12   k3 (ky1,kx1): row 2, x 0 2 4 -> 9 11 0
    const fwmac::ConvShape conv = shape_of({1, 3, 4, 2, 2, 1, 2, 0, 1, 2, 1, 1});
    CHECK(conv.out_height() == 1);
    CHECK(conv.out_width() == 3);
    CHECK(conv.depth() == 4);
    const std::vector<std::int64_t> image{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    CHECK(fwmac::im2col(conv, image) == std::vector<std::int64_t>{0, 2, 4, 1, 3, 0, 0, 10, 12, 9, 11, 0});
    // the first 2 pixels only
    CHECK(fwmac::im2col(conv, image, 2) == std::vector<std::int64_t>{0, 2, 1, 3, 0, 10, 9, 11});
    CHECK_THROWS_AS(fwmac::im2col(conv, image, 4), std::invalid_argument);
    CHECK_THROWS_AS(fwmac::im2col(conv, image, 0), std::invalid_argument);

    // kernel [3, 1] over 2 channels of 3x2: k = (channel * 3 + ky) * 1, two output pixels
    // (x = 0, 1): X is the image row by row: 1 2 | 3 4 | 5 6 | 7 8 | 9 10 | 11 12.
    const fwmac::ConvShape tall = shape_of({2, 3, 2, 3, 1, 1, 1, 0, 0, 1, 1, 1});
    CHECK(tall.pixels() == 2);
    CHECK(fwmac::im2col(tall, image) == image);
}

TEST_CASE("conv: the square constructor the reference networks use", "[conv]") {
    const fwmac::ConvShape conv(3, 224, 224, 7, 2, 3, 64);  // ResNet-18 conv1
    CHECK(conv.kernel_h == 7);
    CHECK(conv.kernel_w == 7);
    CHECK(conv.stride_w == 2);
    CHECK(conv.padding_h == 3);
    CHECK(conv.dilation_h == 1);
    CHECK(conv.dilation_w == 1);
    // (224 + 6 - 7) / 2 + 1 = 112
    CHECK(conv.pixels() == 112 * 112);
    CHECK(conv.depth() == 147);
    // the 20 layers keep their hand-known sizes: K x P of a few
    const auto layers = fwmac::resnet18_conv_layers();
    REQUIRE(layers.size() == 20);
    CHECK(layers[0].conv.depth() * layers[0].conv.pixels() == 147 * 12544);
    for (const auto& layer : layers) {
        if (layer.name == "layer2.0.downsample") CHECK(layer.conv.pixels() == 28 * 28);
        if (layer.name == "layer4.1.conv2") CHECK(layer.conv.depth() == 4608);
        if (layer.name == "layer4.1.conv2") CHECK(layer.conv.pixels() == 49);
    }
}

TEST_CASE("conv: W . im2col(X) equals a direct convolution on random shapes", "[conv]") {
    std::mt19937_64 rng(20250);
    for (int trial = 0; trial < 300; ++trial) {
        const Conv c = random_conv(rng);
        INFO("trial " << trial << " (seed 20250): " << describe(c));
        const fwmac::ConvShape conv = shape_of(c);
        REQUIRE(conv.out_height() == output_size(c.h, c.kh, c.sh, c.ph, c.dh));
        REQUIRE(conv.out_width() == output_size(c.w, c.kw, c.sw, c.pw, c.dw));
        const auto w = random_values(rng, static_cast<std::size_t>(c.f) * c.cin * c.kh * c.kw, -8, 7);
        const auto x = random_values(rng, static_cast<std::size_t>(c.cin) * c.h * c.w, 0, 15);
        const std::vector<std::int64_t> columns = fwmac::im2col(conv, x);
        const int depth = conv.depth(), pixels = conv.pixels();
        std::vector<std::int64_t> gemm(static_cast<std::size_t>(c.f) * pixels, 0);
        for (int f = 0; f < c.f; ++f) {
            for (int k = 0; k < depth; ++k) {
                for (int p = 0; p < pixels; ++p) gemm[f * pixels + p] += w[f * depth + k] * columns[k * pixels + p];
            }
        }
        CHECK(gemm == direct_conv(c, w, x));
    }
}

TEST_CASE("conv: a layer file with per-axis kernel, stride, padding and dilation runs as the direct convolution",
          "[conv][layer_file]") {
    const fwmac::testing::TempDir temp;
    fwmac::ArrayShape array;  // 8x8x8, A = Bmax = 8
    array.raw_outputs = true;  // the layers run in raw mode
    array.rows = 3;
    array.cols = 2;
    array.lanes = 5;
    std::mt19937_64 rng(77);
    for (int trial = 0; trial < 40; ++trial) {
        const Conv c = random_conv(rng);
        INFO("trial " << trial << " (seed 77): " << describe(c));
        const auto w = random_values(rng, static_cast<std::size_t>(c.f) * c.cin * c.kh * c.kw, -8, 7);
        const auto x = random_values(rng, static_cast<std::size_t>(c.cin) * c.h * c.w, 0, 255);
        fwmac::NpyArray weights;
        weights.type = fwmac::NpyType::int8;
        weights.shape = {std::size_t(c.f), std::size_t(c.cin), std::size_t(c.kh), std::size_t(c.kw)};
        weights.integers = w;
        fwmac::NpyArray image;
        image.type = fwmac::NpyType::uint8;
        image.shape = {std::size_t(c.cin), std::size_t(c.h), std::size_t(c.w)};
        image.integers = x;
        std::ofstream(temp.path() / "w.npy", std::ios::binary) << fwmac::npy_bytes(weights);
        std::ofstream(temp.path() / "x.npy", std::ios::binary) << fwmac::npy_bytes(image);
        // a scalar where both axes agree, else [height, width]
        auto axis = [](int h, int w) { return h == w ? nlohmann::json(h) : nlohmann::json::array({h, w}); };
        const nlohmann::json file{
            {"conv",
             {{"in_channels", c.cin}, {"height", c.h}, {"width", c.w}, {"kernel", axis(c.kh, c.kw)},
              {"stride", axis(c.sh, c.sw)}, {"padding", axis(c.ph, c.pw)}, {"dilation", axis(c.dh, c.dw)},
              {"out_channels", c.f}}},
            {"weights", "w.npy"},
            {"weight_bits", std::vector<int>(static_cast<std::size_t>(c.f), 4)},
            {"input", "x.npy"},
            {"seed", trial},
            {"output", "raw"}};
        const fwmac::LayerFile loaded = fwmac::parse_layer_json(file, array, temp.path().string());
        const fwmac::Schedule schedule =
            fwmac::make_schedule(loaded.layer.weight_bits, loaded.layer.depth, loaded.layer.pixels, array);
        const fwmac::ArrayResult result = fwmac::run_array_model(loaded.layer, schedule);
        CHECK(result.accumulators == direct_conv(c, w, x));
        CHECK(result.outputs == direct_conv(c, w, x));  // raw mode emits the accumulators
    }
}
