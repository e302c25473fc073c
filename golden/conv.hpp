// A convolution layer's shape and its lowering to the GEMM the array computes (im2col).
#pragma once

#include <cstdint>
#include <vector>

namespace fwmac {

// Kernel, stride, padding and dilation per axis (_h: rows, _w: columns), as in PyTorch's
// Conv2d without groups: output row oy reads input rows oy*stride_h - padding_h +
// ky*dilation_h for ky in 0..kernel_h-1 (likewise for columns); rows outside the input
// are zero padding.
struct ConvShape {
    int in_channels = 1;
    int height = 1;
    int width = 1;
    int kernel_h = 1;
    int kernel_w = 1;
    int stride_h = 1;
    int stride_w = 1;
    int padding_h = 0;
    int padding_w = 0;
    int dilation_h = 1;
    int dilation_w = 1;
    int out_channels = 1;

    ConvShape() = default;
    // Square kernel, the same stride and padding on both axes, no dilation (the
    // reference networks).
    ConvShape(int in_channels, int height, int width, int kernel, int stride, int padding, int out_channels);

    // Rows (columns) one kernel covers with its dilation: dilation * (kernel - 1) + 1.
    int span_h() const { return dilation_h * (kernel_h - 1) + 1; }
    int span_w() const { return dilation_w * (kernel_w - 1) + 1; }
    // Output size; needs span <= the padded input on both axes (parsers check it).
    int out_height() const { return (height + 2 * padding_h - span_h()) / stride_h + 1; }
    int out_width() const { return (width + 2 * padding_w - span_w()) / stride_w + 1; }
    int depth() const { return in_channels * kernel_h * kernel_w; }  // K
    int pixels() const { return out_height() * out_width(); }         // P
};

// im2col: X[k][p] with k = (channel * kernel_h + ky) * kernel_w + kx and p = oy * out_width + ox;
// taps that fall into the zero padding read 0. `image` is [in_channels][height][width].
std::vector<std::int64_t> im2col(const ConvShape& conv, const std::vector<std::int64_t>& image);
// The same for the first `pixels` output pixels only (0 < pixels <= conv.pixels()): X is K x pixels.
std::vector<std::int64_t> im2col(const ConvShape& conv, const std::vector<std::int64_t>& image, int pixels);

}  // namespace fwmac
