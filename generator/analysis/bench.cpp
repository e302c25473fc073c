#include "generator/analysis/bench.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "generator/analysis/accel_bench.hpp"
#include "generator/analysis/svg_plot.hpp"
#include "generator/common/file_output.hpp"
#include "compiler/networks.hpp"
#include "golden/core_traffic.hpp"
#include "golden/performance.hpp"

#include <algorithm>
#include <optional>

namespace fwmac {
namespace {

// The bus widths the shell's cycles are reported at: 64, 128, 256 and the configured one.
std::vector<int> shell_bus_widths(const SystemShape& system) {
    std::vector<int> widths = {64, 128, 256};
    if (std::find(widths.begin(), widths.end(), system.bus_bits) == widths.end()) widths.push_back(system.bus_bits);
    std::sort(widths.begin(), widths.end());
    return widths;
}

struct LayerRow {
    std::string name;
    int filters, depth, pixels;
    LayerPerformance performance;
    std::uint64_t core_stream_bytes;  // over the core's streams (fwmac_top fed as it is)
    std::uint64_t compulsory_bytes;   // weights at their bits, input and output once
    std::optional<ShellLayerFigures> shell;  // through <name>_accel (a config with a system section), per image
};

// Every layer runs once over a batch of `batch` images: P = batch * out_h * out_w
// (the weights of a row group stay in place while the batch's pixels stream past). The
// traffic figures (stream and compulsory bytes) only `with_traffic`: the sweep needs none.
// With `system`, also the shell's figures of every layer; if the shell cannot run one of
// them, none, and `shell_refused` gets the reason.
std::vector<LayerRow> evaluate_network(const ArrayShape& shape, const BitDistribution& distribution,
                                       std::uint64_t seed, int batch, bool with_traffic,
                                       const SystemShape* system = nullptr, std::string* shell_refused = nullptr) {
    std::vector<LayerRow> rows;
    for (const WorkloadLayer& layer : resnet18_workload(distribution, seed)) {
        const ConvShape& conv = layer.conv;
        const int pixels = conv.pixels() * batch;
        LayerRow row{layer.name, conv.out_channels, conv.depth(), pixels,
                     layer_performance(layer.weight_bits, conv.depth(), pixels, shape), 0, 0, std::nullopt};
        if (with_traffic) {
            const std::uint64_t input_values = static_cast<std::uint64_t>(conv.in_channels) *
                                               static_cast<std::uint64_t>(conv.height) *
                                               static_cast<std::uint64_t>(conv.width) *
                                               static_cast<std::uint64_t>(batch);
            const std::uint64_t output_values =
                static_cast<std::uint64_t>(conv.out_channels) * static_cast<std::uint64_t>(pixels);
            row.core_stream_bytes = core_traffic(make_schedule(layer.weight_bits, conv.depth(), pixels, shape)).bytes();
            row.compulsory_bytes =
                compulsory_bytes(layer.weight_bits, conv.depth(), input_values, output_values, shape.act_bits);
            if (system) {
                try {
                    row.shell = shell_layer_figures(layer.name, conv, layer.weight_bits, shape, *system,
                                                    shell_bus_widths(*system));
                } catch (const std::invalid_argument& error) {
                    if (shell_refused) *shell_refused = error.what();
                    system = nullptr;  // no shell figures for the rest either
                }
            }
        }
        rows.push_back(std::move(row));
    }
    if (!system) {
        for (LayerRow& row : rows) row.shell.reset();
    }
    return rows;
}

LayerPerformance network_total(const std::vector<LayerRow>& rows) {
    std::vector<LayerPerformance> parts;
    for (const LayerRow& row : rows) parts.push_back(row.performance);
    return total_performance(parts);
}

std::string table_line(const std::string& name, const std::string& shape_text, const LayerPerformance& p,
                       int max_bits) {
    return fmt::format(
        "{:<20} {:>17} {:>5.2f} {:>10} {:>10.0f} {:>6.3f} {:>5.3f} {:>5.3f} {:>5.3f} {:>10} {:>10} {:>7.3f} {:>6.3f} "
        "{:>5.3f} {:>10}\n",
        name, shape_text, p.average_bits, p.sorted.total, p.sorted.ideal_bound, p.ratio_to_ideal(), p.row_factor,
        p.column_factor, p.lane_factor, p.unsorted.total, p.all_bmax.total, p.speedup(), max_bits / p.average_bits,
        p.speedup() / (max_bits / p.average_bits), p.bit_parallel.total);
}

double load_loss(const ShellLayerFigures& shell, const ShellBusFigures& bus) {
    return static_cast<double>(bus.cycles) / static_cast<double>(shell.compute_cycles) - 1.0;
}

nlohmann::json shell_json(const ShellLayerFigures& shell, std::uint64_t batch) {
    nlohmann::json buses = nlohmann::json::array();
    for (const ShellBusFigures& bus : shell.buses) {
        buses.push_back({{"bus_bits", bus.bus_bits},
                         {"cycles", bus.cycles * batch},
                         {"load_steps", bus.load_steps * batch},
                         {"input_bytes", bus.input_bytes * batch},
                         {"output_bytes", bus.output_bytes * batch},
                         {"compute_bound", shell.compute_cycles > bus.load_steps},
                         {"cycles_over_compute", load_loss(shell, bus)}});
    }
    return {{"runs", shell.runs * batch},
            {"host_lowered", shell.host_lowered},
            {"compute_cycles", shell.compute_cycles * batch},
            {"buses", buses}};
}

// The shell's table: per layer its runs, packet traffic against the compulsory, and the
// model's cycles at each bus width against the core alone.
std::string shell_table(const std::string& name, const SystemShape& system, const std::vector<LayerRow>& rows,
                        const ShellLayerFigures& total, std::uint64_t batch, std::uint64_t compulsory_total) {
    std::string text = fmt::format(
        "\nthrough {}_accel (AXI4-Stream packets of {} bits, {} KiB activation buffer; one image at a time, "
        "cycles from the golden shell model, always ready; core: the layer on {}_top alone, as above; gemm: the "
        "runs' GEMMs on it; im2col: hw = the shell's, host = lowered by the driver):\n"
        "{:<20} {:>6} {:>4} {:>10} {:>10} {:>6} {:>10} {:>10}",
        name, system.bus_bits, system.act_buffer_kib, name, "layer", "im2col", "runs", "stream_MB", "compul_MB",
        "ratio", "core", "gemm");
    for (const ShellBusFigures& bus : total.buses) text += fmt::format(" {:>10} {:>7}", fmt::format("cyc@{}", bus.bus_bits), "+%");
    text += fmt::format(" {:>10}\n", fmt::format("load@{}", system.bus_bits));
    auto line = [&](const std::string& layer, const std::string& im2col, const ShellLayerFigures& shell,
                    std::uint64_t compulsory, std::uint64_t core) {
        const ShellBusFigures& configured = shell.at(system.bus_bits);
        const std::uint64_t bytes = (configured.input_bytes + configured.output_bytes) * batch;
        std::string result = fmt::format("{:<20} {:>6} {:>4} {:>10.3f} {:>10.3f} {:>6.3f} {:>10} {:>10}", layer, im2col,
                                         shell.runs * batch, static_cast<double>(bytes) / 1e6,
                                         static_cast<double>(compulsory) / 1e6,
                                         static_cast<double>(bytes) / static_cast<double>(compulsory), core,
                                         shell.compute_cycles * batch);
        for (const ShellBusFigures& bus : shell.buses) {
            result += fmt::format(" {:>10} {:>7.2f}", bus.cycles * batch, 100.0 * load_loss(shell, bus));
        }
        return result + fmt::format(" {:>10}\n", configured.load_steps * batch);
    };
    double worst = 0.0;
    std::string worst_layer = "none";
    std::uint64_t core_total = 0;
    for (const LayerRow& row : rows) {
        core_total += row.performance.sorted.total;
        text += line(row.name, row.shell->host_lowered ? "host" : "hw", *row.shell, row.compulsory_bytes,
                     row.performance.sorted.total);
        const ShellBusFigures& configured = row.shell->at(system.bus_bits);
        if (row.shell->compute_cycles > configured.load_steps && load_loss(*row.shell, configured) >= worst) {
            worst = load_loss(*row.shell, configured);
            worst_layer = row.name;
        }
    }
    text += line("TOTAL", "", total, compulsory_total, core_total);
    const ShellBusFigures& configured = total.at(system.bus_bits);
    text += fmt::format(
        "total through the shell: {:.2f} MB over the streams = {:.3f} x the compulsory traffic; {} cycles at {} bits "
        "= {:+.2f} % over its GEMMs on the core alone ({} cycles) and {:+.2f} % over the layers on the core ({} "
        "cycles); of the layers whose compute exceeds their load at {} bits, the most cycles over compute: "
        "{:+.2f} % ({})\n",
        static_cast<double>((configured.input_bytes + configured.output_bytes) * batch) / 1e6,
        static_cast<double>((configured.input_bytes + configured.output_bytes) * batch) /
            static_cast<double>(compulsory_total),
        configured.cycles * batch, system.bus_bits, 100.0 * load_loss(total, configured), total.compute_cycles * batch,
        100.0 * (static_cast<double>(configured.cycles * batch) / static_cast<double>(core_total) - 1.0), core_total,
        system.bus_bits, 100.0 * worst, worst_layer);
    return text;
}

}  // namespace

nlohmann::json performance_json(const LayerPerformance& p) {
    return nlohmann::json{{"average_bits", p.average_bits},
                          {"macs", p.macs},
                          {"tiles", p.tiles},
                          {"cycles", p.sorted.total},
                          {"issue_cycles", p.sorted.issue},
                          {"drain_stall_cycles", p.sorted.drain_stall},
                          {"fixed_overhead_cycles", p.sorted.fixed_overhead},
                          {"ideal_bound", p.sorted.ideal_bound},
                          {"ratio_to_ideal", p.ratio_to_ideal()},
                          {"array_bound", p.array_bound},
                          {"ratio_to_array_bound", p.ratio_to_array_bound()},
                          {"row_factor", p.row_factor},
                          {"column_factor", p.column_factor},
                          {"lane_factor", p.lane_factor},
                          {"unsorted_cycles", p.unsorted.total},
                          {"all_bmax_cycles", p.all_bmax.total},
                          {"speedup_vs_all_bmax", p.speedup()},
                          {"unsorted_speedup_vs_all_bmax", p.unsorted_speedup()},
                          {"bit_parallel_cycles", p.bit_parallel.total},
                          {"cycles_vs_bit_parallel", p.cycles_vs_bit_parallel()}};
}

std::vector<WorkloadLayer> resnet18_workload(const BitDistribution& distribution, std::uint64_t seed) {
    std::vector<WorkloadLayer> workload;
    const auto layers = resnet18_conv_layers();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const ConvShape& conv = layers[i].conv;
        workload.push_back(
            {layers[i].name, conv, sample_weight_bits(conv.out_channels, distribution, seed * 1000 + i)});
    }
    return workload;
}

