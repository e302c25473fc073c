// What the verbs of `fwmac` share: each adds itself to the CLI11 app as a subcommand with
// its typed, range-checked options (generator/common/command_line.hpp) and returns the
// function that runs it once the command line is parsed.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <ostream>
#include <string>

#include "generator/common/command_line.hpp"

namespace fwmac {

using VerbRunner = std::function<int(std::ostream&)>;

// --config CONFIG.json (required).
CLI::Option* add_config_option(CLI::App& verb, std::string& path);
// An output option (-o DIR, --json FILE, ...) whose value must not be empty.
CLI::Option* add_output_option(CLI::App& verb, const std::string& names, std::string& path, const std::string& what);

}  // namespace fwmac
