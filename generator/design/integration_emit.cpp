#include "generator/design/integration_emit.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "generator/common/banner.hpp"
#include "generator/common/top_ports.hpp"
#include "generator/common/version.hpp"

namespace fwmac {

namespace {

// A pass-through module `module`_inst around one instance of `module` with `ports`.
std::string pass_through_template(const GeneratorConfig& config, const std::vector<PortDeclaration>& ports,
                                  const std::string& module, const std::string& instance) {
    std::size_t name_width = 0;
    for (const PortDeclaration& port : ports) name_width = std::max(name_width, port.name.size());
    std::string header;
    std::string connections;
    for (std::size_t index = 0; index < ports.size(); ++index) {
        const PortDeclaration& port = ports[index];
        const bool last = index + 1 == ports.size();
        const std::string range = port.is_vector ? fmt::format("[{}:0] ", port.width - 1) : "";
        header += fmt::format("  {} wire {}{}{}\n", port.is_input ? "input " : "output", range, port.name,
                              last ? "" : ",");
        connections += fmt::format("    .{:<{}} ({}){}\n", port.name, name_width, port.name, last ? "" : ",");
    }
    return file_banner(config, fmt::format("{0}_inst.v: instantiation template of {0}", module)) +
           "// Copy the instance below into your design and connect its ports; the widths are\n"
           "// those of this config. The surrounding module only makes the template elaborate: it\n"
           "// passes every port of " + module + " through (lint it with the design's filelist).\n"
           "`default_nettype none\n\n"
           "module " + module + "_inst (\n" +
           header +
           ");\n"
           "  " + module + " " + instance + " (\n" +
           connections +
           "  );\n"
           "endmodule\n\n"
           "`default_nettype wire\n";
}

}  // namespace

std::string emit_instantiation_template(const GeneratorConfig& config, const std::string& top_verilog) {
    return pass_through_template(config, top_ports(top_verilog), "fwmac_top", "u_core");
}

std::string emit_accel_instantiation_template(const GeneratorConfig& config, const std::string& accel_verilog,
                                              int address_bits) {
    // the port widths are written with ADDR_W and BUS_W: put in the design's values
    const int bus_bits = config.system.bus_bits;
    // the module header without its parameter list: `module fwmac_accel (`
    const std::size_t module_at = accel_verilog.find("module fwmac_accel #(");
    const std::size_t ports_at = accel_verilog.find(") (", module_at);
    if (module_at == std::string::npos || ports_at == std::string::npos) {
        throw std::logic_error("fwmac_accel.v: no `module fwmac_accel #( ... ) (` header");
    }
    std::string text = accel_verilog.substr(0, module_at) + "module fwmac_accel (" + accel_verilog.substr(ports_at + 3);
    const std::pair<std::string, int> widths[] = {
        {"[ADDR_W-1:0]", address_bits - 1}, {"[BUS_W-1:0]", bus_bits - 1}, {"[BUS_W/8-1:0]", bus_bits / 8 - 1}};
    for (const auto& [expression, value] : widths) {
        for (std::size_t at = text.find(expression); at != std::string::npos; at = text.find(expression, at)) {
            text.replace(at, expression.size(), fmt::format("[{}:0]", value));
        }
    }
    return pass_through_template(config, module_ports(text, "fwmac_accel"), "fwmac_accel", "u_accel");
}

std::string emit_fusesoc_core(const GeneratorConfig& config, const FileSet& files) {
    std::string rtl_files;
    for (const auto& [path, text] : files) {
        if (path.rfind("rtl/", 0) == 0) rtl_files += fmt::format("      - {}\n", path);
    }
    return fmt::format(
        "CAPI=2:\n"
        "# fwmac {version} design '{name}' (config hash {hash}): the generated RTL as a FuseSoC core.\n"
        "# Paths are relative to this file. `fusesoc run --target=lint fwmac:generated:{name}` lints it.\n"
        "name: fwmac:generated:{name}:{version}\n"
        "description: fwmac filter-wise variable-precision MAC array '{name}' ({rows}x{cols}x{lanes})\n"
        "filesets:\n"
        "  rtl:\n"
        "    file_type: verilogSource\n"
        "    files:\n"
        "{rtl_files}"
        "  constraints:\n"
        "    file_type: SDC\n"
        "    files:\n"
        "      - constraints/fwmac.sdc\n"
        "  instantiation_template:\n"
        "    file_type: verilogSource\n"
        "    files:\n"
        "      - integration/{top}_inst.v\n"
        "targets:\n"
        "  default:\n"
        "    filesets: [rtl]\n"
        "    toplevel: {top}\n"
        "  lint:\n"
        "    default_tool: verilator\n"
        "    filesets: [rtl, instantiation_template]\n"
        "    toplevel: {top}_inst\n"
        "    tools:\n"
        "      verilator:\n"
        "        mode: lint-only\n"
        "        verilator_options: [-Wall]\n",
        fmt::arg("version", kFwmacVersion), fmt::arg("name", config.name), fmt::arg("hash", config_hash(config)),
        fmt::arg("rows", config.shape.rows), fmt::arg("cols", config.shape.cols),
        fmt::arg("lanes", config.shape.lanes), fmt::arg("rtl_files", rtl_files),
        fmt::arg("top", config.has_system ? "fwmac_accel" : "fwmac_top"));
}

}  // namespace fwmac
