#include "compiler/accel_driver.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "golden/accel_timing.hpp"
#include "golden/conv.hpp"

namespace fwmac {
namespace {

// The group header: planes | drain rows | spans (two slots) | real beats (beat i of a
// tile holds a filter).
BitVector header_word(const Schedule& schedule, const RowGroup& group, std::size_t tile_index) {
    const ArrayShape& shape = schedule.shape;
    BitVector word(static_cast<std::size_t>(container_bits(header_bits(shape))));
    std::size_t offset = 0;
    word.set_field(offset, plane_count_width(shape), static_cast<std::uint64_t>(is_bit_parallel(shape) ? 1 : group.planes));
    offset += static_cast<std::size_t>(plane_count_width(shape));
    const auto beats = static_cast<int>(tile_drain_rows(schedule, tile_index));
    word.set_field(offset, header_drain_rows_bits(shape), static_cast<std::uint64_t>(beats));
    offset += static_cast<std::size_t>(header_drain_rows_bits(shape));
    if (shape.row_slots == 2) {
        for (int row = 0; row < shape.rows; ++row) {
            word.set_field(offset, span_width(shape), static_cast<std::uint64_t>(group.second_spans.at(row)));
            offset += static_cast<std::size_t>(span_width(shape));
        }
    }
    const std::vector<bool> real = tile_real_beats(schedule, tile_index);
    for (std::size_t beat = 0; beat < real.size(); ++beat) word.set_field(offset + beat, 1, real[beat] ? 1 : 0);
    return word;
}

BitVector param_word(const ParamBeat& beat, const ArrayShape& shape) {
    BitVector word(static_cast<std::size_t>(container_bits(param_word_bits(shape))));
    word.set_bits(0, beat.data);
    const auto width = static_cast<std::size_t>(param_width(shape));
    word.set_field(width, 1, beat.relu ? 1 : 0);
    if (shape.raw_outputs) word.set_field(width + 1, 1, beat.raw ? 1 : 0);
    return word;
}

BitVector contained(const BitVector& word, int bits) {
    BitVector container(static_cast<std::size_t>(container_bits(bits)));
    container.set_bits(0, word);
    return container;
}

// The run's input image words in stream order: for iy, ix, cg: L channels of A bits.
std::vector<BitVector> activation_words(const AccelLayer& layer, const AccelRun& run, const ArrayShape& shape) {
    const ConvShape& conv = layer.conv;
    std::vector<BitVector> words;
    words.reserve(static_cast<std::size_t>(run.act_words));
    for (int iy = 0; iy < run.in_height; ++iy) {
        for (int ix = 0; ix < run.in_width; ++ix) {
            for (int cg = 0; cg < run.in_groups; ++cg) {
                BitVector word(static_cast<std::size_t>(container_bits(act_word_bits(shape))));
                for (int l = 0; l < shape.lanes; ++l) {
                    const int c = cg * shape.lanes + l;
                    if (c >= conv.in_channels) break;
                    const std::size_t pixel =
                        (static_cast<std::size_t>(c) * conv.height + run.in_row0 + iy) * conv.width + ix;
                    word.set_field(static_cast<std::size_t>(l) * shape.act_bits, shape.act_bits,
                                   static_cast<std::uint64_t>(layer.image.at(pixel)));
                }
                words.push_back(word);
            }
        }
    }
    return words;
}

void append(std::vector<BitVector>& packet, const std::vector<BitVector>& section) {
    packet.insert(packet.end(), section.begin(), section.end());
}

// The output packet's values: real beats only, each tile's pixels, in containers of
// output_width bits.
struct OutputValues {
    std::vector<std::uint64_t> fields;
    int container = 8;
};

OutputValues output_values(const Stimulus& core) {
    const ArrayShape& shape = core.schedule.shape;
    OutputValues values;
    values.container = container_bits(output_width(shape));
    for (const OutputBeat& beat : core.streams.outputs) {
        if (beat.filter == kNoFilter) continue;
        for (int col = 0; col < beat.pixel_count; ++col) values.fields.push_back(output_field(beat.values[col], shape));
    }
    return values;
}

}  // namespace

std::uint64_t AccelRunProgram::input_bytes() const {
    return input_beats.empty() ? 0 : input_beats.size() * (input_beats.front().width() / 8);
}

std::uint64_t AccelRunProgram::output_bytes() const {
    if (output_beats.empty()) return 0;
    return (output_beats.size() - 1) * (output_beats.front().width() / 8) + static_cast<std::uint64_t>(output_last_bytes);
}

std::vector<BitVector> pack_section(const std::vector<BitVector>& words, int bits, int bus_bits) {
    const int container = container_bits(bits);
    std::vector<BitVector> beats;
    if (container <= bus_bits) {
        const std::size_t per_beat = static_cast<std::size_t>(bus_bits / container);
        for (std::size_t i = 0; i < words.size(); ++i) {
            if (i % per_beat == 0) beats.emplace_back(static_cast<std::size_t>(bus_bits));
            beats.back().set_bits((i % per_beat) * static_cast<std::size_t>(container),
                                  words[i].slice(0, static_cast<std::size_t>(container)));
        }
    } else {
        for (const BitVector& word : words) {
            for (int part = 0; part < container / bus_bits; ++part) {
                beats.push_back(word.slice(static_cast<std::size_t>(part) * bus_bits, static_cast<std::size_t>(bus_bits)));
            }
        }
    }
    return beats;
}

std::vector<AccelRunProgram> pack_layer(const AccelLayer& original, const ArrayShape& shape, const SystemShape& system) {
    // GEMM mode: the host lowers the layer to a 1x1 convolution over the output grid whose
    // channels are im2col's rows; the weights [F][K] keep their order
    const bool on_host = host_lowered(original.conv, shape);
    AccelLayer lowered;
    if (on_host) {
        lowered = original;
        lowered.conv = accel_conv(original.conv, shape);
        lowered.image = im2col(original.conv, original.image);
    }
    const AccelLayer& layer = on_host ? lowered : original;
    const AccelShellTiming timing = accel_shell_timing(shape, system);
    std::vector<AccelRunProgram> programs;
    for (const AccelRun& run : plan_runs(layer.conv, shape, system)) {
        AccelRunProgram program;
        program.run = run;
        program.core = make_stimulus(fmt::format("{} rows {}..{}", layer.name, run.out_row0,
                                                 run.out_row0 + run.out_height - 1),
                                     accel_gemm(layer.conv, run, layer.weights, layer.image, layer.weight_bits,
                                                layer.requant, layer.mode, shape.lanes),
                                     accel_run_schedule(run, layer.weight_bits, shape, timing));
        const Schedule& schedule = program.core.schedule;
        const ArrayStreams& streams = program.core.streams;
        if (static_cast<int>(schedule.groups.size()) > system.max_groups) {
            throw std::invalid_argument(fmt::format("pack_layer: '{}' has {} row groups, the accelerator takes at most {}",
                                                    layer.name, schedule.groups.size(), system.max_groups));
        }
        // the first tile of each group: its header, parameters and weight planes (every
        // tile of a group runs the same ones)
        std::vector<std::size_t> first_tile(schedule.groups.size(), schedule.tiles.size());
        std::vector<std::size_t> first_weight(schedule.groups.size(), 0), first_param(schedule.groups.size(), 0);
        std::size_t weight_beat = 0, param_beat = 0;
        for (std::size_t t = 0; t < schedule.tiles.size(); ++t) {
            const auto g = static_cast<std::size_t>(schedule.tiles[t].group);
            if (first_tile[g] == schedule.tiles.size()) {
                first_tile[g] = t;
                first_weight[g] = weight_beat;
                first_param[g] = param_beat;
            }
            weight_beat += tile_issue_cycles(schedule, t);
            param_beat += tile_drain_rows(schedule, t);
        }
        std::vector<BitVector> packet;
        for (std::size_t g = 0; g < schedule.groups.size(); ++g) {
            const std::size_t tile = first_tile[g];
            const RowGroup& group = schedule.groups[g];
            append(packet, pack_section({header_word(schedule, group, tile)}, header_bits(shape), system.bus_bits));
            std::vector<BitVector> params, weights;
            for (std::uint64_t r = 0; r < tile_drain_rows(schedule, tile); ++r) {
                params.push_back(param_word(streams.params.at(first_param[g] + r), shape));
            }
            for (std::uint64_t w = 0; w < tile_issue_cycles(schedule, tile); ++w) {
                weights.push_back(contained(streams.weight_planes.at(first_weight[g] + w), weight_beat_width(shape)));
            }
            append(packet, pack_section(params, param_word_bits(shape), system.bus_bits));
            append(packet, pack_section(weights, weight_beat_width(shape), system.bus_bits));
            if (g == 0) {
                append(packet, pack_section(activation_words(layer, run, shape), act_word_bits(shape), system.bus_bits));
            }
        }
        program.input_beats = std::move(packet);
        // the output packet
        const OutputValues values = output_values(program.core);
        std::vector<BitVector> value_words;
        for (std::uint64_t field : values.fields) {
            BitVector word(static_cast<std::size_t>(values.container));
            word.set_field(0, std::min(values.container, 64), field);
            value_words.push_back(word);
        }
        program.output_beats = pack_section(value_words, values.container, system.bus_bits);
        const std::size_t bits = values.fields.size() * static_cast<std::size_t>(values.container);
        const std::size_t tail = bits % static_cast<std::size_t>(system.bus_bits);
        program.output_last_bytes = static_cast<int>((tail == 0 ? system.bus_bits : tail) / 8);
        programs.push_back(std::move(program));
    }
    return programs;
}

void unpack_run(const AccelRunProgram& program, const std::vector<BitVector>& output_beats, int pixels_of_layer,
                std::vector<std::int64_t>& outputs) {
    const ArrayShape& shape = program.core.schedule.shape;
    const int container = container_bits(output_width(shape));
    const int bus_bits = output_beats.empty() ? 8 : static_cast<int>(output_beats.front().width());
    const int per_beat = bus_bits / container;
    std::size_t index = 0;
    const std::int64_t first_pixel = static_cast<std::int64_t>(program.run.out_row0) * program.run.out_width;
    for (const OutputBeat& beat : program.core.streams.outputs) {
        if (beat.filter == kNoFilter) continue;
        for (int col = 0; col < beat.pixel_count; ++col, ++index) {
            const std::size_t word = index / static_cast<std::size_t>(per_beat);
            if (word >= output_beats.size()) throw std::runtime_error("unpack_run: the output packet is too short");
            const std::uint64_t field = output_beats[word].field((index % per_beat) * container,
                                                                 std::min(output_width(shape), 64));
            const std::int64_t value =
                shape.raw_outputs || !program.core.layer.mode.relu ? sign_extend(field, output_width(shape))
                                                                   : static_cast<std::int64_t>(field);
            const std::int64_t pixel = first_pixel + beat.pixel_start + col;
            outputs.at(static_cast<std::size_t>(beat.filter) * pixels_of_layer + static_cast<std::size_t>(pixel)) = value;
        }
    }
}

std::vector<std::pair<std::string, std::uint64_t>> run_registers(const AccelRun& run, int groups, int cols) {
    return {{"in_size.height", run.in_height},     {"in_size.width", run.in_width},
            {"out_size.height", run.out_height},   {"out_size.width", run.out_width},
            {"kernel.height", run.kernel_h},       {"kernel.width", run.kernel_w},
            {"pad.top", run.pad_top},              {"pad.left", run.pad_left},
            {"conv.stride", run.stride},           {"conv.in_groups", run.in_groups},
            {"tile_step.x", run.tile_step_x},      {"tile_step.y", run.tile_step_y},
            {"schedule.groups", groups},           {"schedule.chunks", run.chunks},
            {"pitch.words", run.pitch},            {"plane.words", static_cast<std::uint64_t>(run.plane)},
            {"act_words.count", static_cast<std::uint64_t>(run.act_words)},
            {"pixels.count", static_cast<std::uint64_t>(run.pixels)},
            {"im2col_x.out_width_s", static_cast<std::uint64_t>(run.stride) * run.out_width},
            {"im2col_x.tile_x", static_cast<std::uint64_t>(run.stride) * run.tile_step_x},
            {"im2col_y.tile_y", static_cast<std::uint64_t>(run.stride) * run.tile_step_y},
            {"tile_q.words", static_cast<std::uint64_t>(run.tile_step_y) * run.pitch + run.tile_step_x},
            {"plane_y.words", static_cast<std::uint64_t>(run.stride) * run.in_groups * static_cast<std::uint64_t>(run.plane)},
            {"tiles.count", static_cast<std::uint64_t>((run.pixels + cols - 1) / cols)},
            {"tiles.last_pixels", static_cast<std::uint64_t>(run.pixels - (run.pixels + cols - 1) / cols * cols + cols)}};
}

}  // namespace fwmac
