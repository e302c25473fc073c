// The comment block at the head of every file fwmac emits: what it is, the tool version
// and the config (name, hash, parameters), so a file names the config that made it.
#pragma once

#include <string>

#include "generator/common/config.hpp"

namespace fwmac {

std::string file_banner(const GeneratorConfig& config, const std::string& what);

}  // namespace fwmac
