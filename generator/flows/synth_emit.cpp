#include "generator/flows/synth_emit.hpp"

#include <fmt/format.h>

#include <cctype>
#include <regex>
#include <stdexcept>

#include "generator/common/banner.hpp"
#include "generator/common/templates.hpp"
#include "generator/common/version.hpp"

namespace fwmac {
namespace {

constexpr const char* kClockPort = "clk_i";

const std::string& constraint_template(const std::string& file_name) {
    static const std::map<std::string, std::string> by_name = [] {
        std::map<std::string, std::string> texts;
        for (const RtlTemplate& entry : constraint_templates()) texts[entry.file_name] = entry.text;
        return texts;
    }();
    const auto found = by_name.find(file_name);
    if (found == by_name.end()) throw std::logic_error(fmt::format("no template constraints/{}", file_name));
    return found->second;
}

// `name[*]` for a bus, so that OpenSTA, Vivado and Design Compiler all match every bit.
std::string port_list(const std::vector<PortDeclaration>& ports, bool inputs) {
    std::string list;
    for (const PortDeclaration& port : ports) {
        if (port.is_input != inputs || port.name == kClockPort) continue;
        list += fmt::format("{}{}{}", list.empty() ? "" : " ", port.name, port.is_vector ? "[*]" : "");
    }
    return list;
}

int total_width(const std::vector<PortDeclaration>& ports, bool inputs) {
    int bits = 0;
    for (const PortDeclaration& port : ports) {
        if (port.is_input == inputs && port.name != kClockPort) bits += port.width;
    }
    return bits;
}

// `{reg[width-2:0], low}`, or just `low` for a one-bit register.
std::string shifted_in(const std::string& reg, int width, const std::string& low) {
    return width == 1 ? low : fmt::format("{{{}[{}:0], {}}}", reg, width - 2, low);
}

// The port's slice of a packed vector that starts at `offset`.
std::string slice(const std::string& vector, int offset, const PortDeclaration& port) {
    if (!port.is_vector) return fmt::format("{}[{}]", vector, offset);
    return fmt::format("{}[{} +: {}]", vector, offset, port.width);
}

// The ports of the shell fwmac_accel as accel_files() writes it: an ANSI header with a
// parameter block whose defaults are the design's widths, port ranges [NAME-1:0],
// [NAME/8-1:0] or [N:0]. The parameters are read from the text and the ranges evaluated, so
// that module_ports reads the result like a generated top.
std::vector<PortDeclaration> accel_ports(const std::string& accel_verilog) {
    std::map<std::string, long> parameters;
    static const std::regex parameter(R"(parameter\s+integer\s+([A-Z_][A-Z0-9_]*)\s*=\s*([0-9]+))");
    for (std::sregex_iterator it(accel_verilog.begin(), accel_verilog.end(), parameter), end; it != end; ++it) {
        parameters[(*it)[1]] = std::stol((*it)[2]);
    }
    static const std::regex parameter_block(R"(module\s+fwmac_accel\s+#\([\s\S]*?\n\)\s*\()");
    std::smatch block;
    if (!std::regex_search(accel_verilog, block, parameter_block)) {
        throw std::logic_error("rtl/fwmac_accel.v: no `module fwmac_accel #(...) (` header");
    }
    const std::string ports = block.suffix().str();
    const std::size_t ports_end = ports.find(");");
    if (ports_end == std::string::npos) throw std::logic_error("rtl/fwmac_accel.v: the port list has no `);`");
    const std::string header = "module fwmac_accel (" + ports.substr(0, ports_end + 2) + "\n";
    static const std::regex range(R"(\[([A-Z_][A-Z0-9_]*)(/([0-9]+))?-1:0\])");
    std::string evaluated;
    auto position = header.cbegin();
    for (std::sregex_iterator it(header.begin(), header.end(), range), end; it != end; ++it) {
        const auto value = parameters.find((*it)[1]);
        if (value == parameters.end()) {
            throw std::logic_error(fmt::format("rtl/fwmac_accel.v: port range {} names no parameter", it->str()));
        }
        const long divisor = (*it)[3].matched ? std::stol((*it)[3]) : 1;
        evaluated.append(position, header.cbegin() + it->position());
        evaluated += fmt::format("[{}:0]", value->second / divisor - 1);
        position = header.cbegin() + it->position() + it->length();
    }
    evaluated.append(position, header.cend());
    return module_ports(evaluated, "fwmac_accel");
}

}  // namespace

std::string fill_template(const std::string& template_name, const std::string& text,
                          const std::map<std::string, std::string>& values) {
    static const std::regex field(R"(@([A-Z][A-Z_]*)@)");
    std::string filled;
    auto position = text.cbegin();
    for (std::sregex_iterator it(text.begin(), text.end(), field), end; it != end; ++it) {
        const std::string key = (*it)[1];
        const auto value = values.find(key);
        if (value == values.end()) {
            throw std::logic_error(fmt::format("template constraints/{}: no value for @{}@", template_name, key));
        }
        filled.append(position, text.cbegin() + it->position());
        filled += value->second;
        position = text.cbegin() + it->position() + it->length();
    }
    filled.append(position, text.cend());
    return filled;
}

std::string emit_synth_wrapper(const GeneratorConfig& config, const std::vector<PortDeclaration>& ports,
                               const std::string& core, const std::string& wrapper) {
    const int in_bits = total_width(ports, true);
    const int out_bits = total_width(ports, false);
    if (in_bits < 1 || out_bits < 1) {
        throw std::runtime_error(core + " needs at least one input besides clk_i and one output for the wrapper");
    }
    std::string connections;
    int in_offset = 0;
    int out_offset = 0;
    for (const PortDeclaration& port : ports) {
        std::string source;
        if (port.name == kClockPort) {
            source = "clk_i";
        } else if (port.is_input) {
            source = slice("scan_q", in_offset, port);
            in_offset += port.width;
        } else {
            source = slice("core_out", out_offset, port);
            out_offset += port.width;
        }
        connections += fmt::format("{}    .{}({})", connections.empty() ? "" : ",\n", port.name, source);
    }
    return file_banner(config, fmt::format("{}: pin wrapper for place and route (not part of the design)", wrapper)) +
           fmt::format(R"(// {core} has {in_bits} input bits besides clk_i and {out_bits} output bits; a device package
// has a few hundred pins at most. For place and route this wrapper drives every core input
// from its own flop of a {in_bits}-bit serial-in shift register (scan_i enters at bit 0) and
// folds every core output into a {out_bits}-bit signature register (each stage XORs one
// output bit into the value shifted in from below; sig_o is the top stage), so each
// input bit is independent and each output bit reaches a pin: synthesis cannot
// simplify or remove any part of the core. Cost: {in_bits} + {out_bits} flops and {out_bits} XOR2.
// The iCE40 synthesis script keeps {core} as its own module, so the core's cells are
// counted apart from these. The registers need no reset: their values do not matter.
// Latency: a core output reaches sig_o after 1 to {out_bits} cycles.
`default_nettype none

module {wrapper} (
  input  wire clk_i,
  input  wire scan_i,
  output wire sig_o
);
  localparam integer IN_W  = {in_bits};
  localparam integer OUT_W = {out_bits};

  reg  [IN_W-1:0]  scan_q, scan_d;
  reg  [OUT_W-1:0] sig_q, sig_d;
  wire [OUT_W-1:0] core_out;

  {core} u_core (
{connections}
  );

  always @* begin
    scan_d = {scan_next};
    sig_d  = {sig_next} ^ core_out;
  end

  always @(posedge clk_i) begin
    scan_q <= scan_d;
    sig_q  <= sig_d;
  end

  assign sig_o = sig_q[OUT_W-1];
endmodule

`default_nettype wire
)",
                       fmt::arg("in_bits", in_bits), fmt::arg("out_bits", out_bits), fmt::arg("core", core),
                       fmt::arg("wrapper", wrapper),
                       fmt::arg("connections", connections), fmt::arg("scan_next", shifted_in("scan_q", in_bits, "scan_i")),
                       fmt::arg("sig_next", shifted_in("sig_q", out_bits, "1'b0")));
}

