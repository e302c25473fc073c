// The accelerator shell's figures of a layer for `fwmac bench`: its runs (stripes), the
// bytes of their input and output packets, and the golden shell model's cycles
// (golden/accel_timing, always ready) at several bus widths against the core alone.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/accel_layout.hpp"
#include "golden/conv.hpp"

namespace fwmac {

struct ShellBusFigures {
    int bus_bits = 0;
    std::uint64_t cycles = 0;      // start to the last output beat, summed over the runs
    std::uint64_t load_steps = 0;  // the loader's least cycles for the input packets
    std::uint64_t input_bytes = 0, output_bytes = 0;  // packet beats x bus bytes
};

struct ShellLayerFigures {
    bool host_lowered = false;  // GEMM mode: the host lowers the layer (golden/accel_layout)
    int runs = 0;
    std::uint64_t compute_cycles = 0;  // the runs' GEMMs on the core alone, always ready
    std::vector<ShellBusFigures> buses;
    const ShellBusFigures& at(int bus_bits) const;
    // Adds another layer's figures (the same bus widths): runs, cycles, steps and bytes.
    void add(const ShellLayerFigures& other);
};

// One image of `conv` with filters of `weight_bits` through the shell of (shape, system),
// at each of `bus_widths` (the rest of the system as configured). Throws
// std::invalid_argument naming the layer when no stripe of it fits the activation buffer or
// it has more row groups than max_groups.
ShellLayerFigures shell_layer_figures(const std::string& name, const ConvShape& conv,
                                      const std::vector<int>& weight_bits, const ArrayShape& shape,
                                      const SystemShape& system, const std::vector<int>& bus_widths);

}  // namespace fwmac
