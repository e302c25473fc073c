#include "generator/system/regmap.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>

#include "golden/shape.hpp"

namespace fwmac {

const char* access_name(Access access) {
    switch (access) {
        case Access::ro:
            return "ro";
        case Access::ro_const:
            return "ro_const";
        case Access::rw:
            return "rw";
        case Access::w1s:
            return "w1s";
        case Access::w1c:
            return "w1c";
        case Access::ro_counter:
            return "ro_counter";
    }
    throw std::logic_error("unknown register access kind");
}

std::uint32_t field_mask(const Field& field) {
    const std::uint64_t ones = (std::uint64_t{1} << field.width) - 1;
    return static_cast<std::uint32_t>(ones << field.lsb);
}

std::uint32_t register_reset(const Register& reg) {
    std::uint32_t value = 0;
    for (const Field& field : reg.fields) value |= (field.reset << field.lsb) & field_mask(field);
    return value;
}

bool is_writable(Access access) { return access == Access::rw || access == Access::w1s || access == Access::w1c; }

std::string field_bits(const Field& field) {
    return field.width == 1 ? fmt::format("[{}]", field.lsb)
                            : fmt::format("[{}:{}]", field.lsb + field.width - 1, field.lsb);
}

std::string upper_case(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
    return name;
}

bool is_input(PortRole role) { return role != PortRole::field_out; }

bool is_regmap_identifier(const std::string& name) {
    static const std::regex pattern("[a-z][a-z0-9_]*");
    return std::regex_match(name, pattern) && name.find("__") == std::string::npos && name.back() != '_';
}

bool is_plain_identifier(const std::string& name) {
    static const std::regex pattern("[A-Za-z][A-Za-z0-9_]*");
    return std::regex_match(name, pattern);
}

namespace {

// Register and counter names the CSR module's own signals use (clk_i, s_axil_*, axil_*).
bool is_reserved(const std::string& name) {
    return name == "clk" || name.rfind("axil", 0) == 0 || name.rfind("s_axil", 0) == 0;
}

bool is_comment_text(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= ' ' && c <= '~' && c != '\\'; });
}

// The names a register contributes to the emitted files, joined with '_' as its ports,
// flops and C macros spell them (a register `a_b` and a field `b` of register `a` would
// both give A_B_... macros), each with what it is for the error message.
std::vector<std::pair<std::string, std::string>> derived_names(const Register& reg) {
    std::vector<std::pair<std::string, std::string>> names;
    names.emplace_back(reg.name, fmt::format("register '{}'", reg.name));
    for (const Field& field : reg.fields) {
        const std::string joined = reg.name + "_" + field.name;
        names.emplace_back(joined, fmt::format("register '{}' field '{}'", reg.name, field.name));
        if (field.access == Access::w1c) {
            names.emplace_back(joined + "_set",
                               fmt::format("the set input of register '{}' field '{}'", reg.name, field.name));
        }
    }
    if (reg.word == CounterWord::whole || reg.word == CounterWord::low) {
        names.emplace_back(reg.counter, fmt::format("counter '{}'", reg.counter));
    }
    return names;
}

}  // namespace

RegisterMap::RegisterMap(std::string name, GeneratorConfig config)
    : name_(std::move(name)), config_(std::move(config)) {
    if (!is_regmap_identifier(name_)) {
        throw RegmapError(
            fmt::format("register map '{}': the name must be a lower-case identifier "
                        "([a-z][a-z0-9_]*, no '__', no trailing '_')",
                        name_));
    }
}

std::uint32_t RegisterMap::place(const std::string& where, std::optional<std::uint32_t> offset) const {
    if (offset) {
        if (*offset % 4 != 0)
            throw RegmapError(fmt::format("{}: offset 0x{:x} is not a multiple of 4", where, *offset));
        return *offset;
    }
    if (next_offset_ > 0xfffffffcULL) throw RegmapError(fmt::format("{}: no room after offset 0xfffffffc", where));
    return static_cast<std::uint32_t>(next_offset_);
}

const Register& RegisterMap::append(Register reg) {
    check_register(reg);
    check_derived_names(reg);
    registers_.push_back(std::move(reg));
    next_offset_ = std::uint64_t{registers_.back().offset} + 4;
    return registers_.back();
}

