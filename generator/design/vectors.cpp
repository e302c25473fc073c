#include "generator/design/vectors.hpp"

#include <fmt/format.h>

namespace fwmac {
namespace {

template <typename Beats, typename ToBits>
std::string hex_lines(const Beats& beats, ToBits to_bits) {
    std::string text;
    for (const auto& beat : beats) text += to_hex(to_bits(beat)) + "\n";
    return text;
}

}  // namespace

std::string to_hex(const BitVector& bits) {
    const std::size_t digits = (bits.width() + 3) / 4;
    std::string text(digits, '0');
    for (std::size_t digit = 0; digit < digits; ++digit) {
        const std::size_t offset = digit * 4;
        const int width = static_cast<int>(std::min<std::size_t>(4, bits.width() - offset));
        text[digits - 1 - digit] = "0123456789abcdef"[bits.field(offset, width)];
    }
    return text;
}

FileSet vector_files(const Stimulus& stimulus) {
    const ArrayShape& shape = stimulus.schedule.shape;
    const ArrayStreams& streams = stimulus.streams;
    const int chunk_bits = chunk_count_width(shape);
    const int plane_bits = plane_count_width(shape);
    const int span_bits = shape.row_slots == 2 ? shape.rows * span_width(shape) : 0;  // cmd_spans_i
    const int cmd_bits = chunk_bits + plane_bits + span_bits;
    const auto w_bits = static_cast<std::size_t>(weight_beat_width(shape));
    const std::size_t a_bits = static_cast<std::size_t>(shape.cols) * shape.lanes * shape.act_bits;
    const auto p_bits = static_cast<std::size_t>(param_width(shape));
    const int value_bits = output_width(shape);
    const std::size_t y_bits = static_cast<std::size_t>(shape.cols) * value_bits;

    FileSet files;
    files["cmd.hex"] = hex_lines(streams.commands, [&](const CommandBeat& beat) {
        BitVector bits(static_cast<std::size_t>(cmd_bits));
        bits.set_field(0, chunk_bits, static_cast<std::uint64_t>(beat.chunks));
        bits.set_field(static_cast<std::size_t>(chunk_bits), plane_bits, static_cast<std::uint64_t>(beat.planes));
        if (span_bits > 0) bits.set_bits(static_cast<std::size_t>(chunk_bits + plane_bits), command_spans(beat, shape));
        return bits;
    });
    files["w.hex"] = hex_lines(streams.weight_planes, [](const BitVector& beat) { return beat; });
    files["a.hex"] = hex_lines(streams.activations, [](const BitVector& beat) { return beat; });
    files["p.hex"] = hex_lines(streams.params, [&](const ParamBeat& beat) {
        BitVector bits(p_bits + 2);
        bits.set_bits(0, beat.data);
        bits.set_field(p_bits, 1, beat.relu);
        bits.set_field(p_bits + 1, 1, beat.raw);
        return bits;
    });
    files["y.hex"] = hex_lines(streams.outputs, [&](const OutputBeat& beat) {
        BitVector bits(y_bits + 1);
        for (int col = 0; col < shape.cols; ++col) {
            bits.set_field(static_cast<std::size_t>(col) * value_bits, value_bits,
                           output_field(beat.values[col], shape));
        }
        bits.set_field(y_bits, 1, beat.last ? 1 : 0);
        return bits;
    });
    files["vectors.vh"] = fmt::format(
        "// fwmac vectors: {}\n{}"
        "`define FWMAC_CHUNK_W {}\n`define FWMAC_PLANE_W {}\n`define FWMAC_CMD_W {}\n`define FWMAC_W_W {}\n"
        "`define FWMAC_A_W {}\n"
        "`define FWMAC_P_W {}\n`define FWMAC_Y_W {}\n"
        "`define FWMAC_N_CMD {}\n`define FWMAC_N_W {}\n`define FWMAC_N_A {}\n`define FWMAC_N_P {}\n"
        "`define FWMAC_N_Y {}\n`define FWMAC_CYCLES {}\n",
        stimulus.description,
        (span_bits > 0 ? fmt::format("`define FWMAC_SPANS_W {}\n", span_bits) : std::string()) +
            (shape.raw_outputs ? "`define FWMAC_RAW_OUTPUTS\n" : ""),
        chunk_bits, plane_bits, cmd_bits, w_bits, a_bits, p_bits, y_bits, streams.commands.size(),
        streams.weight_planes.size(), streams.activations.size(), streams.params.size(), streams.outputs.size(),
        stimulus.cycles.total);
    return files;
}

}  // namespace fwmac
