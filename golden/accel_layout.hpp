// The accelerator shell's data layout (docs/accelerator.md): the system parameters, how a
// convolution is lowered for the hardware im2col (K ordered channel-innermost, channels
// padded to groups of L), how a layer is split into runs (stripes of output rows whose
// input fits the activation buffer), and each run's descriptor: the register values
// the driver writes and the hardware's address arithmetic is checked against.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/conv.hpp"
#include "golden/layer.hpp"
#include "golden/schedule.hpp"
#include "golden/shape.hpp"

namespace fwmac {

// The config's "system" section.
struct SystemShape {
    int bus_bits = 128;            // AXI4-Stream tdata width: 32, 64, 128, 256 or 512
    int act_buffer_kib = 256;      // activation buffer capacity
    int weight_buffer_words = 0;   // plane words per weight bank (0: max_chunks x max_tile_planes)
    int max_groups = 64;           // row groups per run
};

// A container: the next power of two >= `bits`, at least 8 bits.
int container_bits(int bits);
// Banks of the activation buffer: the next power of two >= C.
int act_banks(const ArrayShape& shape);
// Bits of one activation word: L channels of A bits.
int act_word_bits(const ArrayShape& shape);
// Activation buffer words (all banks) and words per bank.
std::int64_t act_buffer_words(const ArrayShape& shape, const SystemShape& system);
std::int64_t act_bank_words(const ArrayShape& shape, const SystemShape& system);
// Plane words per weight bank.
std::int64_t weight_bank_words(const ArrayShape& shape, const SystemShape& system);
// Bits of the activation side's sizes (H, W, CG, rows ready; the shell's DIM_W): the global
// buffer index width log2(NB) + log2(words per bank), at most 15.
int act_dim_bits(const ArrayShape& shape, const SystemShape& system);
// Widths of the group header fields and the header word: planes | drain rows |
// spans (two slots) | real beats.
int header_drain_rows_bits(const ArrayShape& shape);
int header_bits(const ArrayShape& shape);
// A parameter word: the core's p beat {raw (raw outputs only), relu, shift, mult, bias}.
int param_word_bits(const ArrayShape& shape);

// The group header's real beats of tile `tile_index`: bit i = the tile's i-th drained
// beat holds a filter (with two slots and no second filters the tile drains slot 0 of
// each row). This is what the packer keeps.
std::vector<bool> tile_real_beats(const Schedule& schedule, std::size_t tile_index);

// Can the hardware im2col compute `conv` (square stride 1..4, no dilation, kernel 1..7 per
// axis, padding below the kernel)? Otherwise the driver lowers it on the host (GEMM mode).
bool hardware_im2col(const ConvShape& conv, std::string* why = nullptr);

// Whether the host lowers `conv` (GEMM mode) instead of the shell's im2col: when the
// hardware im2col cannot take it, for a strided 1x1 kernel (the host sends only the pixels
// it reads), and when padding the channels to whole groups of L would at least double K
// (an RGB input: 7x7x3 -> 7x7x8 = 392 against 152 for 147 host-lowered channels). `why`
// gets the reason.
bool host_lowered(const ConvShape& conv, const ArrayShape& shape, std::string* why = nullptr);
// The layer the shell runs for `conv`: itself, or the host-lowered 1x1 convolution over the
// OH x OW output grid whose K = Cin x KH x KW channels are im2col's rows (golden/conv: the
// image becomes im2col(conv, image) as [K][OH][OW], the weights [F][K] are unchanged).
ConvShape accel_conv(const ConvShape& conv, const ArrayShape& shape);

// One run: a stripe of output rows [out_row0, out_row0 + out_height) of a layer, with the
// input rows it reads, as the accelerator's registers describe it.
struct AccelRun {
    int out_row0 = 0;    // first output row of the stripe (layer coordinates)
    int in_row0 = 0;     // first input row held in the buffer (layer coordinates)
    // the descriptor (run-local)
    int in_height = 0, in_width = 0, in_groups = 0;
    int out_height = 0, out_width = 0;
    int kernel_h = 0, kernel_w = 0, stride = 1, pad_top = 0, pad_left = 0;
    int pitch = 0;
    std::int64_t plane = 0;      // words of one phase plane of one channel group
    std::int64_t act_words = 0;  // in_height * in_width * in_groups: the activation section
    std::int64_t pixels = 0;     // out_height * out_width
    int chunks = 0;              // kernel_h * kernel_w * in_groups
    int tile_step_x = 0, tile_step_y = 0;  // C mod out_width, C div out_width
    // buffer words the stripe's planes take: stride^2 * in_groups * plane
    std::int64_t buffer_words() const;
};

// The runs of `conv` (hardware im2col): the fewest stripes whose planes fit the buffer;
// throws std::invalid_argument when not even one output row fits.
std::vector<AccelRun> plan_runs(const ConvShape& conv, const ArrayShape& shape, const SystemShape& system);

// The global activation-buffer index of input word (iy, ix, cg) of `run` (run-local input
// row iy): PLANE * ((py*s + px)*CG + cg) + ry*PITCH + rx with (jy, jx) = (iy + pad_top,
// ix + pad_left), (py, ry) = (jy mod s, jy div s), likewise for x.
std::int64_t act_word_index(const AccelRun& run, int iy, int ix, int cg);

// The GEMM a run computes with the hardware im2col: K = kernel_h * kernel_w * in_groups * L
// in the order k = ((ky * kernel_w + kx) * in_groups + cg) * L + l (channel cg*L + l; zero
// weights and activations for the padded channels), P = the run's pixels. `weights` are
// [F][Cin][kh][kw], `image` [Cin][H][W] of the whole layer.
GemmLayer accel_gemm(const ConvShape& conv, const AccelRun& run, const std::vector<std::int64_t>& weights,
                     const std::vector<std::int64_t>& image, const std::vector<int>& weight_bits,
                     const std::vector<RequantParams>& requant, const OutputMode& mode, int lanes);

}  // namespace fwmac
