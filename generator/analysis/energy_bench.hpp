// `fwmac energy`: datapath energy (pJ/MAC, TOPS/W) and throughput of the filter-wise
// bit-serial array against the bit-parallel baseline of the same R x C x L, on the
// ResNet-18 conv layers, swept over the average weight bit width.
#pragma once

#include <ostream>

#include "generator/analysis/bench.hpp"
#include "generator/analysis/energy.hpp"

namespace fwmac {

// Energy and cycles of one layer with per-filter widths `weight_bits` on `shape` (its
// architecture: bit-serial sorted schedule or the bit-parallel baseline).
EnergyReport layer_energy(const std::vector<int>& weight_bits, int depth, int pixels, const ArrayShape& shape,
                          const EnergyTable& table);

// Options as for `fwmac bench`; json_path gets the sweep, svg_path the TOPS/W plot and
// throughput_svg_path the MAC/cycle plot.
struct EnergyBenchOptions {
    BenchOptions bench;
    std::optional<std::string> throughput_svg_path;
};

void run_energy_bench(const EnergyBenchOptions& options, std::ostream& out);

}  // namespace fwmac
