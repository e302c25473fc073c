// Verilog the templates cannot express with parameters: the per-PE AND + adder tree
// (its shape and pipeline registers), the array wiring and the top wrapper.
#pragma once

#include <string>

#include "generator/config.hpp"

namespace fwmac {

// The comment block at the head of every emitted file.
std::string file_banner(const GeneratorConfig& config, const std::string& what);

std::string emit_dot_tree(const GeneratorConfig& config);
std::string emit_array(const GeneratorConfig& config);
std::string emit_top(const GeneratorConfig& config);

}  // namespace fwmac
