// `fwmac synth-bench`: area efficiency of the filter-wise bit-serial array against the
// bit-parallel baseline of the same R x C x L. Every design is generated and synthesized
// with its hierarchy kept (each unique module once: yosys synth_xilinx -nodsp for LUTs
// and flops, the generic flow's CMOS transistor estimate); effective MACs per cycle come
// from the golden cycle model on the ResNet-18 conv layers at uniform weight widths and
// at the default filter-wise distribution.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generator/common/config.hpp"

namespace fwmac {

// A sweep file: {"base": {config fields}, "sweep": {"rows": [...], "cols": [...],
// "lanes": [...], "row_slots": [...], "requant_units": [...]}}: every combination of the
// listed values over the base config (bit-serial; requant_units above cols are skipped).
// Throws ConfigError naming the field.
std::vector<GeneratorConfig> expand_sweep(const nlohmann::json& sweep_file);
// A config file, or a sweep file (an object with "sweep"), read from `path`.
std::vector<GeneratorConfig> load_bench_designs(const std::string& path);

struct SynthBenchOptions {
    std::vector<GeneratorConfig> configs;  // the bit-serial designs; their twins are added
    std::string work_directory;
    int jobs = 2;  // synthesis runs in parallel
    std::optional<std::string> json_path;
    std::optional<std::string> svg_path;
    std::optional<std::string> best_config_path;  // the design with the best LUT ratio at 4 bits
    bool reuse = true;  // reuse a design's earlier counts when its generated files are unchanged
};

void run_synth_bench(const SynthBenchOptions& options, std::ostream& out);

}  // namespace fwmac