FileSet synth_files(const GeneratorConfig& config, const std::string& top_verilog, const std::string& array_verilog,
                    const std::string& accel_verilog) {
    const std::vector<PortDeclaration> ports = top_ports(top_verilog);
    const double period_ns = 1000.0 / config.clock_mhz;
    std::map<std::string, std::string> values{
        {"VERSION", kFwmacVersion},
        {"NAME", config.name},
        {"HASH", config_hash(config)},
        {"CLOCK_MHZ", std::to_string(config.clock_mhz)},
        {"PERIOD_NS", fmt::format("{:.3f}", period_ns)},
        {"PERIOD_PS", fmt::format("{:.0f}", period_ns * 1000.0)},
        {"IO_DELAY_NS", fmt::format("{:.3f}", period_ns * 0.2)},
        {"INPUT_PORTS", port_list(ports, true)},
        {"OUTPUT_PORTS", port_list(ports, false)},
    };
    auto fill = [&values](const std::string& name) { return fill_template(name, constraint_template(name), values); };

    FileSet files;
    files["constraints/fwmac.sdc"] = fill("fwmac.sdc");
    for (const char* device : {"up5k", "hx8k"}) {
        files[fmt::format("constraints/fwmac_{}.pcf", device)] = fill(fmt::format("fwmac_{}.pcf", device));
    }
    for (const char* script : {"synth_generic.ys", "synth_hierarchy.ys", "pnr_ice40.sh", "synth_liberty.ys",
                               "sta_liberty.tcl"}) {
        files[fmt::format("synth/{}", script)] = fill(script);
    }
    // iCE40: the core, and the PE array alone (on a 1x1 design: one PE, the PE's own Fmax)
    struct Ice40Variant {
        const char* script;
        const char* core;
        const char* wrapper;
        const char* netlist;
    };
    for (const Ice40Variant& variant :
         {Ice40Variant{"synth_ice40.ys", "fwmac_top", "fwmac_synth_wrapper", "ice40"},
          Ice40Variant{"synth_ice40_array.ys", "fwmac_array", "fwmac_array_wrapper", "ice40_array"}}) {
        values["CORE"] = variant.core;
        values["WRAPPER"] = variant.wrapper;
        values["NETLIST"] = variant.netlist;
        files[fmt::format("synth/{}", variant.script)] = fill("synth_ice40.ys");
    }
    struct XilinxVariant {
        const char* name;
        const char* note;
        const char* options;
    };
    for (const XilinxVariant& variant : {XilinxVariant{"xilinx", "DSP48E1 inference on", ""},
                                         XilinxVariant{"xilinx_nodsp", "-nodsp: LUT-only", " -nodsp"}}) {
        values["VARIANT"] = variant.name;
        values["VARIANT_NOTE"] = variant.note;
        values["XILINX_OPTIONS"] = variant.options;
        files[fmt::format("synth/synth_{}.ys", variant.name)] = fill("synth_xilinx.ys");
    }
    files["synth/fwmac_synth_wrapper.v"] = emit_synth_wrapper(config, ports);
    files["synth/fwmac_array_wrapper.v"] =
        emit_synth_wrapper(config, module_ports(array_verilog, "fwmac_array"), "fwmac_array", "fwmac_array_wrapper");
    if (!accel_verilog.empty()) {
        // the accelerator shell fwmac_accel (core, buffers, bus ports): iCE40 in its own pin
        // wrapper, and Xilinx out of context
        const std::vector<PortDeclaration> shell_ports = accel_ports(accel_verilog);
        values["ACCEL_IN_BITS"] = std::to_string(total_width(shell_ports, true));
        values["ACCEL_OUT_BITS"] = std::to_string(total_width(shell_ports, false));
        files["synth/synth_ice40_accel.ys"] = fill("synth_ice40_accel.ys");
        files["synth/synth_xilinx_accel.ys"] = fill("synth_xilinx_accel.ys");
        files["synth/fwmac_accel_wrapper.v"] =
            emit_synth_wrapper(config, shell_ports, "fwmac_accel", "fwmac_accel_wrapper");
    }
    return files;
}

}  // namespace fwmac
