// `fwmac bench`: ResNet-18 conv layers on a configured array, filter-wise schedule
// vs the ideal per-filter bound, the unsorted schedule and all filters at Bmax.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "generator/common/config.hpp"
#include "compiler/networks.hpp"
#include "golden/performance.hpp"

namespace fwmac {

constexpr int kMaxBenchBatch = 256;

struct BenchOptions {
    GeneratorConfig config;
    std::uint64_t seed = 1;
    int batch = 1;  // images per layer run: P = batch * output pixels (1..kMaxBenchBatch)
    std::optional<std::string> json_path;
    std::optional<std::string> csv_path;
    std::optional<std::string> svg_path;
};

// The ResNet-18 conv layers with per-filter bit widths drawn from `distribution`
// (layer i uses the seed seed * 1000 + i).
struct WorkloadLayer {
    std::string name;
    ConvShape conv;
    std::vector<int> weight_bits;
};
std::vector<WorkloadLayer> resnet18_workload(const BitDistribution& distribution, std::uint64_t seed);

// Writes a whole text file all-or-nothing (write_file_atomically); throws naming the path.
void write_text(const std::string& path, const std::string& text);

// Cycle figures of one layer (or a total) as JSON: cycles, bounds, loss factors, speedups.
nlohmann::json performance_json(const LayerPerformance& performance);

// Prints the per-layer table, the totals and a sweep over average bit widths;
// writes JSON/CSV/SVG where asked.
void run_resnet18_bench(const BenchOptions& options, std::ostream& out);

}  // namespace fwmac
