// `fwmac synth DIR`: runs the synthesis flows whose scripts `fwmac generate` wrote into
// DIR/synth/ (yosys, nextpnr-ice40, OpenSTA as child processes, each with its log in
// DIR/synth/), reads their results and writes one report plus a table.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fwmac {

// A tool is missing, failed or wrote something unreadable; the message names the
// tool and its log file.
class SynthError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct SynthOptions {
    std::string directory;                    // a `fwmac generate` output directory
    std::vector<std::string> flows;           // from expand_flows
    std::string device = "up5k";              // iCE40 device: up5k or hx8k
    std::optional<std::string> liberty_file;  // for the liberty flow
    std::optional<std::string> report_path;   // default DIR/synth/synth_report.json
    // The flows came from `all`: ice40_accel and xilinx_accel are skipped for a design without
    // the accelerator shell (named explicitly, they are an error there).
    bool accel_flows_optional = false;
};

// "generic,xilinx" or "all" -> the flows in run order. "all" is generic, hierarchy, ice40,
// ice40_array, ice40_accel, xilinx, xilinx_nodsp, xilinx_accel and, with a liberty file,
// liberty (run_synth skips the two _accel flows of a design without the shell). Throws UsageError for an unknown
// flow, or for liberty without a liberty file.
std::vector<std::string> expand_flows(const std::string& list, bool have_liberty_file);

// Runs every flow; writes the report (all or nothing) and prints the table. Returns the
// report. Throws SynthError on the first failure (no report is written then). A design
// that does not fit the iCE40 device is a result (`"fits": false`), not a failure.
nlohmann::json run_synth(const SynthOptions& options, std::ostream& out);

// The table printed by run_synth, from its report.
std::string synth_table(const nlohmann::json& report);

}  // namespace fwmac
