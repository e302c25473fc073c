// Everything `fwmac generate` writes for one config, as (relative path, text) pairs.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "generator/config.hpp"

namespace fwmac {

using FileSet = std::map<std::string, std::string>;  // sorted: deterministic output order

// rtl/*.v (templates + generated modules), fwmac.f, constraints/ (SDC, PCF), synth/
// (synthesis, P&R and STA scripts, pin wrapper; see synth_emit.hpp), formal/, report.json. Pure: the same config gives the same bytes.
FileSet generate_design(const GeneratorConfig& config);

// The report: parameters, derived widths, resource counts and the cycle model.
nlohmann::json design_report(const GeneratorConfig& config);

// Writes `files` below `directory` all-or-nothing: into a sibling temporary
// directory first, renamed into place at the end. An existing `directory` is
// replaced only if an earlier `fwmac generate` made it (marker file), else refused.
void write_file_set(const FileSet& files, const std::string& directory);

// Writes one file all-or-nothing: a temporary sibling renamed over `path` at the end.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace fwmac
