#include "generator/flows/synth_parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace fwmac {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// The cell name of a nextpnr path line "Info:  1.4  1.4  Source u_core.x_LC.O": the
// last word, without the port.
std::string path_cell(const std::string& word) {
    const auto dot = word.rfind('.');
    return dot == std::string::npos ? word : word.substr(0, dot);
}

}  // namespace

std::map<std::string, CellCounts> parse_stat_json(const std::string& text) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& error) {
        throw std::runtime_error(fmt::format("yosys stat -json output is not JSON: {}", error.what()));
    }
    if (!json.is_object() || !json.contains("modules") || !json.at("modules").is_object()) {
        throw std::runtime_error("yosys stat -json output has no \"modules\" object");
    }
    std::map<std::string, CellCounts> modules;
    for (const auto& [raw_name, module] : json.at("modules").items()) {
        const std::string name = starts_with(raw_name, "\\") ? raw_name.substr(1) : raw_name;
        CellCounts& cells = modules[name];
        if (!module.contains("num_cells_by_type")) continue;
        for (const auto& [type, count] : module.at("num_cells_by_type").items()) {
            if (!count.is_number_integer()) {
                throw std::runtime_error(
                    fmt::format("yosys stat -json: module {} cell {}: count is not an integer", name, type));
            }
            cells[starts_with(type, "\\") ? type.substr(1) : type] = count.get<std::int64_t>();
        }
    }
    if (modules.empty()) throw std::runtime_error("yosys stat -json output lists no module");
    return modules;
}

std::map<std::string, ModuleStat> parse_hierarchy_stat_json(const std::string& text) {
    static const std::regex trailing_comma(R"(\}\s*,\s*\}\s*$)");
    const std::string repaired = std::regex_replace(text, trailing_comma, "}}\n");
    const std::map<std::string, CellCounts> cells = parse_stat_json(repaired);
    const nlohmann::json json = nlohmann::json::parse(repaired);
    std::map<std::string, ModuleStat> modules;
    for (const auto& [raw_name, module] : json.at("modules").items()) {
        const std::string name = starts_with(raw_name, "\\") ? raw_name.substr(1) : raw_name;
        ModuleStat& stat = modules[name];
        stat.cells = cells.at(name);
        if (!module.contains("estimated_num_transistors")) continue;
        const nlohmann::json& estimate = module.at("estimated_num_transistors");
        const std::string value = estimate.is_string() ? estimate.get<std::string>() : estimate.dump();
        static const std::regex count(R"(([0-9]+)(\+?))");
        std::smatch match;
        if (!std::regex_match(value, match, count)) {
            throw std::runtime_error(
                fmt::format("yosys stat -json: module {}: estimated_num_transistors '{}' is not a count", name, value));
        }
        stat.transistors_known = true;
        stat.own_transistors = std::stoll(match[1]);
        stat.transistors_complete = !match[2].matched || match[2].length() == 0;
    }
    // yosys appends '+' for submodule instances too (they are counted through their own
    // modules): a module is incomplete only if one of its own cells is not a gate that
    // `stat -tech cmos` prices.
    static const std::vector<std::string> priced{"$_NOT_",  "$_AND_",  "$_NAND_", "$_OR_",   "$_NOR_",
                                                 "$_ANDNOT_", "$_ORNOT_", "$_XOR_", "$_XNOR_", "$_AOI3_",
                                                 "$_OAI3_", "$_AOI4_", "$_OAI4_", "$_MUX_",  "$_NMUX_",
                                                 "$_DFF_P_", "$_DFF_N_"};
    for (auto& [name, stat] : modules) {
        if (stat.transistors_complete) continue;
        bool unpriced = false;
        for (const auto& [type, count] : stat.cells) {
            unpriced = unpriced || (modules.count(type) == 0 && !contains(priced, type));
        }
        stat.transistors_complete = !unpriced;
    }
    return modules;
}

std::map<std::string, std::int64_t> instance_counts(const std::map<std::string, ModuleStat>& modules,
                                                    const std::string& top) {
    if (modules.count(top) == 0) throw std::runtime_error(fmt::format("the netlist has no module '{}'", top));
    std::map<std::string, std::int64_t> counts;
    // depth-first, multiplying the instance counts on the way down
    std::vector<std::pair<std::string, std::int64_t>> pending{{top, 1}};
    std::size_t visited = 0;
    while (!pending.empty()) {
        const auto [name, instances] = pending.back();
        pending.pop_back();
        if (++visited > 100000) throw std::runtime_error("the module hierarchy is cyclic or too deep");
        counts[name] += instances;
        for (const auto& [type, count] : modules.at(name).cells) {
            if (modules.count(type) != 0) pending.emplace_back(type, instances * count);
        }
    }
    return counts;
}

