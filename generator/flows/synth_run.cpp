#include "generator/flows/synth_run.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "generator/common/errors.hpp"
#include "generator/common/file_output.hpp"
#include "generator/flows/synth_parse.hpp"
#include "generator/common/version.hpp"

namespace fwmac {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kAllFlows = {"generic", "hierarchy",    "ice40",        "ice40_array", "ice40_accel",
                                            "xilinx",  "xilinx_nodsp", "xilinx_accel", "liberty"};

// The flows of the accelerator shell `<name>_accel` (a design with a "system" section).
bool is_accel_flow(const std::string& flow) { return flow == "ice40_accel" || flow == "xilinx_accel"; }

// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

// One child process: `program args...` run in the design directory, stdout and stderr
// into `log` (relative to the design directory).
struct Step {
    std::string program;
    std::vector<std::string> args;
    std::string log;
    std::vector<std::string> outputs;  // files it writes; stale copies are removed first
};

struct StepResult {
    bool succeeded = false;
    std::string status;  // "exit code 1", "killed by signal 9"
    double seconds = 0;
};

bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream directories(path ? path : "");
    for (std::string directory; std::getline(directories, directory, ':');) {
        if (directory.empty()) directory = ".";
        if (::access((fs::path(directory) / program).c_str(), X_OK) == 0) return true;
    }
    return false;
}

std::string read_text(const fs::path& path) {
    std::ifstream stream(path, std::ios::binary);
    if (!stream) throw SynthError(fmt::format("cannot read '{}'", path.string()));
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

StepResult run_step(const fs::path& directory, const Step& step) {
    for (const std::string& output : step.outputs) {
        std::error_code ignored;
        fs::remove(directory / output, ignored);
    }
    const fs::path log_path = directory / step.log;
    const FileDescriptor log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (log.get() < 0) throw SynthError(fmt::format("cannot write log file '{}'", log_path.string()));
    std::vector<std::string> words{step.program};
    words.insert(words.end(), step.args.begin(), step.args.end());
    std::vector<char*> argv;
    for (std::string& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    const std::string working_directory = directory.string();

    const auto start = std::chrono::steady_clock::now();
    const pid_t child = ::fork();
    if (child < 0) throw SynthError(fmt::format("cannot start {}: fork failed", step.program));
    if (child == 0) {
        // Only async-signal-safe calls between fork and exec.
        const int null_input = ::open("/dev/null", O_RDONLY);
        if (::chdir(working_directory.c_str()) != 0 || null_input < 0 || ::dup2(null_input, 0) < 0 ||
            ::dup2(log.get(), 1) < 0 || ::dup2(log.get(), 2) < 0) {
            ::_exit(126);
        }
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) throw SynthError(fmt::format("lost track of {} (waitpid failed)", step.program));
    }
    StepResult result;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (WIFEXITED(status)) {
        result.succeeded = WEXITSTATUS(status) == 0;
        result.status = fmt::format("exit code {}", WEXITSTATUS(status));
        if (WEXITSTATUS(status) == 127) result.status += " (could not be started)";
    } else {
        result.status = fmt::format("killed by signal {}", WTERMSIG(status));
    }
    return result;
}

// The last line of the log that starts with `marker` ("ERROR:"), or "".
std::string last_line_with(const fs::path& log, const std::string& marker) {
    std::ifstream stream(log);
    std::string found;
    for (std::string line; std::getline(stream, line);) {
        if (line.rfind(marker, 0) == 0) found = line;
    }
    return found;
}

SynthError step_failure(const fs::path& directory, const std::string& flow, const Step& step,
                        const std::string& status, const std::string& detail) {
    return SynthError(fmt::format("{} flow: {} failed ({}); see {}{}", flow, step.program, status,
                                  (directory / step.log).string(), detail.empty() ? "" : ": " + detail));
}

// Runs a step that must succeed; yosys' last ERROR line goes into the message.
double run_required(const fs::path& directory, const std::string& flow, const Step& step) {
    const StepResult result = run_step(directory, step);
    if (!result.succeeded) {
        throw step_failure(directory, flow, step, result.status, last_line_with(directory / step.log, "ERROR:"));
    }
    return result.seconds;
}

std::string first_line_of_output(const fs::path& directory, const std::string& program,
                                 const std::vector<std::string>& args) {
    const Step step{program, args, fmt::format("synth/.{}-version.log", program), {}};
    const StepResult result = run_step(directory, step);
    std::istringstream text(read_text(directory / step.log));
    std::error_code ignored;
    fs::remove(directory / step.log, ignored);
    std::string line;
    while (std::getline(text, line)) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) break;
    }
    return result.succeeded ? line : "unknown (" + result.status + ")";
}

