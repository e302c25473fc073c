// The config's "system" section and the accelerator shell `fwmac generate` writes with it:
// defaults and named errors, the unchanged hash of configs without it, the shell's files
// with the design prefix, fwmac_accel's parameters set to the design's widths (derived by
// hand for a small shape), the CSR module and C header of the register map.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "generator/common/config.hpp"
#include "generator/design/design.hpp"

namespace {

using Catch::Matchers::Contains;

nlohmann::json small_config() {
    return nlohmann::json{{"name", "acc"}, {"rows", 2},      {"cols", 4},
                          {"lanes", 4},    {"act_bits", 4},  {"max_weight_bits", 4},
                          {"k_max", 72},   {"system", {{"bus_bits", 32}, {"act_buffer_kib", 2}}}};
}

// The default of `parameter integer NAME = value` in `text`, or -1.
long parameter_of(const std::string& text, const std::string& name) {
    std::smatch match;
    if (!std::regex_search(text, match, std::regex("parameter integer " + name + "\\s*=\\s*([0-9]+)"))) return -1;
    return std::stol(match[1]);
}

}  // namespace

TEST_CASE("config system section: defaults, hash and named errors", "[config][accel]") {
    const fwmac::GeneratorConfig plain = fwmac::parse_config(nlohmann::json::object());
    CHECK_FALSE(plain.has_system);
    CHECK_FALSE(fwmac::normalized_json(plain).contains("system"));

    const fwmac::GeneratorConfig config = fwmac::parse_config(nlohmann::json{{"system", nlohmann::json::object()}});
    CHECK(config.has_system);
    CHECK(config.system.bus_bits == 128);
    CHECK(config.system.act_buffer_kib == 256);
    CHECK(config.system.weight_buffer_words == 0);
    CHECK(config.system.max_groups == 64);
    CHECK(fwmac::normalized_json(config).at("system").at("bus_bits") == 128);
    CHECK(fwmac::config_hash(config) != fwmac::config_hash(plain));
    // the normalized form parses back to the same config
    CHECK(fwmac::config_hash(fwmac::parse_config(fwmac::normalized_json(config))) == fwmac::config_hash(config));

    auto with_system = [](nlohmann::json system) {
        nlohmann::json json = small_config();
        json["system"] = std::move(system);
        return json;
    };
    REQUIRE_THROWS_WITH(fwmac::parse_config(with_system({{"bus_bits", 48}})),
                        "config.system.bus_bits = 48: must be 32, 64, 128, 256 or 512");
    REQUIRE_THROWS_WITH(fwmac::parse_config(with_system({{"bus_bits", 1024}})),
                        Contains("config.system.bus_bits = 1024: allowed range 32..512"));
    REQUIRE_THROWS_WITH(fwmac::parse_config(with_system({{"max_groups", 0}})),
                        Contains("config.system.max_groups = 0: allowed range 1..65535"));
    REQUIRE_THROWS_WITH(fwmac::parse_config(with_system({{"bus_width", 32}})), Contains("config.system"));
    REQUIRE_THROWS_WITH(fwmac::parse_config(with_system(7)), "config.system: must be an object");
    nlohmann::json raw = small_config();
    raw["raw_outputs"] = true;
    REQUIRE_THROWS_WITH(fwmac::parse_config(raw),
                        "config.system: the accelerator shell is built for requantized outputs only (raw_outputs = "
                        "false); raw outputs are not supported yet");
    // two slots per row and the bit-parallel array take the shell
    nlohmann::json slots = small_config();
    slots["row_slots"] = 2;
    CHECK(fwmac::parse_config(slots).has_system);
    nlohmann::json parallel = small_config();
    parallel["architecture"] = "bit_parallel";
    CHECK(fwmac::parse_config(parallel).has_system);
    // 1 KiB of 64 x 16-bit words (1024 bits, 128 bytes) is 8 words
    nlohmann::json wide = {{"lanes", 64}, {"act_bits", 16}, {"k_max", 1152}, {"system", {{"act_buffer_kib", 1}}}};
    REQUIRE_THROWS_WITH(fwmac::parse_config(wide), Contains("config.system.act_buffer_kib = 1: 8 activation words"));
}

