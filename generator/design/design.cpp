#include "generator/design/design.hpp"

#include <fmt/format.h>
#include <regex>
#include <stdexcept>

#include "generator/common/banner.hpp"
#include "generator/common/license.hpp"
#include "generator/common/templates.hpp"
#include "generator/common/version.hpp"
#include "generator/design/integration_emit.hpp"
#include "generator/flows/synth_emit.hpp"
#include "generator/rtl/formal_emit.hpp"
#include "generator/rtl/rtl_emit.hpp"
#include "generator/system/accel_regmap.hpp"
#include "generator/system/regmap_emit.hpp"
#include "golden/accel_layout.hpp"
#include "golden/schedule.hpp"

namespace fwmac {
namespace {

std::string filelist(const FileSet& files) {
    std::string text;
    for (const auto& [path, content] : files) {
        if (path.rfind("rtl/", 0) == 0) text += path + "\n";
    }
    return text;
}

// Each architecture has its own PE accumulator template; the other one is not copied.
bool template_used(const std::string& file_name, const ArrayShape& shape) {
    const char* other_pe = is_bit_parallel(shape) ? "fwmac_pe_acc.v" : "fwmac_pe_mac.v";
    if (file_name == "fwmac_row_slots.v") return shape.row_slots == 2;
    return file_name != other_pe;
}

std::string cycle_formula(const ArrayShape& shape) {
    const std::string rows = shape.row_slots == 2 ? "V_i (R or 2R)" : "V_i = R";
    return fmt::format("total = (n_0 + D) + sum_{{i>=1}} max(n_i, G*V_{{i-1}} + 1) + (G*V_last + S + 2), "
                       "G = {} drain cycles per row, S = {} requant stages, {} drained rows of tile i, {}",
                       drain_groups(shape), shape.requant_stages, rows,
                       is_bit_parallel(shape) ? "n_i = chunks (one cycle per chunk, independent of b_f)"
                                              : "n_i = chunks * b_g");
}

}  // namespace

nlohmann::json design_report(const GeneratorConfig& config) {
    const ArrayShape& shape = config.shape;
    const int pes = shape.rows * shape.cols;
    const int acc_bits = acc_width(shape);
    return nlohmann::json{
        {"tool", "fwmac"},
        {"version", kFwmacVersion},
        {"config_hash", config_hash(config)},
        {"config", normalized_json(config)},
        {"top_module", top_module_name(config)},
        {"filelist", filelist_name(config)},
        {"module_prefix", config.name + "_"},
        {"fusesoc_core", config.name + ".core"},
        {"instantiation_template",
         "integration/" + config.name + (config.has_system ? "_accel_inst.v" : "_top_inst.v")},
        {"spdx_license_identifier", kGeneratedLicense},
        {"derived",
         {{"acc_width", acc_bits},
          {"dot_width", dot_width(shape)},
          {"partial_width", partial_width(shape)},
          {"param_width", param_width(shape)},
          {"chunk_count_width", chunk_count_width(shape)},
          {"plane_count_width", plane_count_width(shape)},
          {"max_chunks", max_chunks(shape)},
          {"weight_lane_bits", weight_lane_bits(shape)},
          {"tree_levels", tree_levels(shape)},
          {"tree_latency", tree_latency(shape)},
          {"pipeline_depth", pipeline_depth(shape)},
          {"output_width", output_width(shape)},
          {"requant_register_bits", requant_register_bits(shape)}}},
        {"resources",
         {{"pe_count", pes},
          {"lane_count", pes * shape.lanes},
          {"multipliers_per_pe", is_bit_parallel(shape) ? shape.lanes : 0},
          {"adders_per_pe_tree", shape.lanes - 1},
          {"row_slots", shape.row_slots},
          {"accumulator_bits", pes * acc_bits * shape.row_slots},
          {"partial_sum_bits", pes * partial_width(shape)},
          {"drain_chain_bits", pes * acc_bits * shape.row_slots},
          {"requant_units", requant_unit_count(shape)},
          {"requant_stages", shape.requant_stages},
          {"operand_register_bits", weight_beat_width(shape) + shape.cols * shape.lanes * shape.act_bits}}},
        {"interfaces",
         {{"cmd_chunks_bits", chunk_count_width(shape)},
          {"cmd_planes_bits", plane_count_width(shape)},
          {"cmd_spans_bits", shape.row_slots == 2 ? shape.rows * span_width(shape) : 0},
          {"w_plane_bits", weight_beat_width(shape)},
          {"a_data_bits", shape.cols * shape.lanes * shape.act_bits},
          {"p_data_bits", param_width(shape)},
          {"p_beats_per_tile", shape.row_slots == 2 ? "R, or 2R for a tile with second filters" : "R"},
          {"y_value_bits", output_width(shape)},
          {"y_data_bits", shape.cols * output_width(shape)},
          {"raw_outputs", shape.raw_outputs}}},
        {"cycle_model",
         {{"formula", cycle_formula(shape)},
          {"pipeline_depth_D", pipeline_depth(shape)},
          {"drain_groups_G", drain_groups(shape)},
          {"requant_stages_S", shape.requant_stages},
          {"drain_cycles_per_row", drain_groups(shape)},
          {"drain_cycles_per_tile", drain_groups(shape) * shape.rows + 1},
          {"drain_cycles_per_two_slot_tile", shape.row_slots == 2 ? drain_groups(shape) * drain_rows(shape) + 1 : 0},
          {"fixed_overhead", pipeline_depth(shape) + drain_groups(shape) * shape.rows + shape.requant_stages + 2},
          {"min_tile_cycles_without_stall", drain_groups(shape) * shape.rows + 1}}},
    };
}

namespace {

// The modules fwmac emits, as written in the templates and emitters ("fwmac_<stem>"): the
// templates, the generated array and top, the synthesis pin wrappers (core, PE array,
// accelerator shell) and the formal wrapper.
std::vector<std::string> module_stems() {
    std::vector<std::string> stems{"dot_tree",      "mult_tree", "array",    "top", "synth_wrapper",
                                   "array_wrapper", "accel_wrapper", "pe_formal", "top_inst", "accel_inst"};
    for (const auto* set : {&rtl_templates(), &accel_templates()}) {
        for (const RtlTemplate& rtl : *set) {
            const std::string name = rtl.file_name;
            stems.push_back(name.substr(6, name.size() - 6 - 2));  // fwmac_<stem>.v
        }
    }
    stems.push_back("csr");
    return stems;
}

// The register map's system parameters of the config's "system" section.
AccelSystem accel_system(const GeneratorConfig& config) {
    AccelSystem system;
    system.bus_bits = config.system.bus_bits;
    system.act_buffer_words = static_cast<std::uint32_t>(act_buffer_words(config.shape, config.system));
    system.weight_buffer_words = static_cast<std::uint32_t>(weight_bank_words(config.shape, config.system));
    system.max_groups = config.system.max_groups;
    return system;
}

// fwmac_accel.v with its parameter defaults set to the design's widths.
std::string accel_top(const GeneratorConfig& config, const std::string& text, int address_bits) {
    const ArrayShape& shape = config.shape;
    const SystemShape& system = config.system;
    const int depth = static_cast<int>(act_bank_words(shape, system));
    const std::vector<std::pair<std::string, std::int64_t>> values = {
        {"ADDR_W", address_bits},
        {"BUS_W", system.bus_bits},
        {"ROWS", shape.rows},
        {"SLOTS", shape.row_slots},
        {"COLS", shape.cols},
        {"LANES", shape.lanes},
        {"ACT_BITS", shape.act_bits},
        {"PLANE_W", plane_count_width(shape)},
        {"VROW_W", header_drain_rows_bits(shape)},
        {"SPAN_W", span_width(shape)},
        {"CHUNK_W", chunk_count_width(shape)},
        {"PARAM_W", param_word_bits(shape)},
        {"REQ_W", param_width(shape)},
        {"WGT_W", weight_beat_width(shape)},
        {"WBUF_WORDS", weight_bank_words(shape, system)},
        {"BANKS", act_banks(shape)},
        {"DEPTH", depth},
        {"DIM_W", act_dim_bits(shape, system)},
        {"SEQ_DIM_W", 16},
        {"FIFO_DEPTH", 4},
        {"OUT_W", output_width(shape)}};
    std::string result = text;
    for (const auto& [name, value] : values) {
        const std::regex parameter("(parameter integer " + name + "\\s*=\\s*)[0-9]+");
        if (!std::regex_search(result, parameter)) {
            throw std::logic_error("rtl_templates/accel/fwmac_accel.v has no parameter " + name);
        }
        result = std::regex_replace(result, parameter, "$01" + std::to_string(value));
    }
    return result;
}

// fwmac_accel_datapath.v with the core instance's ports of the design: a two-slot core also
// takes cmd_spans_i, whose connection replaces the template's marker line (so the file keeps
// the template's line numbers); a one-slot core has no such port and gets the template as is.
std::string accel_datapath(const GeneratorConfig& config, const std::string& text) {
    const std::string marker = "    // fwmac generate: two-slot cmd_spans_i\n";
    const std::size_t at = text.find(marker);
    if (at == std::string::npos) {
        throw std::logic_error("rtl_templates/accel/fwmac_accel_datapath.v has no cmd_spans_i marker");
    }
    if (config.shape.row_slots != 2) return text;
    std::string result = text;
    result.replace(at, marker.size(), "    .cmd_spans_i(cmd_spans),\n");
    return result;
}

// The accelerator shell of a config with a "system" section: the stream and accel
// templates, fwmac_accel with the design's parameters, the CSR module of the register map,
// its C header and register table.
FileSet accel_files(const GeneratorConfig& config) {
    const RegisterMap map = accel_regmap(config, accel_system(config));
    FileSet files;
    for (const RtlTemplate& rtl : accel_templates()) {
        const std::string name = rtl.file_name;
        const std::string banner =
            file_banner(config, fmt::format("{}: copied from rtl_templates/{}", name,
                                            name.rfind("fwmac_stream_", 0) == 0 || name == "fwmac_ram_sdp.v"
                                                ? "stream/"
                                                : "accel/"));
        const std::string text = name == "fwmac_accel.v"            ? accel_top(config, rtl.text, map.address_bits())
                                 : name == "fwmac_accel_datapath.v" ? accel_datapath(config, rtl.text)
                                                                    : std::string(rtl.text);
        files["rtl/" + name] = banner + text;
    }
    files["rtl/fwmac_csr.v"] = emit_csr_rtl(map, "fwmac_csr");
    files["sw/" + c_header_file_name(config.name)] = emit_c_header(map, config.name);
    files["sw/" + config.name + "_registers.md"] = emit_markdown_table(map);
    files["integration/fwmac_accel_inst.v"] =
        emit_accel_instantiation_template(config, files.at("rtl/fwmac_accel.v"), map.address_bits());
    return files;
}

// Every module and file of the design carries the config's name as prefix, so designs of
// different configs live side by side in one SoC: "fwmac_<stem>" becomes "<name>_<stem>" in
// every text and file name, the filelist and the constraint files are named after the
// design. The default name "fwmac" changes nothing.
FileSet with_design_prefix(const FileSet& files, const GeneratorConfig& config) {
    if (config.name == "fwmac") return files;
    std::string alternatives;
    for (const std::string& stem : module_stems()) alternatives += (alternatives.empty() ? "" : "|") + stem;
    const std::regex module_name("\\bfwmac_(" + alternatives + ")\\b");
    const std::regex constraint_file("constraints/fwmac([._])");
    const std::string prefix = config.name + "_";
    auto rename = [&](const std::string& text) {
        return std::regex_replace(std::regex_replace(text, module_name, prefix + "$1"), constraint_file,
                                  "constraints/" + config.name + "$1");
    };
    FileSet renamed;
    for (const auto& [path, text] : files) {
        const std::string new_path = path == "fwmac.f"      ? config.name + ".f"
                                     : path == "fwmac.core" ? config.name + ".core"
                                                            : rename(path);
        renamed[new_path] = path == "report.json" ? text : rename(text);
    }
    return renamed;
}

}  // namespace

std::string top_module_name(const GeneratorConfig& config) { return config.name + "_top"; }
std::string filelist_name(const GeneratorConfig& config) { return config.name + ".f"; }

FileSet generate_design(const GeneratorConfig& config) {
    FileSet files;
    for (const RtlTemplate& rtl : rtl_templates()) {
        if (!template_used(rtl.file_name, config.shape)) continue;
        files[fmt::format("rtl/{}", rtl.file_name)] =
            file_banner(config, fmt::format("{}: copied from rtl_templates/", rtl.file_name)) + rtl.text;
    }
    if (is_bit_parallel(config.shape)) {
        files["rtl/fwmac_mult_tree.v"] = emit_mult_tree(config);
    } else {
        files["rtl/fwmac_dot_tree.v"] = emit_dot_tree(config);
    }
    files["rtl/fwmac_array.v"] = emit_array(config);
    files["rtl/fwmac_top.v"] = emit_top(config);
    if (config.has_system) files.merge(accel_files(config));
    files["fwmac.f"] = filelist(files);
    files.merge(synth_files(config, files.at("rtl/fwmac_top.v"), files.at("rtl/fwmac_array.v"),
                            config.has_system ? files.at("rtl/fwmac_accel.v") : std::string()));
    files["formal/fwmac_pe_formal.v"] = emit_pe_formal_wrapper(config);
    files["formal/pe_equiv.ys"] = emit_pe_formal_script(config);
    files["integration/fwmac_top_inst.v"] = emit_instantiation_template(config, files.at("rtl/fwmac_top.v"));
    files["fwmac.core"] = emit_fusesoc_core(config, files);
    files["report.json"] = design_report(config).dump(2) + "\n";
    return with_license_lines(with_design_prefix(files, config));
}

}  // namespace fwmac
