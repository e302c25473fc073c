// fwmac synth: the readers of yosys / nextpnr / OpenSTA output on short hand-written
// excerpts in the tools' formats, the cell grouping, the port reader, the pin wrapper
// and the generated constraint files. (The tools themselves run in tests/synth_check.sh.)
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <regex>
#include <string>

#include "generator/cli/cli.hpp"
#include "generator/common/config.hpp"
#include "generator/design/design.hpp"
#include "generator/flows/synth_emit.hpp"
#include "generator/flows/synth_parse.hpp"
#include "generator/flows/synth_run.hpp"

using Catch::Matchers::Contains;

namespace {

fwmac::GeneratorConfig config_2x3x5() {
    return fwmac::parse_config(
        nlohmann::json{{"name", "synth_test"}, {"rows", 2}, {"cols", 3}, {"lanes", 5}, {"act_bits", 4},
                       {"max_weight_bits", 3}, {"k_max", 100}, {"clock_mhz", 125}});
}

}  // namespace

TEST_CASE("yosys stat -json: cells per module, kept submodule as one cell", "[synth][parse]") {
    const std::string text = R"json({
   "creator": "Yosys 0.23 (git sha1 7ce5011c24b)",
   "invocation": "stat -json ",
   "modules": {
      "\\fwmac_synth_wrapper": {
         "num_wires":         8,
         "num_cells":         6,
         "num_cells_by_type": {
            "SB_DFF": 4,
            "SB_LUT4": 1,
            "fwmac_top": 1
         }
      },
      "\\fwmac_top": {
         "num_wires":         50,
         "num_cells":         9,
         "num_cells_by_type": {
            "SB_CARRY": 2,
            "SB_DFFESR": 3,
            "SB_LUT4": 4
         }
      }
   },
      "design": {
         "num_cells":         14
      }
})json";
    const auto modules = fwmac::parse_stat_json(text);
    REQUIRE(modules.size() == 2);
    CHECK(modules.at("fwmac_top") == fwmac::CellCounts{{"SB_CARRY", 2}, {"SB_DFFESR", 3}, {"SB_LUT4", 4}});
    CHECK(modules.at("fwmac_synth_wrapper").at("fwmac_top") == 1);

    const fwmac::CellSummary wrapper =
        fwmac::summarize_cells(modules.at("fwmac_synth_wrapper"), fwmac::CellLibrary::ice40, {"fwmac_top"});
    CHECK(wrapper.cells == 5);
    CHECK(wrapper.flops == 4);
    CHECK(wrapper.luts == 1);

    CHECK_THROWS_WITH(fwmac::parse_stat_json("{\"modules\": 3"), Contains("not JSON"));
    CHECK_THROWS_WITH(fwmac::parse_stat_json("{\"creator\": \"x\"}"), Contains("no \"modules\""));
}