nlohmann::json summary_json(const CellSummary& summary, const CellCounts& cells,
                            const std::vector<std::string>& kept_modules = {}) {
    nlohmann::json by_type = nlohmann::json::object();
    for (const auto& [type, count] : cells) {
        if (std::find(kept_modules.begin(), kept_modules.end(), type) == kept_modules.end()) by_type[type] = count;
    }
    return nlohmann::json{{"cells", summary.cells},  {"luts", summary.luts}, {"flops", summary.flops},
                          {"carries", summary.carries}, {"dsps", summary.dsps}, {"rams", summary.rams},
                          {"other", summary.other},  {"cells_by_type", by_type}};
}

// A finished yosys run and the cells its `stat -json` file lists per module.
struct YosysRun {
    std::string log;
    double seconds = 0;
    fs::path stat_file;
    std::map<std::string, CellCounts> modules;

    const CellCounts& cells(const std::string& module) const {
        const auto found = modules.find(module);
        if (found == modules.end()) {
            throw SynthError(fmt::format("{} lists no module '{}'", stat_file.string(), module));
        }
        return found->second;
    }
};

// Runs `yosys -s SCRIPT` (which writes STAT_JSON and `outputs`) and reads STAT_JSON.
YosysRun run_yosys(const fs::path& directory, const std::string& flow, const std::string& script,
                   const std::string& log, const std::string& stat_json, std::vector<std::string> outputs) {
    outputs.push_back(stat_json);
    YosysRun run;
    run.log = log;
    run.seconds = run_required(directory, flow, Step{"yosys", {"-s", script}, log, outputs});
    run.stat_file = directory / stat_json;
    try {
        run.modules = parse_stat_json(read_text(run.stat_file));
    } catch (const std::runtime_error& error) {
        throw SynthError(fmt::format("{}: {}", run.stat_file.string(), error.what()));
    }
    return run;
}

// Everything a flow needs to know about the run.
struct FlowContext {
    fs::path directory;
    const SynthOptions& options;
    const nlohmann::json& design;  // report.json of the generated design
    // the design's module names carry its config name as prefix ("fwmac_" by default)
    std::string prefix() const { return design.value("module_prefix", std::string("fwmac_")); }
    std::string top() const { return prefix() + "top"; }
};

// memory_libmap's choices in a yosys log: "ram_cells": [{memory, cell}] for the memories
// mapped to a RAM cell (block or distributed RAM), "flops": [memory] for those left to
// flops and multiplexers.
nlohmann::json memory_json(const fs::path& log) {
    nlohmann::json memories{{"ram_cells", nlohmann::json::array()}, {"flops", nlohmann::json::array()}};
    for (const MemoryMapping& memory : parse_memory_mapping(read_text(log))) {
        if (memory.cell.empty()) {
            memories["flops"].push_back(memory.memory);
        } else {
            memories["ram_cells"].push_back({{"memory", memory.memory}, {"cell", memory.cell}});
        }
    }
    return memories;
}

nlohmann::json run_generic(const FlowContext& context) {
    const YosysRun yosys = run_yosys(context.directory, "generic", "synth/synth_generic.ys", "synth/generic.log",
                                     "synth/generic_stat.json", {"synth/generic_cmos.txt", "synth/synth_generic.stat"});
    const CellCounts& cells = yosys.cells(context.top());
    const CellSummary summary = summarize_cells(cells, CellLibrary::generic);
    TransistorEstimate transistors;
    try {
        transistors = parse_transistor_estimate(read_text(context.directory / "synth/generic_cmos.txt"));
    } catch (const std::runtime_error& error) {
        throw SynthError(fmt::format("synth/generic_cmos.txt: {}", error.what()));
    }
    nlohmann::json result = summary_json(summary, cells);
    result["scope"] = context.top() + " (the core alone), flattened";
    result["cmos_transistors"] = transistors.transistors;
    result["cmos_transistors_complete"] = transistors.complete;
    result["logs"] = {yosys.log};
    result["seconds"] = yosys.seconds;
    return result;
}