TEST_CASE("generate with a system section writes the accelerator shell", "[generator][accel]") {
    const fwmac::GeneratorConfig config = fwmac::parse_config(small_config());
    const fwmac::FileSet files = fwmac::generate_design(config);
    for (const char* name : {"rtl/acc_accel.v", "rtl/acc_accel_datapath.v", "rtl/acc_accel_front.v", "rtl/acc_csr.v",
                             "rtl/acc_loader.v", "rtl/acc_group_buffer.v", "rtl/acc_sequencer.v",
                             "rtl/acc_act_writer.v", "rtl/acc_act_buffer.v", "rtl/acc_im2col.v", "rtl/acc_packer.v",
                             "rtl/acc_stream_fifo.v", "rtl/acc_ram_sdp.v", "rtl/acc_top.v", "sw/acc_regs.h",
                             "sw/acc_registers.md"}) {
        INFO(name);
        CHECK(files.count(name) == 1);
    }
    const std::string& top = files.at("rtl/acc_accel.v");
    CHECK_THAT(top, Contains("module acc_accel #("));
    CHECK_THAT(top, Contains("acc_csr #(.ADDR_W(ADDR_W)) u_csr"));
    CHECK_THAT(top, Contains("acc_accel_datapath #("));
    CHECK_THAT(files.at("rtl/acc_accel_datapath.v"), Contains("acc_top u_core"));
    CHECK_THAT(files.at("rtl/acc_csr.v"), Contains("module acc_csr"));
    CHECK_THAT(files.at("acc.f"), Contains("rtl/acc_accel.v"));
    // R 2, C 4, L 4, A 4, Bmax 4, K_max 72: PLANE_W bits_for(4) = 3, VROW_W bits_for(2) = 2,
    // SPAN_W 3, CHUNK_W bits_for(18) = 5, ACC_W 15 (-8 x 15 x 72 = -8640), REQ_W 15 + 22 = 37,
    // PARAM_W + relu = 38, WGT_W R x L = 8, WBUF_WORDS 18 x 4 = 72; 2 KiB of 2-byte words =
    // 1024 words in 4 banks of 256: Q_W = 8 + 2 = 10 = DIM_W; the map spans 0x130 bytes: ADDR_W 9
    CHECK(parameter_of(top, "ADDR_W") == 9);
    CHECK(parameter_of(top, "BUS_W") == 32);
    CHECK(parameter_of(top, "ROWS") == 2);
    CHECK(parameter_of(top, "COLS") == 4);
    CHECK(parameter_of(top, "PLANE_W") == 3);
    CHECK(parameter_of(top, "VROW_W") == 2);
    CHECK(parameter_of(top, "CHUNK_W") == 5);
    CHECK(parameter_of(top, "PARAM_W") == 38);
    CHECK(parameter_of(top, "REQ_W") == 37);
    CHECK(parameter_of(top, "WGT_W") == 8);
    CHECK(parameter_of(top, "WBUF_WORDS") == 72);
    CHECK(parameter_of(top, "BANKS") == 4);
    CHECK(parameter_of(top, "DEPTH") == 256);
    CHECK(parameter_of(top, "DIM_W") == 10);
    CHECK(parameter_of(top, "OUT_W") == 4);
    CHECK_THAT(files.at("sw/acc_regs.h"), Contains("ACC_TILES_OFFSET"));

    // without the section the design has none of it, and is what it was
    nlohmann::json plain_json = small_config();
    plain_json.erase("system");
    const fwmac::FileSet plain = fwmac::generate_design(fwmac::parse_config(plain_json));
    CHECK(plain.count("rtl/acc_accel.v") == 0);
    CHECK(plain.count("sw/acc_regs.h") == 0);
}

TEST_CASE("generate: the shell of a two-slot and of a bit-parallel design", "[generator][accel]") {
    // one slot (small_config): the core has no cmd_spans_i; the datapath is the template's text
    const fwmac::FileSet one = fwmac::generate_design(fwmac::parse_config(small_config()));
    CHECK_THAT(one.at("rtl/acc_accel_datapath.v"),
               !Contains(".cmd_spans_i(") && Contains("    // fwmac generate: two-slot cmd_spans_i\n"));

    // two slots: R 2, Bmax 4: PLANE_W bits_for(8) = 4, VROW_W bits_for(4) = 3, SPAN_W
    // bits_for(4) = 3; weight words R x L = 8 bits, WBUF_WORDS 18 chunks x 8 planes = 144; the
    // datapath passes the header's spans to the core's cmd_spans_i (2 x 3 bits)
    nlohmann::json slots_json = small_config();
    slots_json["row_slots"] = 2;
    const fwmac::FileSet slots = fwmac::generate_design(fwmac::parse_config(slots_json));
    const std::string& slots_top = slots.at("rtl/acc_accel.v");
    CHECK(parameter_of(slots_top, "SLOTS") == 2);
    CHECK(parameter_of(slots_top, "PLANE_W") == 4);
    CHECK(parameter_of(slots_top, "VROW_W") == 3);
    CHECK(parameter_of(slots_top, "SPAN_W") == 3);
    CHECK(parameter_of(slots_top, "WGT_W") == 8);
    CHECK(parameter_of(slots_top, "WBUF_WORDS") == 144);
    const std::string& slots_datapath = slots.at("rtl/acc_accel_datapath.v");
    CHECK_THAT(slots_datapath, Contains("    .cmd_spans_i(cmd_spans),\n") && !Contains("fwmac generate:"));
    CHECK_THAT(slots.at("rtl/acc_top.v"), Contains("input  wire [5:0] cmd_spans_i"));

    // bit-parallel: planes always 1 (PLANE_W 1), weight words R x L x Bmax = 32 bits, one per
    // chunk: WBUF_WORDS 18; no cmd_spans_i
    nlohmann::json parallel_json = small_config();
    parallel_json["architecture"] = "bit_parallel";
    const fwmac::FileSet parallel = fwmac::generate_design(fwmac::parse_config(parallel_json));
    const std::string& parallel_top = parallel.at("rtl/acc_accel.v");
    CHECK(parameter_of(parallel_top, "SLOTS") == 1);
    CHECK(parameter_of(parallel_top, "PLANE_W") == 1);
    CHECK(parameter_of(parallel_top, "WGT_W") == 32);
    CHECK(parameter_of(parallel_top, "WBUF_WORDS") == 18);
    CHECK_THAT(parallel.at("rtl/acc_accel_datapath.v"), !Contains(".cmd_spans_i("));
    CHECK(parallel.count("rtl/acc_mult_tree.v") == 1);
}