TEST_CASE("cell grouping per library", "[synth][parse]") {
    SECTION("generic: every $_*DFF*_ is a flop, latches are not gates") {
        const fwmac::CellSummary summary = fwmac::summarize_cells(
            {{"$_AND_", 5}, {"$_XOR_", 2}, {"$_MUX_", 1}, {"$_DFF_P_", 3}, {"$_SDFFCE_PN0P_", 4}, {"$_DFFE_PP_", 2},
             {"$_DLATCH_P_", 1}},
            fwmac::CellLibrary::generic);
        CHECK(summary.cells == 18);
        CHECK(summary.luts == 8);
        CHECK(summary.flops == 9);
        CHECK(summary.other == 1);
    }
    SECTION("xilinx: LUT1..6, FD*E, CARRY4, DSP48E1, block RAM; MUXF/SRL/INV are other") {
        const fwmac::CellSummary summary = fwmac::summarize_cells(
            {{"LUT1", 1}, {"LUT2", 2}, {"LUT6", 6}, {"FDRE", 10}, {"FDSE", 1}, {"FDCE", 2}, {"CARRY4", 3},
             {"DSP48E1", 2}, {"RAMB18E1", 1}, {"MUXF7", 4}, {"SRLC32E", 1}, {"INV", 2}},
            fwmac::CellLibrary::xilinx);
        CHECK(summary.luts == 9);
        CHECK(summary.flops == 13);
        CHECK(summary.carries == 3);
        CHECK(summary.dsps == 2);
        CHECK(summary.rams == 1);
        CHECK(summary.other == 7);
        CHECK(summary.cells == 35);
    }
    SECTION("ice40: SB_LUT4, SB_DFF*, SB_CARRY, SB_MAC16, RAM") {
        const fwmac::CellSummary summary = fwmac::summarize_cells(
            {{"SB_LUT4", 7}, {"SB_DFF", 1}, {"SB_DFFE", 2}, {"SB_DFFESR", 3}, {"SB_CARRY", 4}, {"SB_MAC16", 1},
             {"SB_RAM40_4K", 2}, {"SB_GB", 1}},
            fwmac::CellLibrary::ice40);
        CHECK(summary.luts == 7);
        CHECK(summary.flops == 6);
        CHECK(summary.carries == 4);
        CHECK(summary.dsps == 1);
        CHECK(summary.rams == 2);
        CHECK(summary.other == 1);
    }
    SECTION("liberty: the flop cells dfflibmap chose, the rest are gates") {
        const fwmac::CellSummary summary = fwmac::summarize_cells(
            {{"DFFPOSX1", 5}, {"NAND2X1", 10}, {"INVX1", 3}}, fwmac::CellLibrary::liberty, {}, {"DFFPOSX1"});
        CHECK(summary.flops == 5);
        CHECK(summary.luts == 13);
    }
}

TEST_CASE("yosys stat text: liberty area, CMOS transistors, dfflibmap choices", "[synth][parse]") {
    const std::string liberty_stat = R"(
17. Printing statistics.

=== fwmac_top ===

   Number of cells:              14433
     DFF                           452
     NAND2                        4062

   Chip area for module '\fwmac_top': 78482.500000
)";
    CHECK(fwmac::parse_chip_area(liberty_stat) == Approx(78482.5));
    CHECK_THROWS_WITH(fwmac::parse_chip_area("Number of cells: 3\n"), Contains("Chip area"));

    const fwmac::TransistorEstimate partial =
        fwmac::parse_transistor_estimate("   Number of cells: 10\n\n   Estimated number of transistors:     208516+\n");
    CHECK(partial.transistors == 208516);
    CHECK_FALSE(partial.complete);
    const fwmac::TransistorEstimate complete =
        fwmac::parse_transistor_estimate("   Estimated number of transistors:        42\n");
    CHECK(complete.transistors == 42);
    CHECK(complete.complete);
    CHECK_THROWS(fwmac::parse_transistor_estimate("nothing here"));

    const std::string dfflibmap_log = R"(12.1. Executing DFFLEGALIZE pass (convert FFs to types supported by the target).
