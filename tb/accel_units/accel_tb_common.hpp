// Shared pieces of the testbenches that run the driver's packets through the accelerator's
// datapath (tb_front.cpp, tb_datapath.cpp): the test shape from the build parameters
// (-DTB_*), the check that the parameters are the golden widths, seeded random layers and
// the run descriptor the harness ports take. The shape: -DTB_ROWS, TB_COLS, ..., TB_SLOTS
// and, for the bit-parallel array, -DTB_BIT_PARALLEL=1.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>
#include <stdexcept>
#include <string>

#include "bits.hpp"
#include "compiler/accel_driver.hpp"
#include "golden/accel_layout.hpp"
#include "golden/shape.hpp"

namespace accel_tb {

using tb::Bits;

inline fwmac::ArrayShape test_shape() {
    fwmac::ArrayShape shape;
    shape.rows = TB_ROWS;
    shape.cols = TB_COLS;
    shape.lanes = TB_LANES;
    shape.act_bits = TB_ACT_BITS;
    shape.max_weight_bits = TB_MAX_WEIGHT_BITS;
    shape.k_max = TB_K_MAX;
    shape.row_slots = TB_SLOTS;
#if defined(TB_BIT_PARALLEL) && TB_BIT_PARALLEL
    shape.architecture = fwmac::Architecture::bit_parallel;
#endif
    shape.requant_units = TB_COLS;
    shape.requant_stages = 0;
    shape.raw_outputs = false;
    return shape;
}

inline fwmac::SystemShape test_system() {
    fwmac::SystemShape system;
    system.bus_bits = TB_BUS_W;
    system.act_buffer_kib = TB_ACT_KIB;
    return system;
}

inline void require(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error("the build's parameters do not match the golden widths: " + what);
}

// The harness parameters are the golden model's widths of test_shape().
inline void check_parameters(const fwmac::ArrayShape& shape, const fwmac::SystemShape& system) {
    require(TB_PLANE_W == fwmac::plane_count_width(shape), "PLANE_W");
    require(TB_VROW_W == fwmac::header_drain_rows_bits(shape), "VROW_W");
    require(TB_SPAN_W == fwmac::span_width(shape), "SPAN_W");
    require(TB_CHUNK_W == fwmac::chunk_count_width(shape), "CHUNK_W");
    require(TB_PARAM_W == fwmac::param_word_bits(shape), "PARAM_W");
    require(TB_WGT_W == fwmac::weight_beat_width(shape), "WGT_W");
    require(TB_WBUF_WORDS == fwmac::weight_bank_words(shape, system), "WBUF_WORDS");
    require(TB_BANKS == fwmac::act_banks(shape), "BANKS");
    require(TB_DEPTH == fwmac::act_bank_words(shape, system), "DEPTH");
}

inline Bits to_bits(const fwmac::BitVector& vector, int width) {
    Bits bits(width);
    for (int i = 0; i < width; ++i) bits.set_bit(i, vector.field(static_cast<std::size_t>(i), 1) != 0);
    return bits;
}

// A seeded random layer: kernels 1..7, strides 1..4, padding, weights of 2..Bmax bits.
// With `system`, a big layer has at most as many channels as let one output row fit the
// activation buffer (the run plan's limit).
inline fwmac::AccelLayer random_layer(std::mt19937_64& rng, const fwmac::ArrayShape& shape, bool big,
                                      const fwmac::SystemShape* system = nullptr) {
    auto pick = [&](int low, int high) { return low + static_cast<int>(rng() % static_cast<uint64_t>(high - low + 1)); };
    fwmac::AccelLayer layer;
    layer.name = "random";
    // kernels 1, 2, 3, 5, 7 as far as one channel group fits K_max, strides 1..4, padding
    // below the kernel (and at most 3); at least one output pixel
    std::vector<int> kernels;
    for (int k : {1, 2, 3, 5, 7}) {
        if (k * k * shape.lanes <= TB_K_MAX) kernels.push_back(k);
    }
    const int kernel = kernels[static_cast<std::size_t>(pick(0, static_cast<int>(kernels.size()) - 1))];
    const int max_groups = TB_K_MAX / (kernel * kernel * shape.lanes);
    int channels = pick(1, std::min(max_groups, 3) * shape.lanes);
    const int stride = pick(1, 4);
    const int padding = pick(0, std::min(kernel - 1, 3));
    const int height = big ? pick(20, 26) : pick(std::max(1, kernel - 2 * padding), 11);
    const int width = big ? pick(20, 26) : pick(std::max(1, kernel - 2 * padding), 11);
    const int filters = pick(1, 3 * shape.rows);
    layer.conv = fwmac::ConvShape(channels, height, width, kernel, stride, padding, filters);
    while (system && channels > shape.lanes) {
        try {
            fwmac::plan_runs(layer.conv, shape, *system);
            break;
        } catch (const std::invalid_argument&) {
            channels -= shape.lanes;  // one channel group less
            layer.conv = fwmac::ConvShape(channels, height, width, kernel, stride, padding, filters);
        }
    }
    for (int f = 0; f < filters; ++f) {
        const int bits = pick(2, shape.max_weight_bits);
        layer.weight_bits.push_back(bits);
        fwmac::RequantParams requant;
        requant.bias = pick(-50, 50);
        requant.mult = static_cast<std::uint32_t>(pick(1, 60000));
        requant.shift = pick(0, 20);
        layer.requant.push_back(requant);
        for (int i = 0; i < channels * kernel * kernel; ++i) {
            layer.weights.push_back(pick(-(1 << (bits - 1)), (1 << (bits - 1)) - 1));
        }
    }
    layer.mode.relu = pick(0, 1) == 1;
    for (int i = 0; i < channels * height * width; ++i) layer.image.push_back(pick(0, (1 << shape.act_bits) - 1));
    return layer;
}

// The run descriptor on the harness's ports (fwmac_accel_front / fwmac_accel_datapath); the derived
// im2col and sequencer inputs are computed here.
template <typename Top>
void set_descriptor(Top& top, const fwmac::AccelRunProgram& program) {
    const fwmac::AccelRun& run = program.run;
    const int groups = static_cast<int>(program.core.schedule.groups.size());
    const long tiles = (run.pixels + TB_COLS - 1) / TB_COLS;
    top.groups_i = static_cast<uint32_t>(groups);
    top.chunks_i = static_cast<uint32_t>(run.chunks);
    top.act_words_i = static_cast<uint32_t>(run.act_words);
    top.tiles_i = static_cast<uint32_t>(tiles);
    top.last_tile_pixels_i = static_cast<uint32_t>(run.pixels - (tiles - 1) * TB_COLS);
    top.in_height_i = static_cast<uint32_t>(run.in_height);
    top.in_width_i = static_cast<uint32_t>(run.in_width);
    top.in_groups_i = static_cast<uint32_t>(run.in_groups);
    top.stride_i = static_cast<uint32_t>(run.stride);
    top.pad_top_i = static_cast<uint32_t>(run.pad_top);
    top.pad_left_i = static_cast<uint32_t>(run.pad_left);
    top.kernel_h_i = static_cast<uint32_t>(run.kernel_h);
    top.kernel_w_i = static_cast<uint32_t>(run.kernel_w);
    top.out_width_i = static_cast<uint32_t>(run.out_width);
    top.pixels_i = static_cast<uint32_t>(run.pixels);
    top.pitch_i = static_cast<uint32_t>(run.pitch);
    top.plane_i = static_cast<uint32_t>(run.plane);
    top.out_width_s_i = static_cast<uint32_t>(run.stride * run.out_width);
    top.tile_x_step_i = static_cast<uint32_t>(run.stride * run.tile_step_x);
    top.tile_y_step_i = static_cast<uint32_t>(run.stride * run.tile_step_y);
    top.tile_q_step_i = static_cast<uint32_t>(static_cast<std::int64_t>(run.tile_step_y) * run.pitch + run.tile_step_x);
    top.plane_y_step_i = static_cast<uint32_t>(static_cast<std::int64_t>(run.stride) * run.in_groups * run.plane);
}

}  // namespace accel_tb
