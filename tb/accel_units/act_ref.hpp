// Reference model of the activation side of the fwmac accelerator: the buffer layout,
// the driver's descriptor values and the beat sequence of the hardware im2col, all
// from their definitions (docs/accelerator.md and the README), never from the RTL.
//
//   (a) layout: PITCH, PLANE and the global index q of an input word;
//   (b) the expected beats: for g, for tile t, for chunk j, column c is the word of
//       input pixel (oy*s + ky - pad_top, ox*s + kx - pad_left) of output pixel
//       p = t*C + c, or zero outside the image or for p >= P;
//   (c) rows_needed(t), the row gating threshold of tile t.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace actref {

// A convolution layer as the activation side sees it (channels already in groups).
struct Conv {
    int height = 1, width = 1;  // H, W
    int groups = 1;             // CG: channel groups of L channels (one word each)
    int kernel_h = 1, kernel_w = 1;
    int stride = 1;
    int pad_top = 0, pad_left = 0;      // bottom/right padding is implicit (outside = 0)
    int out_height = 1, out_width = 1;  // OH, OW

    long pixels() const { return static_cast<long>(out_height) * out_width; }  // P
    int chunks() const { return kernel_h * kernel_w * groups; }
    long input_words() const { return static_cast<long>(height) * width * groups; }
    std::string text() const;
};

// OH/OW from explicit bottom/right padding: floor((H + pt + pb - KH) / s) + 1.
// Throws std::invalid_argument when a size is out of the supported range.
Conv make_conv(int height, int width, int groups, int kernel_h, int kernel_w, int stride,
               int pad_top, int pad_left, int pad_bottom, int pad_right);

// (a) the layout
struct Layout {
    int banks = 1;   // NB
    long pitch = 0;  // PITCH: smallest >= ceil((W + pad_left)/s) with PITCH = OW (mod NB)
    long plane = 0;  // PLANE: smallest multiple of NB >= ceil((H + pad_top)/s) * PITCH
    long words = 0;  // s*s*CG*PLANE: buffer words the layer occupies (NB*DEPTH must hold them)
};
Layout make_layout(const Conv& conv, int banks);
long word_index(const Conv& conv, const Layout& layout, int iy, int ix, int cg);

// The input feature map: one word per (iy, ix, cg), stream order for iy: for ix: for cg.
struct Image {
    Conv conv;
    std::vector<uint64_t> words;  // index (iy*W + ix)*CG + cg
    uint64_t at(int iy, int ix, int cg) const {
        return words[(static_cast<long>(iy) * conv.width + ix) * conv.groups + cg];
    }
};

// (b) the beats
struct Tap {
    bool real = false;  // false: padding or a pixel >= P (the column reads zero)
    int iy = 0, ix = 0, cg = 0;
};
Tap tap(const Conv& conv, long pixel, int chunk);   // chunk j = (ky*KW + kx)*CG + cg
long tiles(const Conv& conv, int cols);             // T = ceil(P / C)
long beats(const Conv& conv, int cols, int row_groups);  // G * T * CHUNKS
std::vector<uint64_t> beat_words(const Image& image, int cols, long tile, int chunk);
// the words' global indices (-1 for a column that reads nothing)
std::vector<long> beat_indices(const Conv& conv, const Layout& layout, int cols, long tile, int chunk);

// (c) min(H, max(0, oy_last*s + KH - pad_top)), oy_last the row of the tile's last pixel < P
int rows_needed(const Conv& conv, int cols, long tile);

// The precomputed descriptor values of fwmac_im2col (the driver's job).
struct Im2colInputs {
    long out_width_s = 0;   // s * OW
    long tile_x_step = 0;   // s * (C mod OW)
    long tile_y_step = 0;   // s * (C div OW)
    long tile_q_step = 0;   // (C div OW) * PITCH + C mod OW
    long plane_y_step = 0;  // s * CG * PLANE
};
Im2colInputs im2col_inputs(const Conv& conv, const Layout& layout, int cols);

// Set-up cycles of fwmac_act_writer from start_i to s_ready_o (the README's INIT).
int writer_init_cycles(const Conv& conv, int dim_w);
// Cycles from start_i to the first possible issue of fwmac_im2col (S + C + 2).
int im2col_first_issue(int cols);
// Issue-to-a_valid_o latency of fwmac_im2col and its output FIFO depth (credit limit).
constexpr int kIm2colLatency = 3;
constexpr int kIm2colCredit = 4;

}  // namespace actref