// One file of the hierarchy flow, parsed.
std::map<std::string, ModuleStat> hierarchy_stat(const fs::path& file) {
    try {
        return parse_hierarchy_stat_json(read_text(file));
    } catch (const std::exception& error) {
        throw SynthError(fmt::format("{}: {}", file.string(), error.what()));
    }
}

nlohmann::json run_hierarchy(const FlowContext& context) {
    const std::string xilinx_stat = "synth/hierarchy_xilinx_stat.json";
    const std::string generic_stat = "synth/hierarchy_generic_stat.json";
    const Step yosys{"yosys", {"-s", "synth/synth_hierarchy.ys"}, "synth/hierarchy.log", {xilinx_stat, generic_stat}};
    const double seconds = run_required(context.directory, "hierarchy", yosys);
    const auto xilinx = hierarchy_stat(context.directory / xilinx_stat);
    const auto generic = hierarchy_stat(context.directory / generic_stat);
    std::map<std::string, std::int64_t> instances;
    try {
        instances = instance_counts(xilinx, context.top());
        if (instance_counts(generic, context.top()) != instances) {
            throw std::runtime_error("the Xilinx and generic netlists have different hierarchies");
        }
    } catch (const std::runtime_error& error) {
        throw SynthError(fmt::format("hierarchy flow: {}", error.what()));
    }
    std::vector<std::string> submodules;
    for (const auto& [name, count] : instances) submodules.push_back(name);
    CellSummary total;
    std::int64_t transistors = 0;
    bool complete = true;
    nlohmann::json modules = nlohmann::json::array();
    for (const auto& [name, count] : instances) {
        const CellSummary own = summarize_cells(xilinx.at(name).cells, CellLibrary::xilinx, submodules);
        const CellSummary gates = summarize_cells(generic.at(name).cells, CellLibrary::generic, submodules);
        const ModuleStat& cmos = generic.at(name);
        total.cells += count * own.cells;
        total.luts += count * own.luts;
        total.flops += count * own.flops;
        total.carries += count * own.carries;
        total.dsps += count * own.dsps;
        total.rams += count * own.rams;
        total.other += count * own.other;
        transistors += count * cmos.own_transistors;
        complete = complete && cmos.transistors_complete;
        modules.push_back({{"module", base_module_name(name)},
                           {"netlist_name", name},
                           {"instances", count},
                           {"xilinx_nodsp", summary_json(own, xilinx.at(name).cells, submodules)},
                           {"generic_cells", gates.cells},
                           {"generic_flops", gates.flops},
                           {"cmos_transistors", cmos.own_transistors},
                           {"cmos_transistors_complete", cmos.transistors_complete}});
    }
    nlohmann::json result = summary_json(total, {});
    result.erase("cells_by_type");
    result["scope"] = context.top() + " and every module below it, each synthesized once with its hierarchy kept; "
                      "totals = sum of the modules' own counts x their instances";
    result["family"] = "xc7";
    result["dsp_inference"] = false;
    result["cmos_transistors"] = transistors;
    result["cmos_transistors_complete"] = complete;
    result["modules"] = modules;
    result["logs"] = {yosys.log};
    result["seconds"] = seconds;
    return result;
}

// `variant` xilinx, xilinx_nodsp: the core; xilinx_accel: the accelerator shell (DSP
// inference on), with where each memory went.
nlohmann::json run_xilinx(const FlowContext& context, const std::string& variant) {
    const YosysRun yosys =
        run_yosys(context.directory, variant, fmt::format("synth/synth_{}.ys", variant),
                  fmt::format("synth/{}.log", variant), fmt::format("synth/{}_stat.json", variant),
                  {fmt::format("synth/synth_{}.stat", variant)});
    const bool accel = variant == "xilinx_accel";
    const std::string module = context.prefix() + (accel ? "accel" : "top");
    const CellCounts& cells = yosys.cells(module);
    nlohmann::json result = summary_json(summarize_cells(cells, CellLibrary::xilinx), cells);
    result["scope"] = module +
                      (accel ? " (the accelerator shell: core, buffers, loader, packer, CSRs)" : " (the core alone)") +
                      ", flattened, out of context (no I/O or clock buffers)";
    result["family"] = "xc7";
    result["dsp_inference"] = variant != "xilinx_nodsp";
    if (accel) result["memories"] = memory_json(context.directory / yosys.log);
    result["logs"] = {yosys.log};
    result["seconds"] = yosys.seconds;
    return result;
}

