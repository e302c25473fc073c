// Energy estimate of a scheduled layer: operation counts of the datapath x a table of
// energy per operation. An analytic model, not a power simulation: it counts the
// arithmetic, register and buffer-read work the RTL performs per issued cycle and
// prices it with published 45 nm figures plus the stated assumptions below.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "golden/activity.hpp"
#include "golden/schedule.hpp"

namespace fwmac {

// Energy per operation in pJ (45 nm, 0.9 V).
struct EnergyTable {
    // M. Horowitz, "Computing's energy problem (and what we can do about it)",
    // ISSCC 2014, p. 10-14: integer add 8 bit 0.03 pJ, 32 bit 0.1 pJ; integer multiply
    // 8 bit 0.2 pJ, 32 bit 3.1 pJ; 64-bit read of an 8 KB SRAM 10 pJ.
    double add_8bit = 0.03;
    double add_32bit = 0.1;
    double multiply_8x8 = 0.2;
    double multiply_32x32 = 3.1;
    double sram_read_64bit = 10.0;
    // Assumptions (not in the source): a flip-flop write costs one full-adder bit
    // (add_8bit / 8, similar transistor count); a 2-input AND a quarter of that; the
    // clock of one flip-flop bit in a cycle it is clocked half a write (its clock pin
    // and internal clock buffers switch twice per cycle, about half the capacitance a
    // data write switches). Registers with an enable are clock-gated: a bit is clocked
    // in exactly the cycles it is written.
    double flop_bit() const { return add_8bit / 8.0; }
    double clock_bit() const { return flop_bit() / 2.0; }
    double and_bit() const { return add_8bit / 32.0; }
    // Linear in the width through the 8- and 32-bit points (ripple/prefix adders).
    double add(int width) const;
    // Proportional to the partial-product count a*b, fitted through 8x8 and 32x32.
    double multiply(int a_bits, int b_bits) const;
    double sram_bit() const { return sram_read_64bit / 64.0; }
};

// Work of one layer on the array, in bit-operations of each kind.
struct OperationCounts {
    double and_bits = 0;   // AND gates evaluated (bit-serial operand gating)
    std::map<int, double> adds_by_width;  // adder evaluations (trees, partial, accumulate, requant)
    std::map<std::pair<int, int>, double> multiplies_by_shape;  // {a_bits, b_bits} -> evaluations
    double flop_bits = 0;  // register bits written = clocked (operands, tree pipeline, partial sums,
                           // accumulators, drain chain, requant pipeline, output, control tags)
    double sram_bits = 0;  // operand buffer bits read (weights, activations) and outputs written
    double adder_bits() const;  // sum of the widths of all adds
};

struct EnergyBreakdown {
    double and_gates = 0, adders = 0, multipliers = 0, registers = 0, clock = 0, buffers = 0;  // pJ
    double total() const { return and_gates + adders + multipliers + registers + clock + buffers; }
};

// Operation counts of a schedule on its shape's architecture, following the RTL
// (bit-serial: AND + adder tree and the partial-sum add per plane, the accumulator adder
// once per committed span thanks to its operand isolation; bit-parallel: an A x Bmax
// multiplier per lane and the accumulator add per chunk, one cycle per chunk). Every PE
// of the array works in every issued cycle (padding rows and columns of partial tiles
// included: their operands are zero but the hardware is clocked); stall cycles are
// assumed clock-gated and cost nothing. The drain requantizes in requant_units units,
// each evaluated once per drain cycle (padding columns of the last group included).
OperationCounts count_operations(const Schedule& schedule);


EnergyBreakdown price_operations(const OperationCounts& counts, const EnergyTable& table);

struct EnergyReport {
    std::uint64_t macs = 0;
    std::uint64_t cycles = 0;
    EnergyBreakdown energy;  // pJ
    double pj_per_mac() const { return energy.total() / static_cast<double>(macs); }
    // 2 operations per MAC; 1 op/pJ = 1 TOPS/W.
    double tops_per_watt() const { return 2.0 * static_cast<double>(macs) / energy.total(); }
    double macs_per_cycle() const { return static_cast<double>(macs) / static_cast<double>(cycles); }
};

EnergyReport add_reports(const EnergyReport& a, const EnergyReport& b);
nlohmann::json energy_json(const EnergyReport& report);
// The energy table with its source and the assumptions, for reports.
nlohmann::json energy_table_json(const EnergyTable& table);

}  // namespace fwmac
