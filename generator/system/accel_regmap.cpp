#include "generator/system/accel_regmap.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "golden/shape.hpp"

namespace fwmac {
namespace {

constexpr int kActBufferKib = 256;        // the default activation buffer
constexpr std::uint32_t kMax16 = 0xffff;  // the run descriptor's 16-bit fields

Field constant(const std::string& name, int lsb, int width, std::uint32_t value, const std::string& description) {
    return Field{name, lsb, width, Access::ro_const, value, description};
}

Field descriptor16(const std::string& name, int lsb, const std::string& description, std::uint32_t reset = 0) {
    return Field{name, lsb, 16, Access::rw, reset, description};
}

Field descriptor32(const std::string& name, const std::string& description) {
    return Field{name, 0, 32, Access::rw, 0, description};
}

void add_identification(RegisterMap& map, const GeneratorConfig& config, const AccelSystem& system) {
    const ArrayShape& shape = config.shape;
    const std::uint64_t hash = std::stoull(config_hash(config), nullptr, 16);
    map.add_register("id", "identification", {constant("magic", 0, 32, kAccelMagic, "0x464d4143, \"FMAC\"")});
    map.add_register("version", "register layout version",
                     {constant("layout", 0, 16, kAccelLayoutVersion, "bumped when a register moves or changes")});
    map.add_register("config_hash_lo", "config hash, bits 31..0",
                     {constant("hash", 0, 32, static_cast<std::uint32_t>(hash), "FNV-1a 64 of the normalized config")});
    map.add_register(
        "config_hash_hi", "config hash, bits 63..32",
        {constant("hash", 0, 32, static_cast<std::uint32_t>(hash >> 32), "FNV-1a 64 of the normalized config")});
    map.add_register("array", "array shape",
                     {constant("rows", 0, 8, shape.rows, "R: PE rows, filters in parallel"),
                      constant("cols", 8, 8, shape.cols, "C: PE columns, output pixels in parallel"),
                      constant("lanes", 16, 8, shape.lanes, "L: dot-product lanes per PE"),
                      constant("row_slots", 24, 2, shape.row_slots, "filters one PE row may hold per tile"),
                      constant("architecture", 28, 1, is_bit_parallel(shape) ? 1 : 0, "0 bit_serial, 1 bit_parallel")});
    map.add_register("widths", "bit widths",
                     {constant("act_bits", 0, 8, shape.act_bits, "A: unsigned activation bits"),
                      constant("max_weight_bits", 8, 8, shape.max_weight_bits, "Bmax: widest filter's weight bits"),
                      constant("acc_bits", 16, 8, acc_width(shape), "ACC_W: accumulator bits"),
                      constant("out_bits", 24, 8, output_width(shape), "bits per output value (A, or ACC_W raw)")});
    map.add_register("pipeline", "drain and pipeline",
                     {constant("requant_units", 0, 8, requant_unit_count(shape), "requantizers the drain shares"),
                      constant("requant_stages", 8, 8, shape.requant_stages, "register stages per requantizer"),
                      constant("tree_register_every", 16, 8, shape.tree_register_every,
                               "adder tree register every N levels (0 none)"),
                      constant("raw_outputs", 24, 1, shape.raw_outputs ? 1 : 0, "1: raw accumulator outputs")});
    map.add_register("limits", "largest dot product",
                     {constant("k_max", 0, 24, shape.k_max, "largest K = Cin x KH x KW")});
    map.add_register("system", "bus and run limits",
                     {constant("bus_bits", 0, 16, system.bus_bits, "AXI4-Stream tdata bits"),
                      constant("max_groups", 16, 16, system.max_groups, "row groups per run")});
    map.add_register("act_buffer", "activation buffer",
                     {constant("words", 0, 32, system.act_buffer_words, "words of L x A bits")});
    map.add_register("weight_buffer", "weight buffer",
                     {constant("words", 0, 32, system.weight_buffer_words, "plane words per bank (two banks)")});
}

void add_control(RegisterMap& map) {
    map.add_register("ctrl", "control",
                     {Field{"start", 0, 1, Access::w1s, 0, "write 1: start a run with the descriptor"},
                      Field{"irq_enable", 1, 1, Access::rw, 0, "irq_o = status.done & irq_enable"}},
                     0x040);
    map.add_register("status", "status",
                     {Field{"busy", 0, 1, Access::ro, 0, "a run is in progress"},
                      Field{"done", 1, 1, Access::w1c, 0, "the last output beat of a run was taken; write 1 to clear"},
                      Field{"error", 2, 1, Access::w1c, 0, "a run stopped on an error; write 1 to clear"},
                      Field{"error_code", 8, 8, Access::ro, 0, "what the error was (0 none)"}});
}

void add_descriptor(RegisterMap& map) {
    map.add_register("in_size", "input feature map (or stripe) size",
                     {descriptor16("height", 0, "input rows"), descriptor16("width", 16, "input columns")}, 0x080);
    map.add_register("out_size", "output size",
                     {descriptor16("height", 0, "output rows"), descriptor16("width", 16, "output columns")});
    map.add_register("kernel", "kernel size", {descriptor16("height", 0, "KH", 1), descriptor16("width", 16, "KW", 1)});
    map.add_register(
        "pad", "padding",
        {descriptor16("top", 0, "rows of zeros above"), descriptor16("left", 16, "columns of zeros on the left")});
    map.add_register("conv", "stride and channel groups",
                     {descriptor16("stride", 0, "s, both axes", 1),
                      descriptor16("in_groups", 16, "CG: input channels / L, rounded up", 1)});
    map.add_register("tile_step", "buffer index steps between pixel tiles",
                     {descriptor16("x", 0, "step to the next tile within an output row"),
                      descriptor16("y", 16, "extra step at an output row wrap")});
    map.add_register("schedule", "work of the run",
                     {descriptor16("groups", 0, "row groups G", 1), descriptor16("chunks", 16, "K chunks of L lanes")});
    map.add_register("pitch", "buffer row pitch", {descriptor16("words", 0, "PITCH: words per plane row")});
    map.add_register("plane", "buffer plane size", {descriptor32("words", "PLANE: words per phase plane")});
    map.add_register("act_words", "activation words of the input packet",
                     {descriptor32("count", "words the loader writes into the activation buffer")});
    map.add_register("pixels", "output pixels of the run", {descriptor32("count", "P = out height x out width")});
    // values the driver derives from the ones above, so the hardware needs no multiplier
    // or divider for them (layout version 2)
    map.add_register("im2col_x", "im2col steps along x",
                     {descriptor16("out_width_s", 0, "s x OW"), descriptor16("tile_x", 16, "s x tile_step.x")});
    map.add_register("im2col_y", "im2col steps along y", {descriptor16("tile_y", 0, "s x tile_step.y")});
    map.add_register("tile_q", "buffer index step between pixel tiles",
                     {descriptor32("words", "tile_step.y x PITCH + tile_step.x")});
    map.add_register("plane_y", "buffer index step of one output row", {descriptor32("words", "s x CG x PLANE")});
    map.add_register("tiles", "pixel tiles of the run",
                     {descriptor16("count", 0, "T = ceil(P / C)", 1),
                      descriptor16("last_pixels", 16, "pixels of the last tile: P - (T - 1) x C", 1)});
}

void add_counters(RegisterMap& map) {
    map.add_counter("busy_cycles", 64, "cycles from start to done", 0x100);
    map.add_counter("compute_cycles", 64, "cycles the array issued a plane");
    map.add_counter("wait_input_cycles", 64, "busy cycles waiting for the input stream");
    map.add_counter("wait_weights_cycles", 64, "busy cycles waiting for a weight bank");
    map.add_counter("wait_rows_cycles", 64, "busy cycles waiting for activation rows");
    map.add_counter("wait_output_cycles", 64, "busy cycles stalled by output back-pressure");
}

void check_range(const char* field, std::int64_t value, std::int64_t low, std::int64_t high, const char* meaning) {
    if (value < low || value > high) {
        throw ConfigError(
            fmt::format("config.system.{} = {}: allowed range {}..{} ({})", field, value, low, high, meaning));
    }
}

}  // namespace

AccelSystem resolved_system(const GeneratorConfig& config, const AccelSystem& system) {
    const ArrayShape& shape = config.shape;
    AccelSystem resolved = system;
    if (system.bus_bits != 32 && system.bus_bits != 64 && system.bus_bits != 128 && system.bus_bits != 256 &&
        system.bus_bits != 512) {
        throw ConfigError(fmt::format("config.system.bus_bits = {}: must be 32, 64, 128, 256 or 512", system.bus_bits));
    }
    check_range("max_groups", system.max_groups, 1, kMax16, "row groups per run, a 16-bit descriptor field");
    if (resolved.act_buffer_words == 0) {
        resolved.act_buffer_words =
            static_cast<std::uint32_t>(std::uint64_t{kActBufferKib} * 1024 * 8 / (shape.lanes * shape.act_bits));
    }
    if (resolved.weight_buffer_words == 0) {
        resolved.weight_buffer_words = static_cast<std::uint32_t>(max_chunks(shape) * max_tile_planes(shape));
    }
    if (max_chunks(shape) > static_cast<int>(kMax16)) {
        throw ConfigError(
            fmt::format("config.k_max = {}: {} chunks of {} lanes; the accelerator's run descriptor "
                        "counts chunks in 16 bits (at most {})",
                        shape.k_max, max_chunks(shape), shape.lanes, kMax16));
    }
    return resolved;
}

RegisterMap accel_regmap(const GeneratorConfig& config, const AccelSystem& system) {
    const AccelSystem resolved = resolved_system(config, system);
    RegisterMap map("accel", config);
    add_identification(map, config, resolved);
    add_control(map);
    add_descriptor(map);
    add_counters(map);
    return map;
}

}  // namespace fwmac
