#include "generator/analysis/accel_bench.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "golden/accel_timing.hpp"

namespace fwmac {

const ShellBusFigures& ShellLayerFigures::at(int bus_bits) const {
    for (const ShellBusFigures& bus : buses) {
        if (bus.bus_bits == bus_bits) return bus;
    }
    throw std::logic_error(fmt::format("ShellLayerFigures: no figures at {} bits", bus_bits));
}

void ShellLayerFigures::add(const ShellLayerFigures& other) {
    runs += other.runs;
    compute_cycles += other.compute_cycles;
    for (ShellBusFigures& bus : buses) {
        const ShellBusFigures& part = other.at(bus.bus_bits);
        bus.cycles += part.cycles;
        bus.load_steps += part.load_steps;
        bus.input_bytes += part.input_bytes;
        bus.output_bytes += part.output_bytes;
    }
}

ShellLayerFigures shell_layer_figures(const std::string& name, const ConvShape& conv,
                                      const std::vector<int>& weight_bits, const ArrayShape& shape,
                                      const SystemShape& system, const std::vector<int>& bus_widths) {
    std::vector<AccelRun> runs;
    try {
        runs = plan_runs(accel_conv(conv, shape), shape, system);
    } catch (const std::invalid_argument& error) {
        throw std::invalid_argument(fmt::format("layer '{}' through the accelerator shell: {}", name, error.what()));
    }
    ShellLayerFigures figures;
    figures.host_lowered = host_lowered(conv, shape);
    figures.runs = static_cast<int>(runs.size());
    for (int bus_bits : bus_widths) figures.buses.push_back(ShellBusFigures{bus_bits, 0, 0, 0, 0});
    for (const AccelRun& run : runs) {
        // the driver's schedule (its group order chosen at the configured bus) and its cycles there
        AccelRunCycles configured;
        const Schedule schedule =
            accel_run_schedule(run, weight_bits, shape, accel_shell_timing(shape, system), &configured);
        if (static_cast<int>(schedule.groups.size()) > system.max_groups) {
            throw std::invalid_argument(fmt::format("layer '{}' has {} row groups, the accelerator takes at most {}",
                                                    name, schedule.groups.size(), system.max_groups));
        }
        figures.compute_cycles += predict_cycles(schedule, weight_bits).total;
        for (ShellBusFigures& bus : figures.buses) {
            SystemShape at_width = system;
            at_width.bus_bits = bus.bus_bits;
            const AccelRunCycles cycles = bus.bus_bits == system.bus_bits
                                              ? configured
                                              : simulate_accel_run(schedule, run, accel_shell_timing(shape, at_width));
            bus.cycles += cycles.busy;
            bus.load_steps += cycles.input_steps;
            bus.input_bytes += cycles.input_beats * static_cast<std::uint64_t>(bus.bus_bits / 8);
            bus.output_bytes += cycles.output_beats * static_cast<std::uint64_t>(bus.bus_bits / 8);
        }
    }
    return figures;
}

}  // namespace fwmac
