#include "generator/cli.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <optional>

#include "generator/config.hpp"
#include "generator/design.hpp"
#include "generator/version.hpp"
#include "golden/array_model.hpp"
#include "golden/schedule.hpp"
#include "golden/workload.hpp"

namespace fwmac {
namespace {

// Positional arguments and --options (each option takes one value, flags none).
struct ParsedArgs {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    bool flag(const std::string& name) const { return options.count(name) != 0; }
};

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

std::string required_option(const ParsedArgs& parsed, const std::string& name, const std::string& verb) {
    auto found = parsed.options.find(name);
    if (found == parsed.options.end()) throw UsageError(fmt::format("'{}' needs {}", verb, name));
    return found->second;
}

std::string single_positional(const ParsedArgs& parsed, const std::string& verb, const std::string& what) {
    if (parsed.positional.size() != 1) throw UsageError(fmt::format("'{}' takes exactly one {}", verb, what));
    return parsed.positional.front();
}

nlohmann::json workload_json(const LayerFile& file, const Schedule& schedule, const CycleReport& cycles,
                             const CycleReport& uniform_cycles) {
    double bit_sum = 0;
    for (int bits : file.layer.weight_bits) bit_sum += bits;
    return nlohmann::json{
        {"layer", file.name},
        {"filters", file.layer.filters},
        {"depth", file.layer.depth},
        {"pixels", file.layer.pixels},
        {"average_weight_bits", bit_sum / file.layer.filters},
        {"tiles", schedule.tiles.size()},
        {"predicted_cycles", cycles.total},
        {"issue_cycles", cycles.issue},
        {"drain_stall_cycles", cycles.drain_stall},
        {"fixed_overhead_cycles", cycles.fixed_overhead},
        {"ideal_bound_cycles", cycles.ideal_bound},
        {"cycles_over_ideal", static_cast<double>(cycles.total) / cycles.ideal_bound},
        {"all_bmax_cycles", uniform_cycles.total},
        {"speedup_vs_all_bmax", static_cast<double>(uniform_cycles.total) / static_cast<double>(cycles.total)},
    };
}

// The layer's schedule and cycle figures, also for all filters at Bmax.
nlohmann::json analyse_workload(const LayerFile& file, const ArrayShape& shape, FilterOrder order) {
    const GemmLayer& layer = file.layer;
    const Schedule schedule = make_schedule(layer.weight_bits, layer.depth, layer.pixels, shape, order);
    const std::vector<int> all_bmax(layer.weight_bits.size(), shape.max_weight_bits);
    const Schedule uniform = make_schedule(all_bmax, layer.depth, layer.pixels, shape, order);
    return workload_json(file, schedule, predict_cycles(schedule, layer.weight_bits),
                         predict_cycles(uniform, all_bmax));
}

int run_generate(const std::vector<std::string>& args, std::ostream& out) {
    const ParsedArgs parsed = parse_args(args, {"-o", "--layer"}, {});
    const GeneratorConfig config = load_config_file(single_positional(parsed, "generate", "CONFIG.json"));
    const std::string directory = required_option(parsed, "-o", "generate");
    FileSet files = generate_design(config);
    if (parsed.flag("--layer")) {
        nlohmann::json report = design_report(config);
        report["workload"] =
            analyse_workload(load_layer_file(parsed.options.at("--layer"), config.shape), config.shape,
                             FilterOrder::by_bits);
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
        for (int filter : group.filters) {
            filters += fmt::format("{}{}:{}b", filters.empty() ? "" : " ", filter, layer.weight_bits[filter]);
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
    const nlohmann::json summary = analyse_workload(file, config.shape, order);
    out << fmt::format("predicted cycles {} (ideal bound {:.1f}, ratio {:.3f}); all filters at Bmax: {} "
                       "cycles, speedup {:.3f}\n",
                       summary["predicted_cycles"].get<std::uint64_t>(), summary["ideal_bound_cycles"].get<double>(),
                       summary["cycles_over_ideal"].get<double>(), summary["all_bmax_cycles"].get<std::uint64_t>(),
                       summary["speedup_vs_all_bmax"].get<double>());
    if (parsed.flag("--json")) {
        std::ofstream json_file(parsed.options.at("--json"));
        json_file << summary.dump(2) << "\n";
        if (!json_file.flush()) {
            throw std::runtime_error(fmt::format("cannot write '{}'", parsed.options.at("--json")));
        }
    }
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
    out << fmt::format("golden model of '{}': {} outputs, bit-serial accumulators {} the direct dot product; "
                       "{} cycles (ideal bound {:.1f})\n",
                       file.name, result.outputs.size(), matches_direct ? "equal" : "DIFFER FROM", cycles.total,
                       cycles.ideal_bound);
    return matches_direct ? 0 : 1;
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
        "      validate the config, write RTL, filelist, constraints, synth script, report.json\n"
        "  fwmac schedule LAYER.json --config CONFIG.json [--unsorted] [--json FILE]\n"
        "      sort filters by bit width into row groups; print groups and predicted cycles\n"
        "  fwmac sim LAYER.json --config CONFIG.json\n"
        "      run the golden model on a layer (values and cycles)\n"
        "  fwmac version\n\n"
        "config fields (JSON object; unknown fields are rejected):\n{}",
        kFwmacVersion, ranges);
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
    if (verb == "version" || verb == "--version") {
        out << "fwmac " << kFwmacVersion << "\n";
        return 0;
    }
    throw UsageError(fmt::format("unknown verb '{}' (try 'fwmac help')", verb));
}

}  // namespace fwmac
