// `fwmac bench`: ResNet-18 conv layers on a configured array, filter-wise schedule
// vs the ideal per-filter bound, the unsorted schedule and all filters at Bmax.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "generator/config.hpp"
#include "golden/performance.hpp"

namespace fwmac {

struct BenchOptions {
    GeneratorConfig config;
    std::uint64_t seed = 1;
    std::optional<std::string> json_path;
    std::optional<std::string> csv_path;
    std::optional<std::string> svg_path;
};

// Cycle figures of one layer (or a total) as JSON: cycles, bounds, loss factors, speedups.
nlohmann::json performance_json(const LayerPerformance& performance);

// Prints the per-layer table, the totals and a sweep over average bit widths;
// writes JSON/CSV/SVG where asked.
void run_resnet18_bench(const BenchOptions& options, std::ostream& out);

}  // namespace fwmac
