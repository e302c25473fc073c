// A convolution layer's shape and its lowering to the GEMM the array computes (im2col).
#pragma once

#include <cstdint>
#include <vector>

namespace fwmac {

struct ConvShape {
    int in_channels = 1;
    int height = 1;
    int width = 1;
    int kernel = 1;
    int stride = 1;
    int padding = 0;
    int out_channels = 1;

    int out_height() const { return (height + 2 * padding - kernel) / stride + 1; }
    int out_width() const { return (width + 2 * padding - kernel) / stride + 1; }
    int depth() const { return in_channels * kernel * kernel; }   // K
    int pixels() const { return out_height() * out_width(); }      // P
};

// im2col: X[k][p] with k = (channel * kernel + ky) * kernel + kx and p = oy * out_width + ox;
// taps that fall into the zero padding read 0. `image` is [in_channels][height][width].
std::vector<std::int64_t> im2col(const ConvShape& conv, const std::vector<std::int64_t>& image);

}  // namespace fwmac
