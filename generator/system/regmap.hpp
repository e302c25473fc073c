// A register map described once (registers at 32-bit-aligned byte offsets, each with
// named bit fields and their access kinds), from which the CSR RTL, the C header and the
// documentation table are emitted (regmap_emit.hpp). Every register and field is checked
// when it is added, so an emitter can rely on a valid map.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "generator/common/config.hpp"

namespace fwmac {

// An invalid register map (overlapping fields, a field beyond bit 31, a duplicate or
// malformed name, a misaligned or taken offset); the message names the map, the register
// and the field.
class RegmapError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Access {
    ro,          // hardware drives the value (input <reg>_<field>_i); writes are ignored
    ro_const,    // a constant: reads the reset value, no port (identification, parameters)
    rw,          // software writes, hardware reads (output <reg>_<field>_o), reset value
    w1s,         // writing 1 pulses output <reg>_<field>_o for one cycle; reads 0
    w1c,         // sticky: set by the input pulse <reg>_<field>_set_i, cleared by writing 1,
                 // the bit on output <reg>_<field>_o; a set in the cycle of a clear wins
    ro_counter,  // a word of a hardware counter (input <counter>_i); see RegisterMap::add_counter
};

// "ro", "ro_const", "rw", "w1s", "w1c", "ro_counter".
const char* access_name(Access access);

struct Field {
    std::string name;
    int lsb = 0;
    int width = 1;
    Access access = Access::rw;
    std::uint32_t reset = 0;  // the field's value after reset (right-aligned)
    std::string description;
};

// Which word of a counter a ro_counter register reads.
enum class CounterWord {
    none,   // not a counter register
    whole,  // a 32-bit counter
    low,    // bits 31..0 of a 64-bit counter; reading it latches bits 63..32
    high,   // bits 63..32 as latched by the last read of the low word
};

struct Register {
    std::string name;
    std::uint32_t offset = 0;  // byte offset, a multiple of 4
    std::string description;
    std::vector<Field> fields;
    // ro_counter registers: the counter (its input port is <counter>_i) and the word read
    std::string counter;
    int counter_bits = 0;
    CounterWord word = CounterWord::none;
};

// A field's bits in place in its register, and every field's reset value in place.
std::uint32_t field_mask(const Field& field);
std::uint32_t register_reset(const Register& reg);
// Whether software writes change a field (rw, w1s, w1c).
bool is_writable(Access access);
// "[lsb]" or "[msb:lsb]": the field's bits in its register.
std::string field_bits(const Field& field);
// `name` in upper case (C macros, Verilog localparams).
std::string upper_case(std::string name);

class RegisterMap {
public:
    // `config` is the design the map belongs to: the emitted files' banners name it.
    RegisterMap(std::string name, GeneratorConfig config);

    // Appends a register at `offset` or, without one, at the word after the register added
    // last. Throws RegmapError, naming the register and field, when it does not fit the map.
    const Register& add_register(const std::string& name, const std::string& description, std::vector<Field> fields,
                                 std::optional<std::uint32_t> offset = std::nullopt);
    // A hardware counter read through input <name>_i: 32 bits as one register `name`, 64
    // bits as `name_lo` then `name_hi` (reading LO latches HI, so LO then HI is one
    // consistent value). Each register has one field `count`.
    void add_counter(const std::string& name, int bits, const std::string& description,
                     std::optional<std::uint32_t> offset = std::nullopt);

    const std::string& name() const { return name_; }
    const GeneratorConfig& config() const { return config_; }
    const std::vector<Register>& registers() const { return registers_; }
    const Register* find(const std::string& register_name) const;
    // Bytes from offset 0 to the end of the highest register.
    std::uint64_t span_bytes() const;
    // Byte address bits that decode the map (ADDR_W of the CSR module): at least 3.
    int address_bits() const;

private:
    std::uint32_t place(const std::string& where, std::optional<std::uint32_t> offset) const;
    const Register& append(Register reg);
    void check_register(const Register& reg) const;
    void check_derived_names(const Register& reg) const;

    std::string name_;
    GeneratorConfig config_;
    std::vector<Register> registers_;
    std::uint64_t next_offset_ = 0;
};

// The ports a CSR module of the map has besides clock, reset and the bus, in map order.
enum class PortRole {
    field_in,    // ro: <reg>_<field>_i
    field_out,   // rw, w1s, w1c: <reg>_<field>_o
    set_in,      // w1c: <reg>_<field>_set_i
    counter_in,  // <counter>_i, counter_bits wide (listed once, at the counter's first register)
};
struct RegisterPort {
    std::string name;
    PortRole role;
    int width;
    std::size_t register_index;  // into map.registers()
    std::size_t field_index;     // into that register's fields
};
std::vector<RegisterPort> register_ports(const RegisterMap& map);
bool is_input(PortRole role);

// `name` is a lower-case identifier: [a-z][a-z0-9_]*, no "__", no trailing '_'.
// (Descriptions are one line of printable ASCII without backslashes: they end up in comments.)
// `name` is a C and Verilog identifier of letters, digits and '_' starting with a letter
// (what config.name allows): CSR module names and C prefixes.
bool is_plain_identifier(const std::string& name);
bool is_regmap_identifier(const std::string& name);

}  // namespace fwmac
