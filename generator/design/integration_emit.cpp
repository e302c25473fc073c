#include "generator/design/integration_emit.hpp"

#include <fmt/format.h>

#include "generator/common/banner.hpp"
#include "generator/common/top_ports.hpp"
#include "generator/common/version.hpp"

namespace fwmac {

std::string emit_instantiation_template(const GeneratorConfig& config, const std::string& top_verilog) {
    const std::vector<PortDeclaration> ports = top_ports(top_verilog);
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
    return file_banner(config, "fwmac_top_inst.v: instantiation template of fwmac_top") +
           "// Copy the instance below into your design and connect its ports; the widths are\n"
           "// those of this config. The surrounding module only makes the template elaborate: it\n"
           "// passes every port of fwmac_top through (lint it with the design's filelist).\n"
           "`default_nettype none\n\n"
           "module fwmac_top_inst (\n" +
           header +
           ");\n"
           "  fwmac_top u_core (\n" +
           connections +
           "  );\n"
           "endmodule\n\n"
           "`default_nettype wire\n";
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
        "      - integration/fwmac_top_inst.v\n"
        "targets:\n"
        "  default:\n"
        "    filesets: [rtl]\n"
        "    toplevel: fwmac_top\n"
        "  lint:\n"
        "    default_tool: verilator\n"
        "    filesets: [rtl, instantiation_template]\n"
        "    toplevel: fwmac_top_inst\n"
        "    tools:\n"
        "      verilator:\n"
        "        mode: lint-only\n"
        "        verilator_options: [-Wall]\n",
        fmt::arg("version", kFwmacVersion), fmt::arg("name", config.name), fmt::arg("hash", config_hash(config)),
        fmt::arg("rows", config.shape.rows), fmt::arg("cols", config.shape.cols),
        fmt::arg("lanes", config.shape.lanes), fmt::arg("rtl_files", rtl_files));
}

}  // namespace fwmac
