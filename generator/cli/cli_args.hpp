// Command-line parsing shared by the verbs of `fwmac` (definitions in cli.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fwmac {

// Positional arguments and --options (each option takes one value, flags none).
struct ParsedArgs {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    bool flag(const std::string& name) const { return options.count(name) != 0; }
};

// args[0] is the verb; `valued` options take the next argument, `flags` none.
// Throws UsageError on an unknown option or a missing value.
ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<std::string>& valued,
                      const std::vector<std::string>& flags);
std::uint64_t parse_unsigned(const std::string& text, const std::string& option);
std::string required_option(const ParsedArgs& parsed, const std::string& name, const std::string& verb);
std::string single_positional(const ParsedArgs& parsed, const std::string& verb, const std::string& what);

}  // namespace fwmac
