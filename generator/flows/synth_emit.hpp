// The synthesis side of a generated design: constraints/ (SDC, iCE40 PCF) and synth/
// (yosys scripts for the generic, iCE40, Xilinx and liberty flows, the nextpnr and
// OpenSTA scripts, and the pin wrapper used for place and route). The files are
// filled from the templates in constraints/ and from the port list of the generated
// fwmac_top, so they fit whatever top the generator emitted.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "generator/common/config.hpp"
#include "generator/common/file_output.hpp"
#include "generator/common/top_ports.hpp"

namespace fwmac {

// `text` (the template `template_name` of constraints/) with every @KEY@ replaced by
// values[KEY]; throws std::logic_error for a field without a value.
std::string fill_template(const std::string& template_name, const std::string& text,
                          const std::map<std::string, std::string>& values);

// A pin wrapper `wrapper` for place and route: `core` (with `ports`) behind a scan shift
// register (inputs) and a signature register (outputs), three pins in all.
// synth/fwmac_synth_wrapper.v wraps fwmac_top, synth/fwmac_array_wrapper.v the PE array
// alone (on a 1x1 design: one PE), synth/fwmac_accel_wrapper.v the accelerator shell.
std::string emit_synth_wrapper(const GeneratorConfig& config, const std::vector<PortDeclaration>& ports,
                               const std::string& core = "fwmac_top", const std::string& wrapper = "fwmac_synth_wrapper");

// Every constraints/ and synth/ file for the design whose top and array modules are
// `top_verilog` and `array_verilog`; with the accelerator shell's `accel_verilog`
// (rtl/fwmac_accel.v of a config with a "system" section, empty without) also the shell's
// iCE40 and Xilinx scripts and its pin wrapper synth/fwmac_accel_wrapper.v.
FileSet synth_files(const GeneratorConfig& config, const std::string& top_verilog, const std::string& array_verilog,
                    const std::string& accel_verilog = "");

}  // namespace fwmac