const Register& RegisterMap::add_register(const std::string& name, const std::string& description,
                                          std::vector<Field> fields, std::optional<std::uint32_t> offset) {
    const std::string where = fmt::format("register map '{}': register '{}'", name_, name);
    for (const Field& field : fields) {
        if (field.access == Access::ro_counter) {
            throw RegmapError(
                fmt::format("{}: field '{}': ro_counter fields are made by add_counter", where, field.name));
        }
    }
    Register reg;
    reg.name = name;
    reg.description = description;
    reg.fields = std::move(fields);
    reg.offset = place(where, offset);
    return append(std::move(reg));
}

void RegisterMap::add_counter(const std::string& name, int bits, const std::string& description,
                              std::optional<std::uint32_t> offset) {
    const std::string where = fmt::format("register map '{}': counter '{}'", name_, name);
    if (bits != 32 && bits != 64) throw RegmapError(fmt::format("{}: {} bits; counters have 32 or 64", where, bits));
    if (!is_regmap_identifier(name)) {
        throw RegmapError(
            fmt::format("{}: the name must be a lower-case identifier ([a-z][a-z0-9_]*, no '__', "
                        "no trailing '_')",
                        where));
    }
    if (is_reserved(name)) {
        throw RegmapError(fmt::format("{}: the name is reserved (clk, axil*, s_axil*: the bus signals)", where));
    }
    struct Word {
        std::string suffix;
        CounterWord word;
        std::string what;
    };
    std::vector<Word> words;
    if (bits == 32) {
        words.push_back({"", CounterWord::whole, ""});
    } else {
        words.push_back({"_lo", CounterWord::low, " (bits 31..0; reading it latches HI)"});
        words.push_back({"_hi", CounterWord::high, " (bits 63..32, as latched by reading LO)"});
    }
    // both words or neither: a failed HI word takes its LO word out again
    const std::size_t registers_before = registers_.size();
    const std::uint64_t next_offset_before = next_offset_;
    try {
        for (const Word& word : words) {
            Register reg;
            reg.name = name + word.suffix;
            reg.description = description + word.what;
            reg.fields.push_back(Field{"count", 0, 32, Access::ro_counter, 0, "counter value" + word.what});
            reg.counter = name;
            reg.counter_bits = bits;
            reg.word = word.word;
            reg.offset = place(where, word.word == CounterWord::high ? std::nullopt : offset);
            append(std::move(reg));
        }
    } catch (const RegmapError&) {
        registers_.resize(registers_before);
        next_offset_ = next_offset_before;
        throw;
    }
}

