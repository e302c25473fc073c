// The port list of a generated fwmac_top, read back from its Verilog: the synthesis pin
// wrapper (generator/flows) and the testbench's GTKWave save files (tb/) are built from
// it, so they fit whatever top the generator emitted.
#pragma once

#include <string>
#include <vector>

namespace fwmac {

struct PortDeclaration {
    std::string name;
    bool is_input = true;
    bool is_vector = false;  // declared with a [msb:0] range (a bus in netlists)
    int width = 1;
};

// The ports of `module <module> (...)` in generated Verilog (ANSI header, one
// `input|output wire [msb:0] name,` per line), in declaration order. Throws
// std::runtime_error naming the line it cannot read.
std::vector<PortDeclaration> module_ports(const std::string& verilog, const std::string& module);
// module_ports of fwmac_top.
std::vector<PortDeclaration> top_ports(const std::string& top_verilog);

}  // namespace fwmac
