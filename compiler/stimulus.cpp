#include "compiler/stimulus.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "compiler/workload.hpp"
#include "golden/array_model.hpp"

namespace fwmac {

Stimulus make_stimulus(const ArrayShape& shape, std::string description, GemmLayer layer) {
    validate_layer(layer, shape);
    Schedule schedule = make_schedule(layer.weight_bits, layer.depth, layer.pixels, shape);
    return make_stimulus(std::move(description), std::move(layer), std::move(schedule));
}

Stimulus make_stimulus(std::string description, GemmLayer layer, Schedule schedule) {
    validate_layer(layer, schedule.shape);
    if (schedule.depth != layer.depth || schedule.pixels != layer.pixels) {
        throw std::invalid_argument(fmt::format("make_stimulus: the schedule is of K = {}, P = {}, the layer {} x {}",
                                                schedule.depth, schedule.pixels, layer.depth, layer.pixels));
    }
    Stimulus stimulus;
    stimulus.description = std::move(description);
    stimulus.schedule = std::move(schedule);
    const ArrayResult result = run_array_model(layer, stimulus.schedule);
    stimulus.streams = build_streams(layer, stimulus.schedule, result);
    stimulus.cycles = predict_cycles(stimulus.schedule, layer.weight_bits);
    stimulus.layer = std::move(layer);
    return stimulus;
}

Stimulus random_stimulus(const ArrayShape& shape, std::uint64_t seed, int max_depth, int min_depth,
                         bool wide_requant) {
    const LayerLimits limits{3 * shape.rows + 1, max_depth, 2 * shape.cols + 1, min_depth};
    GemmLayer layer = random_layer(shape, seed, limits);
    if (wide_requant) widen_requant(layer, shape, seed);
    return make_stimulus(shape, fmt::format("seed {}{}", seed, wide_requant ? " (wide requant)" : ""),
                         std::move(layer));
}

Stimulus layer_file_stimulus(const ArrayShape& shape, const std::string& layer_file) {
    LayerFile file = load_layer_file(layer_file, shape);
    return make_stimulus(shape, fmt::format("layer '{}'", file.name), std::move(file.layer));
}

}  // namespace fwmac
