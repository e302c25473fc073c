// Readers of what the synthesis tools write, for `fwmac synth`: yosys `stat -json`,
// the text of yosys `stat -liberty` / `stat -tech cmos`, nextpnr-ice40 logs and
// OpenSTA logs; and the grouping of technology cells into LUTs, flops, carries, DSPs.
// Every reader throws std::runtime_error naming what it could not find.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fwmac {

using CellCounts = std::map<std::string, std::int64_t>;  // cell type -> instances

// `stat -json`: module name (yosys' leading '\' removed) -> its own cells by type
// (a kept submodule appears as one cell named after it).
std::map<std::string, CellCounts> parse_stat_json(const std::string& text);

// `stat -json [-tech cmos]` of a netlist synthesized with its hierarchy kept (every
// unique module once). yosys 0.23 writes the hierarchy summary into the JSON when a top
// module is set, so the scripts unset it first; it then leaves a trailing comma after
// "modules", which is dropped here.
struct ModuleStat {
    CellCounts cells;                       // own cells; a submodule instance is a cell named after it
    std::int64_t own_transistors = 0;       // -tech cmos: the module's own cells
    bool transistors_known = false;         // -tech cmos was given
    bool transistors_complete = true;       // every own cell had a count (submodules aside)
};
std::map<std::string, ModuleStat> parse_hierarchy_stat_json(const std::string& text);

// How many instances of every module the hierarchy below `top` holds (top: 1).
// Throws when `top` is not listed or the hierarchy has a cycle.
std::map<std::string, std::int64_t> instance_counts(const std::map<std::string, ModuleStat>& modules,
                                                    const std::string& top);

// The module name without yosys' parameter prefix: "$paramod$3f2a\fwmac_drain" -> "fwmac_drain".
std::string base_module_name(const std::string& name);

// `Chip area for module '\top': 123.45` of `stat -liberty` (the last one in the text).
double parse_chip_area(const std::string& stat_text);

struct TransistorEstimate {
    std::int64_t transistors = 0;
    bool complete = true;  // false when yosys appends '+': some cell types had no count
};
// `Estimated number of transistors: 1234[+]` of `stat -tech cmos`.
TransistorEstimate parse_transistor_estimate(const std::string& stat_text);

struct Utilisation {
    std::int64_t used = 0;
    std::int64_t available = 0;
};

struct NextpnrLog {
    std::map<std::string, Utilisation> utilisation;  // the last "Device utilisation" block
    std::optional<std::string> clock;                // the last "Max frequency for clock" line
    double fmax_mhz = 0;
    double target_mhz = 0;
    bool timing_met = false;
    std::string critical_path_from;  // first Source / last Setup of the clock's critical path
    std::string critical_path_to;
    double critical_logic_ns = 0;
    double critical_routing_ns = 0;
    std::vector<std::string> errors;  // "ERROR: ..." lines without the prefix
    // True when nextpnr ran out of logic cells (or another BEL type) for the device.
    bool does_not_fit() const;
};
NextpnrLog parse_nextpnr_log(const std::string& text);

struct StaPath {
    std::string startpoint;
    std::string endpoint;
    std::optional<double> slack_ns;  // from its "slack (MET|VIOLATED)" line
};

struct StaLog {
    std::optional<double> worst_slack_ns;
    std::optional<double> total_negative_slack_ns;
    std::vector<StaPath> paths;  // every report_checks path, in log order
    std::vector<std::string> errors;  // "Error: ..." lines (OpenSTA exits 0 even then)
    std::vector<std::string> warnings;
};
StaLog parse_sta_log(const std::string& text);

// Technology cells grouped the way a hardware engineer counts them.
struct CellSummary {
    std::int64_t cells = 0;   // all cells (kept submodules excluded)
    std::int64_t luts = 0;    // LUTs (FPGA) or combinational gates (generic, liberty)
    std::int64_t flops = 0;   // flip-flop bits
    std::int64_t carries = 0; // carry cells (SB_CARRY, CARRY4)
    std::int64_t dsps = 0;    // SB_MAC16, DSP48E1
    std::int64_t rams = 0;    // block RAMs
    std::int64_t other = 0;   // everything else (e.g. MUXF7, SRL, LUT RAM, I/O)
};
enum class CellLibrary { generic, ice40, xilinx, liberty };
// `liberty_flops` names the flip-flop cells of a liberty netlist (see
// parse_dfflibmap_log); unused for the other libraries. Cells named in
// `kept_modules` are instances of kept submodules and are not counted.
CellSummary summarize_cells(const CellCounts& cells, CellLibrary library,
                            const std::vector<std::string>& kept_modules = {},
                            const std::vector<std::string>& liberty_flops = {});

// The liberty cells that yosys `dfflibmap` mapped flip-flops to, from its log lines
// "mapped N $_DFF_P_ cells to \DFFPOSX1 cells." (cell name -> flops mapped).
std::map<std::string, std::int64_t> parse_dfflibmap_log(const std::string& yosys_log);

// Where yosys `memory_libmap` put every memory, from its log lines "mapping memory M via
// CELL" (a RAM cell type: $__ICE40_RAM4K_, $__XILINX_RAMB18_, $__XILINX_LUTRAM_...) and
// "using FF mapping for memory M" (cell empty: flops and multiplexers), in log order.
struct MemoryMapping {
    std::string memory;  // hierarchical name, "top.u_buf.mem_q"
    std::string cell;    // "" for flops
};
std::vector<MemoryMapping> parse_memory_mapping(const std::string& yosys_log);

}  // namespace fwmac
