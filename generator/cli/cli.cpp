#include "generator/cli/cli.hpp"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "compiler/layer_file.hpp"
#include "generator/analysis/bench.hpp"
#include "generator/analysis/e2e.hpp"
#include "generator/analysis/energy_bench.hpp"
#include "generator/analysis/layer_report.hpp"
#include "generator/analysis/synth_bench.hpp"
#include "generator/cli/cli_args.hpp"
#include "generator/cli/quantize_cmd.hpp"
#include "generator/common/config.hpp"
#include "generator/common/version.hpp"
#include "generator/design/design.hpp"
#include "generator/design/vectors.hpp"
#include "generator/flows/synth_run.hpp"
#include "golden/array_model.hpp"
#include "golden/performance.hpp"
#include "golden/schedule.hpp"

namespace fwmac {

CLI::Option* add_config_option(CLI::App& verb, std::string& path) {
    return add_path_option(verb, "--config", path, "the array config (JSON; fields: 'fwmac --help')", "CONFIG.json")
        ->required();
}

CLI::Option* add_output_directory(CLI::App& verb, std::string& path, const std::string& type) {
    return add_path_option(verb, "-o,--out", path, "output directory (written all or nothing)", type)->required();
}

CLI::Option* add_seed_option(CLI::App& verb, std::uint64_t& seed, const std::string& what) {
    return verb.add_option("--seed", seed, what)->type_name("N")->check(integer_range(0, kMaxSeed));
}

namespace {


VerbRunner add_generate(CLI::App& app) {
    struct Args {
        std::string config, directory;
        std::optional<std::string> layer;
    };
    auto args = std::make_shared<Args>();
    CLI::App* verb = app.add_subcommand(
        "generate", "Validate the config; write RTL, filelist, constraints, synthesis scripts and report.json");
    add_path_option(*verb, "CONFIG.json", args->config, "the array config (JSON; fields: 'fwmac --help')")->required();
    add_output_directory(*verb, args->directory, "OUTDIR");
    verb->add_option("--layer", args->layer, "also predict this layer's cycles in report.json")
        ->type_name("LAYER.json");
    return [args](std::ostream& out) {
        const GeneratorConfig config = load_config_file(args->config);
        FileSet files = generate_design(config);
        if (args->layer) {
            nlohmann::json report = design_report(config);
            report["workload"] = workload_summary(load_layer_file(*args->layer, config.shape), config.shape);
            files["report.json"] = report.dump(2) + "\n";
        }
        write_file_set(files, args->directory);
        out << fmt::format("fwmac: wrote {} files for '{}' ({}x{}x{}, ACC_W={}) to {}\n", files.size(), config.name,
                           config.shape.rows, config.shape.cols, config.shape.lanes, acc_width(config.shape),
                           args->directory);
        return 0;
    };
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

VerbRunner add_schedule(CLI::App& app) {
    struct Args {
        std::string layer, config;
        bool unsorted = false;
        std::optional<std::string> json;
    };
    auto args = std::make_shared<Args>();
    CLI::App* verb = app.add_subcommand(
        "schedule", "Sort a layer's filters by bit width into row groups; print the groups and predicted cycles");
    add_path_option(*verb, "LAYER.json", args->layer, "the layer file")->required();
    add_config_option(*verb, args->config);
    verb->add_flag("--unsorted", args->unsorted, "keep the filters in layer order, one per row (the baseline)");
    add_path_option(*verb, "--json", args->json,
                    "write the cycle summary and the full schedule (row groups, tiles in issue order) as JSON", "FILE");
    return [args](std::ostream& out) {
        const GeneratorConfig config = load_config_file(args->config);
        const LayerFile file = load_layer_file(args->layer, config.shape);
        const FilterOrder order = args->unsorted ? FilterOrder::original : FilterOrder::by_bits;
        const Schedule schedule =
            make_schedule(file.layer.weight_bits, file.layer.depth, file.layer.pixels, config.shape, order);
        print_schedule(schedule, file.layer, out);
        nlohmann::json summary = workload_summary(file, config.shape);
        const CycleReport cycles = predict_cycles(schedule, file.layer.weight_bits);
        out << fmt::format(
            "predicted cycles {} (ideal bound {:.1f}, ratio {:.3f}); sorted schedule {} cycles, "
            "unsorted {}; all filters at Bmax: {} cycles, speedup of the sorted schedule {:.3f}\n",
            cycles.total, cycles.ideal_bound, static_cast<double>(cycles.total) / cycles.ideal_bound,
            summary["cycles"].get<std::uint64_t>(), summary["unsorted_cycles"].get<std::uint64_t>(),
            summary["all_bmax_cycles"].get<std::uint64_t>(), summary["speedup_vs_all_bmax"].get<double>());
        if (args->json) {
            summary["schedule"] = schedule_json(schedule, file.layer.weight_bits, order);
            summary["schedule"]["predicted_cycles"] = cycles.total;
            write_text(*args->json, summary.dump(2) + "\n");
        }
        return 0;
    };
}

VerbRunner add_sim(CLI::App& app) {
    struct Args {
        std::string layer, config;
        std::optional<std::string> npy, json;
    };
    auto args = std::make_shared<Args>();
    CLI::App* verb = app.add_subcommand("sim", "Run the golden model on a layer (values and cycles)");
    add_path_option(*verb, "LAYER.json", args->layer, "the layer file")->required();
    add_config_option(*verb, args->config);
    add_path_option(*verb, "-o,--out", args->npy,
                    "write the outputs as an int64 .npy [F, out_height, out_width] in the layer's filter order "
                    "([F, P] with pixel_limit)",
                    "Y.npy");
    add_path_option(*verb, "--json", args->json, "write a summary (shape, mode, output range, cycles) as JSON", "FILE");
    return [args](std::ostream& out) {
        const GeneratorConfig config = load_config_file(args->config);
        const LayerFile file = load_layer_file(args->layer, config.shape);
        const Schedule schedule =
            make_schedule(file.layer.weight_bits, file.layer.depth, file.layer.pixels, config.shape);
        const ArrayResult result = run_array_model(file.layer, schedule);
        const bool matches_direct = result.accumulators == direct_accumulators(file.layer);
        const CycleReport cycles = predict_cycles(schedule, file.layer.weight_bits);
        out << fmt::format(
            "golden model of '{}': {} outputs ({} filters x {} pixels), {} accumulators {} the "
            "direct dot product; {} cycles (ideal bound {:.1f})\n",
            file.name, result.outputs.size(), file.layer.filters, file.layer.pixels,
            is_bit_parallel(config.shape) ? "bit-parallel" : "bit-serial", matches_direct ? "equal" : "DIFFER FROM",
            cycles.total, cycles.ideal_bound);
        if (args->npy && args->json && *args->npy == *args->json) {
            throw UsageError(fmt::format("--out and --json both name '{}'", *args->npy));
        }
        FileSet files;
        if (args->npy) files[*args->npy] = npy_bytes(output_array(file, result));
        if (args->json) {
            nlohmann::json summary = sim_summary(file, config.shape, result, matches_direct, cycles);
            if (args->npy) summary["output_file"] = *args->npy;
            files[*args->json] = summary.dump(2) + "\n";
        }
        write_files_atomically(files);
        for (const auto& entry : files) out << fmt::format("fwmac: wrote {}\n", entry.first);
        return matches_direct ? 0 : 1;
    };
}

VerbRunner add_bench(CLI::App& app) {
    struct Args {
        std::string config;
        BenchOptions options;
    };
    auto args = std::make_shared<Args>();
    CLI::App* verb = app.add_subcommand(
        "bench", "ResNet-18 conv layers: cycles against the ideal bound, unsorted and all-Bmax schedules");
    add_config_option(*verb, args->config);
    add_seed_option(*verb, args->options.seed, "seed of the per-filter bit widths");
    verb->add_option("--batch", args->options.batch, "images per layer run (P = batch x output pixels)")
        ->type_name("N")
        ->check(integer_range(1, kMaxBenchBatch));
    add_path_option(*verb, "--json", args->options.json_path, "write the results as JSON", "FILE");
    add_path_option(*verb, "--csv", args->options.csv_path, "write the per-layer table as CSV", "FILE");
    add_path_option(*verb, "--svg", args->options.svg_path, "plot speedup against average bits", "FILE");
    return [args](std::ostream& out) {
        args->options.config = load_config_file(args->config);
        run_resnet18_bench(args->options, out);
        return 0;
    };
}

VerbRunner add_energy(CLI::App& app) {
    struct Args {
        std::string config;
        EnergyBenchOptions options;
    };
    auto args = std::make_shared<Args>();
    CLI::App* verb = app.add_subcommand(
        "energy", "Datapath energy (pJ/MAC, TOPS/W) and MAC/cycle: bit-serial against bit-parallel, against bits");
    add_config_option(*verb, args->config);
    add_seed_option(*verb, args->options.bench.seed, "seed of the per-filter bit widths");
    add_path_option(*verb, "--json", args->options.bench.json_path, "write the results as JSON", "FILE");
    add_path_option(*verb, "--svg", args->options.bench.svg_path, "plot TOPS/W against average bits", "FILE");
    add_path_option(*verb, "--throughput-svg", args->options.throughput_svg_path, "plot MAC/cycle against average bits",
                    "FILE");
    return [args](std::ostream& out) {
        args->options.bench.config = load_config_file(args->config);
        run_energy_bench(args->options, out);
        return 0;
    };
}

VerbRunner add_e2e(CLI::App& app) {
    struct Args {
        std::string config;
        E2eOptions options;
    };
    auto args = std::make_shared<Args>();
    CLI::App* verb = app.add_subcommand(
        "e2e", "A trained CNN in float and quantized uniformly / filter-wise through the golden array model");
    add_path_option(*verb, "MODEL.json", args->options.model_path, "the model manifest (examples/digits/model.json)")
        ->required();
    add_config_option(*verb, args->config);
    verb->add_option("--images", args->options.images, "test images to run (0: all of the model's)")
        ->type_name("N")
        ->check(integer_range(0, 1000000));
    add_path_option(*verb, "--json", args->options.json_path, "write the results as JSON", "FILE");
    return [args](std::ostream& out) {
        args->options.config = load_config_file(args->config);
        run_e2e(args->options, out);
        return 0;
    };
}

VerbRunner add_vectors(CLI::App& app) {
    struct Args {
        std::string generated, directory;
        std::optional<std::uint64_t> seed, max_depth;
        std::optional<std::string> layer;
    };
    auto args = std::make_shared<Args>();
    CLI::App* verb = app.add_subcommand(
        "vectors", "Golden stimulus and expected outputs as $readmemh files for tb/tb_fwmac_top.v (Icarus)");
    add_path_option(*verb, "--gen", args->generated, "a `fwmac generate` output directory", "OUTDIR")->required();
    CLI::Option* seed = verb->add_option("--seed", args->seed, "a random layer from this seed")
                            ->type_name("N")
                            ->check(integer_range(0, kMaxSeed));
    verb->add_option("--layer", args->layer, "or this layer file")->type_name("LAYER.json");
    verb->add_option(
            "--max-depth", args->max_depth,
            fmt::format("largest K of the random layer (default {}; at most k_max of the design)", kDefaultMaxDepth))
        ->type_name("K")
        ->check(integer_range(1, kMaxKMax))
        ->needs(seed);
    add_output_directory(*verb, args->directory, "VECDIR");
    return [args](std::ostream& out) {
        if (args->seed.has_value() == args->layer.has_value()) {
            throw UsageError("'vectors' needs exactly one of --seed N and --layer LAYER.json");
        }
        const GeneratorConfig config = load_generated_config(args->generated);
        const int max_depth = random_max_depth(args->max_depth, config.shape.k_max, args->generated);
        const Stimulus stimulus = args->layer ? layer_file_stimulus(config.shape, *args->layer)
                                              : random_stimulus(config.shape, *args->seed, max_depth);
        const FileSet files = vector_files(stimulus);
        write_file_set(files, args->directory);
        out << fmt::format("fwmac: wrote {} beats of stimulus and {} expected output beats ({}, {} cycles) to {}\n",
                           stimulus.streams.commands.size() + stimulus.streams.weight_planes.size() +
                               stimulus.streams.activations.size() + stimulus.streams.params.size(),
                           stimulus.streams.outputs.size(), stimulus.description, stimulus.cycles.total,
                           args->directory);
        return 0;
    };
}

VerbRunner add_synth(CLI::App& app) {
    struct Args {
        SynthOptions options;
        std::string flows = "generic";
    };
    auto args = std::make_shared<Args>();
    CLI::App* verb = app.add_subcommand(
        "synth", "Run the synthesis flows of a generated design (yosys, nextpnr-ice40, OpenSTA) and tabulate them");
    add_path_option(*verb, "DIR", args->options.directory, "a `fwmac generate` output directory")->required();
    verb->add_option("--flow", args->flows,
                     "generic, hierarchy, ice40, ice40_array, ice40_accel, xilinx, xilinx_nodsp, xilinx_accel, "
                     "liberty or all, comma-separated (default generic; the _accel flows synthesize the accelerator "
                     "shell of a config with a system section)")
        ->type_name("FLOWS");
    verb->add_option("--device", args->options.device, "iCE40 device for place and route: up5k (default) or hx8k")
        ->type_name("DEVICE");
    add_path_option(*verb, "--liberty", args->options.liberty_file, "a Liberty cell library (for the liberty flow)",
                    "FILE");
    add_path_option(*verb, "-o,--out", args->options.report_path, "the report (default DIR/synth/synth_report.json)",
                    "FILE");
    return [args](std::ostream& out) {
        args->options.flows = expand_flows(args->flows, args->options.liberty_file.has_value());
        std::istringstream names(args->flows);
        for (std::string name; std::getline(names, name, ',');) {
            if (name == "all") args->options.accel_flows_optional = true;
        }
        run_synth(args->options, out);
        return 0;
    };
}

VerbRunner add_synth_bench(CLI::App& app) {
    struct Args {
        std::vector<std::string> configs;
        SynthBenchOptions options;
    };
    auto args = std::make_shared<Args>();
    CLI::App* verb = app.add_subcommand(
        "synth-bench",
        "Bit-serial designs and their bit-parallel twins through yosys (hierarchical): MACs/cycle per LUT and per "
        "transistor, serial against parallel");
    add_path_option(*verb, "DESIGNS", args->configs, "bit-serial config files or sweep files (see examples/sweeps)")
        ->required();
    add_path_option(*verb, "--work", args->options.work_directory, "where the designs are generated and synthesized",
                    "DIR")
        ->required();
    verb->add_option("-j,--jobs", args->options.jobs, "synthesis runs in parallel (default 2)")
        ->type_name("N")
        ->check(integer_range(1, 16));
    add_path_option(*verb, "--json", args->options.json_path, "write the results as JSON", "FILE");
    add_path_option(*verb, "--svg", args->options.svg_path, "plot the results", "FILE");
    add_path_option(*verb, "--best-config", args->options.best_config_path,
                    "write the design with the best MACs/cycle per LUT ratio at 4 bits as a config", "FILE");
    verb->add_flag("--fresh", [args](std::int64_t) { args->options.reuse = false; },
                   "synthesize every design again (default: reuse a design whose generated files are unchanged)");
    return [args](std::ostream& out) {
        for (const std::string& path : args->configs) {
            for (const GeneratorConfig& config : load_bench_designs(path)) args->options.configs.push_back(config);
        }
        run_synth_bench(args->options, out);
        return 0;
    };
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
        "usage (fwmac VERB --help: the verb's options, their ranges and defaults):\n"
        "  fwmac generate CONFIG.json -o OUTDIR [--layer LAYER.json]\n"
        "      validate the config, write RTL, filelist, constraints, synthesis scripts, report.json\n"
        "  fwmac schedule LAYER.json --config CONFIG.json [--unsorted] [--json FILE]\n"
        "      sort filters by bit width into row groups; print groups and predicted cycles (--json: the\n"
        "      summary and the full schedule: row groups, tiles in issue order)\n"
        "  fwmac sim LAYER.json --config CONFIG.json [--out Y.npy] [--json FILE]\n"
        "      run the golden model on a layer (values and cycles); the outputs as .npy [F, OH, OW]\n"
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
        "  fwmac synth DIR [--flow generic|ice40|ice40_accel|xilinx|xilinx_accel|...|all[,...]] [--device up5k|hx8k]\n"
        "             [--liberty FILE] [--out FILE]\n"
        "      run the synthesis flows of a generated design (yosys, nextpnr-ice40, OpenSTA); logs in\n"
        "      DIR/synth/, results in DIR/synth/synth_report.json (or FILE) and a table\n"
        "  fwmac synth-bench (CONFIG.json | SWEEP.json)... --work DIR [--jobs N] [--json F] [--svg F]\n"
        "                    [--best-config F]\n"
        "      each config in both architectures through yosys: MACs/cycle per LUT, bit-serial vs bit-parallel\n"
        "  fwmac version\n\n"
        "Options take --opt VALUE or --opt=VALUE. Exit codes: 0 success, 1 an error (bad config, layer\n"
        "or model file, failed check), 2 a usage error (unknown verb or option, a value out of range).\n\n"
        "config fields (JSON object; unknown fields are rejected):\n{}"
        "  {:30} bit_serial (default: one weight bit-plane per cycle) | bit_parallel (the\n"
        "  {:30} baseline: whole weights, A x Bmax multipliers, cycles independent of bits)\n",
        kFwmacVersion, ranges, "architecture", "");
}

int run_cli(const std::vector<std::string>& args, std::ostream& out) {
    if (args.empty()) {
        out << usage_text();
        return 2;
    }
    const std::string& verb = args[0];
    if (verb == "help" || verb == "--help" || verb == "-h") {
        out << usage_text();
        return 0;
    }
    if (verb == "version" || verb == "--version") {
        out << "fwmac " << kFwmacVersion << "\n";
        return 0;
    }
    CLI::App app("fwmac: filter-wise variable-precision MAC array generator", "fwmac");
    app.require_subcommand(1, 1);
    const std::map<std::string, VerbRunner> runners{
        {"generate", add_generate(app)}, {"schedule", add_schedule(app)},
        {"sim", add_sim(app)},           {"bench", add_bench(app)},
        {"energy", add_energy(app)},     {"e2e", add_e2e(app)},
        {"vectors", add_vectors(app)},   {"quantize", add_quantize_verb(app)},
        {"synth", add_synth(app)},       {"synth-bench", add_synth_bench(app)}};
    if (runners.count(verb) == 0) {
        std::string verbs;
        for (const auto& entry : runners) verbs += (verbs.empty() ? "" : ", ") + entry.first;
        throw UsageError(fmt::format("unknown verb '{}' (verbs: {}, version; see 'fwmac --help')", verb, verbs));
    }
    if (!parse_command_line(app, args, out)) return 0;
    return runners.at(verb)(out);
}

}  // namespace fwmac