Mapping DFF cells in module `\fwmac_top':
  mapped 452 $_DFF_P_ cells to \DFF cells.
  mapped 7 $_DFF_PN0_ cells to \DFFR cells.
)";
    CHECK(fwmac::parse_dfflibmap_log(dfflibmap_log) == std::map<std::string, std::int64_t>{{"DFF", 452}, {"DFFR", 7}});
}

TEST_CASE("nextpnr-ice40 log: the final utilisation, Fmax and critical path", "[synth][parse]") {
    const std::string routed = "Info: Device utilisation:\n"
                               "Info: \t         ICESTORM_LC:  4000/ 5280    75%\n"
                               "Info: \t               SB_IO:     3/   96     3%\n"
                               "\n"
                               "Info: Max frequency for clock 'clk_i$SB_IO_IN_$glb_clk': 12.50 MHz (FAIL at 100.00 MHz)\n"
                               "Info: Device utilisation:\n"
                               "Info: \t         ICESTORM_LC:  4675/ 5280    88%\n"
                               "Info: \t        ICESTORM_RAM:     0/   30     0%\n"
                               "Info: \t               SB_IO:     3/   96     3%\n"
                               "\n"
                               "Info: Critical path report for clock 'clk_i$SB_IO_IN_$glb_clk' (posedge -> posedge):\n"
                               "Info: curr total\n"
                               "Info:  1.4  1.4  Source u_core.head_q_LC.O\n"
                               "Info:  4.1  5.5    Net u_core.head[26] budget -10.4 ns (21,16) -> (14,10)\n"
                               "Info:                Sink u_core.u_requant.biased_LC.I2\n"
                               "Info:  0.6  6.1  Source u_core.u_requant.biased_LC.COUT\n"
                               "Info:  0.8 118.7  Setup u_core.u_requant.y_q_LC.I3\n"
                               "Info: 51.7 ns logic, 66.9 ns routing\n"
                               "\n"
                               "Info: Critical path report for cross-domain path '<async>' -> 'posedge clk':\n"
                               "Info:  1.8  1.8  Source scan_i$sb_io.D_IN_0\n"
                               "Info:  0.1  2.9  Setup scan_q_LC.I0\n"
                               "Info: 1.0 ns logic, 1.9 ns routing\n"
                               "Warning: Max frequency for clock 'clk_i$SB_IO_IN_$glb_clk': 8.43 MHz (FAIL at 100.00 MHz)\n"
                               "\n"
                               "1 warning, 0 errors\n";
    const fwmac::NextpnrLog log = fwmac::parse_nextpnr_log(routed);
    CHECK(log.utilisation.at("ICESTORM_LC").used == 4675);
    CHECK(log.utilisation.at("ICESTORM_LC").available == 5280);
    CHECK(log.utilisation.at("ICESTORM_RAM").used == 0);
    REQUIRE(log.clock);
    CHECK(*log.clock == "clk_i$SB_IO_IN_$glb_clk");
    CHECK(log.fmax_mhz == Approx(8.43));
    CHECK(log.target_mhz == Approx(100.0));
    CHECK_FALSE(log.timing_met);
    CHECK(log.critical_path_from == "u_core.head_q_LC");
    CHECK(log.critical_path_to == "u_core.u_requant.y_q_LC");
    CHECK(log.critical_logic_ns == Approx(51.7));
    CHECK(log.critical_routing_ns == Approx(66.9));
    CHECK(log.errors.empty());
    CHECK_FALSE(log.does_not_fit());

    const fwmac::NextpnrLog passing =
        fwmac::parse_nextpnr_log("Info: Max frequency for clock 'clk': 48.07 MHz (PASS at 12.00 MHz)\n");
    CHECK(passing.timing_met);
    CHECK(passing.fmax_mhz == Approx(48.07));
}

TEST_CASE("nextpnr-ice40 log: a design too big for the device", "[synth][parse]") {
    const std::string too_big =
        "Info: Packing LUT-FFs..\n"
        "Info:     9794 LCs used as LUT4 only\n"
        "Info: Device utilisation:\n"
        "Info: \t         ICESTORM_LC: 12111/ 5280   229%\n"
        "Info: \t               SB_IO:     3/   96     3%\n"
        "\n"
        "Info: Placed 3 cells based on constraints.\n"
        "ERROR: Unable to place cell 'u_core.x_LC', no BELs remaining to implement cell type 'ICESTORM_LC'\n"
        "0 warnings, 1 error\n";
    const fwmac::NextpnrLog log = fwmac::parse_nextpnr_log(too_big);
    CHECK(log.does_not_fit());
    CHECK(log.utilisation.at("ICESTORM_LC").used == 12111);
    CHECK_FALSE(log.clock);
    REQUIRE(log.errors.size() == 1);
    CHECK_THAT(log.errors[0], Contains("no BELs remaining"));

    // Another error (a pin the package lacks) is a failure, not a misfit.
    const fwmac::NextpnrLog bad_pin =
        fwmac::parse_nextpnr_log("ERROR: unmatched constraint 'sig_o' (on line 5)\n0 warnings, 1 error\n");
    CHECK_FALSE(bad_pin.does_not_fit());
    CHECK(bad_pin.errors.size() == 1);
}

TEST_CASE("OpenSTA log: worst slack, tns, first path, errors", "[synth][parse]") {
    const std::string text = "Warning: constraints/fwmac.sdc line 6, port 'b_i' not found.\n"
                             "Startpoint: _28194_ (rising edge-triggered flip-flop clocked by clk)\n"
                             "Endpoint: _27992_ (rising edge-triggered flip-flop clocked by clk)\n"
                             "Path Group: clk\n"
                             "Path Type: max\n"
                             "\n"
                             "           -1.234   slack (VIOLATED)\n"
                             "\n"
                             "fwmac: the worst register-to-register path (inside the core):\n"
                             "Startpoint: u_drain.params_q[3]_DFF_Q (rising edge-triggered flip-flop clocked by clk)\n"
                             "Endpoint: y_data_o[1]_DFF_Q (rising edge-triggered flip-flop clocked by clk)\n"
                             "-----------------------------------------------------------\n"
                             "            0.500   slack (MET)\n"
                             "\n"
                             "worst slack -1.234\n"
                             "tns -17.500\n";
    const fwmac::StaLog log = fwmac::parse_sta_log(text);
    REQUIRE(log.worst_slack_ns);
    CHECK(*log.worst_slack_ns == Approx(-1.234));
    REQUIRE(log.total_negative_slack_ns);
    CHECK(*log.total_negative_slack_ns == Approx(-17.5));
    REQUIRE(log.paths.size() == 2);
    CHECK(log.paths[0].startpoint == "_28194_");
    CHECK(log.paths[0].endpoint == "_27992_");
    REQUIRE(log.paths[0].slack_ns);
    CHECK(*log.paths[0].slack_ns == Approx(-1.234));
    CHECK(log.paths[1].startpoint == "u_drain.params_q[3]_DFF_Q");
    CHECK(log.paths[1].endpoint == "y_data_o[1]_DFF_Q");
    CHECK(*log.paths[1].slack_ns == Approx(0.5));
    CHECK(log.warnings.size() == 1);
    CHECK(log.errors.empty());

    const fwmac::StaLog failed = fwmac::parse_sta_log("Error: sdc.sdc, 2 invalid command name \"foo\"\n");
    CHECK(failed.errors.size() == 1);
    CHECK_FALSE(failed.worst_slack_ns);
}

TEST_CASE("top ports and the pin wrapper", "[synth][emit]") {
    const fwmac::GeneratorConfig config = config_2x3x5();
    const fwmac::ArrayShape& shape = config.shape;
    const fwmac::FileSet files = fwmac::generate_design(config);
    // the design's modules and files carry its name ("synth_test") as prefix
    const std::vector<fwmac::PortDeclaration> ports =
        fwmac::module_ports(files.at("rtl/synth_test_top.v"), "synth_test_top");

    // Widths from golden/shape.hpp, as the README's stream table documents them.
    std::map<std::string, int> width;
    int inputs = 0;
    int outputs = 0;
    for (const auto& port : ports) {
        width[port.name] = port.width;
        if (port.name == "clk_i") continue;
        (port.is_input ? inputs : outputs) += port.width;
    }
    CHECK(width.at("w_plane_i") == shape.rows * shape.lanes);
    CHECK(width.at("a_data_i") == shape.cols * shape.lanes * shape.act_bits);
    CHECK(width.at("p_data_i") == fwmac::param_width(shape));  // one drained row's parameters per beat
    CHECK(width.at("y_data_o") == shape.cols * shape.act_bits);  // narrow outputs: A bits per value
    CHECK(width.at("cmd_chunks_i") == fwmac::chunk_count_width(shape));
    CHECK(width.at("rst_ni") == 1);
    CHECK(width.count("p_raw_i") == 0);  // no raw mode without raw_outputs
    CHECK(ports.size() == 20);

    const std::string wrapper = files.at("synth/synth_test_synth_wrapper.v");
    CHECK_THAT(wrapper, Contains("module synth_test_synth_wrapper") && Contains("synth_test_top u_core"));
    CHECK_THAT(wrapper, Contains(fmt::format("localparam integer IN_W  = {};", inputs)));
    CHECK_THAT(wrapper, Contains(fmt::format("localparam integer OUT_W = {};", outputs)));
    for (const auto& port : ports) {
        CAPTURE(port.name);
        CHECK_THAT(wrapper, Contains(fmt::format(".{}(", port.name)));
    }
    CHECK_THAT(wrapper, Contains(".y_data_o(core_out[5 +: " + std::to_string(width.at("y_data_o")) + "])"));

    CHECK_THROWS_WITH(fwmac::top_ports("module other (\n  input wire a\n);\n"), Contains("no `module fwmac_top"));
    CHECK_THROWS_WITH(fwmac::top_ports("module fwmac_top (\n  input wire [3:0] a,\n  inout wire b\n);\n"),
                      Contains("inout wire b"));
}

