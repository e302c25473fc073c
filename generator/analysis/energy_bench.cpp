#include "generator/analysis/energy_bench.hpp"

#include <fmt/format.h>

#include "generator/analysis/svg_plot.hpp"

namespace fwmac {

EnergyReport layer_energy(const std::vector<int>& weight_bits, int depth, int pixels, const ArrayShape& shape,
                          const EnergyTable& table) {
    const Schedule schedule = make_schedule(weight_bits, depth, pixels, shape);
    EnergyReport report;
    report.macs = static_cast<std::uint64_t>(weight_bits.size()) * depth * pixels;
    report.cycles = predict_cycles(schedule, weight_bits).total;
    report.energy = price_operations(count_operations(schedule), table);
    return report;
}

namespace {

struct NetworkEnergy {
    double average_bits = 0;
    EnergyReport serial, parallel;
};

// The ResNet-18 conv layers with their widths from `distribution`, or every filter at
// `uniform_bits` (> 0), on both designs.
NetworkEnergy network_energy(const ArrayShape& shape, const BitDistribution& distribution, std::uint64_t seed,
                             const EnergyTable& table, int uniform_bits = 0) {
    NetworkEnergy network;
    double weighted_bits = 0;
    for (const WorkloadLayer& layer : resnet18_workload(distribution, seed)) {
        const ConvShape& conv = layer.conv;
        const std::vector<int> weight_bits =
            uniform_bits > 0 ? std::vector<int>(layer.weight_bits.size(), uniform_bits) : layer.weight_bits;
        const EnergyReport serial =
            layer_energy(weight_bits, conv.depth(), conv.pixels(), with_architecture(shape, Architecture::bit_serial),
                         table);
        network.serial = add_reports(network.serial, serial);
        network.parallel = add_reports(
            network.parallel, layer_energy(weight_bits, conv.depth(), conv.pixels(),
                                           with_architecture(shape, Architecture::bit_parallel), table));
        double bit_sum = 0;
        for (int bits : weight_bits) bit_sum += bits;
        weighted_bits += bit_sum / static_cast<double>(layer.weight_bits.size()) * static_cast<double>(serial.macs);
    }
    network.average_bits = weighted_bits / static_cast<double>(network.serial.macs);
    return network;
}

std::string breakdown_line(const char* design, const EnergyReport& report) {
    const EnergyBreakdown& e = report.energy;
    const double macs = static_cast<double>(report.macs);
    return fmt::format("  {:<13} {:>7.4f} {:>7.4f} {:>7.4f} {:>7.4f} {:>7.4f} {:>7.4f} {:>8.4f}\n", design,
                       e.and_gates / macs, e.adders / macs, e.multipliers / macs, e.registers / macs, e.clock / macs,
                       e.buffers / macs, report.pj_per_mac());
}

}  // namespace

void run_energy_bench(const EnergyBenchOptions& options, std::ostream& out) {
    const GeneratorConfig& config = options.bench.config;
    const ArrayShape& shape = config.shape;
    const EnergyTable table;
    const double ops_per_cycle_to_gops = 2.0 * config.clock_mhz / 1000.0;

    const NetworkEnergy reference = network_energy(shape, default_bit_distribution(), options.bench.seed, table);
    out << fmt::format(
        "Datapath energy, ResNet-18 conv layers on {}x{}x{} (A={}, Bmax={}), 45 nm figures (Horowitz, ISSCC "
        "2014) + stated assumptions\n",
        shape.rows, shape.cols, shape.lanes, shape.act_bits, shape.max_weight_bits);
    out << fmt::format("pJ per MAC at the default bit distribution (avg {:.2f} bits):\n", reference.average_bits);
    out << fmt::format("  {:<13} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}\n", "design", "AND", "adders", "mult",
                       "regs", "clock", "buffers", "total");
    out << breakdown_line("bit-serial", reference.serial) << breakdown_line("bit-parallel", reference.parallel);

    out << fmt::format("\nsweep (normal bit-width distributions on 2..{}; {} MHz for GOPS):\n", shape.max_weight_bits,
                       config.clock_mhz);
    out << fmt::format("{:>6} | {:>9} {:>8} {:>8} {:>7} | {:>9} {:>8} {:>8} {:>7} | {:>8} {:>8}\n", "avg_b",
                       "MAC/cyc", "GOPS", "pJ/MAC", "TOPS/W", "MAC/cyc", "GOPS", "pJ/MAC", "TOPS/W", "speed", "energy");
    out << fmt::format("{:>6} | {:^36} | {:^36} | {:^17}\n", "", "bit-serial (fwmac)", "bit-parallel baseline",
                       "serial/parallel");
    PlotSeries serial_efficiency{"bit-serial fwmac", "#1f77b4", {}};
    PlotSeries parallel_efficiency{"bit-parallel baseline", "#d62728", {}};
    PlotSeries serial_throughput = serial_efficiency, parallel_throughput = parallel_efficiency;
    nlohmann::json sweep = nlohmann::json::array();
    for (double mean = 2.0; mean <= shape.max_weight_bits + 1e-9; mean += 1.0) {
        const NetworkEnergy point =
            network_energy(shape, normal_bit_distribution(mean, shape.max_weight_bits), options.bench.seed, table);
        const EnergyReport& s = point.serial;
        const EnergyReport& p = point.parallel;
        out << fmt::format(
            "{:>6.2f} | {:>9.1f} {:>8.1f} {:>8.4f} {:>7.3f} | {:>9.1f} {:>8.1f} {:>8.4f} {:>7.3f} | {:>8.3f} {:>8.3f}\n",
            point.average_bits, s.macs_per_cycle(), s.macs_per_cycle() * ops_per_cycle_to_gops, s.pj_per_mac(),
            s.tops_per_watt(), p.macs_per_cycle(), p.macs_per_cycle() * ops_per_cycle_to_gops, p.pj_per_mac(),
            p.tops_per_watt(), s.macs_per_cycle() / p.macs_per_cycle(), s.pj_per_mac() / p.pj_per_mac());
        serial_efficiency.points.emplace_back(point.average_bits, s.tops_per_watt());
        parallel_efficiency.points.emplace_back(point.average_bits, p.tops_per_watt());
        serial_throughput.points.emplace_back(point.average_bits, s.macs_per_cycle());
        parallel_throughput.points.emplace_back(point.average_bits, p.macs_per_cycle());
        sweep.push_back({{"distribution_mean", mean},
                         {"average_bits", point.average_bits},
                         {"bit_serial", energy_json(s)},
                         {"bit_parallel", energy_json(p)}});
    }
    out << "speed = MAC/cycle ratio, energy = pJ/MAC ratio (below 1: bit-serial uses less).\n";

    out << fmt::format("\nevery filter at b bits:\n{:>6} | {:>8} {:>8} | {:>8}\n", "bits", "serial", "parallel",
                       "energy");
    nlohmann::json uniform = nlohmann::json::array();
    std::optional<int> break_even;
    for (int bits = 1; bits <= shape.max_weight_bits; ++bits) {
        const NetworkEnergy point = network_energy(shape, default_bit_distribution(), options.bench.seed, table, bits);
        const double ratio = point.serial.pj_per_mac() / point.parallel.pj_per_mac();
        if (!break_even && ratio >= 1.0) break_even = bits;
        out << fmt::format("{:>6} | {:>8.4f} {:>8.4f} | {:>8.3f}\n", bits, point.serial.pj_per_mac(),
                           point.parallel.pj_per_mac(), ratio);
        uniform.push_back({{"bits", bits},
                           {"bit_serial", energy_json(point.serial)},
                           {"bit_parallel", energy_json(point.parallel)},
                           {"energy_ratio", ratio}});
    }
    out << (break_even ? fmt::format("the bit-serial array spends at least the baseline's energy per MAC from {} bits "
                                     "on\n",
                                     *break_even)
                       : std::string("the bit-serial array spends less energy per MAC at every width up to Bmax\n"));
    out << "Model: datapath, pipeline tags, flop clocks and operand buffers; no clock tree wiring, FSM control, "
           "leakage or DRAM.\n";

    const nlohmann::json document{{"network", "resnet18"},
                                  {"array", normalized_json(config)},
                                  {"energy_table", energy_table_json(table)},
                                  {"default_distribution",
                                   {{"average_bits", reference.average_bits},
                                    {"bit_serial", energy_json(reference.serial)},
                                    {"bit_parallel", energy_json(reference.parallel)}}},
                                  {"sweep", sweep},
                                  {"uniform", uniform},
                                  {"break_even_bits", break_even ? nlohmann::json(*break_even) : nlohmann::json()}};
    const BenchOptions& bench = options.bench;
    if (bench.json_path) write_text(*bench.json_path, document.dump(2) + "\n");
    const std::string array_text = fmt::format("{}x{}x{}", shape.rows, shape.cols, shape.lanes);
    if (bench.svg_path) {
        write_text(*bench.svg_path,
                   svg_line_chart(fmt::format("ResNet-18 on {}: datapath energy efficiency", array_text),
                                  "average weight bits (MAC-weighted)", "TOPS/W (45 nm model)",
                                  {serial_efficiency, parallel_efficiency}));
    }
    if (options.throughput_svg_path) {
        write_text(*options.throughput_svg_path,
                   svg_line_chart(fmt::format("ResNet-18 on {}: throughput", array_text),
                                  "average weight bits (MAC-weighted)", "MACs per cycle",
                                  {serial_throughput, parallel_throughput}));
    }
}

}  // namespace fwmac
