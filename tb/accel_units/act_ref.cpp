#include "act_ref.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace actref {

namespace {
long ceil_div(long a, long b) { return (a + b - 1) / b; }
void require(bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("actref: " + what);
}
}  // namespace

std::string Conv::text() const {
    std::ostringstream out;
    out << "H=" << height << " W=" << width << " CG=" << groups << " K=" << kernel_h << "x" << kernel_w
        << " s=" << stride << " pad_top=" << pad_top << " pad_left=" << pad_left << " OH=" << out_height
        << " OW=" << out_width;
    return out.str();
}

Conv make_conv(int height, int width, int groups, int kernel_h, int kernel_w, int stride, int pad_top,
               int pad_left, int pad_bottom, int pad_right) {
    require(height >= 1 && width >= 1 && groups >= 1, "H, W, CG must be >= 1");
    require(kernel_h >= 1 && kernel_h <= 7 && kernel_w >= 1 && kernel_w <= 7, "kernel 1..7");
    require(stride >= 1 && stride <= 4, "stride 1..4");
    require(pad_top >= 0 && pad_top <= 6 && pad_left >= 0 && pad_left <= 6, "pad_top/pad_left 0..6");
    require(pad_bottom >= 0 && pad_right >= 0, "pad_bottom/pad_right >= 0");
    Conv conv;
    conv.height = height;
    conv.width = width;
    conv.groups = groups;
    conv.kernel_h = kernel_h;
    conv.kernel_w = kernel_w;
    conv.stride = stride;
    conv.pad_top = pad_top;
    conv.pad_left = pad_left;
    const int span_h = height + pad_top + pad_bottom - kernel_h;
    const int span_w = width + pad_left + pad_right - kernel_w;
    require(span_h >= 0 && span_w >= 0, "the kernel is larger than the padded input");
    conv.out_height = span_h / stride + 1;
    conv.out_width = span_w / stride + 1;
    return conv;
}

Layout make_layout(const Conv& conv, int banks) {
    require(banks >= 1 && (banks & (banks - 1)) == 0, "NB must be a power of two");
    Layout layout;
    layout.banks = banks;
    const long s = conv.stride;
    const long min_pitch = ceil_div(conv.width + conv.pad_left, s);
    // smallest PITCH >= min_pitch with PITCH = OW (mod NB)
    const long ow_mod = conv.out_width % banks;
    long pitch = min_pitch - (min_pitch % banks) + ow_mod;
    if (pitch < min_pitch) pitch += banks;
    layout.pitch = pitch;
    const long plane_rows = ceil_div(conv.height + conv.pad_top, s);
    layout.plane = ceil_div(plane_rows * pitch, banks) * banks;
    layout.words = s * s * conv.groups * layout.plane;
    return layout;
}

long word_index(const Conv& conv, const Layout& layout, int iy, int ix, int cg) {
    const long s = conv.stride;
    const long jy = iy + conv.pad_top, jx = ix + conv.pad_left;
    const long py = jy % s, px = jx % s, ry = jy / s, rx = jx / s;
    return layout.plane * ((py * s + px) * conv.groups + cg) + ry * layout.pitch + rx;
}

Tap tap(const Conv& conv, long pixel, int chunk) {
    Tap result;
    if (pixel >= conv.pixels()) return result;
    const int cg = chunk % conv.groups;
    const int kx = (chunk / conv.groups) % conv.kernel_w;
    const int ky = chunk / (conv.groups * conv.kernel_w);
    const long oy = pixel / conv.out_width, ox = pixel % conv.out_width;
    const long iy = oy * conv.stride + ky - conv.pad_top;
    const long ix = ox * conv.stride + kx - conv.pad_left;
    if (iy < 0 || iy >= conv.height || ix < 0 || ix >= conv.width) return result;
    result.real = true;
    result.iy = static_cast<int>(iy);
    result.ix = static_cast<int>(ix);
    result.cg = cg;
    return result;
}

long tiles(const Conv& conv, int cols) { return ceil_div(conv.pixels(), cols); }

long beats(const Conv& conv, int cols, int row_groups) {
    return static_cast<long>(row_groups) * tiles(conv, cols) * conv.chunks();
}

std::vector<uint64_t> beat_words(const Image& image, int cols, long tile, int chunk) {
    std::vector<uint64_t> words(cols, 0);
    for (int c = 0; c < cols; ++c) {
        const Tap t = tap(image.conv, tile * cols + c, chunk);
        if (t.real) words[c] = image.at(t.iy, t.ix, t.cg);
    }
    return words;
}

std::vector<long> beat_indices(const Conv& conv, const Layout& layout, int cols, long tile, int chunk) {
    std::vector<long> indices(cols, -1);
    for (int c = 0; c < cols; ++c) {
        const Tap t = tap(conv, tile * cols + c, chunk);
        if (t.real) indices[c] = word_index(conv, layout, t.iy, t.ix, t.cg);
    }
    return indices;
}

int rows_needed(const Conv& conv, int cols, long tile) {
    const long last_pixel = std::min((tile + 1) * cols, conv.pixels()) - 1;
    const long oy_last = last_pixel / conv.out_width;
    const long rows = oy_last * conv.stride + conv.kernel_h - conv.pad_top;
    return static_cast<int>(std::min<long>(conv.height, std::max<long>(0, rows)));
}

Im2colInputs im2col_inputs(const Conv& conv, const Layout& layout, int cols) {
    Im2colInputs in;
    const long s = conv.stride, ow = conv.out_width;
    in.out_width_s = s * ow;
    in.tile_x_step = s * (cols % ow);
    in.tile_y_step = s * (cols / ow);
    in.tile_q_step = (cols / ow) * layout.pitch + cols % ow;
    in.plane_y_step = s * conv.groups * layout.plane;
    return in;
}

int writer_init_cycles(const Conv& conv, int dim_w) { return dim_w + conv.pad_left + conv.pad_top + 6; }

int im2col_first_issue(int cols) { return cols + 2; }

}  // namespace actref