TEST_CASE("generated constraints and scripts", "[synth][emit]") {
    const fwmac::GeneratorConfig config = config_2x3x5();
    const fwmac::FileSet files = fwmac::generate_design(config);
    const std::string hash = fwmac::config_hash(config);
    for (const char* path :
         {"constraints/synth_test.sdc", "constraints/synth_test_up5k.pcf", "constraints/synth_test_hx8k.pcf",
          "synth/synth_generic.ys", "synth/synth_ice40.ys", "synth/pnr_ice40.sh", "synth/synth_xilinx.ys",
          "synth/synth_xilinx_nodsp.ys", "synth/synth_liberty.ys", "synth/sta_liberty.tcl",
          "synth/synth_test_synth_wrapper.v"}) {
        CAPTURE(path);
        REQUIRE(files.count(path) == 1);
        CHECK_THAT(files.at(path), Contains(hash));
        CHECK_FALSE(std::regex_search(files.at(path), std::regex("@[A-Z_]+@")));  // every @FIELD@ filled
    }
    // 125 MHz: 8 ns period, 1.6 ns I/O budget; every port but the clock constrained.
    const std::string& sdc = files.at("constraints/synth_test.sdc");
    CHECK_THAT(sdc, Contains("create_clock -name clk -period 8.000 [get_ports clk_i]"));
    CHECK_THAT(sdc, Contains("set_input_delay -clock clk 1.600 [get_ports {rst_ni cmd_valid_i cmd_chunks_i[*]"));
    CHECK_THAT(sdc, Contains("set_output_delay -clock clk 1.600 [get_ports {cmd_ready_o"));
    CHECK_THAT(sdc, Contains(" y_data_o[*] y_last_o}]"));
    CHECK_THAT(files.at("synth/pnr_ice40.sh"), Contains("--freq 125 "));
    CHECK_THAT(files.at("synth/synth_liberty.ys"), Contains("abc -fast -D 8000 -liberty synth/liberty.lib"));
    CHECK_THAT(files.at("synth/synth_xilinx_nodsp.ys"), Contains("-noclkbuf -nodsp\n"));
    CHECK_THAT(files.at("synth/synth_xilinx.ys"), Contains("-noclkbuf\n"));
    CHECK_THAT(files.at("synth/synth_ice40.ys"), Contains("setattr -mod -set keep_hierarchy 1 synth_test_top"));
    CHECK_THAT(files.at("synth/pnr_ice40.sh"), Contains("constraints/synth_test_$device.pcf"));
    CHECK_THAT(files.at("synth/synth_hierarchy.ys"), Contains("hierarchy -check -top synth_test_top"));

    CHECK_THROWS_WITH(fwmac::fill_template("t.ys", "a @KNOWN@ b @MISSING@", {{"KNOWN", "x"}}),
                      Contains("constraints/t.ys") && Contains("@MISSING@"));
    CHECK(fwmac::fill_template("t.ys", "a @KNOWN@ b@c", {{"KNOWN", "x"}}) == "a x b@c");
}

