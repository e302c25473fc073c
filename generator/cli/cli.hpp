// The `fwmac` command line: verbs generate, schedule, sim, version.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "generator/common/errors.hpp"

namespace fwmac {

// Runs one verb; throws on any error (main reports it once). Returns the exit code.
int run_cli(const std::vector<std::string>& args, std::ostream& out);

std::string usage_text();

}  // namespace fwmac
