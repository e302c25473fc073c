#include "tb/regmap/csr_model.hpp"

#include <stdexcept>

namespace fwmac::tb {
namespace {

std::uint32_t byte_mask(std::uint32_t strb) {
    std::uint32_t mask = 0;
    for (int byte = 0; byte < 4; ++byte) {
        if (strb >> byte & 1U) mask |= 0xffU << (8 * byte);
    }
    return mask;
}

std::uint32_t field_bits(const CsrField& field, std::uint32_t word) { return (word & field.mask()) >> field.lsb; }

}  // namespace

CsrModel::CsrModel(CsrMap map) : map_(std::move(map)) {
    for (const CsrRegister& reg : map_.registers) {
        states_.emplace_back(reg.fields.size());
        for (std::size_t f = 0; f < reg.fields.size(); ++f) states_.back()[f].pulses.assign(reg.fields[f].width, 0);
    }
    latched_high_.assign(map_.registers.size(), 0);
    reset();
}

const CsrRegister* CsrModel::find(std::uint32_t address) const {
    const std::uint64_t space = std::uint64_t{1} << map_.address_bits;
    const std::uint32_t word_address = static_cast<std::uint32_t>(address % space) & ~3U;
    for (const CsrRegister& reg : map_.registers) {
        if (reg.offset == word_address) return &reg;
    }
    return nullptr;
}

void CsrModel::reset() {
    for (std::size_t r = 0; r < map_.registers.size(); ++r) {
        for (std::size_t f = 0; f < map_.registers[r].fields.size(); ++f) {
            states_[r][f].value = map_.registers[r].fields[f].reset;
        }
        latched_high_[r] = 0;
    }
}

CsrModel::FieldState& CsrModel::state(const CsrField& field) {
    return const_cast<FieldState&>(static_cast<const CsrModel&>(*this).state(field));
}

const CsrModel::FieldState& CsrModel::state(const CsrField& field) const {
    for (std::size_t r = 0; r < map_.registers.size(); ++r) {
        const std::vector<CsrField>& fields = map_.registers[r].fields;
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (&fields[f] == &field) return states_[r][f];
        }
    }
    throw std::logic_error("CsrModel: a field of another map: " + field.name);
}

AxiLiteMaster::ReadResult CsrModel::read(std::uint32_t address) {
    const CsrRegister* reg = find(address);
    if (reg == nullptr) return {0, AxiResp::slverr};
    const std::size_t index = static_cast<std::size_t>(reg - map_.registers.data());
    std::uint32_t data = 0;
    for (const CsrField& field : reg->fields) {
        std::uint32_t value = 0;
        switch (field.access) {
            case CsrAccess::ro:
                value = static_cast<std::uint32_t>(field.port.get());
                break;
            case CsrAccess::ro_const:
                value = field.reset;
                break;
            case CsrAccess::rw:
            case CsrAccess::w1c:
                value = state(field).value;
                break;
            case CsrAccess::w1s:
                value = 0;
                break;
            case CsrAccess::ro_counter: {
                const std::uint64_t count = field.port.get();
                if (reg->word == CsrWord::high) {
                    value = latched_high_[index];
                } else {
                    value = static_cast<std::uint32_t>(count);
                }
                if (reg->word == CsrWord::low) {
                    // the HI register is the next one of the same counter
                    for (std::size_t r = 0; r < map_.registers.size(); ++r) {
                        if (map_.registers[r].counter == reg->counter && map_.registers[r].word == CsrWord::high) {
                            latched_high_[r] = static_cast<std::uint32_t>(count >> 32);
                        }
                    }
                }
                break;
            }
        }
        data |= (value << field.lsb) & field.mask();
    }
    return {data, AxiResp::okay};
}

AxiResp CsrModel::write(std::uint32_t address, std::uint32_t data, std::uint32_t strb) {
    const CsrRegister* reg = find(address);
    if (reg == nullptr) return AxiResp::slverr;
    const std::uint32_t enabled = byte_mask(strb);
    for (const CsrField& field : reg->fields) {
        FieldState& field_state = state(field);
        const std::uint32_t write_bits = field_bits(field, enabled);
        const std::uint32_t ones = field_bits(field, data & enabled);
        switch (field.access) {
            case CsrAccess::rw:
                field_state.value = (field_state.value & ~write_bits) | ones;
                break;
            case CsrAccess::w1c:
                field_state.value &= ~ones;
                break;
            case CsrAccess::w1s:
                for (int bit = 0; bit < field.width; ++bit) field_state.pulses[bit] += ones >> bit & 1U;
                break;
            case CsrAccess::ro:
            case CsrAccess::ro_const:
            case CsrAccess::ro_counter:
                break;
        }
    }
    return AxiResp::okay;
}

void CsrModel::set_pulse(const CsrField& field, std::uint32_t bits) {
    if (field.access != CsrAccess::w1c) throw std::logic_error("CsrModel::set_pulse on " + field.name);
    state(field).value |= bits & static_cast<std::uint32_t>(field.mask() >> field.lsb);
}

std::uint32_t CsrModel::value(const CsrField& field) const { return state(field).value; }

std::vector<std::uint64_t>& CsrModel::expected_pulses(const CsrField& field) { return state(field).pulses; }

}  // namespace fwmac::tb
