// The `fwmac` command line: verbs generate, schedule, sim, version.
#pragma once

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fwmac {

// Wrong command-line usage (unknown verb or option, missing argument): exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Runs one verb; throws on any error (main reports it once). Returns the exit code.
int run_cli(const std::vector<std::string>& args, std::ostream& out);

std::string usage_text();

}  // namespace fwmac
