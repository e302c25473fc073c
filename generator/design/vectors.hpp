// `fwmac vectors`: the golden model's stimulus and expected outputs as $readmemh
// files for the plain Verilog testbench (tb/tb_fwmac_top.v) under Icarus Verilog.
#pragma once

#include "generator/design/design.hpp"
#include "compiler/stimulus.hpp"

namespace fwmac {

// cmd.hex {planes, chunks}; w.hex; a.hex; p.hex {raw, relu, data}; y.hex {last, data};
// vectors.vh with the widths, beat counts and the predicted cycle count.
FileSet vector_files(const Stimulus& stimulus);

// Hex digits of a bit vector, most significant first, ceil(width/4) digits.
std::string to_hex(const BitVector& bits);

}  // namespace fwmac
