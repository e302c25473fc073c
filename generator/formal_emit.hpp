// Formal equivalence of one PE (generated adder tree + fwmac_pe_acc, two chunks of
// L lanes, Bmax planes MSB first) against the bit-parallel dot product
// sum_l a[l] * w[l], proved with yosys `sat` for every input.
#pragma once

#include <string>

#include "generator/config.hpp"

namespace fwmac {

// formal/fwmac_pe_formal.v: the wrapper with the reference and the assertion.
std::string emit_pe_formal_wrapper(const GeneratorConfig& config);
// formal/pe_equiv.ys: run from the output directory; exits non-zero if the proof fails.
std::string emit_pe_formal_script(const GeneratorConfig& config);

}  // namespace fwmac
