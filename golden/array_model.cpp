#include "golden/array_model.hpp"

namespace fwmac {

ArrayResult run_array_model(const GemmLayer& layer, const Schedule& schedule) {
    const auto depth = static_cast<std::size_t>(layer.depth);
    const std::size_t cells = static_cast<std::size_t>(layer.filters) * layer.pixels;
    ArrayResult result{std::vector<std::int64_t>(cells), std::vector<std::int64_t>(cells)};
    std::vector<std::int64_t> filter_weights(depth);
    std::vector<std::int64_t> pixel_activations(depth);
    for (const RowGroup& group : schedule.groups) {
        for (int virtual_row = 0; virtual_row < static_cast<int>(group.filters.size()); ++virtual_row) {
            const int filter = group.filters[static_cast<std::size_t>(virtual_row)];
            if (filter == kNoFilter) continue;
            const int planes = slot_span(group, virtual_row, schedule.shape.row_slots);
            for (std::size_t k = 0; k < depth; ++k) filter_weights[k] = layer.weight(filter, static_cast<int>(k));
            for (int pixel = 0; pixel < layer.pixels; ++pixel) {
                for (std::size_t k = 0; k < depth; ++k) {
                    pixel_activations[k] = layer.activation(static_cast<int>(k), pixel);
                }
                const std::int64_t acc =
                    is_bit_parallel(schedule.shape)
                        ? bit_parallel_dot(filter_weights, pixel_activations, schedule.shape.lanes)
                        : bit_serial_dot(filter_weights, pixel_activations, planes, schedule.shape.lanes);
                const std::size_t cell = static_cast<std::size_t>(filter) * layer.pixels + pixel;
                result.accumulators[cell] = acc;
                result.outputs[cell] =
                    requantize(acc, layer.requant[filter], layer.mode, schedule.shape.act_bits);
            }
        }
    }
    return result;
}

}  // namespace fwmac