TEST_CASE("the accelerator shell's scripts and pin wrapper", "[synth][emit]") {
    // bus_bits 64 and the register map's 9 address bits: the wrapper's widths follow the
    // shell's AXI ports (AXI4-Lite: 32-bit data, 4 strobes, 3 prot bits per address channel)
    for (const int bus : {32, 64}) {
        CAPTURE(bus);
        nlohmann::json json{{"name", "shell_test"}, {"rows", 2},  {"cols", 2},   {"lanes", 2},
                            {"act_bits", 4},        {"max_weight_bits", 4},      {"k_max", 36}};
        json["system"] = {{"bus_bits", bus}, {"act_buffer_kib", 1}};
        const fwmac::FileSet files = fwmac::generate_design(fwmac::parse_config(json));
        const std::string& accel = files.at("rtl/shell_test_accel.v");
        std::smatch address;
        REQUIRE(std::regex_search(accel, address, std::regex(R"(parameter integer ADDR_W\s*=\s*([0-9]+))")));
        const int a = std::stoi(address[1]);
        // rst, aw (valid, addr, prot), w (valid, data, strb), bready, ar (valid, addr, prot),
        // rready; s_axis tdata, tvalid, tlast; m_axis tready
        const int inputs = 1 + (1 + a + 3) + (1 + 32 + 4) + 1 + (1 + a + 3) + 1 + (bus + 2) + 1;
        // awready, wready, bvalid, bresp, arready, rvalid, rdata, rresp; s_axis tready;
        // m_axis tdata, tkeep, tvalid, tlast; irq
        const int outputs = 1 + 1 + 1 + 2 + 1 + 1 + 32 + 2 + 1 + (bus + bus / 8 + 2) + 1;
        const std::string& wrapper = files.at("synth/shell_test_accel_wrapper.v");
        CHECK_THAT(wrapper, Contains("module shell_test_accel_wrapper") && Contains("shell_test_accel u_core"));
        CHECK_THAT(wrapper, Contains(fmt::format("localparam integer IN_W  = {};", inputs)));
        CHECK_THAT(wrapper, Contains(fmt::format("localparam integer OUT_W = {};", outputs)));
        CHECK_THAT(wrapper, Contains(fmt::format(".m_axis_tkeep_o(core_out[", bus / 8)) &&
                                Contains(fmt::format("+: {}])", bus / 8)));
        const std::string& ice40 = files.at("synth/synth_ice40_accel.ys");
        CHECK_THAT(ice40, Contains("setattr -mod -set keep_hierarchy 1 shell_test_accel\n"));
        CHECK_THAT(ice40, Contains("setattr -set ram_style \"block\" *shell_test_ram_sdp*/mem_q"));
        CHECK_THAT(ice40, Contains("select -assert-none t:$mem_v2 a:ram_style=block %i"));
        CHECK_THAT(ice40, Contains("write_json synth/ice40_accel.json"));
        CHECK_THAT(ice40, Contains(fmt::format("{} input and {} output bits", inputs, outputs)));
        CHECK_THAT(files.at("synth/synth_xilinx_accel.ys"),
                   Contains("synth_xilinx -family xc7 -top shell_test_accel -flatten -noiopad -noclkbuf\n"));
        CHECK_THAT(files.at("synth/pnr_ice40.sh"), Contains("ice40|ice40_array|ice40_accel)"));
        for (const char* path : {"synth/synth_ice40_accel.ys", "synth/synth_xilinx_accel.ys"}) {
            CHECK_FALSE(std::regex_search(files.at(path), std::regex("@[A-Z_]+@")));
        }
    }
    // without a system section: no shell, no shell scripts
    const fwmac::FileSet core_only = fwmac::generate_design(config_2x3x5());
    CHECK(core_only.count("synth/synth_ice40_accel.ys") == 0);
    CHECK(core_only.count("synth/synth_xilinx_accel.ys") == 0);
    CHECK(core_only.count("synth/synth_test_accel_wrapper.v") == 0);
}

