// Everything `fwmac generate` writes for one config, as (relative path, text) pairs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "generator/common/config.hpp"
#include "generator/common/file_output.hpp"

namespace fwmac {

// rtl/*.v (templates + generated modules), fwmac.f, constraints/ (SDC, PCF), synth/
// (synthesis, P&R and STA scripts, pin wrapper; see synth_emit.hpp), formal/, report.json. Pure: the same config gives the same bytes.
FileSet generate_design(const GeneratorConfig& config);

// The design's top module and filelist: "<name>_top" and "<name>.f" (every module and file
// carries the config name as prefix; the default name "fwmac" gives fwmac_top, fwmac.f).
std::string top_module_name(const GeneratorConfig& config);
std::string filelist_name(const GeneratorConfig& config);

// The report: parameters, derived widths, resource counts and the cycle model.
nlohmann::json design_report(const GeneratorConfig& config);

}  // namespace fwmac
