// Formal equivalence of one PE (generated adder tree + fwmac_pe_acc, two chunks of
// L lanes, Bmax planes MSB first; two filters sharing the planes with row_slots = 2)
// against the bit-parallel dot product sum_l a[l] * w[l], proved by ABC for every input.
#pragma once

#include <string>

#include "generator/common/config.hpp"

namespace fwmac {

// formal/fwmac_pe_formal.v: the wrapper with the reference and the assertion.
std::string emit_pe_formal_wrapper(const GeneratorConfig& config);
// The same for a two-slot PE (row_slots = 2): two filters with free span inputs.
std::string emit_two_slot_pe_formal_wrapper(const GeneratorConfig& config);
// Shared by both wrappers: the tree's clock ports, and the issue tag (tag_width bits)
// delayed by the tree latency into acc_tag.
std::string formal_tree_clock(const ArrayShape& shape);
std::string formal_tag_delay(const ArrayShape& shape, int tag_width);
// formal/pe_equiv.ys: run from the output directory; exits non-zero if the proof fails.
std::string emit_pe_formal_script(const GeneratorConfig& config);

}  // namespace fwmac
