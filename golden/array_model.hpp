// Bit-exact model of the array's values for a schedule: every PE accumulates its
// (filter, pixel) bit-serially over the group's b_g planes (or, on the bit-parallel
// array, chunk by chunk with full products), then requantizes.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/layer.hpp"
#include "golden/schedule.hpp"

namespace fwmac {

struct ArrayResult {
    std::vector<std::int64_t> accumulators;  // [F * P] in original filter order
    std::vector<std::int64_t> outputs;       // [F * P] after requantization (or raw)
};

ArrayResult run_array_model(const GemmLayer& layer, const Schedule& schedule);

}  // namespace fwmac
