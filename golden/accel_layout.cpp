#include "golden/accel_layout.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace fwmac {
namespace {

int ceil_div(std::int64_t a, std::int64_t b) { return static_cast<int>((a + b - 1) / b); }

std::int64_t round_up(std::int64_t value, std::int64_t multiple) { return (value + multiple - 1) / multiple * multiple; }

// The run descriptor of output rows [out_row0, out_row0 + out_rows) of `conv`.
AccelRun make_run(const ConvShape& conv, const ArrayShape& shape, int out_row0, int out_rows) {
    const int banks = act_banks(shape);
    const int s = conv.stride_h;
    AccelRun run;
    run.out_row0 = out_row0;
    run.out_height = out_rows;
    run.out_width = conv.out_width();
    run.in_width = conv.width;
    run.in_groups = ceil_div(conv.in_channels, shape.lanes);
    run.kernel_h = conv.kernel_h;
    run.kernel_w = conv.kernel_w;
    run.stride = s;
    run.pad_left = conv.padding_w;
    // the input rows the stripe reads: oy*s - pad + ky for its rows oy and taps ky
    const int first = out_row0 * s - conv.padding_h;
    const int last = (out_row0 + out_rows - 1) * s - conv.padding_h + conv.kernel_h - 1;
    run.in_row0 = std::max(0, first);
    run.in_height = std::min(conv.height - 1, last) - run.in_row0 + 1;
    run.pad_top = std::max(0, -first);
    // PITCH >= the plane width, = OW (mod NB); PLANE a multiple of NB holding every row
    const int plane_width = ceil_div(run.in_width + run.pad_left, s);
    run.pitch = plane_width + ((run.out_width - plane_width) % banks + banks) % banks;
    const int plane_rows = ceil_div(run.in_height + run.pad_top, s);
    run.plane = round_up(static_cast<std::int64_t>(plane_rows) * run.pitch, banks);
    run.act_words = static_cast<std::int64_t>(run.in_height) * run.in_width * run.in_groups;
    run.pixels = static_cast<std::int64_t>(run.out_height) * run.out_width;
    run.chunks = run.kernel_h * run.kernel_w * run.in_groups;
    run.tile_step_x = shape.cols % run.out_width;
    run.tile_step_y = shape.cols / run.out_width;
    return run;
}

}  // namespace

int container_bits(int bits) {
    int width = 8;
    while (width < bits) width *= 2;
    return width;
}

int act_banks(const ArrayShape& shape) {
    int banks = 1;
    while (banks < shape.cols) banks *= 2;
    return banks;
}

int act_word_bits(const ArrayShape& shape) { return shape.lanes * shape.act_bits; }

std::int64_t act_buffer_words(const ArrayShape& shape, const SystemShape& system) {
    return act_bank_words(shape, system) * act_banks(shape);
}

std::int64_t act_bank_words(const ArrayShape& shape, const SystemShape& system) {
    const std::int64_t bytes = static_cast<std::int64_t>(system.act_buffer_kib) * 1024;
    const std::int64_t word_bytes = (act_word_bits(shape) + 7) / 8;
    return std::max<std::int64_t>(1, bytes / word_bytes / act_banks(shape));
}

std::int64_t weight_bank_words(const ArrayShape& shape, const SystemShape& system) {
    if (system.weight_buffer_words > 0) return system.weight_buffer_words;
    return static_cast<std::int64_t>(max_chunks(shape)) * max_tile_planes(shape);
}

int header_drain_rows_bits(const ArrayShape& shape) { return bits_for(static_cast<std::uint64_t>(drain_rows(shape))); }

int header_bits(const ArrayShape& shape) {
    const int spans = shape.row_slots == 2 ? shape.rows * span_width(shape) : 0;
    return plane_count_width(shape) + header_drain_rows_bits(shape) + spans + drain_rows(shape);
}

int param_word_bits(const ArrayShape& shape) { return param_width(shape) + 1 + (shape.raw_outputs ? 1 : 0); }

int act_dim_bits(const ArrayShape& shape, const SystemShape& system) {
    const auto depth = static_cast<std::uint64_t>(act_bank_words(shape, system));
    return std::min(15, clog2(depth) + clog2(static_cast<std::uint64_t>(act_banks(shape))));
}

std::vector<bool> tile_real_beats(const Schedule& schedule, std::size_t tile_index) {
    const auto beats = static_cast<int>(tile_drain_rows(schedule, tile_index));
    const RowGroup& group = schedule.groups.at(static_cast<std::size_t>(schedule.tiles.at(tile_index).group));
    const int step = drain_rows(schedule.shape) / beats;
    std::vector<bool> real(static_cast<std::size_t>(beats));
    for (int beat = 0; beat < beats; ++beat) {
        const auto row = static_cast<std::size_t>(beat * step);
        real[static_cast<std::size_t>(beat)] = row < group.filters.size() && group.filters[row] != kNoFilter;
    }
    return real;
}

bool host_lowered(const ConvShape& conv, const ArrayShape& shape, std::string* why) {
    std::string reason;
    if (!hardware_im2col(conv, &reason)) {
        if (why) *why = "the hardware im2col cannot take it: " + reason;
        return true;
    }
    if (conv.kernel_h == 1 && conv.kernel_w == 1 && conv.stride_h > 1) {
        if (why) *why = "a strided 1x1 kernel reads only every stride-th pixel";
        return true;
    }
    const int lanes = shape.lanes;
    const int hardware_depth = conv.kernel_h * conv.kernel_w * ceil_div(conv.in_channels, lanes) * lanes;
    const int host_depth = ceil_div(conv.depth(), lanes) * lanes;
    if (hardware_depth >= 2 * host_depth) {
        if (why) {
            *why = fmt::format("{} channels padded to groups of {} make K = {}, lowered on the host {}",
                               conv.in_channels, lanes, hardware_depth, host_depth);
        }
        return true;
    }
    return false;
}

