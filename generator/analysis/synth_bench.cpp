#include "generator/analysis/synth_bench.hpp"

#include <fmt/format.h>

#include <atomic>
#include <mutex>
#include <sstream>
#include <thread>

#include "generator/analysis/bench.hpp"
#include "generator/design/design.hpp"
#include "generator/analysis/energy_bench.hpp"
#include "generator/analysis/svg_plot.hpp"
#include "generator/flows/synth_run.hpp"
#include "compiler/networks.hpp"
#include "golden/performance.hpp"

namespace fwmac {
namespace {

struct Area {
    std::int64_t luts = 0, flops = 0, carries = 0, generic_cells = 0;
};

struct DesignRun {
    GeneratorConfig config;
    std::string directory;
    Area area;
    std::string error;
};

Area synthesize(const DesignRun& run, std::ostream& log) {
    write_file_set(generate_design(run.config), run.directory);
    SynthOptions options;
    options.directory = run.directory;
    options.flows = {"generic", "xilinx_nodsp"};
    const nlohmann::json report = run_synth(options, log);
    const nlohmann::json& xilinx = report.at("flows").at("xilinx_nodsp");
    Area area;
    area.luts = xilinx.at("luts").get<std::int64_t>();
    area.flops = xilinx.at("flops").get<std::int64_t>();
    area.carries = xilinx.at("carries").get<std::int64_t>();
    area.generic_cells = report.at("flows").at("generic").at("cells").get<std::int64_t>();
    return area;
}

// Runs every design's synthesis, `jobs` at a time; failures are collected, not thrown
// from the worker threads.
void synthesize_all(std::vector<DesignRun>& runs, int jobs, std::ostream& out) {
    std::atomic<std::size_t> next{0};
    std::mutex output;
    auto worker = [&]() {
        for (std::size_t i = next++; i < runs.size(); i = next++) {
            std::ostringstream log;
            try {
                runs[i].area = synthesize(runs[i], log);
            } catch (const std::exception& error) {
                runs[i].error = error.what();
            }
            const std::lock_guard<std::mutex> lock(output);
            out << fmt::format("synthesized {} ({}): {}\n", runs[i].config.name,
                               architecture_name(runs[i].config.shape.architecture),
                               runs[i].error.empty() ? fmt::format("{} LUTs, {} FFs, {} CARRY4", runs[i].area.luts,
                                                                   runs[i].area.flops, runs[i].area.carries)
                                                     : "FAILED: " + runs[i].error);
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < std::max(1, jobs); ++t) threads.emplace_back(worker);
    for (std::thread& thread : threads) thread.join();
    for (const DesignRun& run : runs) {
        if (!run.error.empty()) {
            throw std::runtime_error(fmt::format("synth-bench: synthesis of '{}' failed: {}", run.config.name, run.error));
        }
    }
}

// MACs per cycle of the ResNet-18 conv layers on `shape` with every filter at
// `bits` (0: the default filter-wise distribution), and the MAC-weighted average bits.
struct Throughput {
    double average_bits = 0, macs_per_cycle = 0;
};

Throughput resnet18_throughput(const ArrayShape& shape, int bits) {
    std::vector<LayerPerformance> layers;
    for (const WorkloadLayer& layer : resnet18_workload(default_bit_distribution(), 1)) {
        const ConvShape& conv = layer.conv;
        const std::vector<int> weight_bits =
            bits > 0 ? std::vector<int>(layer.weight_bits.size(), bits) : layer.weight_bits;
        layers.push_back(layer_performance(weight_bits, conv.depth(), conv.pixels(), shape));
    }
    const LayerPerformance total = total_performance(layers);
    return {total.average_bits, static_cast<double>(total.macs) / static_cast<double>(total.sorted.total)};
}

GeneratorConfig as_architecture(GeneratorConfig config, Architecture architecture) {
    config.shape = with_architecture(config.shape, architecture);
    config.name = fmt::format("{}_{}", config.name, architecture == Architecture::bit_serial ? "serial" : "parallel");
    return config;
}

}  // namespace

void run_synth_bench(const SynthBenchOptions& options, std::ostream& out) {
    std::vector<DesignRun> runs;
    for (const GeneratorConfig& config : options.configs) {
        for (Architecture architecture : {Architecture::bit_serial, Architecture::bit_parallel}) {
            DesignRun run;
            run.config = as_architecture(config, architecture);
            run.directory = options.work_directory + "/" + run.config.name;
            runs.push_back(run);
        }
    }
    synthesize_all(runs, options.jobs, out);

    const std::vector<int> widths{2, 3, 4, 6, 8, 0};  // 0: the default distribution
    nlohmann::json designs = nlohmann::json::array();
    std::vector<PlotSeries> series;
    const char* colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    out << "\nArea efficiency on the ResNet-18 conv layers (batch 1): MACs per cycle per 1000 LUTs\n"
           "(yosys 0.23 synth_xilinx -nodsp, core only, LUT1..LUT6 counted; bits = every filter at that width,\n"
           "'dist' = the default filter-wise distribution).\n";
    for (std::size_t i = 0; i < runs.size(); i += 2) {
        const DesignRun& serial = runs[i];
        const DesignRun& parallel = runs[i + 1];
        const ArrayShape& shape = serial.config.shape;
        out << fmt::format("\n{}x{}x{} A={} Bmax={}: bit-serial {} LUTs {} FFs ({} generic cells); bit-parallel {} LUTs "
                           "{} FFs ({} generic cells); LUT ratio {:.2f}\n",
                           shape.rows, shape.cols, shape.lanes, shape.act_bits, shape.max_weight_bits,
                           serial.area.luts, serial.area.flops, serial.area.generic_cells, parallel.area.luts,
                           parallel.area.flops, parallel.area.generic_cells,
                           static_cast<double>(parallel.area.luts) / static_cast<double>(serial.area.luts));
        out << fmt::format("  {:>6} {:>7} | {:>9} {:>10} | {:>9} {:>10} | {:>10}\n", "bits", "avg_b", "MAC/cyc",
                           "per kLUT", "MAC/cyc", "per kLUT", "serial/par");
        const Throughput parallel_throughput = resnet18_throughput(parallel.config.shape, 8);
        const double parallel_efficiency = parallel_throughput.macs_per_cycle * 1000.0 / parallel.area.luts;
        PlotSeries plot{fmt::format("{}x{}x{}", shape.rows, shape.cols, shape.lanes), colors[(i / 2) % 6], {}};
        nlohmann::json points = nlohmann::json::array();
        for (int bits : widths) {
            const Throughput serial_throughput = resnet18_throughput(shape, bits);
            const double serial_efficiency = serial_throughput.macs_per_cycle * 1000.0 / serial.area.luts;
            const double ratio = serial_efficiency / parallel_efficiency;
            out << fmt::format("  {:>6} {:>7.2f} | {:>9.1f} {:>10.3f} | {:>9.1f} {:>10.3f} | {:>10.3f}\n",
                               bits > 0 ? std::to_string(bits) : "dist", serial_throughput.average_bits,
                               serial_throughput.macs_per_cycle, serial_efficiency,
                               parallel_throughput.macs_per_cycle, parallel_efficiency, ratio);
            if (bits > 0) plot.points.emplace_back(serial_throughput.average_bits, ratio);
            points.push_back({{"bits", bits > 0 ? nlohmann::json(bits) : nlohmann::json("default_distribution")},
                              {"average_bits", serial_throughput.average_bits},
                              {"bit_serial_macs_per_cycle", serial_throughput.macs_per_cycle},
                              {"bit_serial_macs_per_cycle_per_klut", serial_efficiency},
                              {"bit_parallel_macs_per_cycle", parallel_throughput.macs_per_cycle},
                              {"bit_parallel_macs_per_cycle_per_klut", parallel_efficiency},
                              {"efficiency_ratio", ratio}});
        }
        series.push_back(plot);
        auto area_json = [](const Area& area) {
            return nlohmann::json{{"luts", area.luts},
                                  {"flops", area.flops},
                                  {"carry4", area.carries},
                                  {"generic_cells", area.generic_cells}};
        };
        designs.push_back({{"array", normalized_json(options.configs[i / 2])},
                           {"bit_serial", area_json(serial.area)},
                           {"bit_parallel", area_json(parallel.area)},
                           {"points", points}});
    }
    out << "\nserial/par > 1: the filter-wise bit-serial array delivers more MACs per cycle per LUT.\n";
    if (options.json_path) {
        write_text(*options.json_path,
                   nlohmann::json{{"tool", "yosys synth_xilinx -nodsp (xc7), core only"},
                                  {"workload", "resnet18 conv layers, batch 1, golden cycle model"},
                                  {"designs", designs}}
                           .dump(2) +
                       "\n");
    }
    if (options.svg_path) {
        write_text(*options.svg_path,
                   svg_line_chart("Bit-serial vs bit-parallel: MACs/cycle per LUT (ratio)", "weight bits",
                                  "efficiency ratio serial / parallel", series));
    }
}

}  // namespace fwmac
