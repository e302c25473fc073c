// What the verbs of `fwmac` share: each adds itself to the CLI11 app as a subcommand with
// its typed, range-checked options (generator/common/command_line.hpp) and returns the
// function that runs it once the command line is parsed.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "generator/common/command_line.hpp"

namespace fwmac {

using VerbRunner = std::function<int(std::ostream&)>;

// A file or directory option or positional that must not be empty, shown as `type` in
// --help (empty: CLI11's own).
template <typename Target>
CLI::Option* add_path_option(CLI::App& verb, const std::string& names, Target& target, const std::string& what,
                             const std::string& type = "") {
    CLI::Option* option = verb.add_option(names, target, what)->check(non_empty_path());
    if (!type.empty()) option->type_name(type);
    return option;
}

// --config CONFIG.json (required).
CLI::Option* add_config_option(CLI::App& verb, std::string& path);
// -o,--out DIR (required): a directory written all or nothing.
CLI::Option* add_output_directory(CLI::App& verb, std::string& path, const std::string& type);
// --seed N, any 64-bit value.
CLI::Option* add_seed_option(CLI::App& verb, std::uint64_t& seed, const std::string& what);

}  // namespace fwmac
