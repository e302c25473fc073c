#include "generator/analysis/synth_bench.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "compiler/json_file.hpp"
#include "compiler/networks.hpp"
#include "generator/analysis/bench.hpp"
#include "generator/analysis/svg_plot.hpp"
#include "generator/design/design.hpp"
#include "generator/flows/synth_run.hpp"
#include "golden/performance.hpp"

namespace fwmac {
namespace {

struct Area {
    std::int64_t luts = 0, flops = 0, carries = 0, transistors = 0;
    nlohmann::json modules = nlohmann::json::array();  // the hierarchy flow's per-module counts
};

struct DesignRun {
    GeneratorConfig config;
    std::string directory;
    Area area;
    std::string error;
};

// A digest of everything synthesis reads (the generated files): a run whose design is
// byte-identical to the cached one reuses its counts.
std::string design_digest(const FileSet& files) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const auto& [path, text] : files) {
        for (const std::string* part : {&path, &text}) {
            for (unsigned char byte : *part) {
                hash ^= byte;
                hash *= 0x100000001b3ULL;
            }
            hash ^= 0xff;
            hash *= 0x100000001b3ULL;
        }
    }
    return fmt::format("{:016x}", hash);
}

Area area_from_json(const nlohmann::json& flow) {
    Area area;
    area.luts = flow.at("luts").get<std::int64_t>();
    area.flops = flow.at("flops").get<std::int64_t>();
    area.carries = flow.at("carries").get<std::int64_t>();
    area.transistors = flow.at("cmos_transistors").get<std::int64_t>();
    area.modules = flow.at("modules");
    return area;
}

Area synthesize(const DesignRun& run, bool reuse, std::ostream& log) {
    const FileSet files = generate_design(run.config);
    const std::string digest = design_digest(files);
    const std::string cache = run.directory + ".synth_bench.json";
    if (reuse) {
        std::ifstream stream(cache);
        if (stream) {
            try {
                const nlohmann::json cached = nlohmann::json::parse(stream);
                if (cached.at("design_digest") == digest) return area_from_json(cached.at("hierarchy"));
            } catch (const nlohmann::json::exception&) {
                // an unreadable cache is synthesized again
            }
        }
    }
    write_file_set(files, run.directory);
    SynthOptions options;
    options.directory = run.directory;
    options.flows = {"hierarchy"};
    const nlohmann::json report = run_synth(options, log);
    const nlohmann::json& flow = report.at("flows").at("hierarchy");
    write_file_atomically(cache, nlohmann::json{{"design_digest", digest}, {"hierarchy", flow}}.dump(1) + "\n");
    return area_from_json(flow);
}

