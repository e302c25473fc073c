#include "generator/analysis/layer_report.hpp"

#include <algorithm>

#include "generator/analysis/bench.hpp"
#include "golden/performance.hpp"

namespace fwmac {
namespace {

nlohmann::json filter_or_null(int filter) { return filter == kNoFilter ? nlohmann::json() : nlohmann::json(filter); }

nlohmann::json group_json(const Schedule& schedule, std::size_t index, const std::vector<int>& weight_bits) {
    const RowGroup& group = schedule.groups[index];
    const int row_slots = schedule.shape.row_slots;
    const std::size_t virtual_rows = static_cast<std::size_t>(schedule.shape.rows) * row_slots;
    nlohmann::json filters = nlohmann::json::array(), bits = nlohmann::json::array(), spans = nlohmann::json::array();
    for (std::size_t v = 0; v < virtual_rows; ++v) {
        const int filter = v < group.filters.size() ? group.filters[v] : kNoFilter;  // missing: padding rows
        filters.push_back(filter_or_null(filter));
        bits.push_back(filter == kNoFilter ? nlohmann::json() : nlohmann::json(weight_bits[filter]));
        spans.push_back(filter == kNoFilter ? 0 : slot_span(group, static_cast<int>(v), row_slots));
    }
    nlohmann::json json{{"group", index}, {"planes", group.planes}, {"filters", filters}, {"bits", bits},
                        {"spans", spans}};
    if (row_slots == 2) json["second_spans"] = group.second_spans;
    return json;
}

}  // namespace

nlohmann::json workload_summary(const LayerFile& file, const ArrayShape& shape) {
    const GemmLayer& layer = file.layer;
    const LayerPerformance performance = layer_performance(layer.weight_bits, layer.depth, layer.pixels, shape);
    nlohmann::json summary = performance_json(performance);
    summary["layer"] = file.name;
    summary["filters"] = layer.filters;
    summary["depth"] = layer.depth;
    summary["pixels"] = layer.pixels;
    summary["utilisation"] = performance.utilisation(shape);
    return summary;
}

nlohmann::json schedule_json(const Schedule& schedule, const std::vector<int>& weight_bits, FilterOrder order) {
    nlohmann::json groups = nlohmann::json::array();
    for (std::size_t g = 0; g < schedule.groups.size(); ++g) groups.push_back(group_json(schedule, g, weight_bits));
    nlohmann::json tiles = nlohmann::json::array();
    for (std::size_t i = 0; i < schedule.tiles.size(); ++i) {
        const Tile& tile = schedule.tiles[i];
        tiles.push_back({{"tile", i},
                         {"group", tile.group},
                         {"pixel_start", tile.pixel_start},
                         {"pixel_count", tile.pixel_count},
                         {"issue_cycles", tile_issue_cycles(schedule, i)},
                         {"drain_rows", tile_drain_rows(schedule, i)}});
    }
    const ArrayShape& shape = schedule.shape;
    return nlohmann::json{{"order", order == FilterOrder::by_bits ? "by_bits" : "original"},
                          {"rows", shape.rows},
                          {"cols", shape.cols},
                          {"lanes", shape.lanes},
                          {"row_slots", shape.row_slots},
                          {"chunks", schedule.chunks},
                          {"groups", groups},
                          {"tiles", tiles}};
}

NpyArray output_array(const LayerFile& file, const ArrayResult& result) {
    const GemmLayer& layer = file.layer;
    NpyArray array;
    array.type = NpyType::int64;
    const auto filters = static_cast<std::size_t>(layer.filters);
    if (layer.pixels == file.conv.pixels()) {
        array.shape = {filters, static_cast<std::size_t>(file.conv.out_height()),
                       static_cast<std::size_t>(file.conv.out_width())};
    } else {
        array.shape = {filters, static_cast<std::size_t>(layer.pixels)};
    }
    array.integers = result.outputs;
    return array;
}

nlohmann::json sim_summary(const LayerFile& file, const ArrayShape& shape, const ArrayResult& result,
                           bool matches_direct, const CycleReport& cycles) {
    const GemmLayer& layer = file.layer;
    nlohmann::json summary{
        {"layer", file.name},
        {"architecture", architecture_name(shape.architecture)},
        {"filters", layer.filters},
        {"depth", layer.depth},
        {"pixels", layer.pixels},
        {"output_shape", output_array(file, result).shape},
        {"output_order", "original filter order; pixel p = oy * out_width + ox"},
        {"mode", layer.mode.raw ? "raw" : (layer.mode.relu ? "relu" : "signed")},
        {"outputs", result.outputs.size()},
        {"accumulators_equal_direct_dot_product", matches_direct},
        {"cycles",
         {{"total", cycles.total},
          {"issue", cycles.issue},
          {"drain_stall", cycles.drain_stall},
          {"fixed_overhead", cycles.fixed_overhead},
          {"ideal_bound", cycles.ideal_bound}}},
    };
    if (!result.outputs.empty()) {
        const auto [low, high] = std::minmax_element(result.outputs.begin(), result.outputs.end());
        summary["output_range"] = {*low, *high};
    }
    return summary;
}

}  // namespace fwmac
