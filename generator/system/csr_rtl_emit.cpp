// The CSR module of a register map: an AXI4-Lite slave whose write and read paths are
// fixed and whose registers, decoders and read multiplexer follow the map.
#include <fmt/format.h>

#include <algorithm>

#include "generator/common/banner.hpp"
#include "generator/system/regmap_emit.hpp"

namespace fwmac {
namespace {

std::string literal(int width, std::uint32_t value) { return fmt::format("{}'h{:x}", width, value); }

std::string vector_range(int width) { return width == 1 ? "" : fmt::format("[{}:0]", width - 1); }

std::string word_param(const Register& reg) { return "WORD_" + upper_case(reg.name); }

std::string state_name(const Register& reg, const Field& field) { return reg.name + "_" + field.name; }

// Whether a field keeps state in the module (rw, w1s, w1c, the latched HI word of a counter).
bool has_state(const Register& reg, const Field& field) {
    return is_writable(field.access) || (field.access == Access::ro_counter && reg.word == CounterWord::high);
}

bool has_writable_field(const Register& reg) {
    return std::any_of(reg.fields.begin(), reg.fields.end(), [](const Field& f) { return is_writable(f.access); });
}

const Register& low_word_of(const RegisterMap& map, const Register& high) {
    for (const Register& reg : map.registers()) {
        if (reg.counter == high.counter && reg.word == CounterWord::low) return reg;
    }
    throw std::logic_error("counter " + high.counter + " has no LO register");
}

std::string field_kind_comment(const Register& reg, const Field& field) {
    switch (field.access) {
        case Access::ro:
            return "ro: read as is";
        case Access::rw:
            return fmt::format("rw, reset {}", literal(field.width, field.reset));
        case Access::w1s:
            return "w1s: one-cycle pulse per write of 1";
        case Access::w1c:
            return "w1c: sticky bit, set by _set_i, cleared by writing 1";
        case Access::ro_counter:
            return reg.counter_bits == 64 ? "64-bit counter: LO reads 31..0 and latches 63..32 for HI"
                                          : "32-bit counter";
        case Access::ro_const:
            break;
    }
    throw std::logic_error("no port for a ro_const field");
}

struct PortLine {
    std::string direction;  // "input " or "output"
    std::string range;
    std::string name;
    std::string comment;
};

std::string format_ports(const std::vector<PortLine>& ports, const std::vector<std::string>& group_comments) {
    std::size_t range_width = 0;
    std::size_t name_width = 0;
    for (const PortLine& port : ports) {
        range_width = std::max(range_width, port.range.size());
        name_width = std::max(name_width, port.name.size() + 1);
    }
    std::string text;
    for (std::size_t i = 0; i < ports.size(); ++i) {
        if (!group_comments[i].empty()) text += "  // " + group_comments[i] + "\n";
        const PortLine& port = ports[i];
        const std::string name = port.name + (i + 1 < ports.size() ? "," : "");
        std::string line = fmt::format("  {} wire {:<{}} {}", port.direction, port.range, range_width,
                                       port.comment.empty() ? name : fmt::format("{:<{}}", name, name_width));
        if (!port.comment.empty()) line += "  // " + port.comment;
        text += line + "\n";
    }
    return text;
}

std::vector<PortLine> bus_ports() {
    return {
        {"input ", "", "clk_i", ""},
        {"input ", "", "rst_ni", "synchronous, active low"},
        {"input ", "", "s_axil_awvalid_i", ""},
        {"output", "", "s_axil_awready_o", ""},
        {"input ", "[ADDR_W-1:0]", "s_axil_awaddr_i", "byte address; bits 1..0 ignored"},
        {"input ", "[2:0]", "s_axil_awprot_i", "ignored"},
        {"input ", "", "s_axil_wvalid_i", ""},
        {"output", "", "s_axil_wready_o", ""},
        {"input ", "[31:0]", "s_axil_wdata_i", ""},
        {"input ", "[3:0]", "s_axil_wstrb_i", "byte enables"},
        {"output", "", "s_axil_bvalid_o", ""},
        {"input ", "", "s_axil_bready_i", ""},
        {"output", "[1:0]", "s_axil_bresp_o", "OKAY, or SLVERR outside the map"},
        {"input ", "", "s_axil_arvalid_i", ""},
        {"output", "", "s_axil_arready_o", ""},
        {"input ", "[ADDR_W-1:0]", "s_axil_araddr_i", "byte address; bits 1..0 ignored"},
        {"input ", "[2:0]", "s_axil_arprot_i", "ignored"},
        {"output", "", "s_axil_rvalid_o", ""},
        {"input ", "", "s_axil_rready_i", ""},
        {"output", "[31:0]", "s_axil_rdata_o", "0 outside the map"},
        {"output", "[1:0]", "s_axil_rresp_o", "OKAY, or SLVERR outside the map"},
    };
}

std::string emit_port_list(const RegisterMap& map) {
    std::vector<PortLine> ports = bus_ports();
    std::vector<std::string> groups(ports.size());
    groups[2] = "AXI4-Lite slave: write address, write data, write response, read address, read data";
    std::size_t last_register = map.registers().size();
    for (const RegisterPort& port : register_ports(map)) {
        const Register& reg = map.registers()[port.register_index];
        const Field& field = reg.fields[port.field_index];
        std::string group;
        if (port.register_index != last_register) {
            group = fmt::format("{} (0x{:03x}): {}", reg.name, reg.offset, reg.description);
            last_register = port.register_index;
        }
        groups.push_back(group);
        const std::string comment =
            port.role == PortRole::set_in ? "w1c: a 1 sets the bit" : field_kind_comment(reg, field);
        ports.push_back({is_input(port.role) ? "input " : "output", vector_range(port.width), port.name, comment});
    }
    return format_ports(ports, groups);
}

std::string emit_header_comment(const RegisterMap& map, const std::string& module_name) {
    return fmt::format(
        "// {}: AXI4-Lite slave holding the registers of the map '{}' ({} registers, bytes\n"
        "// 0x000..0x{:03x}), with the fields' ports named <register>_<field>_i/_o.\n"
        "//\n"
        "// Registers are 32 bits at byte offsets; address bits 1..0 are ignored and WSTRB enables\n"
        "// each byte of a write. An address the map does not hold answers SLVERR (reads return 0,\n"
        "// writes change nothing); writes to read-only fields are ignored. Fields: rw (output _o,\n"
        "// reset value), ro (input _i), ro_const (reads its reset value), w1s (a write of 1 pulses\n"
        "// _o for one cycle; reads 0), w1c (a _set_i pulse sets the bit, a write of 1 clears it, a\n"
        "// set in the cycle of the clear wins; the bit on _o), counters (input <counter>_i; a\n"
        "// 64-bit one reads as LO then HI: reading LO latches bits 63..32 for HI).\n"
        "//\n"
        "// Latency: an R beat is valid the cycle after its AR handshake, with the inputs of the\n"
        "// handshake cycle. A write is performed the cycle after the later of its AW and W\n"
        "// handshakes; its effect (outputs, a w1s pulse) and its B beat appear the cycle after.\n"
        "// Handshake: one transaction per direction in flight; AW and W are taken in either order\n"
        "// or together. awready (no address held), wready (no data held) and arready (no R beat\n"
        "// pending) are registers, so no ready depends on a valid; B and R are registered and\n"
        "// held until taken.\n",
        module_name, map.name(), map.registers().size(), map.span_bytes() - 1);
}

std::string emit_parameter_check(const RegisterMap& map, const std::string& module_name) {
    return fmt::format(
        "  generate\n"
        "    if (ADDR_W < {0} || ADDR_W > 32) begin : g_bad_addr_w\n"
        "`ifdef __ICARUS__\n"
        "      {1}_param_error_addr_w_out_of_range u_param_error ();\n"
        "`else\n"
        "      $error(\"{1}: ADDR_W = %0d outside {0}..32\", ADDR_W);\n"
        "`endif\n"
        "    end\n"
        "  endgenerate\n\n",
        map.address_bits(), module_name);
}

std::string emit_word_params(const RegisterMap& map) {
    std::size_t width = 0;
    for (const Register& reg : map.registers()) width = std::max(width, word_param(reg).size());
    std::string text =
        "  localparam [1:0] RESP_OKAY   = 2'b00;\n"
        "  localparam [1:0] RESP_SLVERR = 2'b10;\n"
        "  // word addresses (byte offset / 4)\n";
    for (const Register& reg : map.registers()) {
        text += fmt::format("  localparam [ADDR_W-3:0] {:<{}} = {:<12}  // 0x{:03x}\n", word_param(reg), width,
                            fmt::format("'h{:x};", reg.offset / 4), reg.offset);
    }
    return text + "\n";
}

// The write path: AW and W held until both are in, the write performed, B held until taken.
std::string emit_write_channel(const RegisterMap& map) {
    std::string text =
        "  // write path: address and data are held until both are in; the write is performed\n"
        "  // (axil_wr_en) when B is free, and B is held until taken\n"
        "  reg              axil_aw_full_q, axil_aw_full_d;\n"
        "  reg [ADDR_W-3:0] axil_aw_word_q, axil_aw_word_d;\n"
        "  reg              axil_w_full_q, axil_w_full_d;\n"
        "  reg [31:0]       axil_w_data_q, axil_w_data_d;\n"
        "  reg [3:0]        axil_w_strb_q, axil_w_strb_d;\n"
        "  reg              axil_b_valid_q, axil_b_valid_d;\n"
        "  reg [1:0]        axil_b_resp_q, axil_b_resp_d;\n"
        "  reg              axil_wr_hit;  // the held address is a register of the map\n\n"
        "  wire        axil_aw_take  = s_axil_awvalid_i & ~axil_aw_full_q;\n"
        "  wire        axil_w_take   = s_axil_wvalid_i & ~axil_w_full_q;\n"
        "  wire        axil_wr_en    = axil_aw_full_q & axil_w_full_q & ~axil_b_valid_q;\n"
        "  wire [31:0] axil_wr_bytes = {{8{axil_w_strb_q[3]}}, {8{axil_w_strb_q[2]}},\n"
        "                               {8{axil_w_strb_q[1]}}, {8{axil_w_strb_q[0]}}};  // byte enables\n"
        "  wire [31:0] axil_wr_ones  = axil_w_data_q & axil_wr_bytes;  // bits written 1\n\n";
    std::size_t width = 0;
    for (const Register& reg : map.registers()) {
        if (has_writable_field(reg)) width = std::max(width, reg.name.size());
    }
    for (const Register& reg : map.registers()) {
        if (!has_writable_field(reg)) continue;
        text += fmt::format("  wire axil_wr_{:<{}} = axil_wr_en & (axil_aw_word_q == {});\n", reg.name, width,
                            word_param(reg));
    }
    text += "\n  always @* begin\n    axil_wr_hit = 1'b0;\n    case (axil_aw_word_q)\n";
    for (const Register& reg : map.registers()) text += fmt::format("      {}: axil_wr_hit = 1'b1;\n", word_param(reg));
    text +=
        "      default: ;\n"
        "    endcase\n"
        "  end\n\n"
        "  always @* begin\n"
        "    axil_aw_full_d = axil_aw_full_q;\n"
        "    axil_aw_word_d = axil_aw_word_q;\n"
        "    axil_w_full_d  = axil_w_full_q;\n"
        "    axil_w_data_d  = axil_w_data_q;\n"
        "    axil_w_strb_d  = axil_w_strb_q;\n"
        "    axil_b_valid_d = axil_b_valid_q;\n"
        "    axil_b_resp_d  = axil_b_resp_q;\n"
        "    if (axil_aw_take) begin\n"
        "      axil_aw_full_d = 1'b1;\n"
        "      axil_aw_word_d = s_axil_awaddr_i[ADDR_W-1:2];\n"
        "    end\n"
        "    if (axil_w_take) begin\n"
        "      axil_w_full_d = 1'b1;\n"
        "      axil_w_data_d = s_axil_wdata_i;\n"
        "      axil_w_strb_d = s_axil_wstrb_i;\n"
        "    end\n"
        "    if (axil_wr_en) begin\n"
        "      axil_aw_full_d = 1'b0;\n"
        "      axil_w_full_d  = 1'b0;\n"
        "      axil_b_valid_d = 1'b1;\n"
        "      axil_b_resp_d  = axil_wr_hit ? RESP_OKAY : RESP_SLVERR;\n"
        "    end\n"
        "    if (axil_b_valid_q && s_axil_bready_i) axil_b_valid_d = 1'b0;\n"
        "  end\n\n";
    return text;
}

// The read path: the addressed register sampled into the R beat at the AR handshake.
std::string emit_read_channel(const RegisterMap& map) {
    std::string text =
        "  // read path: the register is sampled at the AR handshake into the R beat, held until taken\n"
        "  reg        axil_r_valid_q, axil_r_valid_d;\n"
        "  reg [31:0] axil_r_data_q, axil_r_data_d;\n"
        "  reg [1:0]  axil_r_resp_q, axil_r_resp_d;\n"
        "  reg [31:0] axil_rd_value;\n"
        "  reg        axil_rd_hit;\n\n"
        "  wire              axil_ar_take = s_axil_arvalid_i & ~axil_r_valid_q;\n"
        "  wire [ADDR_W-3:0] axil_ar_word = s_axil_araddr_i[ADDR_W-1:2];\n\n"
        "  always @* begin\n"
        "    axil_rd_value = 32'h0;\n"
        "    axil_rd_hit   = 1'b0;\n"
        "    case (axil_ar_word)\n";
    for (const Register& reg : map.registers()) {
        text += fmt::format("      {}: begin\n        axil_rd_hit = 1'b1;\n", word_param(reg));
        for (const Field& field : reg.fields) {
            std::string value;
            switch (field.access) {
                case Access::ro:
                    value = state_name(reg, field) + "_i";
                    break;
                case Access::ro_const:
                    value = literal(field.width, field.reset);
                    break;
                case Access::rw:
                case Access::w1c:
                    value = state_name(reg, field) + "_q";
                    break;
                case Access::w1s:
                    continue;  // reads 0
                case Access::ro_counter:
                    value = reg.word == CounterWord::high  ? state_name(reg, field) + "_q"
                            : reg.word == CounterWord::low ? reg.counter + "_i[31:0]"
                                                           : reg.counter + "_i";
                    break;
            }
            text += fmt::format("        axil_rd_value{} = {};\n", field_bits(field), value);
        }
        text += "      end\n";
    }
    text +=
        "      default: ;\n"
        "    endcase\n"
        "  end\n\n"
        "  always @* begin\n"
        "    axil_r_valid_d = axil_r_valid_q;\n"
        "    axil_r_data_d  = axil_r_data_q;\n"
        "    axil_r_resp_d  = axil_r_resp_q;\n"
        "    if (axil_ar_take) begin\n"
        "      axil_r_valid_d = 1'b1;\n"
        "      axil_r_data_d  = axil_rd_value;\n"
        "      axil_r_resp_d  = axil_rd_hit ? RESP_OKAY : RESP_SLVERR;\n"
        "    end else if (axil_r_valid_q && s_axil_rready_i) begin\n"
        "      axil_r_valid_d = 1'b0;\n"
        "    end\n"
        "  end\n\n";
    return text;
}

std::string emit_state_declarations(const RegisterMap& map) {
    std::string text = "  // register state\n";
    for (const Register& reg : map.registers()) {
        for (const Field& field : reg.fields) {
            if (!has_state(reg, field)) continue;
            const std::string name = state_name(reg, field);
            text += fmt::format("  reg {:<7}{}_q, {}_d;\n", vector_range(field.width), name, name);
        }
    }
    return text + "\n";
}

// The next state of one field that keeps state.
// The next state of one field that keeps state, as `<name>_d = <expression>`; `pad`
// aligns the '=' of a register's fields.
std::string next_state(const RegisterMap& map, const Register& reg, const Field& field, std::size_t pad) {
    const std::string name = state_name(reg, field);
    const std::string lhs = fmt::format("{:<{}}", name + "_d", pad);
    const std::string select = "axil_wr_" + reg.name;
    const std::string bits = field_bits(field);
    switch (field.access) {
        case Access::rw:
            return fmt::format("    {0} = {1} ? ({2}_q & ~axil_wr_bytes{3}) | axil_wr_ones{3} : {2}_q;\n", lhs, select,
                               name, bits);
        case Access::w1s:
            return fmt::format("    {} = {} ? axil_wr_ones{} : {};\n", lhs, select, bits, literal(field.width, 0));
        case Access::w1c:  // a set in the cycle of a clear wins
            return fmt::format("    {0} = ({1}_q & ~({2} ? axil_wr_ones{3} : {4})) | {1}_set_i;\n", lhs, name, select,
                               bits, literal(field.width, 0));
        case Access::ro_counter:  // the HI word, latched when LO is read
            return fmt::format(
                "    {0} = {1}_q;\n"
                "    if (axil_ar_take && axil_ar_word == {2}) {1}_d = {3}_i[63:32];\n",
                lhs, name, word_param(low_word_of(map, reg)), reg.counter);
        case Access::ro:
        case Access::ro_const:
            break;
    }
    throw std::logic_error("no state for field " + name);
}

std::string emit_next_state(const RegisterMap& map) {
    std::string text;
    for (const Register& reg : map.registers()) {
        std::size_t pad = 0;
        for (const Field& field : reg.fields) {
            if (has_state(reg, field)) pad = std::max(pad, state_name(reg, field).size() + 2);
        }
        std::string statements;
        for (const Field& field : reg.fields) {
            if (has_state(reg, field)) statements += next_state(map, reg, field, pad);
        }
        if (statements.empty()) continue;
        text += fmt::format("  // {} (0x{:03x})\n  always @* begin\n{}  end\n\n", reg.name, reg.offset, statements);
    }
    return text;
}

std::string emit_flops(const RegisterMap& map) {
    // (name without _q/_d, reset value) of every flop with a reset
    std::vector<std::pair<std::string, std::string>> flops = {
        {"axil_aw_full", "1'b0"}, {"axil_w_full", "1'b0"},  {"axil_b_valid", "1'b0"},    {"axil_b_resp", "RESP_OKAY"},
        {"axil_r_valid", "1'b0"}, {"axil_r_data", "32'h0"}, {"axil_r_resp", "RESP_OKAY"}};
    for (const Register& reg : map.registers()) {
        for (const Field& field : reg.fields) {
            if (has_state(reg, field)) flops.emplace_back(state_name(reg, field), literal(field.width, field.reset));
        }
    }
    std::size_t width = 0;
    for (const auto& flop : flops) width = std::max(width, flop.first.size() + 2);
    std::string reset;
    std::string update;
    for (const auto& [name, value] : flops) {
        reset += fmt::format("      {:<{}} <= {};\n", name + "_q", width, value);
        update += fmt::format("      {:<{}} <= {}_d;\n", name + "_q", width, name);
    }
    return "  always @(posedge clk_i) begin\n    if (!rst_ni) begin\n" + reset + "    end else begin\n" + update +
           "    end\n  end\n\n"
           "  // the held address and data need no reset: the full flags qualify them\n"
           "  always @(posedge clk_i) begin\n"
           "    axil_aw_word_q <= axil_aw_word_d;\n"
           "    axil_w_data_q  <= axil_w_data_d;\n"
           "    axil_w_strb_q  <= axil_w_strb_d;\n"
           "  end\n\n";
}

// Lint sinks: address bits 1..0, AxPROT, and the written bits no writable field takes.
std::string emit_unused(const RegisterMap& map) {
    std::uint32_t written = 0;
    for (const Register& reg : map.registers()) {
        for (const Field& field : reg.fields) {
            if (is_writable(field.access)) written |= field_mask(field);
        }
    }
    std::vector<std::string> unused_bits;
    for (int bit = 0; bit < 32;) {
        if (written >> bit & 1U) {
            ++bit;
            continue;
        }
        int top = bit;
        while (top + 1 < 32 && !(written >> (top + 1) & 1U)) ++top;
        const std::string range = top == bit ? fmt::format("[{}]", bit) : fmt::format("[{}:{}]", top, bit);
        unused_bits.push_back("axil_wr_ones" + range);
        bit = top + 1;
    }
    std::string text =
        "  wire unused_bus_bits = ^{s_axil_awaddr_i[1:0], s_axil_awprot_i, s_axil_araddr_i[1:0], s_axil_arprot_i};\n";
    if (!unused_bits.empty()) {
        text += "  wire unused_write_bits = ^{";
        for (std::size_t i = 0; i < unused_bits.size(); ++i) text += (i ? ", " : "") + unused_bits[i];
        text += "};  // no writable field there\n";
    }
    return text + "\n";
}

std::string emit_outputs(const RegisterMap& map) {
    std::string text =
        "  assign s_axil_awready_o = ~axil_aw_full_q;\n"
        "  assign s_axil_wready_o  = ~axil_w_full_q;\n"
        "  assign s_axil_bvalid_o  = axil_b_valid_q;\n"
        "  assign s_axil_bresp_o   = axil_b_resp_q;\n"
        "  assign s_axil_arready_o = ~axil_r_valid_q;\n"
        "  assign s_axil_rvalid_o  = axil_r_valid_q;\n"
        "  assign s_axil_rdata_o   = axil_r_data_q;\n"
        "  assign s_axil_rresp_o   = axil_r_resp_q;\n";
    std::size_t width = 0;
    for (const RegisterPort& port : register_ports(map)) width = std::max(width, port.name.size());
    for (const RegisterPort& port : register_ports(map)) {
        if (port.role != PortRole::field_out) continue;
        text += fmt::format("  assign {:<{}} = {}_q;\n", port.name, width, port.name.substr(0, port.name.size() - 2));
    }
    return text;
}

}  // namespace

std::string emit_csr_rtl(const RegisterMap& map, const std::string& module_name) {
    if (!is_plain_identifier(module_name)) {
        throw RegmapError(
            fmt::format("CSR module name '{}': must be letters, digits and '_', starting with a letter", module_name));
    }
    if (map.registers().empty()) throw RegmapError(fmt::format("register map '{}': no registers", map.name()));
    std::string text =
        file_banner(map.config(), fmt::format("{}: CSR block of register map '{}'", module_name, map.name()));
    text += emit_header_comment(map, module_name);
    text += "`default_nettype none\n\n";
    text += fmt::format("module {} #(\n  parameter integer ADDR_W = {}  // byte address bits, {}..32\n) (\n",
                        module_name, map.address_bits(), map.address_bits());
    text += emit_port_list(map);
    text += ");\n";
    text += emit_parameter_check(map, module_name);
    text += emit_word_params(map);
    text += emit_state_declarations(map);
    text += emit_write_channel(map);
    text += emit_read_channel(map);
    text += emit_next_state(map);
    text += emit_flops(map);
    text += emit_unused(map);
    text += emit_outputs(map);
    text += "endmodule\n\n`default_nettype wire\n";
    return text;
}

}  // namespace fwmac