ConvShape accel_conv(const ConvShape& conv, const ArrayShape& shape) {
    if (!host_lowered(conv, shape)) return conv;
    return ConvShape(conv.depth(), conv.out_height(), conv.out_width(), 1, 1, 0, conv.out_channels);
}

bool hardware_im2col(const ConvShape& conv, std::string* why) {
    auto refuse = [&](const std::string& reason) {
        if (why) *why = reason;
        return false;
    };
    if (conv.stride_h != conv.stride_w) return refuse("the stride differs between the axes");
    if (conv.stride_h < 1 || conv.stride_h > 4) return refuse("the stride is outside 1..4");
    if (conv.dilation_h != 1 || conv.dilation_w != 1) return refuse("the kernel is dilated");
    if (conv.kernel_h > 7 || conv.kernel_w > 7) return refuse("the kernel is larger than 7");
    if (conv.padding_h >= conv.kernel_h || conv.padding_w >= conv.kernel_w) {
        return refuse("the padding is not smaller than the kernel");
    }
    return true;
}

std::int64_t AccelRun::buffer_words() const {
    return static_cast<std::int64_t>(stride) * stride * in_groups * plane;
}

std::vector<AccelRun> plan_runs(const ConvShape& conv, const ArrayShape& shape, const SystemShape& system) {
    std::string why;
    if (!hardware_im2col(conv, &why)) throw std::invalid_argument("plan_runs: no hardware im2col: " + why);
    const std::int64_t capacity = act_buffer_words(shape, system);
    const int rows = conv.out_height();
    // the most output rows per stripe whose planes fit, then stripes of equal size
    int per_run = 0;
    for (int candidate = rows; candidate >= 1; --candidate) {
        if (make_run(conv, shape, 0, candidate).buffer_words() <= capacity &&
            make_run(conv, shape, rows - candidate, candidate).buffer_words() <= capacity) {
            per_run = candidate;
            break;
        }
    }
    if (per_run == 0) {
        throw std::invalid_argument(fmt::format(
            "plan_runs: one output row of the layer needs {} activation buffer words, the buffer holds {}",
            make_run(conv, shape, 0, 1).buffer_words(), capacity));
    }
    std::vector<AccelRun> runs;
    const int count = ceil_div(rows, per_run);
    for (int r = 0; r < count; ++r) {
        const int first = r * rows / count;
        const int next = (r + 1) * rows / count;
        runs.push_back(make_run(conv, shape, first, next - first));
    }
    return runs;
}

std::int64_t act_word_index(const AccelRun& run, int iy, int ix, int cg) {
    const int s = run.stride;
    const int jy = iy + run.pad_top;
    const int jx = ix + run.pad_left;
    const std::int64_t plane_index = (static_cast<std::int64_t>(jy % s) * s + jx % s) * run.in_groups + cg;
    return run.plane * plane_index + static_cast<std::int64_t>(jy / s) * run.pitch + jx / s;
}

GemmLayer accel_gemm(const ConvShape& conv, const AccelRun& run, const std::vector<std::int64_t>& weights,
                     const std::vector<std::int64_t>& image, const std::vector<int>& weight_bits,
                     const std::vector<RequantParams>& requant, const OutputMode& mode, int lanes) {
    const int channels = run.in_groups * lanes;
    GemmLayer layer;
    layer.filters = conv.out_channels;
    layer.depth = run.chunks * lanes;
    layer.pixels = static_cast<int>(run.pixels);
    layer.weight_bits = weight_bits;
    layer.requant = requant;
    layer.mode = mode;
    layer.weights.assign(static_cast<std::size_t>(layer.filters) * layer.depth, 0);
    layer.activations.assign(static_cast<std::size_t>(layer.depth) * layer.pixels, 0);
    auto k_of = [&](int ky, int kx, int c) { return (ky * conv.kernel_w + kx) * channels + c; };
    for (int f = 0; f < layer.filters; ++f) {
        for (int c = 0; c < conv.in_channels; ++c) {
            for (int ky = 0; ky < conv.kernel_h; ++ky) {
                for (int kx = 0; kx < conv.kernel_w; ++kx) {
                    const std::size_t source =
                        ((static_cast<std::size_t>(f) * conv.in_channels + c) * conv.kernel_h + ky) * conv.kernel_w + kx;
                    layer.weights[static_cast<std::size_t>(f) * layer.depth + k_of(ky, kx, c)] = weights.at(source);
                }
            }
        }
    }
    for (int p = 0; p < layer.pixels; ++p) {
        const int oy = run.out_row0 + p / run.out_width;
        const int ox = p % run.out_width;
        for (int ky = 0; ky < conv.kernel_h; ++ky) {
            const int iy = oy * conv.stride_h - conv.padding_h + ky;
            if (iy < 0 || iy >= conv.height) continue;
            for (int kx = 0; kx < conv.kernel_w; ++kx) {
                const int ix = ox * conv.stride_w - conv.padding_w + kx;
                if (ix < 0 || ix >= conv.width) continue;
                for (int c = 0; c < conv.in_channels; ++c) {
                    layer.activations[static_cast<std::size_t>(k_of(ky, kx, c)) * layer.pixels + p] =
                        image.at((static_cast<std::size_t>(c) * conv.height + iy) * conv.width + ix);
                }
            }
        }
    }
    return layer;
}

}  // namespace fwmac