void RegisterMap::check_register(const Register& reg) const {
    const std::string where = fmt::format("register map '{}': register '{}' at 0x{:03x}", name_, reg.name, reg.offset);
    if (!is_regmap_identifier(reg.name)) {
        throw RegmapError(
            fmt::format("{}: the name must be a lower-case identifier ([a-z][a-z0-9_]*, no '__', "
                        "no trailing '_')",
                        where));
    }
    if (is_reserved(reg.name)) {
        throw RegmapError(fmt::format("{}: the name is reserved (clk, axil*, s_axil*: the bus signals)", where));
    }
    if (!is_comment_text(reg.description)) {
        throw RegmapError(fmt::format("{}: the description must be one line of printable ASCII without '\\'", where));
    }
    for (const Register& other : registers_) {
        if (other.name == reg.name)
            throw RegmapError(fmt::format("{}: the name is taken (at 0x{:03x})", where, other.offset));
        if (other.offset == reg.offset) {
            throw RegmapError(fmt::format("{}: the offset is taken by register '{}'", where, other.name));
        }
    }
    if (reg.fields.empty()) throw RegmapError(fmt::format("{}: no fields", where));
    for (std::size_t i = 0; i < reg.fields.size(); ++i) {
        const Field& field = reg.fields[i];
        const std::string at = fmt::format("{}: field '{}'", where, field.name);
        if (!is_regmap_identifier(field.name)) {
            throw RegmapError(
                fmt::format("{}: the name must be a lower-case identifier ([a-z][a-z0-9_]*, no '__', "
                            "no trailing '_')",
                            at));
        }
        if (!is_comment_text(field.description)) {
            throw RegmapError(fmt::format("{}: the description must be one line of printable ASCII without '\\'", at));
        }
        if (field.width < 1 || field.width > 32) {
            throw RegmapError(fmt::format("{}: width {} outside 1..32", at, field.width));
        }
        if (field.lsb < 0 || field.lsb + field.width > 32) {
            throw RegmapError(fmt::format("{}: bits {}..{} (lsb {}, width {}) go beyond the register's bits 31..0", at,
                                          field.lsb + field.width - 1, field.lsb, field.lsb, field.width));
        }
        if (field.width < 32 && field.reset >> field.width != 0) {
            throw RegmapError(fmt::format("{}: reset 0x{:x} does not fit its {} bits", at, field.reset, field.width));
        }
        if ((field.access == Access::ro || field.access == Access::w1s) && field.reset != 0) {
            throw RegmapError(fmt::format("{}: reset 0x{:x}, but a {} field {}; its reset must be 0", at, field.reset,
                                          access_name(field.access),
                                          field.access == Access::ro ? "reads its input" : "reads 0"));
        }
        for (std::size_t j = 0; j < i; ++j) {
            const Field& other = reg.fields[j];
            if (other.name == field.name) throw RegmapError(fmt::format("{}: the name is taken", at));
            if ((field_mask(other) & field_mask(field)) != 0) {
                throw RegmapError(
                    fmt::format("{} {} overlaps field '{}' {}", at, field_bits(field), other.name, field_bits(other)));
            }
        }
    }
}

void RegisterMap::check_derived_names(const Register& reg) const {
    std::map<std::string, std::string> taken;
    for (const Register& other : registers_) {
        for (auto& [name, what] : derived_names(other)) taken.emplace(name, what);
    }
    std::map<std::string, std::string> own;
    for (auto& [name, what] : derived_names(reg)) {
        auto clash = taken.find(name);
        if (clash == taken.end()) {
            clash = own.find(name);
            if (clash == own.end()) {
                own.emplace(name, what);
                continue;
            }
        }
        throw RegmapError(
            fmt::format("register map '{}': {} and {} both give the name '{}' to the ports and C "
                        "macros",
                        name_, what, clash->second, name));
    }
}

const Register* RegisterMap::find(const std::string& register_name) const {
    for (const Register& reg : registers_) {
        if (reg.name == register_name) return &reg;
    }
    return nullptr;
}

std::uint64_t RegisterMap::span_bytes() const {
    std::uint64_t span = 0;
    for (const Register& reg : registers_) span = std::max(span, std::uint64_t{reg.offset} + 4);
    return span;
}

int RegisterMap::address_bits() const { return std::max(3, clog2(std::max<std::uint64_t>(span_bytes(), 1))); }

std::vector<RegisterPort> register_ports(const RegisterMap& map) {
    std::vector<RegisterPort> ports;
    const std::vector<Register>& registers = map.registers();
    for (std::size_t r = 0; r < registers.size(); ++r) {
        const Register& reg = registers[r];
        for (std::size_t f = 0; f < reg.fields.size(); ++f) {
            const Field& field = reg.fields[f];
            const std::string joined = reg.name + "_" + field.name;
            switch (field.access) {
                case Access::ro:
                    ports.push_back({joined + "_i", PortRole::field_in, field.width, r, f});
                    break;
                case Access::rw:
                case Access::w1s:
                    ports.push_back({joined + "_o", PortRole::field_out, field.width, r, f});
                    break;
                case Access::w1c:
                    ports.push_back({joined + "_set_i", PortRole::set_in, field.width, r, f});
                    ports.push_back({joined + "_o", PortRole::field_out, field.width, r, f});
                    break;
                case Access::ro_counter:
                    if (reg.word != CounterWord::high) {
                        ports.push_back({reg.counter + "_i", PortRole::counter_in, reg.counter_bits, r, f});
                    }
                    break;
                case Access::ro_const:
                    break;
            }
        }
    }
    return ports;
}

}  // namespace fwmac