// `flow` ice40: the core (fwmac_top) in its pin wrapper; ice40_array: the PE array alone
// (fwmac_array; on a 1x1 design one PE), for the PE's own Fmax; ice40_accel: the
// accelerator shell (fwmac_accel), with where each memory went.
nlohmann::json run_ice40(const FlowContext& context, const std::string& flow) {
    const std::string& device = context.options.device;
    const bool array = flow == "ice40_array";
    const bool accel = flow == "ice40_accel";
    const std::string core_module = context.prefix() + (array ? "array" : accel ? "accel" : "top");
    const std::string wrapper_module =
        context.prefix() + (array ? "array_wrapper" : accel ? "accel_wrapper" : "synth_wrapper");
    const YosysRun yosys =
        run_yosys(context.directory, flow, fmt::format("synth/synth_{}.ys", flow), fmt::format("synth/{}_yosys.log", flow),
                  fmt::format("synth/{}_stat.json", flow),
                  {fmt::format("synth/{}.json", flow), fmt::format("synth/synth_{}.stat", flow)});
    double seconds = yosys.seconds;
    const CellCounts& core = yosys.cells(core_module);
    const CellCounts& wrapper = yosys.cells(wrapper_module);
    CellCounts total = core;
    for (const auto& [type, count] : wrapper) {
        if (type != core_module) total[type] += count;
    }
    const std::vector<std::string> kept{core_module};

    const Step pnr{"sh",
                   {"synth/pnr_ice40.sh", device, flow},
                   fmt::format("synth/{}_{}_nextpnr.log", flow, device),
                   {fmt::format("synth/{}_{}.asc", flow, device)}};
    const StepResult placed = run_step(context.directory, pnr);
    seconds += placed.seconds;
    NextpnrLog log = parse_nextpnr_log(read_text(context.directory / pnr.log));
    const bool fits = placed.succeeded || !log.does_not_fit();
    if (!placed.succeeded && fits) {
        throw step_failure(context.directory, flow, Step{"nextpnr-ice40", {}, pnr.log, {}}, placed.status,
                           log.errors.empty() ? "" : "ERROR: " + log.errors.back());
    }
    if (placed.succeeded && !log.clock) {
        throw SynthError(fmt::format("{} flow: {} has no 'Max frequency for clock' line", flow,
                                     (context.directory / pnr.log).string()));
    }
    nlohmann::json result{
        {"scope",
         fmt::format("core = module {0} (kept as its own module during synthesis{1}); wrapper = the pin wrapper "
                     "synth/{2}.v (scan and signature registers); place and route of both",
                     core_module,
                     array   ? "; the PE array alone, without control, drain and requantizers"
                     : accel ? "; the accelerator shell: core, buffers, loader, packer, CSRs"
                             : "",
                     wrapper_module)},
        {"device", device},
        {"package", device == "up5k" ? "sg48" : "ct256"},
        {"core", summary_json(summarize_cells(core, CellLibrary::ice40), core)},
        {"wrapper", summary_json(summarize_cells(wrapper, CellLibrary::ice40, kept), wrapper, kept)},
        {"total", summary_json(summarize_cells(total, CellLibrary::ice40), total)},
        {"fits", fits},
        {"utilisation", nlohmann::json::object()},
        {"logs", {yosys.log, pnr.log}},
        {"seconds", seconds},
    };
    for (const auto& [bel, use] : log.utilisation) {
        result["utilisation"][bel] = {{"used", use.used}, {"available", use.available}};
    }
    if (accel) result["memories"] = memory_json(context.directory / yosys.log);
    if (!fits) {
        result["nextpnr_error"] = log.errors.empty() ? placed.status : log.errors.back();
    } else {
        result["clock"] = *log.clock;
        result["fmax_mhz"] = log.fmax_mhz;
        result["target_mhz"] = log.target_mhz;
        result["timing_met"] = log.timing_met;
        result["critical_path"] = {{"from", log.critical_path_from},
                                   {"to", log.critical_path_to},
                                   {"logic_ns", log.critical_logic_ns},
                                   {"routing_ns", log.critical_routing_ns}};
    }
    return result;
}