std::string base_module_name(const std::string& name) {
    const auto slash = name.rfind('\\');
    return starts_with(name, "$paramod") && slash != std::string::npos ? name.substr(slash + 1) : name;
}

double parse_chip_area(const std::string& stat_text) {
    static const std::regex area_line(R"(Chip area for (?:module|top module) .*: ([0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?))");
    std::optional<double> area;
    for (const std::string& line : lines_of(stat_text)) {
        std::smatch match;
        if (std::regex_search(line, match, area_line)) area = std::stod(match[1]);
    }
    if (!area) throw std::runtime_error("yosys stat -liberty output has no 'Chip area for module' line");
    return *area;
}

TransistorEstimate parse_transistor_estimate(const std::string& stat_text) {
    static const std::regex count_line(R"(Estimated number of transistors:\s+([0-9]+)(\+?))");
    std::smatch match;
    if (!std::regex_search(stat_text, match, count_line)) {
        throw std::runtime_error("yosys stat -tech cmos output has no 'Estimated number of transistors' line");
    }
    return TransistorEstimate{std::stoll(match[1]), match[2].length() == 0};
}

bool NextpnrLog::does_not_fit() const {
    for (const std::string& error : errors) {
        if (error.find("no BELs remaining") != std::string::npos) return true;
    }
    for (const auto& [bel, use] : utilisation) {
        if (use.used > use.available) return true;
    }
    return false;
}

NextpnrLog parse_nextpnr_log(const std::string& text) {
    static const std::regex utilisation_line(R"(^Info:\s+([A-Za-z0-9_]+):\s+([0-9]+)/\s*([0-9]+)\s+[0-9]+%\s*$)");
    static const std::regex fmax_line(
        R"(^(?:Info|Warning): Max frequency for clock '(.*)': ([0-9.]+) MHz \((PASS|FAIL) at ([0-9.]+) MHz\))");
    static const std::regex path_start(R"(^Info: Critical path report for clock '.*')");
    static const std::regex path_step(R"(^Info:\s+[0-9.]+\s+[0-9.]+\s+(Source|Setup)\s+(\S+))");
    static const std::regex path_split(R"(^Info:\s+([0-9.]+) ns logic, ([0-9.]+) ns routing)");
    NextpnrLog log;
    bool in_utilisation = false;  // inside a "Device utilisation:" block
    bool in_clock_path = false;   // inside a "Critical path report for clock" block
    for (const std::string& line : lines_of(text)) {
        std::smatch match;
        if (starts_with(line, "ERROR: ")) {
            log.errors.push_back(line.substr(7));
            continue;
        }
        if (line.find("Device utilisation:") != std::string::npos) {
            log.utilisation.clear();
            in_utilisation = true;
            continue;
        }
        if (in_utilisation && std::regex_match(line, match, utilisation_line)) {
            log.utilisation[match[1]] = Utilisation{std::stoll(match[2]), std::stoll(match[3])};
            continue;
        }
        in_utilisation = false;
        if (std::regex_search(line, match, fmax_line)) {
            log.clock = match[1];
            log.fmax_mhz = std::stod(match[2]);
            log.timing_met = match[3] == "PASS";
            log.target_mhz = std::stod(match[4]);
        } else if (std::regex_search(line, path_start)) {
            in_clock_path = true;
            log.critical_path_from.clear();
            log.critical_path_to.clear();
        } else if (in_clock_path && std::regex_search(line, match, path_step)) {
            if (match[1] == "Source" && log.critical_path_from.empty()) log.critical_path_from = path_cell(match[2]);
            if (match[1] == "Setup") log.critical_path_to = path_cell(match[2]);
        } else if (in_clock_path && std::regex_search(line, match, path_split)) {
            log.critical_logic_ns = std::stod(match[1]);
            log.critical_routing_ns = std::stod(match[2]);
            in_clock_path = false;
        }
    }
    return log;
}

