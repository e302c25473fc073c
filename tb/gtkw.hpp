// GTKWave save files for the testbench's FST waveforms: the ports of the generated
// fwmac_top (read from its Verilog, so they fit whatever top was generated), grouped
// per stream: clock and reset, then cmd, w, a, p and y, each valid/ready first.
#pragma once

#include <string>

namespace fwmac::tb {

// The .gtkw next to `fst_path` (its extension replaced).
std::string gtkw_path(const std::string& fst_path);

// The save file's text for `fst_path`, from GEN_DIR/rtl/fwmac_top.v.
std::string gtkw_text(const std::string& fst_path, const std::string& generated_dir);

// Writes gtkw_text to gtkw_path(fst_path); returns that path.
std::string write_gtkw(const std::string& fst_path, const std::string& generated_dir);

}  // namespace fwmac::tb
