#include "generator/common/config.hpp"

#include <fmt/format.h>

#include <regex>

#include "compiler/json_file.hpp"

namespace fwmac {

const FieldRange kConfigRanges[] = {
    {"rows", 1, 64, "R: PE rows = filters in parallel"},
    {"cols", 1, 64, "C: PE columns = output pixels in parallel"},
    {"lanes", 1, 64, "L: dot-product elements per PE per cycle"},
    {"act_bits", 1, 16, "A: unsigned activation bits"},
    {"max_weight_bits", 1, 16, "Bmax: widest per-filter weight"},
    {"k_max", 1, kMaxKMax, "largest K = Cin*kh*kw (also limited by ACC_W <= 46, and >= lanes)"},
    {"row_slots", 1, 2, "filters one PE row may hold per tile (2: two accumulators per PE, bit_serial only)"},
    {"requant_units", 1, 64, "requantizers the drain time-shares (1..cols; default ceil(cols / 4))"},
    {"pipeline.tree_register_every", 0, 6, "adder tree register every N levels (0 = none)"},
    {"pipeline.requant_stages", 0, kMaxRequantStages, "register stages inside each requantizer"},
    {"clock_mhz", 1, 1000, "target clock for constraints"},
    {"system.bus_bits", 32, 512, "accelerator AXI4-Stream tdata bits: 32, 64, 128, 256 or 512"},
    {"system.act_buffer_kib", 1, 65536, "accelerator activation buffer, KiB"},
    {"system.weight_buffer_words", 0, 1 << 20, "weight plane words per bank (0: max_chunks x max_tile_planes)"},
    {"system.max_groups", 1, 65535, "row groups per accelerator run"},
};
const std::size_t kConfigRangeCount = sizeof(kConfigRanges) / sizeof(kConfigRanges[0]);

namespace {

const FieldRange& range_of(const std::string& field) {
    for (const FieldRange& range : kConfigRanges) {
        if (field == range.field) return range;
    }
    throw std::logic_error("no range for field " + field);
}

void reject_unknown_fields(const nlohmann::json& object, const std::string& path,
                           const std::vector<std::string>& allowed) {
    const std::string message = unknown_field_message(object, path, allowed);
    if (!message.empty()) throw ConfigError(message);
}

int read_int(const nlohmann::json& object, const std::string& key, const std::string& field, int fallback) {
    const FieldRange& range = range_of(field);
    if (!object.contains(key)) return fallback;
    const nlohmann::json& value = object.at(key);
    if (!value.is_number_integer()) {
        throw ConfigError(fmt::format("config.{}: must be an integer in {}..{}, got {}", field, range.low,
                                      range.high, value.dump()));
    }
    const std::optional<std::int64_t> number = json_int64(value);
    if (!number || *number < range.low || *number > range.high) {
        throw ConfigError(fmt::format("config.{} = {}: allowed range {}..{} ({})", field, value.dump(), range.low,
                                      range.high, range.meaning));
    }
    return static_cast<int>(*number);
}

void check_derived_limits(const GeneratorConfig& config) {
    const ArrayShape& shape = config.shape;
    if (shape.k_max < shape.lanes) {
        throw ConfigError(fmt::format("config.k_max = {}: must be >= lanes = {} (allowed range {}..{})",
                                      shape.k_max, shape.lanes, shape.lanes, range_of("k_max").high));
    }
    const int width = acc_width(shape);
    if (width > kMaxAccWidth) {
        // acc_width grows with k_max: the largest k_max that still fits, by bisection
        std::int64_t fits = shape.lanes;
        std::int64_t too_wide = shape.k_max;
        while (too_wide - fits > 1) {
            ArrayShape probe = shape;
            probe.k_max = static_cast<int>((fits + too_wide) / 2);
            (acc_width(probe) > kMaxAccWidth ? too_wide : fits) = probe.k_max;
        }
        throw ConfigError(fmt::format(
            "config.k_max = {}: accumulator would need {} bits (> {}); with act_bits = {} and "
            "max_weight_bits = {} the allowed range is {}..{}",
            shape.k_max, width, kMaxAccWidth, shape.act_bits, shape.max_weight_bits, shape.lanes, fits));
    }
}

Architecture read_architecture(const nlohmann::json& object) {
    if (!object.contains("architecture")) return Architecture::bit_serial;
    const nlohmann::json& value = object.at("architecture");
    for (Architecture architecture : {Architecture::bit_serial, Architecture::bit_parallel}) {
        if (value.is_string() && value.get<std::string>() == architecture_name(architecture)) return architecture;
    }
    throw ConfigError(fmt::format(
        "config.architecture = {}: allowed values \"bit_serial\" (bit-plane per cycle, the default) and "
        "\"bit_parallel\" (whole weights per cycle, the baseline)",
        value.dump()));
}

// The "system" section and the limits of the shell as built: requantized outputs (one or two
// slots per row, bit-serial or bit-parallel array) and an activation buffer the im2col can
// address.
SystemShape read_system(const nlohmann::json& json, const ArrayShape& shape) {
    if (!json.is_object()) throw ConfigError("config.system: must be an object");
    reject_unknown_fields(json, "config.system", {"bus_bits", "act_buffer_kib", "weight_buffer_words", "max_groups"});
    SystemShape system;
    system.bus_bits = read_int(json, "bus_bits", "system.bus_bits", system.bus_bits);
    if (system.bus_bits != 32 && system.bus_bits != 64 && system.bus_bits != 128 && system.bus_bits != 256 &&
        system.bus_bits != 512) {
        throw ConfigError(fmt::format("config.system.bus_bits = {}: must be 32, 64, 128, 256 or 512", system.bus_bits));
    }
    system.act_buffer_kib = read_int(json, "act_buffer_kib", "system.act_buffer_kib", system.act_buffer_kib);
    system.weight_buffer_words =
        read_int(json, "weight_buffer_words", "system.weight_buffer_words", system.weight_buffer_words);
    system.max_groups = read_int(json, "max_groups", "system.max_groups", system.max_groups);
    if (shape.raw_outputs) {
        throw ConfigError(
            "config.system: the accelerator shell is built for requantized outputs only (raw_outputs = false); "
            "raw outputs are not supported yet");
    }
    const std::int64_t words = act_buffer_words(shape, system);
    if (words < 16 || words > (std::int64_t{1} << 20)) {
        throw ConfigError(fmt::format("config.system.act_buffer_kib = {}: {} activation words of {} bits; the "
                                      "shell needs 16..{} words",
                                      system.act_buffer_kib, words, act_word_bits(shape), std::int64_t{1} << 20));
    }
    if (act_bank_words(shape, system) < 2) {
        throw ConfigError(fmt::format("config.system.act_buffer_kib = {}: fewer than 2 words per bank of {} banks",
                                      system.act_buffer_kib, act_banks(shape)));
    }
    if (weight_bank_words(shape, system) < max_tile_planes(shape)) {
        throw ConfigError(fmt::format("config.system.weight_buffer_words = {}: must hold one chunk of {} planes",
                                      system.weight_buffer_words, max_tile_planes(shape)));
    }
    return system;
}

}  // namespace

GeneratorConfig parse_config(const nlohmann::json& json) {
    if (!json.is_object()) throw ConfigError("config: the top level must be a JSON object");
    reject_unknown_fields(json, "config",
                          {"name", "architecture", "rows", "cols", "lanes", "act_bits", "max_weight_bits", "k_max",
                           "row_slots", "requant_units", "raw_outputs", "pipeline", "clock_mhz", "system"});
    GeneratorConfig config;
    if (json.contains("name")) {
        const auto& name = json.at("name");
        if (!name.is_string() || !std::regex_match(name.get<std::string>(), std::regex("[A-Za-z][A-Za-z0-9_]{0,63}"))) {
            throw ConfigError(fmt::format(
                "config.name: must be a string of 1..64 letters, digits or '_' starting with a letter, got {}",
                name.dump()));
        }
        config.name = name.get<std::string>();
    }
    ArrayShape& shape = config.shape;
    shape.architecture = read_architecture(json);
    shape.rows = read_int(json, "rows", "rows", shape.rows);
    shape.cols = read_int(json, "cols", "cols", shape.cols);
    shape.lanes = read_int(json, "lanes", "lanes", shape.lanes);
    shape.act_bits = read_int(json, "act_bits", "act_bits", shape.act_bits);
    shape.max_weight_bits = read_int(json, "max_weight_bits", "max_weight_bits", shape.max_weight_bits);
    shape.k_max = read_int(json, "k_max", "k_max", shape.k_max);
    shape.row_slots = read_int(json, "row_slots", "row_slots", shape.row_slots);
    if (shape.row_slots != 1 && is_bit_parallel(shape)) {
        throw ConfigError(fmt::format("config.row_slots = {}: the bit_parallel architecture runs one filter per row "
                                      "(allowed range 1..1); row_slots 2 needs \"architecture\": \"bit_serial\"",
                                      shape.row_slots));
    }
    if (json.contains("pipeline")) {
        const auto& pipeline = json.at("pipeline");
        if (!pipeline.is_object()) throw ConfigError("config.pipeline: must be an object");
        reject_unknown_fields(pipeline, "config.pipeline", {"tree_register_every", "requant_stages"});
        shape.tree_register_every =
            read_int(pipeline, "tree_register_every", "pipeline.tree_register_every", shape.tree_register_every);
        shape.requant_stages = read_int(pipeline, "requant_stages", "pipeline.requant_stages", shape.requant_stages);
    }
    shape.requant_units = read_int(json, "requant_units", "requant_units", requant_unit_count(shape));
    if (shape.requant_units > shape.cols) {
        throw ConfigError(fmt::format("config.requant_units = {}: allowed range 1..{} (at most one per column, "
                                      "cols = {})",
                                      shape.requant_units, shape.cols, shape.cols));
    }
    if (json.contains("raw_outputs")) {
        const auto& raw = json.at("raw_outputs");
        if (!raw.is_boolean()) {
            throw ConfigError(fmt::format("config.raw_outputs: must be true or false, got {}", raw.dump()));
        }
        shape.raw_outputs = raw.get<bool>();
    }
    config.clock_mhz = read_int(json, "clock_mhz", "clock_mhz", config.clock_mhz);
    check_derived_limits(config);
    if (json.contains("system")) {
        config.system = read_system(json.at("system"), shape);
        config.has_system = true;
    }
    return config;
}

GeneratorConfig load_config_file(const std::string& path) {
    nlohmann::json json;
    try {
        json = read_json_file(path, {"config file", "config"});
    } catch (const JsonFileError& error) {
        throw ConfigError(error.what());
    }
    try {
        return parse_config(json);
    } catch (const ConfigError& error) {
        throw ConfigError(fmt::format("config file '{}': {}", path, error.what()));
    }
}

GeneratorConfig load_generated_config(const std::string& generated_dir) {
    const std::string path = generated_dir + "/report.json";
    nlohmann::json report;
    try {
        report = read_json_file(path, {"design report", "report"});
    } catch (const JsonFileError& error) {
        throw ConfigError(fmt::format("{} (not a `fwmac generate` output directory?)", error.what()));
    }
    try {
        return parse_config(report.at("config"));
    } catch (const nlohmann::json::exception& error) {
        throw ConfigError(fmt::format("'{}': not a fwmac report: {}", path, error.what()));
    }
}

nlohmann::json normalized_json(const GeneratorConfig& config) {
    const ArrayShape& shape = config.shape;
    nlohmann::json json{
        {"name", config.name},
        {"architecture", architecture_name(shape.architecture)},
        {"rows", shape.rows},
        {"cols", shape.cols},
        {"lanes", shape.lanes},
        {"act_bits", shape.act_bits},
        {"max_weight_bits", shape.max_weight_bits},
        {"k_max", shape.k_max},
        {"requant_units", requant_unit_count(shape)},
        {"raw_outputs", shape.raw_outputs},
        {"pipeline", {{"tree_register_every", shape.tree_register_every}, {"requant_stages", shape.requant_stages}}},
        {"clock_mhz", config.clock_mhz},
    };
    // only when set, so the hashes of single-slot configs stay what they were
    if (shape.row_slots != 1) json["row_slots"] = shape.row_slots;
    if (config.has_system) {  // likewise: configs without the shell keep their hashes
        json["system"] = {{"bus_bits", config.system.bus_bits},
                          {"act_buffer_kib", config.system.act_buffer_kib},
                          {"weight_buffer_words", config.system.weight_buffer_words},
                          {"max_groups", config.system.max_groups}};
    }
    return json;
}

std::string config_hash(const GeneratorConfig& config) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char byte : normalized_json(config).dump()) {
        hash ^= byte;
        hash *= 0x100000001b3ULL;
    }
    return fmt::format("{:016x}", hash);
}

}  // namespace fwmac
