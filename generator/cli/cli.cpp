#include "generator/cli/cli.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <optional>

#include "generator/analysis/bench.hpp"
#include "generator/cli/cli_args.hpp"
#include "generator/common/config.hpp"
#include "generator/design/design.hpp"
#include "generator/analysis/e2e.hpp"
#include "generator/analysis/energy_bench.hpp"
#include "generator/cli/quantize_cmd.hpp"
#include "generator/analysis/synth_bench.hpp"
#include "generator/flows/synth_run.hpp"
#include "generator/design/vectors.hpp"
#include "generator/common/version.hpp"
#include "golden/array_model.hpp"
#include "golden/performance.hpp"
#include "golden/schedule.hpp"
#include "compiler/layer_file.hpp"

namespace fwmac {

ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<std::string>& valued,
                      const std::vector<std::string>& flags) {
    auto contains = [](const std::vector<std::string>& list, const std::string& item) {
        for (const auto& entry : list) {
            if (entry == item) return true;
        }
        return false;
    };
    ParsedArgs parsed;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (contains(valued, arg)) {
            if (i + 1 >= args.size()) throw UsageError(fmt::format("option {} needs a value", arg));
            parsed.options[arg] = args[++i];
        } else if (contains(flags, arg)) {
            parsed.options[arg] = "";
        } else if (!arg.empty() && arg[0] == '-') {
            throw UsageError(fmt::format("unknown option '{}' for '{}'", arg, args[0]));
        } else {
            parsed.positional.push_back(arg);
        }
    }
    return parsed;
}

std::uint64_t parse_unsigned(const std::string& text, const std::string& option) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 18) {
        throw UsageError(fmt::format("{} expects a non-negative integer, got '{}'", option, text));
    }
    return std::stoull(text);
}

std::string required_option(const ParsedArgs& parsed, const std::string& name, const std::string& verb) {
    auto found = parsed.options.find(name);
    if (found == parsed.options.end()) throw UsageError(fmt::format("'{}' needs {}", verb, name));
    return found->second;
}

std::string single_positional(const ParsedArgs& parsed, const std::string& verb, const std::string& what) {
    if (parsed.positional.size() != 1) throw UsageError(fmt::format("'{}' takes exactly one {}", verb, what));
    return parsed.positional.front();
}

