// How often the array's registers are enabled for a schedule: the events the energy model
// prices, modelled exactly for an always-ready environment. The testbench counts the same
// events on the RTL's shared enables (fwmac_tb --activity) and compares.
#pragma once

#include <cstdint>

#include "golden/schedule.hpp"

namespace fwmac {

struct ActivityCounts {
    std::uint64_t plane_cycles = 0;        // issued planes: every PE's partial sum (bit-serial) and the
                                           // weight operand register are written
    std::uint64_t activation_loads = 0;    // chunks: the activation operand register is written
    std::uint64_t commits = 0;             // chunk commits: every PE adds into an accumulator
    std::uint64_t first_span_commits = 0;  // two slots: rows committing a first filter's span (per row)
    std::uint64_t drain_loads = 0;         // tiles handed to the drain chains
    std::uint64_t drain_shifts = 0;        // drained rows: the chains shift once per row
    std::uint64_t requant_cycles = 0;      // drain cycles: the requant units take one group of values each
};

ActivityCounts count_activity(const Schedule& schedule);

}  // namespace fwmac