StaLog parse_sta_log(const std::string& text) {
    static const std::regex slack_line(R"(^worst slack (-?[0-9.]+(?:[eE][-+]?[0-9]+)?|INF|-INF)\s*$)");
    static const std::regex tns_line(R"(^tns (-?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*$)");
    static const std::regex point_line(R"(^(Startpoint|Endpoint): (\S+))");
    static const std::regex path_slack_line(R"(^\s+(-?[0-9.]+)\s+slack \((MET|VIOLATED)\))");
    StaLog log;
    for (const std::string& line : lines_of(text)) {
        std::smatch match;
        if (starts_with(line, "Error: ")) {
            log.errors.push_back(line.substr(7));
        } else if (starts_with(line, "Warning: ")) {
            log.warnings.push_back(line.substr(9));
        } else if (std::regex_match(line, match, slack_line)) {
            if (match[1] != "INF" && match[1] != "-INF") log.worst_slack_ns = std::stod(match[1]);
        } else if (std::regex_match(line, match, tns_line)) {
            log.total_negative_slack_ns = std::stod(match[1]);
        } else if (std::regex_search(line, match, point_line)) {
            if (match[1] == "Startpoint") log.paths.push_back(StaPath{match[2], "", std::nullopt});
            if (match[1] == "Endpoint" && !log.paths.empty()) log.paths.back().endpoint = match[2];
        } else if (std::regex_search(line, match, path_slack_line) && !log.paths.empty()) {
            log.paths.back().slack_ns = std::stod(match[1]);
        }
    }
    return log;
}

CellSummary summarize_cells(const CellCounts& cells, CellLibrary library, const std::vector<std::string>& kept_modules,
                            const std::vector<std::string>& liberty_flops) {
    static const std::regex xilinx_lut(R"(LUT[1-6](_2)?)");
    static const std::regex xilinx_flop(R"(FD[RSCP]E(_1)?)");
    CellSummary summary;
    for (const auto& [type, count] : cells) {
        if (contains(kept_modules, type)) continue;
        summary.cells += count;
        std::int64_t* bucket = &summary.other;
        switch (library) {
            case CellLibrary::generic:
                if (starts_with(type, "$_") && type.find("DFF") != std::string::npos) {
                    bucket = &summary.flops;
                } else if (starts_with(type, "$_") && type.find("DLATCH") == std::string::npos &&
                           type.find("_SR_") == std::string::npos) {
                    bucket = &summary.luts;
                }
                break;
            case CellLibrary::ice40:
                if (type == "SB_LUT4") bucket = &summary.luts;
                if (starts_with(type, "SB_DFF")) bucket = &summary.flops;
                if (type == "SB_CARRY") bucket = &summary.carries;
                if (type == "SB_MAC16") bucket = &summary.dsps;
                if (starts_with(type, "SB_RAM40_4K") || type == "SB_SPRAM256KA") bucket = &summary.rams;
                break;
            case CellLibrary::xilinx:
                if (std::regex_match(type, xilinx_lut)) bucket = &summary.luts;
                if (std::regex_match(type, xilinx_flop)) bucket = &summary.flops;
                if (type == "CARRY4" || type == "CARRY8") bucket = &summary.carries;
                if (starts_with(type, "DSP48")) bucket = &summary.dsps;
                if (starts_with(type, "RAMB18") || starts_with(type, "RAMB36")) bucket = &summary.rams;
                break;
            case CellLibrary::liberty:
                bucket = contains(liberty_flops, type) ? &summary.flops : &summary.luts;
                break;
        }
        *bucket += count;
    }
    return summary;
}

std::map<std::string, std::int64_t> parse_dfflibmap_log(const std::string& yosys_log) {
    static const std::regex mapped_line(R"(mapped ([0-9]+) \$_[A-Za-z0-9_]+ cells to \\(\S+) cells\.)");
    std::map<std::string, std::int64_t> flops;
    for (const std::string& line : lines_of(yosys_log)) {
        std::smatch match;
        if (std::regex_search(line, match, mapped_line)) flops[match[2]] += std::stoll(match[1]);
    }
    return flops;
}

std::vector<MemoryMapping> parse_memory_mapping(const std::string& yosys_log) {
    static const std::regex block(R"(^mapping memory (\S+) via (\S+)\s*$)");
    static const std::regex flops(R"(^using FF mapping for memory (\S+)\s*$)");
    std::vector<MemoryMapping> memories;
    std::istringstream lines(yosys_log);
    std::smatch match;
    for (std::string line; std::getline(lines, line);) {
        if (std::regex_match(line, match, block)) {
            memories.push_back({match[1], match[2]});
        } else if (std::regex_match(line, match, flops)) {
            memories.push_back({match[1], ""});
        }
    }
    return memories;
}

}  // namespace fwmac