namespace {

// The layer's schedule and cycle figures, also for all filters at Bmax and unsorted.
nlohmann::json analyse_workload(const LayerFile& file, const ArrayShape& shape) {
    const GemmLayer& layer = file.layer;
    const LayerPerformance performance = layer_performance(layer.weight_bits, layer.depth, layer.pixels, shape);
    nlohmann::json summary = performance_json(performance);
    summary["layer"] = file.name;
    summary["filters"] = layer.filters;
    summary["depth"] = layer.depth;
    summary["pixels"] = layer.pixels;
    summary["utilisation"] = performance.utilisation(shape);
    return summary;
}

int run_generate(const std::vector<std::string>& args, std::ostream& out) {
    const ParsedArgs parsed = parse_args(args, {"-o", "--layer"}, {});
    const GeneratorConfig config = load_config_file(single_positional(parsed, "generate", "CONFIG.json"));
    const std::string directory = required_option(parsed, "-o", "generate");
    FileSet files = generate_design(config);
    if (parsed.flag("--layer")) {
        nlohmann::json report = design_report(config);
        report["workload"] =
            analyse_workload(load_layer_file(parsed.options.at("--layer"), config.shape), config.shape);
        files["report.json"] = report.dump(2) + "\n";
    }
    write_file_set(files, directory);
    out << fmt::format("fwmac: wrote {} files for '{}' ({}x{}x{}, ACC_W={}) to {}\n", files.size(), config.name,
                       config.shape.rows, config.shape.cols, config.shape.lanes, acc_width(config.shape),
                       directory);
    return 0;
}

void print_schedule(const Schedule& schedule, const GemmLayer& layer, std::ostream& out) {
    out << fmt::format("{} filters, K={}, P={} -> {} row groups x {} pixel tiles, {} chunks of {} lanes\n",
                       layer.filters, layer.depth, layer.pixels, schedule.groups.size(),
                       schedule.tiles.size() / schedule.groups.size(), schedule.chunks, schedule.shape.lanes);
    for (std::size_t g = 0; g < schedule.groups.size(); ++g) {
        const RowGroup& group = schedule.groups[g];
        std::string filters;
        const int row_slots = schedule.shape.row_slots;
        for (std::size_t virtual_row = 0; virtual_row < group.filters.size(); ++virtual_row) {
            const int filter = group.filters[virtual_row];
            if (filter == kNoFilter) continue;
            // with two slots: "filter:bits/span", "+" joining the two filters of one row
            const bool second = row_slots == 2 && virtual_row % 2 == 1;
            const std::string span =
                row_slots == 2 ? fmt::format("/{}", slot_span(group, static_cast<int>(virtual_row), row_slots)) : "";
            filters += fmt::format("{}{}:{}b{}", filters.empty() ? "" : (second ? "+" : " "), filter,
                                   layer.weight_bits[filter], span);
        }
        out << fmt::format("  group {:3}  b_g={:2}  filters [{}]\n", g, group.planes, filters);
    }
}

int run_schedule(const std::vector<std::string>& args, std::ostream& out) {
    const ParsedArgs parsed = parse_args(args, {"--config", "--json"}, {"--unsorted"});
    const GeneratorConfig config = load_config_file(required_option(parsed, "--config", "schedule"));
    const LayerFile file = load_layer_file(single_positional(parsed, "schedule", "LAYER.json"), config.shape);
    const FilterOrder order = parsed.flag("--unsorted") ? FilterOrder::original : FilterOrder::by_bits;
    const Schedule schedule =
        make_schedule(file.layer.weight_bits, file.layer.depth, file.layer.pixels, config.shape, order);
    print_schedule(schedule, file.layer, out);
    const nlohmann::json summary = analyse_workload(file, config.shape);
    const CycleReport cycles = predict_cycles(schedule, file.layer.weight_bits);
    out << fmt::format("predicted cycles {} (ideal bound {:.1f}, ratio {:.3f}); sorted schedule {} cycles, "
                       "unsorted {}; all filters at Bmax: {} cycles, speedup of the sorted schedule {:.3f}\n",
                       cycles.total, cycles.ideal_bound, static_cast<double>(cycles.total) / cycles.ideal_bound,
                       summary["cycles"].get<std::uint64_t>(), summary["unsorted_cycles"].get<std::uint64_t>(),
                       summary["all_bmax_cycles"].get<std::uint64_t>(), summary["speedup_vs_all_bmax"].get<double>());
    if (parsed.flag("--json")) write_text(parsed.options.at("--json"), summary.dump(2) + "\n");
    return 0;
}

int run_sim(const std::vector<std::string>& args, std::ostream& out) {
    const ParsedArgs parsed = parse_args(args, {"--config"}, {});
    const GeneratorConfig config = load_config_file(required_option(parsed, "--config", "sim"));
    const LayerFile file = load_layer_file(single_positional(parsed, "sim", "LAYER.json"), config.shape);
    const Schedule schedule =
        make_schedule(file.layer.weight_bits, file.layer.depth, file.layer.pixels, config.shape);
    const ArrayResult result = run_array_model(file.layer, schedule);
    const bool matches_direct = result.accumulators == direct_accumulators(file.layer);
    const CycleReport cycles = predict_cycles(schedule, file.layer.weight_bits);
    out << fmt::format("golden model of '{}': {} outputs, {} accumulators {} the direct dot product; "
                       "{} cycles (ideal bound {:.1f})\n",
                       file.name, result.outputs.size(), is_bit_parallel(config.shape) ? "bit-parallel" : "bit-serial",
                       matches_direct ? "equal" : "DIFFER FROM", cycles.total, cycles.ideal_bound);
    return matches_direct ? 0 : 1;
}

int run_bench(const std::vector<std::string>& args, std::ostream& out) {
    const ParsedArgs parsed = parse_args(args, {"--config", "--seed", "--batch", "--json", "--csv", "--svg"}, {});
    if (!parsed.positional.empty()) throw UsageError("'bench' takes no positional arguments");
    BenchOptions options;
    options.config = load_config_file(required_option(parsed, "--config", "bench"));
    if (parsed.flag("--seed")) options.seed = parse_unsigned(parsed.options.at("--seed"), "--seed");
    if (parsed.flag("--batch")) {
        const std::uint64_t batch = parse_unsigned(parsed.options.at("--batch"), "--batch");
        if (batch < 1 || batch > kMaxBenchBatch) {
            throw UsageError(fmt::format("--batch = {}: allowed range 1..{}", batch, kMaxBenchBatch));
        }
        options.batch = static_cast<int>(batch);
    }
    for (const char* name : {"--json", "--csv", "--svg"}) {
        if (!parsed.flag(name)) continue;
        std::optional<std::string>& target = std::string(name) == "--json"  ? options.json_path
                                             : std::string(name) == "--csv" ? options.csv_path
                                                                            : options.svg_path;
        target = parsed.options.at(name);
    }
    run_resnet18_bench(options, out);
    return 0;
}

int run_energy(const std::vector<std::string>& args, std::ostream& out) {
    const ParsedArgs parsed =
        parse_args(args, {"--config", "--seed", "--json", "--svg", "--throughput-svg"}, {});
    if (!parsed.positional.empty()) throw UsageError("'energy' takes no positional arguments");
    EnergyBenchOptions options;
    options.bench.config = load_config_file(required_option(parsed, "--config", "energy"));
    if (parsed.flag("--seed")) options.bench.seed = parse_unsigned(parsed.options.at("--seed"), "--seed");
    if (parsed.flag("--json")) options.bench.json_path = parsed.options.at("--json");
    if (parsed.flag("--svg")) options.bench.svg_path = parsed.options.at("--svg");
    if (parsed.flag("--throughput-svg")) options.throughput_svg_path = parsed.options.at("--throughput-svg");
    run_energy_bench(options, out);
    return 0;
}

int run_e2e(const std::vector<std::string>& args, std::ostream& out) {
    const ParsedArgs parsed = parse_args(args, {"--config", "--images", "--json"}, {});
    E2eOptions options;
    options.model_path = single_positional(parsed, "e2e", "MODEL.json");
    options.config = load_config_file(required_option(parsed, "--config", "e2e"));
    if (parsed.flag("--images")) {
        options.images = static_cast<int>(parse_unsigned(parsed.options.at("--images"), "--images"));
    }
    if (parsed.flag("--json")) options.json_path = parsed.options.at("--json");
    run_e2e(options, out);
    return 0;
}

int run_vectors(const std::vector<std::string>& args, std::ostream& out) {
    const ParsedArgs parsed = parse_args(args, {"--gen", "--seed", "--layer", "--max-depth", "-o"}, {});
    if (!parsed.positional.empty()) throw UsageError("'vectors' takes no positional arguments");
    const GeneratorConfig config = load_generated_config(required_option(parsed, "--gen", "vectors"));
    const std::string directory = required_option(parsed, "-o", "vectors");
    if (parsed.flag("--seed") == parsed.flag("--layer")) throw UsageError("'vectors' needs one of --seed or --layer");
    const Stimulus stimulus =
        parsed.flag("--layer")
            ? layer_file_stimulus(config.shape, parsed.options.at("--layer"))
            : random_stimulus(config.shape, parse_unsigned(parsed.options.at("--seed"), "--seed"),
                              parsed.flag("--max-depth")
                                  ? static_cast<int>(parse_unsigned(parsed.options.at("--max-depth"), "--max-depth"))
                                  : 96);
    const FileSet files = vector_files(stimulus);
    write_file_set(files, directory);
    out << fmt::format("fwmac: wrote {} beats of stimulus and {} expected output beats ({}, {} cycles) to {}\n",
                       stimulus.streams.commands.size() + stimulus.streams.weight_planes.size() +
                           stimulus.streams.activations.size() + stimulus.streams.params.size(),
                       stimulus.streams.outputs.size(), stimulus.description, stimulus.cycles.total, directory);
    return 0;
}

int run_synth_verb(const std::vector<std::string>& args, std::ostream& out) {
    const ParsedArgs parsed = parse_args(args, {"--flow", "--device", "--liberty", "--out"}, {});
    SynthOptions options;
    options.directory = single_positional(parsed, "synth", "generated DIR");
    if (parsed.flag("--liberty")) options.liberty_file = parsed.options.at("--liberty");
    options.flows = expand_flows(parsed.flag("--flow") ? parsed.options.at("--flow") : "generic",
                                 options.liberty_file.has_value());
    if (parsed.flag("--device")) options.device = parsed.options.at("--device");
    if (parsed.flag("--out")) options.report_path = parsed.options.at("--out");
    run_synth(options, out);
    return 0;
}

int run_synth_bench_verb(const std::vector<std::string>& args, std::ostream& out) {
    const ParsedArgs parsed = parse_args(args, {"--work", "--jobs", "--json", "--svg"}, {});
    if (parsed.positional.empty()) throw UsageError("'synth-bench' needs at least one CONFIG.json");
    SynthBenchOptions options;
    for (const std::string& path : parsed.positional) options.configs.push_back(load_config_file(path));
    options.work_directory = required_option(parsed, "--work", "synth-bench");
    if (parsed.flag("--jobs")) {
        const std::uint64_t jobs = parse_unsigned(parsed.options.at("--jobs"), "--jobs");
        if (jobs < 1 || jobs > 16) throw UsageError(fmt::format("--jobs = {}: allowed range 1..16", jobs));
        options.jobs = static_cast<int>(jobs);
    }
    if (parsed.flag("--json")) options.json_path = parsed.options.at("--json");
    if (parsed.flag("--svg")) options.svg_path = parsed.options.at("--svg");
    run_synth_bench(options, out);
    return 0;
}

}  // namespace