void link_liberty(const fs::path& directory, const std::string& liberty_file) {
    const fs::path library = fs::absolute(liberty_file);
    if (!fs::is_regular_file(library)) {
        throw SynthError(fmt::format("liberty flow: liberty file '{}' not found", liberty_file));
    }
    const fs::path link = directory / "synth/liberty.lib";
    std::error_code ignored;
    fs::remove(link, ignored);
    fs::create_symlink(library, link);
}

nlohmann::json run_liberty(const FlowContext& context) {
    link_liberty(context.directory, *context.options.liberty_file);
    const YosysRun yosys = run_yosys(context.directory, "liberty", "synth/synth_liberty.ys", "synth/liberty_yosys.log",
                                     "synth/liberty_stat.json", {"synth/liberty_stat.txt", "synth/liberty_netlist.v"});
    double seconds = yosys.seconds;
    const CellCounts& cells = yosys.cells(context.top());
    std::vector<std::string> flop_cells;
    for (const auto& [cell, count] : parse_dfflibmap_log(read_text(context.directory / yosys.log))) {
        flop_cells.push_back(cell);
    }
    double area = 0;
    try {
        area = parse_chip_area(read_text(context.directory / "synth/liberty_stat.txt"));
    } catch (const std::runtime_error& error) {
        throw SynthError(fmt::format("synth/liberty_stat.txt: {}", error.what()));
    }

    const Step sta{"sta", {"-no_splash", "-exit", "synth/sta_liberty.tcl"}, "synth/liberty_sta.log", {}};
    const StepResult timed = run_step(context.directory, sta);
    seconds += timed.seconds;
    const StaLog log = parse_sta_log(read_text(context.directory / sta.log));
    if (!timed.succeeded || !log.errors.empty() || !log.worst_slack_ns || log.paths.empty()) {
        throw step_failure(context.directory, "liberty", sta, timed.succeeded ? "exit code 0" : timed.status,
                           !log.errors.empty() ? "Error: " + log.errors.front() : "no 'worst slack' line or path");
    }
    auto path_json = [](const StaPath& path) {
        return nlohmann::json{{"startpoint", path.startpoint}, {"endpoint", path.endpoint},
                              {"slack_ns", path.slack_ns ? nlohmann::json(*path.slack_ns) : nlohmann::json()}};
    };
    nlohmann::json result = summary_json(summarize_cells(cells, CellLibrary::liberty, {}, flop_cells), cells);
    result["scope"] = context.top() + " (the core alone), flattened";
    result["library"] = fs::absolute(*context.options.liberty_file).string();
    result["area"] = area;
    result["area_unit"] = "the library's area unit (um^2 in most libraries)";
    result["sta"] = {{"period_ns", 1000.0 / context.design.at("config").at("clock_mhz").get<double>()},
                     {"worst_slack_ns", *log.worst_slack_ns},
                     {"total_negative_slack_ns", log.total_negative_slack_ns.value_or(0.0)},
                     {"worst_path", path_json(log.paths.front())},
                     {"warnings", log.warnings}};
    if (log.paths.size() > 1) result["sta"]["register_to_register_path"] = path_json(log.paths[1]);
    result["logs"] = {yosys.log, sta.log};
    result["seconds"] = seconds;
    return result;
}

struct FlowTools {
    const char* flow;
    std::vector<const char*> tools;
};

void check_tools(const std::vector<std::string>& flows) {
    const std::vector<FlowTools> needs{{"generic", {"yosys"}},
                                       {"hierarchy", {"yosys"}},
                                       {"ice40", {"yosys", "sh", "nextpnr-ice40"}},
                                       {"ice40_array", {"yosys", "sh", "nextpnr-ice40"}},
                                       {"ice40_accel", {"yosys", "sh", "nextpnr-ice40"}},
                                       {"xilinx", {"yosys"}},
                                       {"xilinx_nodsp", {"yosys"}},
                                       {"xilinx_accel", {"yosys"}},
                                       {"liberty", {"yosys", "sta"}}};
    for (const std::string& flow : flows) {
        for (const FlowTools& entry : needs) {
            if (flow != entry.flow) continue;
            for (const char* tool : entry.tools) {
                if (!on_path(tool)) {
                    throw SynthError(fmt::format("{} flow: '{}' not found on PATH (make deps installs it)", flow, tool));
                }
            }
        }
    }
}

