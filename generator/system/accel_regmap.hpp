// The register map of the accelerator shell (docs/accelerator.md, "Programming model"):
// identification, the design's parameters (read-only constants), CTRL, STATUS, the run
// descriptor and the 64-bit performance counters.
#pragma once

#include <cstdint>

#include "generator/common/config.hpp"
#include "generator/system/regmap.hpp"

namespace fwmac {

// The accelerator's own parameters (the config's future "system" section).
struct AccelSystem {
    int bus_bits = 128;                     // AXI4-Stream tdata width: 32, 64, 128, 256 or 512
    std::uint32_t act_buffer_words = 0;     // words of L x A bits; 0 = 256 KiB worth
    std::uint32_t weight_buffer_words = 0;  // plane words per weight bank; 0 = max_chunks x max_tile_planes
    int max_groups = 64;                    // row groups per run: 1..65535
};

constexpr std::uint32_t kAccelMagic = 0x464d4143;  // "FMAC" read as big-endian ASCII
// Bumped whenever a register or field of accel_regmap moves or changes meaning.
constexpr std::uint32_t kAccelLayoutVersion = 2;  // 2: the derived im2col and tile registers

// `system` with its zero sizes replaced by their defaults; throws ConfigError naming the
// system.* field that is out of range.
AccelSystem resolved_system(const GeneratorConfig& config, const AccelSystem& system);

// The map "accel" of the design `config`; the emitters name the module and the C prefix.
RegisterMap accel_regmap(const GeneratorConfig& config, const AccelSystem& system = {});

}  // namespace fwmac
