// Verilog the templates cannot express with parameters: the per-PE AND + adder tree
// (or, bit-parallel, multipliers + signed adder tree; shape and pipeline registers),
// the array wiring and the top wrapper.
#pragma once

#include <string>

#include "generator/common/config.hpp"

namespace fwmac {

// Bit-serial PE: AND of a weight bit-plane with L activations + unsigned adder tree.
std::string emit_dot_tree(const GeneratorConfig& config);
// Bit-parallel PE: L multipliers (A-bit unsigned x Bmax-bit signed) + signed adder tree.
std::string emit_mult_tree(const GeneratorConfig& config);
std::string emit_array(const GeneratorConfig& config);
std::string emit_top(const GeneratorConfig& config);

}  // namespace fwmac
