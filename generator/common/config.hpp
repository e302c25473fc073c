// fwmac generator configuration: JSON schema, validation and normalisation.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "golden/accel_layout.hpp"
#include "golden/shape.hpp"

namespace fwmac {

// A configuration error; the message names the JSON field and its allowed range.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct GeneratorConfig {
    std::string name = "fwmac";
    ArrayShape shape;
    int clock_mhz = 100;  // target clock for the SDC / PCF constraints
    // The "system" section: with it, `fwmac generate` also writes the accelerator shell
    // <name>_accel (docs/accelerator.md) around <name>_top.
    bool has_system = false;
    SystemShape system;
};

// Field limits, also printed by `fwmac generate --help` and the README.
struct FieldRange {
    const char* field;
    std::int64_t low;
    std::int64_t high;
    const char* meaning;
};
extern const FieldRange kConfigRanges[];
extern const std::size_t kConfigRangeCount;
constexpr int kMaxAccWidth = 46;  // keeps requant products inside 64-bit arithmetic
constexpr int kMaxKMax = 1 << 20;  // the largest k_max (config field range)

GeneratorConfig parse_config(const nlohmann::json& json);
GeneratorConfig load_config_file(const std::string& path);
// The config a `fwmac generate` output directory was made from (its report.json).
GeneratorConfig load_generated_config(const std::string& generated_dir);

// Every field with its value, defaults filled in, keys in a fixed order.
nlohmann::json normalized_json(const GeneratorConfig& config);
// FNV-1a 64 of the normalized JSON text, as 16 hex digits.
std::string config_hash(const GeneratorConfig& config);

}  // namespace fwmac