TEST_CASE("yosys memory_libmap log: where each memory went", "[synth][parse]") {
    const std::string log =
        "29.24. Executing MEMORY_LIBMAP pass (mapping memories to cells).\n"
        "using FF mapping for memory a_accel.$flatten\\u_csr.$auto$proc_rom.cc:150:do_switch$1797\n"
        "mapping memory a_accel.u_datapath.u_front.u_act_buffer.g_bank[0].u_ram.mem_q via $__ICE40_RAM4K_\n"
        "mapping memory a_accel.u_datapath.u_front.u_group_buffer.u_prm_ram.mem_q via $__XILINX_LUTRAM_\n"
        "  mapping memory is not at the start of the line\n";
    const std::vector<fwmac::MemoryMapping> memories = fwmac::parse_memory_mapping(log);
    REQUIRE(memories.size() == 3);
    CHECK(memories[0].memory == "a_accel.$flatten\\u_csr.$auto$proc_rom.cc:150:do_switch$1797");
    CHECK(memories[0].cell.empty());
    CHECK(memories[1].memory == "a_accel.u_datapath.u_front.u_act_buffer.g_bank[0].u_ram.mem_q");
    CHECK(memories[1].cell == "$__ICE40_RAM4K_");
    CHECK(memories[2].cell == "$__XILINX_LUTRAM_");
    CHECK(fwmac::parse_memory_mapping("").empty());
}