nlohmann::json tool_versions(const fs::path& directory, const std::vector<std::string>& flows) {
    auto uses = [&flows](const char* flow) { return std::find(flows.begin(), flows.end(), flow) != flows.end(); };
    nlohmann::json versions = nlohmann::json::object();
    versions["yosys"] = first_line_of_output(directory, "yosys", {"-V"});
    if (uses("ice40") || uses("ice40_array") || uses("ice40_accel")) {
        versions["nextpnr-ice40"] = first_line_of_output(directory, "nextpnr-ice40", {"--version"});
    }
    if (uses("liberty")) versions["sta"] = first_line_of_output(directory, "sta", {"-version"});
    return versions;
}

std::string count_text(const nlohmann::json& summary, const char* key) {
    const std::int64_t count = summary.at(key).get<std::int64_t>();
    return count == 0 ? "-" : fmt::format("{}", count);
}

}  // namespace

std::vector<std::string> expand_flows(const std::string& list, bool have_liberty_file) {
    std::vector<std::string> requested;
    std::istringstream names(list);
    for (std::string name; std::getline(names, name, ',');) {
        if (name == "all") {
            for (const std::string& flow : kAllFlows) {
                if (flow != "liberty" || have_liberty_file) requested.push_back(flow);
            }
            continue;
        }
        if (std::find(kAllFlows.begin(), kAllFlows.end(), name) == kAllFlows.end()) {
            throw UsageError(fmt::format(
                "--flow: unknown flow '{}' (allowed: generic, hierarchy, ice40, ice40_array, ice40_accel, xilinx, "
                "xilinx_nodsp, xilinx_accel, liberty, all; comma-separated)",
                name));
        }
        if (name == "liberty" && !have_liberty_file) {
            throw UsageError(
                "--flow liberty needs --liberty FILE (a standard-cell liberty library; Debian's qflow package "
                "ships none)");
        }
        requested.push_back(name);
    }
    if (requested.empty()) throw UsageError("--flow: no flow given");
    std::vector<std::string> ordered;
    for (const std::string& flow : kAllFlows) {
        if (std::find(requested.begin(), requested.end(), flow) != requested.end()) ordered.push_back(flow);
    }
    return ordered;
}

namespace {

nlohmann::json synthesize(const SynthOptions& options, std::ostream& out) {
    const fs::path directory = fs::absolute(options.directory).lexically_normal();
    const fs::path design_report = directory / "report.json";
    if (!fs::is_regular_file(design_report)) {
        throw SynthError(fmt::format("'{}' has no report.json: not a `fwmac generate` output directory",
                                     options.directory));
    }
    if (!fs::is_regular_file(directory / "synth/synth_ice40.ys")) {
        throw SynthError(fmt::format("'{}' has no synth/synth_ice40.ys: generated by an older fwmac, regenerate it",
                                     options.directory));
    }
    if (options.device != "up5k" && options.device != "hx8k") {
        throw UsageError(fmt::format("--device: '{}' is not up5k or hx8k", options.device));
    }
    nlohmann::json design;
    try {
        design = nlohmann::json::parse(read_text(design_report));
        design.at("config").at("clock_mhz").get<double>();
    } catch (const nlohmann::json::exception& error) {
        throw SynthError(fmt::format("'{}': not a fwmac report: {}", design_report.string(), error.what()));
    }
    // The shell's flows need its scripts (a config with a "system" section); `all` leaves
    // them out of a design without the shell.
    const bool has_shell = fs::is_regular_file(directory / "synth/synth_ice40_accel.ys");
    std::vector<std::string> flows;
    for (const std::string& flow : options.flows) {
        if (!is_accel_flow(flow) || has_shell) {
            flows.push_back(flow);
        } else if (!options.accel_flows_optional) {
            throw SynthError(fmt::format("{} flow: '{}' has no synth/synth_{}.ys: the design has no accelerator shell "
                                         "(its config has no \"system\" section, or it was generated by an older fwmac)",
                                         flow, options.directory, flow));
        }
    }
    check_tools(flows);

    const FlowContext context{directory, options, design};
    nlohmann::json report{
        {"tool", "fwmac synth"},
        {"version", kFwmacVersion},
        {"design",
         {{"directory", directory.string()},
          {"config_hash", design.value("config_hash", "")},
          {"config", design.at("config")}}},
        {"tools", tool_versions(directory, flows)},
        {"flows", nlohmann::json::object()},
    };
    if (std::find(options.flows.begin(), options.flows.end(), "liberty") == options.flows.end() &&
        !options.liberty_file) {
        report["liberty_not_run"] = "no --liberty FILE given (Debian's qflow package ships no standard-cell library)";
    }
    for (const std::string& flow : flows) {
        out << fmt::format("fwmac synth: running the {} flow ...\n", flow) << std::flush;
        nlohmann::json result;
        if (flow == "generic") result = run_generic(context);
        if (flow == "hierarchy") result = run_hierarchy(context);
        if (flow == "ice40" || flow == "ice40_array" || flow == "ice40_accel") result = run_ice40(context, flow);
        if (flow == "xilinx" || flow == "xilinx_nodsp" || flow == "xilinx_accel") result = run_xilinx(context, flow);
        if (flow == "liberty") result = run_liberty(context);
        report["flows"][flow] = result;
    }
    const std::string report_path =
        options.report_path ? *options.report_path : (directory / "synth/synth_report.json").string();
    write_file_atomically(report_path, report.dump(2) + "\n");
    out << synth_table(report) << fmt::format("fwmac synth: wrote {}\n", report_path);
    return report;
}

}  // namespace

