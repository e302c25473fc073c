// The files an integrator needs beside the RTL: an instantiation template of the top and a
// FuseSoC CAPI2 core description of the design's file set.
#pragma once

#include <string>

#include "generator/common/config.hpp"
#include "generator/common/file_output.hpp"

namespace fwmac {

// integration/fwmac_top_inst.v: a pass-through module (fwmac_top_inst) whose ports
// are those of fwmac_top, holding one instance of it with every port connected by name; the
// instance is what an integrator copies, the module makes the template elaborate and lint
// against the top it was generated with.
std::string emit_instantiation_template(const GeneratorConfig& config, const std::string& top_verilog);
// integration/fwmac_accel_inst.v: the same for the accelerator shell fwmac_accel (a config
// with a system section), from the template fwmac_accel.v, whose ports are written with
// ADDR_W (`address_bits`, the register map's) and BUS_W (the config's bus_bits).
std::string emit_accel_instantiation_template(const GeneratorConfig& config, const std::string& accel_verilog,
                                              int address_bits);

// fwmac.core: CAPI2 core `fwmac:generated:<name>:<version>` with filesets rtl (the filelist's
// files, in its order), constraints (SDC) and the instantiation template, and targets
// default (the RTL, toplevel fwmac_top; fwmac_accel with a system section) and lint
// (Verilator -Wall on the template). `files` is the design's file set before renaming
// (fwmac_ names).
std::string emit_fusesoc_core(const GeneratorConfig& config, const FileSet& files);

}  // namespace fwmac