TEST_CASE("fwmac synth --flow lists", "[synth][cli]") {
    using Flows = std::vector<std::string>;
    CHECK(fwmac::expand_flows("all", false) == Flows{"generic", "hierarchy", "ice40", "ice40_array", "ice40_accel",
                                                     "xilinx", "xilinx_nodsp", "xilinx_accel"});
    CHECK(fwmac::expand_flows("all", true) == Flows{"generic", "hierarchy", "ice40", "ice40_array", "ice40_accel",
                                                    "xilinx", "xilinx_nodsp", "xilinx_accel", "liberty"});
    CHECK(fwmac::expand_flows("xilinx_accel,ice40_accel", false) == Flows{"ice40_accel", "xilinx_accel"});
    CHECK(fwmac::expand_flows("xilinx,generic,xilinx", false) == Flows{"generic", "xilinx"});
    CHECK_THROWS_AS(fwmac::expand_flows("vivado", false), fwmac::UsageError);
    CHECK_THROWS_WITH(fwmac::expand_flows("liberty", false), Contains("--liberty FILE"));
    CHECK_THROWS_AS(fwmac::expand_flows("", false), fwmac::UsageError);
}

TEST_CASE("hierarchical stat: yosys 0.23's trailing comma, instance counts, transistors", "[synth][parse]") {
    // A hand-written excerpt in the shape yosys 0.23 writes without a top module: two
    // levels, the leaf instantiated 3 times per middle module, twice per top.
    const std::string text = R"({
   "creator": "Yosys 0.23",
   "modules": {
      "$paramod$abc\\leaf": {
         "num_cells": 3,
         "num_cells_by_type": { "$_AND_": 2, "$_DFF_P_": 1 },
         "estimated_num_transistors": "28"
      },
      "\\middle": {
         "num_cells": 4,
         "num_cells_by_type": { "$_NOT_": 1, "$paramod$abc\\leaf": 3 },
         "estimated_num_transistors": "2+"
      },
      "\\top": {
         "num_cells": 3,
         "num_cells_by_type": { "middle": 2, "$_XOR_": 1 },
         "estimated_num_transistors": "12+"
      }
   },

}
)";
    const auto modules = fwmac::parse_hierarchy_stat_json(text);
    REQUIRE(modules.size() == 3);
    CHECK(modules.at("$paramod$abc\\leaf").own_transistors == 28);
    CHECK(modules.at("middle").own_transistors == 2);
    // the '+' of middle and top comes from their submodules only
    for (const auto& [name, stat] : modules) {
        CAPTURE(name);
        CHECK(stat.transistors_known);
        CHECK(stat.transistors_complete);
    }
    const auto instances = fwmac::instance_counts(modules, "top");
    CHECK(instances.at("top") == 1);
    CHECK(instances.at("middle") == 2);
    CHECK(instances.at("$paramod$abc\\leaf") == 6);
    CHECK(fwmac::base_module_name("$paramod$abc\\leaf") == "leaf");
    CHECK(fwmac::base_module_name("middle") == "middle");
    CHECK_THROWS_WITH(fwmac::instance_counts(modules, "missing"), Contains("no module 'missing'"));
    // an unpriced gate keeps the '+': incomplete
    std::string unpriced = text;
    unpriced.replace(unpriced.find("\"$_NOT_\": 1"), 11, "\"$_DLATCH_P_\": 1");
    CHECK_FALSE(fwmac::parse_hierarchy_stat_json(unpriced).at("middle").transistors_complete);
}
