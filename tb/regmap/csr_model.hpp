// The register map as the CSR testbench sees it (a table generated from the map, with
// the Verilator ports of each field) and a C++ model of what the CSR module must answer:
// the read data and response of every access, the rw / w1c values on the outputs and the
// w1s pulses a write must give. Hardware inputs (ro fields, counters) are read from the
// ports the testbench drives.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tb/bfm/axi_lite.hpp"
#include "tb/bfm/port.hpp"

namespace fwmac::tb {

// spelled as generator/system's Access (fwmac_regmap_tb_gen writes CsrAccess::<access_name>)
enum class CsrAccess { ro, ro_const, rw, w1s, w1c, ro_counter };
enum class CsrWord { none, whole, low, high };  // which word of a counter a register reads

struct CsrField {
    std::string name;
    int lsb = 0;
    int width = 1;
    CsrAccess access = CsrAccess::rw;
    std::uint32_t reset = 0;
    Port port;  // ro: the input; rw, w1s, w1c: the output; ro_counter: the counter's input
    Port set;   // w1c: the set input
    std::uint32_t mask() const { return static_cast<std::uint32_t>(((std::uint64_t{1} << width) - 1) << lsb); }
};

struct CsrRegister {
    std::string name;
    std::uint32_t offset = 0;
    std::uint32_t reset = 0;  // the whole register after reset (with ro inputs at 0)
    CsrWord word = CsrWord::none;
    std::string counter;
    std::vector<CsrField> fields;
};

struct CsrMap {
    int address_bits = 0;
    std::vector<CsrRegister> registers;
};

class CsrModel {
public:
    explicit CsrModel(CsrMap map);

    const CsrMap& map() const { return map_; }
    // The register at byte address `address` (bits 1..0 ignored), or nullptr.
    const CsrRegister* find(std::uint32_t address) const;

    void reset();
    // What a read / write must answer, with its side effects (LO latches HI, rw values,
    // w1c clears, the w1s pulses it must give).
    AxiLiteMaster::ReadResult read(std::uint32_t address);
    AxiResp write(std::uint32_t address, std::uint32_t data, std::uint32_t strb);
    // A one-cycle pulse of `bits` on a w1c field's set input (after any write in that cycle).
    void set_pulse(const CsrField& field, std::uint32_t bits);

    // The value a rw or w1c field's output must show.
    std::uint32_t value(const CsrField& field) const;
    // The w1s pulses the writes so far asked for, per bit of the field.
    std::vector<std::uint64_t>& expected_pulses(const CsrField& field);

private:
    struct FieldState {
        std::uint32_t value = 0;
        std::vector<std::uint64_t> pulses;
    };
    FieldState& state(const CsrField& field);
    const FieldState& state(const CsrField& field) const;

    CsrMap map_;
    std::vector<std::vector<FieldState>> states_;  // [register][field]
    std::vector<std::uint32_t> latched_high_;      // [register]: a HI word's latch
};

}  // namespace fwmac::tb
