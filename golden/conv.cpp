#include "golden/conv.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace fwmac {

ConvShape::ConvShape(int in_channels_, int height_, int width_, int kernel, int stride, int padding, int out_channels_)
    : in_channels(in_channels_),
      height(height_),
      width(width_),
      kernel_h(kernel),
      kernel_w(kernel),
      stride_h(stride),
      stride_w(stride),
      padding_h(padding),
      padding_w(padding),
      out_channels(out_channels_) {}

std::vector<std::int64_t> im2col(const ConvShape& conv, const std::vector<std::int64_t>& image) {
    return im2col(conv, image, conv.pixels());
}

std::vector<std::int64_t> im2col(const ConvShape& conv, const std::vector<std::int64_t>& image, int pixels) {
    const std::size_t expected = static_cast<std::size_t>(conv.in_channels) * conv.height * conv.width;
    if (image.size() != expected) {
        throw std::invalid_argument(
            fmt::format("im2col: image has {} values, expected {}", image.size(), expected));
    }
    if (pixels < 1 || pixels > conv.pixels()) {
        throw std::invalid_argument(fmt::format("im2col: {} pixels, allowed range 1..{}", pixels, conv.pixels()));
    }
    const int out_width = conv.out_width();
    std::vector<std::int64_t> columns(static_cast<std::size_t>(conv.depth()) * pixels, 0);
    for (int channel = 0; channel < conv.in_channels; ++channel) {
        for (int ky = 0; ky < conv.kernel_h; ++ky) {
            for (int kx = 0; kx < conv.kernel_w; ++kx) {
                const int k = (channel * conv.kernel_h + ky) * conv.kernel_w + kx;
                for (int p = 0; p < pixels; ++p) {
                    const int y = (p / out_width) * conv.stride_h + ky * conv.dilation_h - conv.padding_h;
                    const int x = (p % out_width) * conv.stride_w + kx * conv.dilation_w - conv.padding_w;
                    if (y < 0 || y >= conv.height || x < 0 || x >= conv.width) continue;
                    columns[static_cast<std::size_t>(k) * pixels + p] =
                        image[(static_cast<std::size_t>(channel) * conv.height + y) * conv.width + x];
                }
            }
        }
    }
    return columns;
}

}  // namespace fwmac
