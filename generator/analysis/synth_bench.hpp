// `fwmac synth-bench`: area efficiency of the filter-wise bit-serial array against the
// bit-parallel baseline of the same R x C x L. Each config is generated in both
// architectures and synthesized (yosys synth_xilinx -nodsp: LUTs without DSP blocks, and
// the generic flow); effective MACs per cycle come from the golden cycle model on the
// ResNet-18 conv layers at several average weight widths.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "generator/common/config.hpp"

namespace fwmac {

struct SynthBenchOptions {
    std::vector<GeneratorConfig> configs;
    std::string work_directory;
    int jobs = 2;  // synthesis runs in parallel
    std::optional<std::string> json_path;
    std::optional<std::string> svg_path;
};

void run_synth_bench(const SynthBenchOptions& options, std::ostream& out);

}  // namespace fwmac