nlohmann::json run_synth(const SynthOptions& options, std::ostream& out) {
    // The tools' logs, netlists and reports join the generated files in the directory's
    // marker, whether the flows succeed or not, so that regenerating it knows them as fwmac's.
    const std::set<std::string> before = files_below(options.directory);
    auto record_new_files = [&] {
        std::set<std::string> added;
        for (const std::string& file : files_below(options.directory)) {
            if (!before.count(file)) added.insert(file);
        }
        record_written_files(options.directory, added);
    };
    nlohmann::json report;
    try {
        report = synthesize(options, out);
    } catch (...) {
        try {
            record_new_files();
        } catch (const std::exception&) {  // the flow's own error is the one to report
        }
        throw;
    }
    record_new_files();
    return report;
}

std::string synth_table(const nlohmann::json& report) {
    using Row = std::array<std::string, 8>;
    std::vector<Row> rows{{"flow", "scope", "LUT/gates", "FF", "CARRY", "DSP", "result", "time"}};
    auto counts = [](const nlohmann::json& summary) {
        return std::array<std::string, 4>{count_text(summary, "luts"), count_text(summary, "flops"),
                                          count_text(summary, "carries"), count_text(summary, "dsps")};
    };
    auto add = [&rows, &counts](const std::string& flow, const std::string& scope, const nlohmann::json& summary,
                                const std::string& result, const std::string& time) {
        const auto columns = counts(summary);
        rows.push_back(Row{flow, scope, columns[0], columns[1], columns[2], columns[3], result, time});
    };
    const nlohmann::json& flows = report.at("flows");
    for (const auto& [flow, result] : flows.items()) {
        const std::string time = fmt::format("{:.0f} s", result.at("seconds").get<double>());
        if (flow == "generic") {
            add(flow, "core", result,
                fmt::format("{} cells, {}{} transistors (CMOS est.)", result.at("cells").get<std::int64_t>(),
                            result.at("cmos_transistors").get<std::int64_t>(),
                            result.at("cmos_transistors_complete").get<bool>() ? "" : "+"),
                time);
        } else if (flow == "ice40" || flow == "ice40_array" || flow == "ice40_accel") {
            const std::string device = result.at("device");
            add(flow + " " + device, flow == "ice40_accel" ? "shell" : "core", result.at("core"), "", "");
            add(flow + " " + device, "wrapper", result.at("wrapper"), "", "");
            std::string outcome;
            const nlohmann::json& utilisation = result.at("utilisation");
            const std::string cells =
                utilisation.contains("ICESTORM_LC")
                    ? fmt::format("{}/{} LC", utilisation["ICESTORM_LC"]["used"].get<std::int64_t>(),
                                  utilisation["ICESTORM_LC"]["available"].get<std::int64_t>())
                    : std::string("LC count unknown");
            const std::int64_t rams = result.at("total").at("rams").get<std::int64_t>();
            const std::string brams = rams == 0 ? "" : fmt::format(", {} SB_RAM40_4K", rams);
            if (result.at("fits").get<bool>()) {
                outcome = fmt::format("{}{}, Fmax {:.2f} MHz ({} {} MHz target)", cells, brams,
                                      result.at("fmax_mhz").get<double>(),
                                      result.at("timing_met").get<bool>() ? "meets" : "misses",
                                      result.at("target_mhz").get<double>());
            } else {
                outcome = fmt::format("does not fit the {}: {}{}", device, cells, brams);
            }
            add(flow + " " + device, "total", result.at("total"), outcome, time);
        } else if (flow == "hierarchy") {
            for (const nlohmann::json& module : result.at("modules")) {
                add(flow, fmt::format("{} x{}", module.at("module").get<std::string>(),
                                      module.at("instances").get<std::int64_t>()),
                    module.at("xilinx_nodsp"),
                    fmt::format("{} transistors each (CMOS est.)", module.at("cmos_transistors").get<std::int64_t>()), "");
            }
            add(flow, "core", result,
                fmt::format("{}{} transistors (CMOS est.), xc7 -nodsp", result.at("cmos_transistors").get<std::int64_t>(),
                            result.at("cmos_transistors_complete").get<bool>() ? "" : "+"),
                time);
        } else if (flow == "xilinx" || flow == "xilinx_nodsp") {
            add(flow, "core", result,
                fmt::format("{} other cells (MUXF, SRL, ...)", result.at("other").get<std::int64_t>()), time);
        } else if (flow == "xilinx_accel") {
            const nlohmann::json& by_type = result.at("cells_by_type");
            add(flow, "shell", result,
                fmt::format("{} RAMB18E1, {} RAMB36E1, {} other cells (MUXF, SRL, LUT RAM, ...)",
                            by_type.value("RAMB18E1", 0), by_type.value("RAMB36E1", 0),
                            result.at("other").get<std::int64_t>()),
                time);
        } else if (flow == "liberty") {
            const nlohmann::json& sta = result.at("sta");
            add(flow, "core", result,
                fmt::format("area {:.1f}, worst slack {:.3f} ns at {:.3f} ns", result.at("area").get<double>(),
                            sta.at("worst_slack_ns").get<double>(), sta.at("period_ns").get<double>()),
                time);
        }
    }
    std::string notes;
    for (const char* flow : {"ice40", "ice40_array", "ice40_accel"}) {
        if (!flows.contains(flow) || !flows[flow].at("fits").get<bool>()) continue;
        const nlohmann::json& path = flows[flow].at("critical_path");
        notes += fmt::format("{} critical path: {} -> {} ({:.1f} ns logic, {:.1f} ns routing)\n", flow,
                             path.at("from").get<std::string>(), path.at("to").get<std::string>(),
                             path.at("logic_ns").get<double>(), path.at("routing_ns").get<double>());
    }
    if (flows.contains("liberty")) {
        const nlohmann::json& sta = flows["liberty"].at("sta");
        for (const char* key : {"worst_path", "register_to_register_path"}) {
            if (!sta.contains(key)) continue;
            const nlohmann::json& path = sta.at(key);
            notes += fmt::format("liberty {}: {} -> {}, slack {} ns\n", key, path.at("startpoint").get<std::string>(),
                                 path.at("endpoint").get<std::string>(), path.at("slack_ns").dump());
        }
    }
    std::array<std::size_t, 8> widths{};
    for (const Row& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    std::string table;
    for (const Row& row : rows) {
        std::string line = fmt::format("{:<{}}  {:<{}}", row[0], widths[0], row[1], widths[1]);
        for (std::size_t i = 2; i < 6; ++i) line += fmt::format("  {:>{}}", row[i], widths[i]);
        line += fmt::format("  {:<{}}  {:>{}}", row[6], widths[6], row[7], widths[7]);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        table += line + "\n";
    }
    return table + notes;
}

}  // namespace fwmac
