#include "golden/conv.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace fwmac {

std::vector<std::int64_t> im2col(const ConvShape& conv, const std::vector<std::int64_t>& image) {
    const std::size_t expected = static_cast<std::size_t>(conv.in_channels) * conv.height * conv.width;
    if (image.size() != expected) {
        throw std::invalid_argument(
            fmt::format("im2col: image has {} values, expected {}", image.size(), expected));
    }
    const int out_width = conv.out_width();
    std::vector<std::int64_t> columns(static_cast<std::size_t>(conv.depth()) * conv.pixels(), 0);
    for (int channel = 0; channel < conv.in_channels; ++channel) {
        for (int ky = 0; ky < conv.kernel; ++ky) {
            for (int kx = 0; kx < conv.kernel; ++kx) {
                const int k = (channel * conv.kernel + ky) * conv.kernel + kx;
                for (int p = 0; p < conv.pixels(); ++p) {
                    const int y = (p / out_width) * conv.stride + ky - conv.padding;
                    const int x = (p % out_width) * conv.stride + kx - conv.padding;
                    if (y < 0 || y >= conv.height || x < 0 || x >= conv.width) continue;
                    columns[static_cast<std::size_t>(k) * conv.pixels() + p] =
                        image[(static_cast<std::size_t>(channel) * conv.height + y) * conv.width + x];
                }
            }
        }
    }
    return columns;
}

}  // namespace fwmac