void write_text(const std::string& path, const std::string& text) { write_file_atomically(path, text); }

void run_resnet18_bench(const BenchOptions& options, std::ostream& out) {
    const ArrayShape& shape = options.config.shape;
    const int max_bits = shape.max_weight_bits;
    const BitDistribution distribution = default_bit_distribution();
    const SystemShape* system = options.config.has_system ? &options.config.system : nullptr;
    // the shell's figures only when it runs every layer (a small buffer holds no ResNet-18 row)
    std::string shell_refused;
    const std::vector<LayerRow> rows =
        evaluate_network(shape, distribution, options.seed, options.batch, true, system, &shell_refused);
    if (!shell_refused.empty()) system = nullptr;
    const LayerPerformance total = network_total(rows);
    const auto batch = static_cast<std::uint64_t>(options.batch);
    // bytes over the design's external streams: the shell's packets, or the core's streams
    auto stream_bytes = [&](const LayerRow& row) {
        if (!row.shell) return row.core_stream_bytes;
        const ShellBusFigures& bus = row.shell->at(system->bus_bits);
        return (bus.input_bytes + bus.output_bytes) * batch;
    };
    std::uint64_t total_stream_bytes = 0, total_core_stream_bytes = 0, total_compulsory_bytes = 0;
    for (const LayerRow& row : rows) {
        total_stream_bytes += stream_bytes(row);
        total_core_stream_bytes += row.core_stream_bytes;
        total_compulsory_bytes += row.compulsory_bytes;
    }

    out << fmt::format("ResNet-18 conv layers, batch {}, on a {}x{}x{} array (A={}, Bmax={}); bit widths: {}, "
                       "seed {}\n",
                       options.batch,
                       shape.rows, shape.cols, shape.lanes, shape.act_bits, max_bits, distribution.name,
                       options.seed);
    out << fmt::format("{:<20} {:>17} {:>5} {:>10} {:>10} {:>6} {:>5} {:>5} {:>5} {:>10} {:>10} {:>7} {:>6} {:>5} {:>10}\n",
                       "layer", "F x K x P", "avg_b", "cycles", "ideal", "ratio", "rows", "cols", "lanes",
                       "unsorted", "all_Bmax", "speedup", "Bmax/b", "frac", "bit_par");
    nlohmann::json layers_json = nlohmann::json::array();
    std::string csv = "layer,filters,depth,pixels,average_bits,cycles,ideal_bound,ratio_to_ideal,unsorted_cycles,"
                      "all_bmax_cycles,speedup,promised_speedup\n";
    for (const LayerRow& row : rows) {
        const LayerPerformance& p = row.performance;
        out << table_line(row.name, fmt::format("{}x{}x{}", row.filters, row.depth, row.pixels), p, max_bits);
        nlohmann::json entry = performance_json(p);
        entry["layer"] = row.name;
        entry["filters"] = row.filters;
        entry["depth"] = row.depth;
        entry["pixels"] = row.pixels;
        entry["stream_bytes"] = stream_bytes(row);
        entry["core_stream_bytes"] = row.core_stream_bytes;
        entry["compulsory_bytes"] = row.compulsory_bytes;
        if (row.shell) entry["accel"] = shell_json(*row.shell, batch);
        layers_json.push_back(entry);
        csv += fmt::format("{},{},{},{},{:.4f},{},{:.1f},{:.4f},{},{},{:.4f},{:.4f}\n", row.name, row.filters,
                           row.depth, row.pixels, p.average_bits, p.sorted.total, p.sorted.ideal_bound,
                           p.ratio_to_ideal(), p.unsorted.total, p.all_bmax.total, p.speedup(),
                           max_bits / p.average_bits);
    }
    out << table_line("TOTAL", "", total, max_bits);
    out << fmt::format(
        "total: cycles / ideal bound = {:.3f} (no schedule on this array gets below the array bound, {:.3f} x "
        "ideal: cycles / array bound = {:.3f}); speedup vs all-Bmax = {:.3f} = {:.3f} x Bmax/avg; unsorted "
        "schedule speedup {:.3f}; drain stalls {} cycles, fixed overhead {} cycles ({:.4f}% of cycles); "
        "utilisation {:.3f}\n",
        total.ratio_to_ideal(), total.array_bound / total.sorted.ideal_bound, total.ratio_to_array_bound(),
        total.speedup(), total.speedup() / (max_bits / total.average_bits),
        total.unsorted_speedup(), total.sorted.drain_stall, total.sorted.fixed_overhead,
        100.0 * static_cast<double>(total.sorted.drain_stall + total.sorted.fixed_overhead) /
            static_cast<double>(total.sorted.total),
        total.utilisation(shape));
    out << fmt::format(
        "traffic over the streams of {}_top (each tile's weights, activations and parameters sent again): "
        "{:.2f} MB; compulsory traffic (weights at their bits, input and output maps once): {:.2f} MB ({:.1f}x)\n",
        options.config.name, static_cast<double>(total_core_stream_bytes) / 1e6,
        static_cast<double>(total_compulsory_bytes) / 1e6,
        static_cast<double>(total_core_stream_bytes) / static_cast<double>(total_compulsory_bytes));
    nlohmann::json total_json = performance_json(total);
    total_json["stream_bytes"] = total_stream_bytes;
    total_json["core_stream_bytes"] = total_core_stream_bytes;
    total_json["compulsory_bytes"] = total_compulsory_bytes;
    if (!shell_refused.empty()) {
        out << fmt::format("no figures through {}_accel: {}\n", options.config.name, shell_refused);
        total_json["accel_error"] = shell_refused;
    }
    if (system) {
        ShellLayerFigures shell_total;
        for (int bus_bits : shell_bus_widths(*system)) shell_total.buses.push_back(ShellBusFigures{bus_bits, 0, 0, 0, 0});
        for (const LayerRow& row : rows) shell_total.add(*row.shell);
        out << shell_table(options.config.name, *system, rows, shell_total, batch, total_compulsory_bytes);
        total_json["accel"] = shell_json(shell_total, batch);
    }

    // Sweep: total speedup against the average bit width of the filters.
    PlotSeries sorted_series{"sorted (fwmac)", "#1f77b4", {}};
    PlotSeries unsorted_series{"unsorted", "#ff7f0e", {}};
    PlotSeries promise_series{"Bmax / avg bits", "#2ca02c", {}};
    nlohmann::json sweep_json = nlohmann::json::array();
    out << fmt::format("\nsweep (normal bit-width distributions on 2..{}):\n{:>8} {:>9} {:>9} {:>9} {:>6}\n",
                       max_bits, "avg_b", "speedup", "unsorted", "Bmax/b", "ratio");
    for (double mean = 2.0; mean <= max_bits + 1e-9; mean += 0.5) {
        const LayerPerformance sweep_total =
            network_total(evaluate_network(shape, normal_bit_distribution(mean, max_bits), options.seed, options.batch, false));
        const double promised = max_bits / sweep_total.average_bits;
        out << fmt::format("{:>8.2f} {:>9.3f} {:>9.3f} {:>9.3f} {:>6.3f}\n", sweep_total.average_bits,
                           sweep_total.speedup(), sweep_total.unsorted_speedup(), promised,
                           sweep_total.ratio_to_ideal());
        sorted_series.points.emplace_back(sweep_total.average_bits, sweep_total.speedup());
        unsorted_series.points.emplace_back(sweep_total.average_bits, sweep_total.unsorted_speedup());
        promise_series.points.emplace_back(sweep_total.average_bits, promised);
        nlohmann::json point = performance_json(sweep_total);
        point["distribution_mean"] = mean;
        sweep_json.push_back(point);
    }

    const nlohmann::json document{{"network", "resnet18"},
                                  {"array", normalized_json(options.config)},
                                  {"bit_distribution", distribution.name},
                                  {"seed", options.seed},
                                  {"batch", options.batch},
                                  {"layers", layers_json},
                                  {"total", total_json},
                                  {"sweep", sweep_json}};
    if (options.json_path) write_text(*options.json_path, document.dump(2) + "\n");
    if (options.csv_path) write_text(*options.csv_path, csv);
    if (options.svg_path) {
        write_text(*options.svg_path,
                   svg_line_chart(fmt::format("ResNet-18 on {}x{}x{}: speedup vs all filters at {} bits",
                                              shape.rows, shape.cols, shape.lanes, max_bits),
                                  "average weight bits (MAC-weighted)", "speedup vs all-Bmax",
                                  {sorted_series, unsorted_series, promise_series}));
    }
}

}  // namespace fwmac
