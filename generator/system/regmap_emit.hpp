// What a register map emits: the CSR module (an AXI4-Lite slave holding the registers),
// the C header of offsets, masks and accessors, and the Markdown table of the registers.
// Each is deterministic text with a banner naming the map's config.
#pragma once

#include <string>

#include "generator/system/regmap.hpp"

namespace fwmac {

// Verilog-2005 module `module_name` (parameter ADDR_W, at least map.address_bits()):
// clk_i, rst_ni, the AXI4-Lite slave s_axil_* and the register ports of
// register_ports(map). The module's header comment states its latency and handshakes.
std::string emit_csr_rtl(const RegisterMap& map, const std::string& module_name);

// C99 header `<prefix>_regs.h` (also valid C++): per register PREFIX_REG_OFFSET and
// PREFIX_REG_RESET, per field PREFIX_REG_FIELD_{SHIFT,WIDTH,MASK,RESET} (MASK in place)
// and static inline prefix_reg_field_get/_set, per 64-bit counter prefix_counter_read.
std::string emit_c_header(const RegisterMap& map, const std::string& prefix);
std::string c_header_file_name(const std::string& prefix);

// A Markdown table: offset, register, field, bits, access, reset, description; a row per
// register followed by a row per field.
std::string emit_markdown_table(const RegisterMap& map);

}  // namespace fwmac
