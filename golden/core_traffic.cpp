#include "golden/core_traffic.hpp"

namespace fwmac {

std::uint64_t CoreTraffic::bytes() const {
    return commands.bytes() + weights.bytes() + activations.bytes() + params.bytes() + outputs.bytes();
}

CoreTraffic core_traffic(const Schedule& schedule) {
    const ArrayShape& shape = schedule.shape;
    CoreTraffic traffic;
    traffic.commands.width_bits = chunk_count_width(shape) + plane_count_width(shape) +
                                  (shape.row_slots == 2 ? shape.rows * span_width(shape) : 0);
    traffic.weights.width_bits = weight_beat_width(shape);
    traffic.activations.width_bits = shape.cols * shape.lanes * shape.act_bits;
    traffic.params.width_bits = param_width(shape) + 1 + (shape.raw_outputs ? 1 : 0);  // + p_relu_i (, p_raw_i)
    traffic.outputs.width_bits = shape.cols * output_width(shape);
    const auto chunks = static_cast<std::uint64_t>(schedule.chunks);
    for (std::size_t tile = 0; tile < schedule.tiles.size(); ++tile) {
        const std::uint64_t rows = tile_drain_rows(schedule, tile);
        traffic.commands.beats += 1;
        traffic.weights.beats += tile_issue_cycles(schedule, tile);  // chunks x b_g, or chunks
        traffic.activations.beats += chunks;
        traffic.params.beats += rows;
        traffic.outputs.beats += rows;
    }
    return traffic;
}

std::uint64_t compulsory_bytes(const std::vector<int>& weight_bits, int depth, std::uint64_t input_values,
                               std::uint64_t output_values, int act_bits) {
    std::uint64_t weight_total = 0;
    for (int bits : weight_bits) weight_total += static_cast<std::uint64_t>(bits) * static_cast<std::uint64_t>(depth);
    const auto a = static_cast<std::uint64_t>(act_bits);
    return (weight_total + 7) / 8 + (input_values * a + 7) / 8 + (output_values * a + 7) / 8;
}

}  // namespace fwmac