std::string usage_text() {
    std::string ranges;
    for (std::size_t i = 0; i < kConfigRangeCount; ++i) {
        const FieldRange& range = kConfigRanges[i];
        ranges += fmt::format("  {:30} {:>4}..{:<8} {}\n", range.field, range.low, range.high, range.meaning);
    }
    return fmt::format(
        "fwmac {} - filter-wise variable-precision MAC array generator\n\n"
        "usage:\n"
        "  fwmac generate CONFIG.json -o OUTDIR [--layer LAYER.json]\n"
        "      validate the config, write RTL, filelist, constraints, synthesis scripts, report.json\n"
        "  fwmac schedule LAYER.json --config CONFIG.json [--unsorted] [--json FILE]\n"
        "      sort filters by bit width into row groups; print groups and predicted cycles\n"
        "  fwmac sim LAYER.json --config CONFIG.json\n"
        "      run the golden model on a layer (values and cycles)\n"
        "  fwmac bench --config CONFIG.json [--seed N] [--batch N] [--json F] [--csv F] [--svg F]\n"
        "      ResNet-18 conv layers: cycles vs ideal bound, unsorted and all-Bmax schedules\n"
        "  fwmac energy --config CONFIG.json [--seed N] [--json F] [--svg F] [--throughput-svg F]\n"
        "      datapath energy (pJ/MAC, TOPS/W) and MAC/cycle: bit-serial vs bit-parallel, vs bits\n"
        "  fwmac vectors --gen OUTDIR (--seed N [--max-depth K] | --layer LAYER.json) -o VECDIR\n"
        "      golden stimulus + expected outputs as $readmemh files for tb/tb_fwmac_top.v\n"
        "  fwmac quantize W.npy [W2.npy ...] --pixels P[,P2...] (--budget AVG_BITS | --max-error E)\n"
        "                 [--min-bits 2] [--max-bits 8] [--scale mse|max-abs] [--act-energy X[,X2...]] --out DIR\n"
        "      per-filter bit widths for float weights [F, Cin, kh, kw]: least error within a MAC-weighted\n"
        "      average-bits budget, or the fewest bits reaching a relative error; writes quantized.json + .npy\n"
        "  fwmac e2e MODEL.json --config CONFIG.json [--images N] [--json F]\n"
        "      a trained CNN (examples/digits) in float and quantized uniformly / filter-wise, every conv\n"
        "      layer through the golden array model: accuracy, average bits, array cycles\n"
        "  fwmac synth DIR [--flow generic|ice40|xilinx|xilinx_nodsp|liberty|all[,...]] [--device up5k|hx8k]\n"
        "             [--liberty FILE] [--out FILE]\n"
        "      run the synthesis flows of a generated design (yosys, nextpnr-ice40, OpenSTA); logs in\n"
        "      DIR/synth/, results in DIR/synth/synth_report.json (or FILE) and a table\n"
        "  fwmac synth-bench CONFIG.json... --work DIR [--jobs N] [--json F] [--svg F]\n"
        "      each config in both architectures through yosys: MACs/cycle per LUT, bit-serial vs bit-parallel\n"
        "  fwmac version\n\n"
        "config fields (JSON object; unknown fields are rejected):\n{}"
        "  {:30} bit_serial (default: one weight bit-plane per cycle) | bit_parallel (the\n"
        "  {:30} baseline: whole weights, A x Bmax multipliers, cycles independent of bits)\n",
        kFwmacVersion, ranges, "architecture", "");
}

int run_cli(const std::vector<std::string>& args, std::ostream& out) {
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        out << usage_text();
        return args.empty() ? 2 : 0;
    }
    const std::string& verb = args[0];
    if (verb == "generate") return run_generate(args, out);
    if (verb == "schedule") return run_schedule(args, out);
    if (verb == "sim") return run_sim(args, out);
    if (verb == "bench") return run_bench(args, out);
    if (verb == "vectors") return run_vectors(args, out);
    if (verb == "energy") return run_energy(args, out);
    if (verb == "e2e") return run_e2e(args, out);
    if (verb == "quantize") return run_quantize(args, out);
    if (verb == "synth") return run_synth_verb(args, out);
    if (verb == "synth-bench") return run_synth_bench_verb(args, out);
    if (verb == "version" || verb == "--version") {
        out << "fwmac " << kFwmacVersion << "\n";
        return 0;
    }
    throw UsageError(fmt::format("unknown verb '{}' (try 'fwmac help')", verb));
}

}  // namespace fwmac
