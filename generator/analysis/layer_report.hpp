// What `fwmac schedule` and `fwmac sim` report about one layer file: the cycle summary,
// the full schedule (row groups and tiles in issue order) and the golden model's outputs
// as a NumPy array with a JSON summary.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "compiler/layer_file.hpp"
#include "compiler/npy.hpp"
#include "golden/array_model.hpp"
#include "golden/schedule.hpp"

namespace fwmac {

// The layer's cycles, bounds and speedups (layer_performance), with its name and F, K, P.
nlohmann::json workload_summary(const LayerFile& file, const ArrayShape& shape);

// The schedule as the array runs it:
//   {"order", "chunks", "rows", "cols", "lanes", "row_slots",
//    "groups": [{"group", "planes" (b_g: planes per chunk),
//                "filters": [per virtual row v = row * row_slots + slot: original filter index or null],
//                "bits": [b_f or null], "spans": [planes of v's filter per chunk, 0 for an empty slot],
//                "second_spans": [per row, row_slots 2 only]}],
//    "tiles": [{"tile", "group", "pixel_start", "pixel_count", "issue_cycles", "drain_rows"}]}  (issue order)
nlohmann::json schedule_json(const Schedule& schedule, const std::vector<int>& weight_bits, FilterOrder order);

// The outputs Y in the original filter order: int64 [F, out_height, out_width], or
// [F, P] when the layer keeps only its first P pixels (pixel_limit).
NpyArray output_array(const LayerFile& file, const ArrayResult& result);

// `fwmac sim --json`: layer, shape, mode, the output count and range, whether the
// accumulators equal the direct dot product, and the predicted cycles.
nlohmann::json sim_summary(const LayerFile& file, const ArrayShape& shape, const ArrayResult& result,
                           bool matches_direct, const CycleReport& cycles);

}  // namespace fwmac
