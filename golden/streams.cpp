#include "golden/streams.hpp"

#include <stdexcept>

namespace fwmac {
namespace {

// The filter of virtual row v (row * row_slots + slot), kNoFilter past the group's end.
int row_filter(const RowGroup& group, int virtual_row) {
    return virtual_row < static_cast<int>(group.filters.size()) ? group.filters[virtual_row] : kNoFilter;
}

// Which filter of `row` issue plane `plane` (counting down to 0 within the chunk) belongs
// to, and that filter's bit: the last second_span planes are slot 1's, MSB first.
struct PlaneOwner {
    int filter = kNoFilter;
    int bit = 0;
};
PlaneOwner plane_owner(const Schedule& schedule, const RowGroup& group, int row, int plane) {
    if (schedule.shape.row_slots == 1) return {row_filter(group, row), plane};
    const int second_span = group.second_spans.at(static_cast<std::size_t>(row));
    if (plane < second_span) return {row_filter(group, 2 * row + 1), plane};
    return {row_filter(group, 2 * row), plane - second_span};
}

// One weight beat: bit `plane` of every weight (bit-serial), or the whole weights as
// Bmax-bit two's complement (bit-parallel, `plane` unused); row r lane l at (r*L + l) * lane bits.
BitVector weight_beat(const GemmLayer& layer, const Schedule& schedule, const RowGroup& group, int chunk,
                      int plane) {
    const ArrayShape& shape = schedule.shape;
    const int lane_bits = weight_lane_bits(shape);
    BitVector beat(static_cast<std::size_t>(weight_beat_width(shape)));
    for (int row = 0; row < shape.rows; ++row) {
        const PlaneOwner owner = plane_owner(schedule, group, row, plane);
        const int filter = owner.filter;
        if (filter == kNoFilter) continue;
        for (int lane = 0; lane < shape.lanes; ++lane) {
            const int k = chunk * shape.lanes + lane;
            if (k >= layer.depth) break;
            const std::int64_t weight = layer.weight(filter, k);
            // set_field keeps the low lane_bits bits: the Bmax-bit sign extension of w
            const auto field = is_bit_parallel(shape) ? static_cast<std::uint64_t>(weight)
                                                      : static_cast<std::uint64_t>(weight_plane_bit(weight, owner.bit));
            beat.set_field((static_cast<std::size_t>(row) * shape.lanes + lane) * lane_bits, lane_bits, field);
        }
    }
    return beat;
}

BitVector activation_chunk(const GemmLayer& layer, const Schedule& schedule, const Tile& tile, int chunk) {
    const ArrayShape& shape = schedule.shape;
    BitVector beat(static_cast<std::size_t>(shape.cols) * shape.lanes * shape.act_bits);
    for (int col = 0; col < tile.pixel_count; ++col) {
        for (int lane = 0; lane < shape.lanes; ++lane) {
            const int k = chunk * shape.lanes + lane;
            if (k >= layer.depth) break;
            const std::size_t offset = (static_cast<std::size_t>(col) * shape.lanes + lane) * shape.act_bits;
            beat.set_field(offset, shape.act_bits,
                           static_cast<std::uint64_t>(layer.activation(k, tile.pixel_start + col)));
        }
    }
    return beat;
}

RequantParams row_params(const GemmLayer& layer, int filter) {
    return filter == kNoFilter ? RequantParams{0, 0, 0} : layer.requant[filter];
}

// The parameters of drained virtual row `row` (zero for a padding row or an empty slot).
ParamBeat param_beat(const GemmLayer& layer, const Schedule& schedule, const RowGroup& group, int row) {
    const ArrayShape& shape = schedule.shape;
    const int acc_bits = acc_width(shape);
    ParamBeat beat{BitVector(static_cast<std::size_t>(param_width(shape))), layer.mode.relu, layer.mode.raw};
    const RequantParams params = row_params(layer, row_filter(group, row));
    beat.data.set_field(0, acc_bits, static_cast<std::uint64_t>(params.bias));
    beat.data.set_field(acc_bits, kMultBits, params.mult);
    beat.data.set_field(acc_bits + kMultBits, kShiftBits, static_cast<std::uint64_t>(params.shift));
    return beat;
}

OutputBeat output_beat(const GemmLayer& layer, const Schedule& schedule, const ArrayResult& result,
                       int tile_index, int row) {
    const Tile& tile = schedule.tiles[tile_index];
    const int filter = row_filter(schedule.groups[tile.group], row);
    OutputBeat beat{tile_index, row, filter, tile.pixel_start, tile.pixel_count, {}};
    const std::int64_t padding_value =
        requantize(0, row_params(layer, filter), layer.mode, schedule.shape.act_bits);
    for (int col = 0; col < schedule.shape.cols; ++col) {
        const bool real = filter != kNoFilter && col < tile.pixel_count;
        beat.values.push_back(
            real ? result.outputs[static_cast<std::size_t>(filter) * layer.pixels + tile.pixel_start + col]
                 : padding_value);
    }
    return beat;
}

}  // namespace

BitVector command_spans(const CommandBeat& beat, const ArrayShape& shape) {
    const int width = span_width(shape);
    BitVector spans(static_cast<std::size_t>(shape.rows) * width);
    for (std::size_t row = 0; row < beat.second_spans.size(); ++row) {
        spans.set_field(row * width, width, static_cast<std::uint64_t>(beat.second_spans[row]));
    }
    return spans;
}

ArrayStreams build_streams(const GemmLayer& layer, const Schedule& schedule, const ArrayResult& result) {
    ArrayStreams streams;
    for (int t = 0; t < static_cast<int>(schedule.tiles.size()); ++t) {
        const Tile& tile = schedule.tiles[t];
        const RowGroup& group = schedule.groups[tile.group];
        streams.commands.push_back(CommandBeat{schedule.chunks, group.planes, group.second_spans});
        for (int chunk = 0; chunk < schedule.chunks; ++chunk) {
            streams.activations.push_back(activation_chunk(layer, schedule, tile, chunk));
            for (int plane = group.planes - 1; plane >= 0; --plane) {
                streams.weight_planes.push_back(weight_beat(layer, schedule, group, chunk, plane));
            }
        }
        // a two-slot tile without second filters drains slot 0 of every row only
        const int step = drain_rows(schedule.shape) / static_cast<int>(tile_drain_rows(schedule, t));
        for (int row = 0; row < drain_rows(schedule.shape); row += step) {
            streams.params.push_back(param_beat(layer, schedule, group, row));
            streams.outputs.push_back(output_beat(layer, schedule, result, t, row));
            streams.outputs.back().last = row + step >= drain_rows(schedule.shape);
        }
    }
    return streams;
}

std::vector<std::int64_t> collect_outputs(const std::vector<OutputBeat>& beats, int filters, int pixels) {
    std::vector<std::int64_t> outputs(static_cast<std::size_t>(filters) * pixels, 0);
    std::vector<bool> seen(outputs.size(), false);
    for (const OutputBeat& beat : beats) {
        if (beat.filter == kNoFilter) continue;
        for (int col = 0; col < beat.pixel_count; ++col) {
            const std::size_t cell = static_cast<std::size_t>(beat.filter) * pixels + beat.pixel_start + col;
            outputs.at(cell) = beat.values.at(col);
            seen[cell] = true;
        }
    }
    for (std::size_t cell = 0; cell < seen.size(); ++cell) {
        if (!seen[cell]) {
            throw std::logic_error("collect_outputs: output beats do not cover every (filter, pixel)");
        }
    }
    return outputs;
}

}  // namespace fwmac
