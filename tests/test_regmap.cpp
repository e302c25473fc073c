// The register map (generator/system): validation messages, offsets, the accelerator's
// map, and what it emits: the C header (macros against hand-derived values, compiled as
// C99 and C++17 with a small program that checks its accessors), the Markdown table and
// the CSR module's text. The CSR module's behaviour is tb/regmap's Verilator testbench.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "generator/common/config.hpp"
#include "generator/system/accel_regmap.hpp"
#include "generator/system/regmap.hpp"
#include "generator/system/regmap_emit.hpp"
#include "temp_dir.hpp"

using Catch::Matchers::Contains;
using fwmac::Access;
using fwmac::Field;
using fwmac::RegisterMap;

namespace {

fwmac::GeneratorConfig default_config() { return fwmac::parse_config(nlohmann::json::object()); }

RegisterMap empty_map() { return RegisterMap("demo", default_config()); }

// A small map worked by hand: ctrl at 0x0, status at 0x4, limit at 0x10, then a 64-bit
// counter at 0x14 / 0x18.
RegisterMap small_map() {
    RegisterMap map = empty_map();
    map.add_register("ctrl", "control",
                     {Field{"go", 0, 1, Access::w1s, 0, "start"}, Field{"mode", 4, 3, Access::rw, 5, "mode"},
                      Field{"level", 16, 16, Access::rw, 0xbeef, "level"}});
    map.add_register("status", "status",
                     {Field{"busy", 0, 1, Access::ro, 0, "busy"}, Field{"irq", 1, 2, Access::w1c, 2, "events"}});
    map.add_register("limit", "a constant", {Field{"value", 8, 12, Access::ro_const, 0x123, "limit"}}, 0x10);
    map.add_counter("cycles", 64, "cycles");
    return map;
}

std::string read_text(const std::string& path) {
    std::ifstream stream(path);
    return std::string(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>());
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// Runs `command` with its output in `log`; the exit status, and the log on failure.
int run(const std::string& command, const std::string& log) {
    const int status = std::system((command + " > " + log + " 2>&1").c_str());
    if (status != 0) UNSCOPED_INFO(read_text(log));
    return status;
}

}  // namespace

TEST_CASE("regmap: fields that overlap or leave the register are named", "[regmap]") {
    RegisterMap map = empty_map();
    REQUIRE_THROWS_WITH(
        map.add_register("ctrl", "", {Field{"a", 0, 4, Access::rw, 0, ""}, Field{"b", 3, 2, Access::rw, 0, ""}}),
        "register map 'demo': register 'ctrl' at 0x000: field 'b' [4:3] overlaps field 'a' [3:0]");
    REQUIRE_THROWS_WITH(map.add_register("ctrl", "", {Field{"wide", 30, 3, Access::rw, 0, ""}}),
                        Contains("field 'wide': bits 32..30 (lsb 30, width 3) go beyond the register's bits 31..0"));
    REQUIRE_THROWS_WITH(map.add_register("ctrl", "", {Field{"none", 0, 0, Access::rw, 0, ""}}),
                        Contains("field 'none': width 0 outside 1..32"));
    REQUIRE_THROWS_WITH(map.add_register("ctrl", "", {Field{"neg", -1, 2, Access::rw, 0, ""}}),
                        Contains("field 'neg': bits 0..-1"));
    REQUIRE_THROWS_WITH(map.add_register("ctrl", "", {}), Contains("register 'ctrl' at 0x000: no fields"));
    REQUIRE(map.registers().empty());
}

TEST_CASE("regmap: duplicate and malformed names are named", "[regmap]") {
    RegisterMap map = empty_map();
    map.add_register("ctrl", "", {Field{"go", 0, 1, Access::w1s, 0, ""}});
    REQUIRE_THROWS_WITH(map.add_register("ctrl", "", {Field{"x", 0, 1, Access::rw, 0, ""}}),
                        "register map 'demo': register 'ctrl' at 0x004: the name is taken (at 0x000)");
    REQUIRE_THROWS_WITH(
        map.add_register("other", "", {Field{"x", 0, 1, Access::rw, 0, ""}, Field{"x", 1, 1, Access::rw, 0, ""}}),
        Contains("register 'other' at 0x004: field 'x': the name is taken"));
    for (const char* bad : {"Ctrl", "1st", "a__b", "trailing_", "has-dash", ""}) {
        INFO(bad);
        REQUIRE_THROWS_WITH(map.add_register(bad, "", {Field{"x", 0, 1, Access::rw, 0, ""}}),
                            Contains("the name must be a lower-case identifier"));
        REQUIRE_THROWS_WITH(map.add_register("fine", "", {Field{bad, 0, 1, Access::rw, 0, ""}}),
                            Contains("the name must be a lower-case identifier"));
    }
    REQUIRE_THROWS_WITH(RegisterMap("Demo", default_config()), Contains("register map 'Demo': the name must be"));
    REQUIRE_THROWS_WITH(map.add_register("axil_x", "", {Field{"x", 0, 1, Access::rw, 0, ""}}),
                        Contains("the name is reserved"));
    REQUIRE_THROWS_WITH(map.add_counter("clk", 32, ""), Contains("counter 'clk': the name is reserved"));
    // names that would give the same ports and macros: register a_b vs register a field b
    map.add_register("a", "", {Field{"b", 0, 1, Access::rw, 0, ""}});
    REQUIRE_THROWS_WITH(map.add_register("a_b", "", {Field{"c", 0, 1, Access::rw, 0, ""}}),
                        "register map 'demo': register 'a_b' and register 'a' field 'b' both give the name 'a_b' to "
                        "the ports and C macros");
    map.add_register("e", "", {Field{"f", 0, 1, Access::w1c, 0, ""}});
    REQUIRE_THROWS_WITH(map.add_register("e_f", "", {Field{"x", 0, 1, Access::ro, 0, ""}}),
                        Contains("register 'e_f' and register 'e' field 'f' both give the name 'e_f'"));
    REQUIRE_THROWS_WITH(map.add_register("e_f_set", "", {Field{"x", 0, 1, Access::rw, 0, ""}}),
                        Contains("the set input of register 'e' field 'f'"));
    REQUIRE_THROWS_WITH(map.add_register("desc", "two\nlines", {Field{"x", 0, 1, Access::rw, 0, ""}}),
                        Contains("the description must be one line of printable ASCII without '\\'"));
}

TEST_CASE("regmap: reset values, offsets and counter widths are checked", "[regmap]") {
    RegisterMap map = empty_map();
    REQUIRE_THROWS_WITH(map.add_register("r", "", {Field{"x", 0, 4, Access::rw, 0x1f, ""}}),
                        Contains("field 'x': reset 0x1f does not fit its 4 bits"));
    REQUIRE_THROWS_WITH(map.add_register("r", "", {Field{"x", 0, 1, Access::w1s, 1, ""}}),
                        Contains("reset 0x1, but a w1s field reads 0; its reset must be 0"));
    REQUIRE_THROWS_WITH(map.add_register("r", "", {Field{"x", 0, 1, Access::ro, 1, ""}}),
                        Contains("a ro field reads its input; its reset must be 0"));
    REQUIRE_THROWS_WITH(map.add_register("r", "", {Field{"x", 0, 32, Access::ro_counter, 0, ""}}),
                        Contains("ro_counter fields are made by add_counter"));
    REQUIRE_THROWS_WITH(map.add_register("r", "", {Field{"x", 0, 1, Access::rw, 0, ""}}, 0x6),
                        "register map 'demo': register 'r': offset 0x6 is not a multiple of 4");
    map.add_register("first", "", {Field{"x", 0, 1, Access::rw, 0, ""}}, 0x8);
    REQUIRE_THROWS_WITH(map.add_register("second", "", {Field{"x", 0, 1, Access::rw, 0, ""}}, 0x8),
                        Contains("register 'second' at 0x008: the offset is taken by register 'first'"));
    REQUIRE_THROWS_WITH(map.add_counter("wide", 48, ""),
                        "register map 'demo': counter 'wide': 48 bits; counters "
                        "have 32 or 64");
    // a 64-bit counter whose HI word cannot be placed leaves no LO word behind
    map.add_register("blocker", "", {Field{"x", 0, 1, Access::rw, 0, ""}}, 0x24);
    REQUIRE_THROWS_WITH(map.add_counter("events", 64, "", 0x20),
                        Contains("register 'events_hi' at 0x024: the offset is taken by register 'blocker'"));
    REQUIRE(map.find("events_lo") == nullptr);
    REQUIRE(map.registers().size() == 2);
}

TEST_CASE("regmap: offsets are assigned in order unless given", "[regmap]") {
    const RegisterMap map = small_map();
    const auto& registers = map.registers();
    REQUIRE(registers.size() == 5);
    CHECK(registers[0].offset == 0x0);
    CHECK(registers[1].offset == 0x4);
    CHECK(registers[2].offset == 0x10);
    CHECK(registers[3].name == "cycles_lo");
    CHECK(registers[3].offset == 0x14);
    CHECK(registers[3].word == fwmac::CounterWord::low);
    CHECK(registers[4].name == "cycles_hi");
    CHECK(registers[4].offset == 0x18);
    CHECK(registers[4].word == fwmac::CounterWord::high);
    CHECK(map.span_bytes() == 0x1c);
    CHECK(map.address_bits() == 5);
    CHECK(fwmac::register_reset(registers[0]) == 0xbeef0050u);  // mode 5 at bit 4, level 0xbeef at 16
    CHECK(fwmac::register_reset(registers[1]) == 0x4u);         // irq 2 at bit 1
    CHECK(fwmac::register_reset(registers[2]) == 0x12300u);
    CHECK(fwmac::field_mask(registers[0].fields[1]) == 0x70u);
    CHECK(RegisterMap("tiny", default_config()).address_bits() == 3);

    std::vector<std::string> ports;
    for (const fwmac::RegisterPort& port : fwmac::register_ports(map)) {
        ports.push_back(port.name + (fwmac::is_input(port.role) ? " in " : " out ") + std::to_string(port.width));
    }
    CHECK(ports == std::vector<std::string>{"ctrl_go_o out 1", "ctrl_mode_o out 3", "ctrl_level_o out 16",
                                            "status_busy_i in 1", "status_irq_set_i in 2", "status_irq_o out 2",
                                            "cycles_i in 64"});
}

TEST_CASE("regmap: the accelerator's map", "[regmap]") {
    const fwmac::GeneratorConfig config = default_config();
    const RegisterMap map = fwmac::accel_regmap(config);
    const auto offset = [&](const std::string& name) {
        const fwmac::Register* reg = map.find(name);
        REQUIRE(reg != nullptr);
        return reg->offset;
    };
    CHECK(offset("id") == 0x000);
    CHECK(offset("version") == 0x004);
    CHECK(offset("array") == 0x010);
    CHECK(offset("weight_buffer") == 0x028);
    CHECK(offset("ctrl") == 0x040);
    CHECK(offset("status") == 0x044);
    CHECK(offset("in_size") == 0x080);
    CHECK(offset("pitch") == 0x09c);
    CHECK(offset("pixels") == 0x0a8);
    // layout version 2: the derived values follow the descriptor
    CHECK(offset("im2col_x") == 0x0ac);
    CHECK(offset("tiles") == 0x0bc);
    CHECK(fwmac::register_reset(*map.find("version")) == 2u);
    CHECK(fwmac::register_reset(*map.find("tiles")) == 0x00010001u);
    CHECK(offset("busy_cycles_lo") == 0x100);
    CHECK(offset("busy_cycles_hi") == 0x104);
    CHECK(offset("wait_output_cycles_hi") == 0x12c);
    CHECK(map.address_bits() == 9);
    // constants of the default 8x8x8 design: rows 8 cols 8 lanes 8, one slot, bit-serial
    CHECK(fwmac::register_reset(*map.find("id")) == fwmac::kAccelMagic);
    CHECK(fwmac::register_reset(*map.find("array")) == 0x01080808u);
    CHECK(fwmac::register_reset(*map.find("system")) == (64u << 16 | 128u));
    CHECK(fwmac::register_reset(*map.find("act_buffer")) == 256u * 1024 * 8 / 64);
    CHECK(fwmac::register_reset(*map.find("weight_buffer")) == 576u * 8);  // 4608 / 8 chunks x 8 planes
    CHECK(fwmac::register_reset(*map.find("kernel")) == 0x00010001u);
    const std::uint64_t hash = std::stoull(fwmac::config_hash(config), nullptr, 16);
    CHECK(fwmac::register_reset(*map.find("config_hash_hi")) == static_cast<std::uint32_t>(hash >> 32));

    fwmac::AccelSystem system;
    system.bus_bits = 100;
    REQUIRE_THROWS_WITH(fwmac::accel_regmap(config, system),
                        "config.system.bus_bits = 100: must be 32, 64, 128, 256 or 512");
    system.bus_bits = 64;
    system.max_groups = 0;
    REQUIRE_THROWS_WITH(fwmac::accel_regmap(config, system), Contains("config.system.max_groups = 0: allowed range"));
    const fwmac::GeneratorConfig many_chunks =
        fwmac::parse_config(nlohmann::json{{"lanes", 1}, {"act_bits", 2}, {"max_weight_bits", 2}, {"k_max", 70000}});
    REQUIRE_THROWS_WITH(fwmac::accel_regmap(many_chunks), Contains("70000 chunks of 1 lanes"));
}

TEST_CASE("regmap: the C header's macros of a map worked by hand", "[regmap]") {
    const std::string header = fwmac::emit_c_header(small_map(), "demo");
    CHECK(fwmac::c_header_file_name("demo") == "demo_regs.h");
    for (const char* line : {"#ifndef DEMO_REGS_H_", "#define DEMO_ADDR_BITS 5", "#define DEMO_SPAN_BYTES 0x1cu",
                             "#define DEMO_CTRL_OFFSET 0x000u", "#define DEMO_CTRL_RESET 0xbeef0050u",
                             "#define DEMO_CTRL_MODE_SHIFT 4", "#define DEMO_CTRL_MODE_WIDTH 3",
                             "#define DEMO_CTRL_MODE_MASK 0x00000070u", "#define DEMO_CTRL_MODE_RESET 0x5u",
                             "#define DEMO_CTRL_LEVEL_MASK 0xffff0000u", "#define DEMO_STATUS_IRQ_MASK 0x00000006u",
                             "#define DEMO_LIMIT_OFFSET 0x010u", "#define DEMO_LIMIT_VALUE_MASK 0x000fff00u",
                             "#define DEMO_LIMIT_VALUE_RESET 0x123u", "#define DEMO_CYCLES_HI_OFFSET 0x018u",
                             "static inline uint64_t demo_cycles_read(const volatile uint32_t *regs) {"}) {
        INFO(line);
        CHECK_THAT(header, Contains(std::string(line) + "\n"));
    }
    // a prefix as config.name spells it: macros upper case, functions as given
    const std::string mixed = fwmac::emit_c_header(small_map(), "MyNet");
    CHECK_THAT(mixed, Contains("#define MYNET_CTRL_OFFSET 0x000u\n"));
    CHECK_THAT(mixed, Contains("static inline uint32_t MyNet_ctrl_go_get(uint32_t reg)"));
    REQUIRE_THROWS_WITH(fwmac::emit_c_header(small_map(), "1demo"), Contains("C header prefix '1demo': must be"));
    REQUIRE_THROWS_WITH(fwmac::emit_c_header(small_map(), "my-net"), Contains("C header prefix 'my-net': must be"));
}

TEST_CASE("regmap: the C header compiles as C99 and C++17 and its accessors work", "[regmap]") {
    fwmac::testing::TempDir dir;
    const std::string base = dir.path().string();
    write_text(base + "/demo_regs.h", fwmac::emit_c_header(small_map(), "demo"));
    write_text(base + "/accel_regs.h", fwmac::emit_c_header(fwmac::accel_regmap(default_config()), "accel"));
    // hand-derived: fields of 0xbeef0050, replacing mode, the counter read LO then HI
    write_text(base + "/check.c", R"(#include "demo_regs.h"
#include "accel_regs.h"
static int failures = 0;
static void expect(int ok) { failures += !ok; }
int main(void) {
    uint32_t regs[7] = {0};
    uint32_t ctrl = DEMO_CTRL_RESET;
    expect(demo_ctrl_mode_get(ctrl) == 5u);
    expect(demo_ctrl_level_get(ctrl) == 0xbeefu);
    expect(demo_ctrl_go_get(ctrl) == 0u);
    ctrl = demo_ctrl_mode_set(ctrl, 2u);
    expect(ctrl == 0xbeef0020u);
    expect(demo_ctrl_mode_set(0u, 0xffu) == DEMO_CTRL_MODE_MASK);
    expect(demo_limit_value_get(DEMO_LIMIT_RESET) == 0x123u);
    regs[DEMO_CYCLES_LO_OFFSET / 4u] = 0x89abcdefu;
    regs[DEMO_CYCLES_HI_OFFSET / 4u] = 0x01234567u;
    expect(demo_cycles_read(regs) == 0x0123456789abcdefull);
    expect(accel_id_magic_get(ACCEL_ID_RESET) == 0x464d4143u);
    expect(ACCEL_CTRL_OFFSET == 0x40u && ACCEL_CTRL_START_MASK == 0x1u && ACCEL_CTRL_IRQ_ENABLE_MASK == 0x2u);
    expect(ACCEL_STATUS_ERROR_CODE_MASK == 0xff00u && ACCEL_WAIT_OUTPUT_CYCLES_HI_OFFSET == 0x12cu);
    expect(accel_array_rows_get(ACCEL_ARRAY_RESET) == 8u);
    return failures;
}
)");
    for (const std::string compile : {"gcc -std=c99 -Wall -Wextra -pedantic -Werror -x c",
                                      "g++ -std=c++17 -Wall -Wextra -pedantic -Werror -x c++"}) {
        INFO(compile);
        REQUIRE(run(compile + " " + base + "/check.c -o " + base + "/check", base + "/compile.log") == 0);
        REQUIRE(run(base + "/check", base + "/run.log") == 0);
    }
}

TEST_CASE("regmap: the Markdown table", "[regmap]") {
    const std::string table = fwmac::emit_markdown_table(small_map());
    CHECK_THAT(table, Contains("| offset | register | field | bits | access | reset | description |\n"
                               "|---|---|---|---|---|---|---|\n"
                               "| 0x000 | `ctrl` | | [31:0] | | 0xbeef0050 | control |\n"
                               "| | | `go` | [0] | w1s | 0x0 | start |\n"
                               "| | | `mode` | [6:4] | rw | 0x5 | mode |\n"
                               "| | | `level` | [31:16] | rw | 0xbeef | level |\n"
                               "| 0x004 | `status` | | [31:0] | | 0x00000004 | status |\n"));
    CHECK_THAT(table, Contains("| 0x018 | `cycles_hi` | | [31:0] | | 0x00000000 | cycles (bits 63..32, as latched by "
                               "reading LO) |\n"));
    CHECK(table.rfind("<!-- Generated by fwmac ", 0) == 0);
}

TEST_CASE("regmap: the CSR module's ports, parameter and determinism", "[regmap]") {
    const RegisterMap map = small_map();
    const std::string rtl = fwmac::emit_csr_rtl(map, "demo_csr");
    CHECK(rtl == fwmac::emit_csr_rtl(small_map(), "demo_csr"));
    CHECK_THAT(rtl, Contains("// Generated by fwmac"));
    CHECK_THAT(rtl, Contains("`default_nettype none\n\nmodule demo_csr #(\n  parameter integer ADDR_W = 5"));
    for (const char* port : {"  input  wire              clk_i,\n",
                             "  input  wire              rst_ni,            // synchronous, active low\n",
                             "  input  wire [ADDR_W-1:0] s_axil_awaddr_i,   // byte address; bits 1..0 ignored\n",
                             "  output wire [1:0]        s_axil_bresp_o,    // OKAY, or SLVERR outside the map\n",
                             "  output wire              ctrl_go_o,         // w1s: one-cycle pulse per write of 1\n",
                             "  output wire [2:0]        ctrl_mode_o,       // rw, reset 3'h5\n",
                             "  input  wire              status_busy_i,     // ro: read as is\n",
                             "  input  wire [1:0]        status_irq_set_i,  // w1c: a 1 sets the bit\n",
                             "  input  wire [63:0]       cycles_i           // 64-bit counter"}) {
        INFO(port);
        CHECK_THAT(rtl, Contains(port));
    }
    CHECK_THAT(rtl, Contains("ctrl_mode_q       <= 3'h5;"));
    // the written bits no field takes go to a lint sink
    CHECK_THAT(rtl, Contains("wire unused_write_bits = ^{axil_wr_ones[3], axil_wr_ones[15:7]};"));
    CHECK_THAT(rtl,
               Contains("if (axil_ar_take && axil_ar_word == WORD_CYCLES_LO) cycles_hi_count_d = cycles_i[63:32];"));
    CHECK_THAT(fwmac::emit_csr_rtl(map, "MyNet_csr"), Contains("module MyNet_csr #("));
    REQUIRE_THROWS_WITH(fwmac::emit_csr_rtl(map, "_csr"), Contains("CSR module name '_csr': must be"));
    REQUIRE_THROWS_WITH(fwmac::emit_csr_rtl(empty_map(), "demo_csr"), Contains("register map 'demo': no registers"));
}

TEST_CASE("regmap: a generated CSR module lints clean", "[regmap][lint]") {
    fwmac::testing::TempDir dir;
    const std::string file = (dir.path() / "demo_csr.v").string();
    write_text(file, fwmac::emit_csr_rtl(small_map(), "demo_csr"));
    const std::string log = (dir.path() / "lint.log").string();
    REQUIRE(run(std::string(FWMAC_SOURCE_DIR) + "/tb/regmap/lint_csr.sh " + file + " demo_csr " + dir.path().string(),
                log) == 0);
}