// Runs every design's synthesis, `jobs` at a time; failures are collected, not thrown
// from the worker threads.
void synthesize_all(std::vector<DesignRun>& runs, int jobs, bool reuse, std::ostream& out) {
    std::atomic<std::size_t> next{0};
    std::mutex output;
    auto worker = [&]() {
        for (std::size_t i = next++; i < runs.size(); i = next++) {
            std::ostringstream log;
            try {
                runs[i].area = synthesize(runs[i], reuse, log);
            } catch (const std::exception& error) {
                runs[i].error = error.what();
            }
            const std::lock_guard<std::mutex> lock(output);
            out << fmt::format("synthesized {} of {}: {}: {}\n", i + 1, runs.size(), runs[i].config.name,
                               runs[i].error.empty()
                                   ? fmt::format("{} LUTs, {} FFs, {} transistors", runs[i].area.luts,
                                                 runs[i].area.flops, runs[i].area.transistors)
                                   : "FAILED: " + runs[i].error)
                << std::flush;
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

// The weight widths of the comparison: every filter at 2, 3, 4, 6, 8 bits, and 0 for the
// default filter-wise distribution.
const std::vector<int> kWidths{2, 3, 4, 6, 8, 0};
std::string width_label(int bits) { return bits > 0 ? std::to_string(bits) : "dist"; }

// MACs per cycle of the ResNet-18 conv layers (batch 1) on `shape`, with every filter at
// `bits` (0: the default distribution): with the cycle model's totals, and without the
// drain stalls (what the array would reach if its drain kept up with every tile).
struct Throughput {
    double average_bits = 0, macs_per_cycle = 0, stall_free_macs_per_cycle = 0;
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
    const auto macs = static_cast<double>(total.macs);
    return {total.average_bits, macs / static_cast<double>(total.sorted.total),
            macs / static_cast<double>(total.sorted.total - total.sorted.drain_stall)};
}

// A short design name: <base>_<s|p><R>x<C>x<L>_slots<S>_u<U>, at most 64 characters.
std::string design_name(const GeneratorConfig& config) {
    const ArrayShape& shape = config.shape;
    return fmt::format("{}_{}{}x{}x{}_slots{}_u{}", config.name.substr(0, 24), is_bit_parallel(shape) ? "p" : "s",
                       shape.rows, shape.cols, shape.lanes, shape.row_slots, requant_unit_count(shape));
}

// The same array without the drain and slot choices: what a bit-parallel twin must share.
std::string array_key(const ArrayShape& shape) {
    return fmt::format("{}x{}x{} A{} B{} K{} tree{}", shape.rows, shape.cols, shape.lanes, shape.act_bits,
                       shape.max_weight_bits, shape.k_max, shape.tree_register_every);
}

struct Evaluated {
    const DesignRun* run = nullptr;
    std::map<int, Throughput> throughput;  // by width (kWidths)
    double per_lut(int bits) const { return throughput.at(bits).macs_per_cycle / static_cast<double>(run->area.luts); }
    double per_transistor(int bits) const {
        return throughput.at(bits).macs_per_cycle / static_cast<double>(run->area.transistors);
    }
    double stall_free_per_lut(int bits) const {
        return throughput.at(bits).stall_free_macs_per_cycle / static_cast<double>(run->area.luts);
    }
    double stall_free_per_transistor(int bits) const {
        return throughput.at(bits).stall_free_macs_per_cycle / static_cast<double>(run->area.transistors);
    }
};

// The twin that does best by `score` among the bit-parallel designs of the same array.
const Evaluated* best_twin(const std::vector<Evaluated>& parallel, const std::string& key,
                           const std::function<double(const Evaluated&)>& score) {
    const Evaluated* best = nullptr;
    for (const Evaluated& candidate : parallel) {
        if (array_key(candidate.run->config.shape) != key) continue;
        if (best == nullptr || score(candidate) > score(*best)) best = &candidate;
    }
    if (best == nullptr) throw std::logic_error("synth-bench: a bit-serial design without a bit-parallel twin");
    return best;
}

struct Comparison {
    const Evaluated* serial = nullptr;
    const Evaluated* twin = nullptr;             // best measured MAC/cycle per LUT
    const Evaluated* stall_free_twin = nullptr;  // best per LUT counting no drain stalls
    const Evaluated* transistor_twin = nullptr;  // best measured MAC/cycle per transistor
    std::map<int, double> lut_ratio;             // by width, against `twin`
    std::map<int, double> transistor_ratio;      // by width, against `transistor_twin`
    std::map<int, double> stall_free_lut_ratio;  // by width, against the stall-free twin
    std::map<int, double> stall_free_transistor_ratio;
};

std::string module_table(const DesignRun& run) {
    std::string text = fmt::format("  {:<20} {:>6} {:>9} {:>9} {:>10} {:>9} {:>6}\n", "module", "inst", "LUT each",
                                   "FF each", "LUT total", "kTr total", "LUT %");
    for (const nlohmann::json& module : run.area.modules) {
        const std::int64_t instances = module.at("instances").get<std::int64_t>();
        const std::int64_t luts = module.at("xilinx_nodsp").at("luts").get<std::int64_t>();
        if (luts == 0 && module.at("xilinx_nodsp").at("flops").get<std::int64_t>() == 0) continue;
        text += fmt::format("  {:<20} {:>6} {:>9} {:>9} {:>10} {:>9.1f} {:>5.1f}%\n",
                            module.at("module").get<std::string>(), instances, luts,
                            module.at("xilinx_nodsp").at("flops").get<std::int64_t>(), instances * luts,
                            static_cast<double>(instances * module.at("cmos_transistors").get<std::int64_t>()) / 1e3,
                            100.0 * static_cast<double>(instances * luts) / static_cast<double>(run.area.luts));
    }
    return text;
}

nlohmann::json area_json(const Area& area) {
    return nlohmann::json{{"luts", area.luts},
                          {"flops", area.flops},
                          {"carry4", area.carries},
                          {"cmos_transistors", area.transistors},
                          {"modules", area.modules}};
}

nlohmann::json throughput_json(const Evaluated& design) {
    nlohmann::json points = nlohmann::json::array();
    for (int bits : kWidths) {
        const Throughput& t = design.throughput.at(bits);
        points.push_back({{"bits", bits > 0 ? nlohmann::json(bits) : nlohmann::json("default_distribution")},
                          {"average_bits", t.average_bits},
                          {"macs_per_cycle", t.macs_per_cycle},
                          {"stall_free_macs_per_cycle", t.stall_free_macs_per_cycle},
                          {"macs_per_cycle_per_klut", design.per_lut(bits) * 1e3},
                          {"macs_per_cycle_per_mtransistor", design.per_transistor(bits) * 1e6}});
    }
    return points;
}

}  // namespace

std::vector<GeneratorConfig> expand_sweep(const nlohmann::json& sweep_file) {
    if (!sweep_file.is_object() || !sweep_file.contains("sweep") || !sweep_file.at("sweep").is_object()) {
        throw ConfigError("sweep: needs an object \"sweep\" of field -> list of values (and optionally \"base\")");
    }
    for (const auto& item : sweep_file.items()) {
        if (item.key() != "base" && item.key() != "sweep") {
            throw ConfigError(fmt::format("sweep.{}: unknown field (allowed: base, sweep)", item.key()));
        }
    }
    const nlohmann::json base = sweep_file.value("base", nlohmann::json::object());
    std::vector<nlohmann::json> designs{base};
    const std::set<std::string> sweepable{"rows", "cols", "lanes", "row_slots", "requant_units"};
    for (const auto& [field, values] : sweep_file.at("sweep").items()) {
        if (sweepable.count(field) == 0) {
            throw ConfigError(fmt::format(
                "sweep.sweep.{}: cannot be swept (allowed: cols, lanes, requant_units, row_slots, rows)", field));
        }
        if (!values.is_array() || values.empty()) {
            throw ConfigError(fmt::format("sweep.sweep.{}: must be a non-empty list of values", field));
        }
        std::vector<nlohmann::json> expanded;
        for (const nlohmann::json& design : designs) {
            for (const nlohmann::json& value : values) {
                nlohmann::json next = design;
                next[field] = value;
                expanded.push_back(next);
            }
        }
        designs = std::move(expanded);
    }
    std::vector<GeneratorConfig> configs;
    for (nlohmann::json& design : designs) {
        if (design.contains("requant_units") && design.contains("cols") && design["requant_units"].is_number() &&
            design["cols"].is_number() && design["requant_units"].get<double>() > design["cols"].get<double>()) {
            continue;  // more requantizers than columns: not a design
        }
        GeneratorConfig config;
        try {
            config = parse_config(design);
        } catch (const ConfigError& error) {
            throw ConfigError(fmt::format("sweep point {}: {}", design.dump(), error.what()));
        }
        if (is_bit_parallel(config.shape)) {
            throw ConfigError("sweep.base.architecture: the sweep lists bit-serial designs (each gets its "
                              "bit-parallel twins)");
        }
        configs.push_back(config);
    }
    return configs;
}

std::vector<GeneratorConfig> load_bench_designs(const std::string& path) {
    const nlohmann::json json = read_json_file(path, JsonFileKind{"design file", "sweep"});
    if (!(json.is_object() && json.contains("sweep"))) return {load_config_file(path)};
    try {
        return expand_sweep(json);
    } catch (const ConfigError& error) {
        throw ConfigError(fmt::format("sweep file '{}': {}", path, error.what()));
    }
}

void run_synth_bench(const SynthBenchOptions& options, std::ostream& out) {
    // The bit-serial designs and, per array, bit-parallel twins with every requant_units
    // value the serial designs of that array use and with one per column (the twin then
    // competes with its best).
    std::vector<DesignRun> runs;
    std::set<std::string> seen;
    auto add_run = [&](const GeneratorConfig& design) {
        GeneratorConfig config = design;
        config.name = design_name(design);
        if (!seen.insert(normalized_json(config).dump()).second) return;
        runs.push_back(DesignRun{config, options.work_directory + "/" + config.name, {}, {}});
    };
    for (const GeneratorConfig& config : options.configs) {
        if (is_bit_parallel(config.shape)) {
            throw ConfigError(fmt::format("synth-bench: '{}' is bit-parallel; give the bit-serial designs (each gets "
                                          "its bit-parallel twins)",
                                          config.name));
        }
        add_run(config);
    }
    for (const GeneratorConfig& config : options.configs) {
        for (int units : {requant_unit_count(config.shape), config.shape.cols}) {
            GeneratorConfig twin = config;
            twin.shape = with_architecture(config.shape, Architecture::bit_parallel);
            twin.shape.requant_units = units;
            add_run(twin);
        }
    }
    synthesize_all(runs, options.jobs, options.reuse, out);

    std::vector<Evaluated> serial, parallel;
    for (const DesignRun& run : runs) {
        Evaluated design{&run, {}};
        for (int bits : kWidths) design.throughput[bits] = resnet18_throughput(run.config.shape, bits);
        (is_bit_parallel(run.config.shape) ? parallel : serial).push_back(design);
    }
    std::vector<Comparison> comparisons;
    for (const Evaluated& design : serial) {
        const std::string key = array_key(design.run->config.shape);
        Comparison c;
        c.serial = &design;
        c.twin = best_twin(parallel, key, [](const Evaluated& p) { return p.per_lut(8); });
        c.stall_free_twin = best_twin(parallel, key, [](const Evaluated& p) { return p.stall_free_per_lut(8); });
        c.transistor_twin = best_twin(parallel, key, [](const Evaluated& p) { return p.per_transistor(8); });
        const Evaluated* transistor_free =
            best_twin(parallel, key, [](const Evaluated& p) { return p.stall_free_per_transistor(8); });
        for (int bits : kWidths) {
            c.lut_ratio[bits] = design.per_lut(bits) / c.twin->per_lut(bits);
            c.transistor_ratio[bits] = design.per_transistor(bits) / c.transistor_twin->per_transistor(bits);
            c.stall_free_lut_ratio[bits] = design.per_lut(bits) / c.stall_free_twin->stall_free_per_lut(bits);
            c.stall_free_transistor_ratio[bits] =
                design.per_transistor(bits) / transistor_free->stall_free_per_transistor(bits);
        }
        comparisons.push_back(c);
    }

    out << "\nBit-parallel twins (ResNet-18 conv layers, batch 1; cycles do not depend on the weight bits):\n";
    out << fmt::format("  {:<30} {:>9} {:>8} {:>10} {:>9} {:>12} {:>7}\n", "design", "LUT", "FF", "kTrans",
                       "MAC/cyc", "stall-free", "stalls");
    for (const Evaluated& p : parallel) {
        const Throughput& t = p.throughput.at(8);
        out << fmt::format("  {:<30} {:>9} {:>8} {:>10.0f} {:>9.1f} {:>12.1f} {:>6.1f}%\n", p.run->config.name,
                           p.run->area.luts, p.run->area.flops, static_cast<double>(p.run->area.transistors) / 1e3,
                           t.macs_per_cycle, t.stall_free_macs_per_cycle,
                           100.0 * (1.0 - t.macs_per_cycle / t.stall_free_macs_per_cycle));
    }
    out << "\nBit-serial designs: MACs/cycle per LUT, serial / its best bit-parallel twin (same R x C x L, the twin's\n"
           "requant_units chosen for its own best MACs/cycle per LUT), at every filter b bits and at the default\n"
           "distribution ('dist'); 'free 4'/'free d' = at 4 bits / the distribution against the twin's\n"
           "drain-stall-free cycles and its best requant_units for those (the twin as if its drain kept up with\n"
           "every tile); 'tr' = per CMOS transistor, against the measured and the stall-free twin.\n";
    out << fmt::format("  {:<30} {:>9} {:>8} {:>10} |", "design", "LUT", "FF", "kTrans");
    for (int bits : kWidths) out << fmt::format(" {:>5}", width_label(bits));
    out << fmt::format(" | {:>6} {:>6} | {:>5} {:>7}\n", "free 4", "free d", "tr 4", "tr free");
    for (const Comparison& c : comparisons) {
        const DesignRun& run = *c.serial->run;
        out << fmt::format("  {:<30} {:>9} {:>8} {:>10.0f} |", run.config.name, run.area.luts, run.area.flops,
                           static_cast<double>(run.area.transistors) / 1e3);
        for (int bits : kWidths) out << fmt::format(" {:>5.2f}", c.lut_ratio.at(bits));
        out << fmt::format(" | {:>6.2f} {:>6.2f} | {:>5.2f} {:>7.2f}\n", c.stall_free_lut_ratio.at(4),
                           c.stall_free_lut_ratio.at(0), c.transistor_ratio.at(4), c.stall_free_transistor_ratio.at(4));
    }

    const auto best = std::max_element(comparisons.begin(), comparisons.end(), [](const Comparison& a, const Comparison& b) {
        return a.stall_free_lut_ratio.at(4) < b.stall_free_lut_ratio.at(4);
    });
    if (best != comparisons.end()) {
        out << fmt::format("\nbest at uniform 4 bits (against the stall-free twin): {} (ratio {:.2f}; {:.2f} against the "
                           "measured twin {}; per transistor {:.2f})\n",
                           best->serial->run->config.name, best->stall_free_lut_ratio.at(4), best->lut_ratio.at(4),
                           best->twin->run->config.name, best->transistor_ratio.at(4));
        out << "per module (hierarchical synth_xilinx -nodsp):\n" << best->serial->run->config.name << "\n"
            << module_table(*best->serial->run) << best->twin->run->config.name << "\n"
            << module_table(*best->twin->run);
        if (options.best_config_path) {
            GeneratorConfig config = best->serial->run->config;
            config.name = "area_best";
            write_text(*options.best_config_path, normalized_json(config).dump(2) + "\n");
        }
    }

    if (options.json_path) {
        nlohmann::json designs = nlohmann::json::array();
        for (const std::vector<Evaluated>* group : {&serial, &parallel}) {
            for (const Evaluated& design : *group) {
                designs.push_back({{"name", design.run->config.name},
                                   {"config", normalized_json(design.run->config)},
                                   {"area", area_json(design.run->area)},
                                   {"throughput", throughput_json(design)}});
            }
        }
        nlohmann::json ratios = nlohmann::json::array();
        for (const Comparison& c : comparisons) {
            nlohmann::json entry{{"bit_serial", c.serial->run->config.name},
                                 {"twin", c.twin->run->config.name},
                                 {"stall_free_twin", c.stall_free_twin->run->config.name},
                                 {"transistor_twin", c.transistor_twin->run->config.name},
                                 {"lut_ratio", nlohmann::json::object()},
                                 {"transistor_ratio", nlohmann::json::object()},
                                 {"stall_free_lut_ratio", nlohmann::json::object()},
                                 {"stall_free_transistor_ratio", nlohmann::json::object()}};
            for (int bits : kWidths) {
                const std::string label = bits > 0 ? std::to_string(bits) : "default_distribution";
                entry["lut_ratio"][label] = c.lut_ratio.at(bits);
                entry["transistor_ratio"][label] = c.transistor_ratio.at(bits);
                entry["stall_free_lut_ratio"][label] = c.stall_free_lut_ratio.at(bits);
                entry["stall_free_transistor_ratio"][label] = c.stall_free_transistor_ratio.at(bits);
            }
            ratios.push_back(entry);
        }
        write_text(*options.json_path,
                   nlohmann::json{{"tool", "yosys synth_xilinx -nodsp (xc7) and generic + stat -tech cmos, "
                                           "hierarchical (each unique module once), core only"},
                                  {"workload", "resnet18 conv layers, batch 1, golden cycle model"},
                                  {"designs", designs},
                                  {"comparisons", ratios},
                                  {"best_at_4_bits", best != comparisons.end() ? best->serial->run->config.name : ""}}
                           .dump(2) +
                       "\n");
    }
    if (options.svg_path) {
        // per lane count, the design with the best ratio at 4 bits
        std::map<int, const Comparison*> by_lanes;
        for (const Comparison& c : comparisons) {
            const int lanes = c.serial->run->config.shape.lanes;
            if (!by_lanes.count(lanes) || c.lut_ratio.at(4) > by_lanes[lanes]->lut_ratio.at(4)) by_lanes[lanes] = &c;
        }
        const char* colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
        std::vector<PlotSeries> series;
        for (const auto& [lanes, c] : by_lanes) {
            PlotSeries plot{c->serial->run->config.name, colors[series.size() % 6], {}};
            for (int bits : kWidths) {
                if (bits > 0) plot.points.emplace_back(bits, c->lut_ratio.at(bits));
            }
            series.push_back(plot);
        }
        write_text(*options.svg_path,
                   svg_line_chart("Bit-serial vs its bit-parallel twin: MACs/cycle per LUT (ratio)",
                                  "weight bits (every filter)", "ratio serial / parallel", series));
    }
}

}  // namespace fwmac
