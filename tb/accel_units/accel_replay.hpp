// One shell run written out for replay in another simulator (tb_accel --dump DIR, replayed
// by tb_accel_replay_icarus.v, which includes DIR/replay_params.vh and reads the hex files
// with $readmemh):
//   regs.hex            one register write per line, {address[31:0], data[31:0]} in 16 hex
//                       digits: the run's descriptor registers, then CTRL (start | irq_enable)
//   input.hex           the input packet, one BUS_W-bit beat per line (BUS_W / 4 hex digits)
//   output.hex          the output packet the shell must send, likewise
//   replay_params.vh    `defines: the shell's module name, BUS_W, ADDR_W, the counts, the
//                       last output beat's tkeep, the STATUS and compute-counter addresses and
//                       bits, the expected compute cycles (and, dumped always ready, the
//                       golden shell model's busy cycles), a cycle limit, the files' paths
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "golden/bit_vector.hpp"

namespace accel_tb {

struct ReplayRun {
    std::string dut;  // the shell's module name (<config name>_accel)
    int bus_bits = 32;
    int addr_bits = 9;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> writes;  // (byte address, data) in order
    std::vector<fwmac::BitVector> input_beats;
    std::vector<fwmac::BitVector> output_beats;
    int output_last_bytes = 0;
    std::uint32_t status_address = 0;
    int status_busy_bit = 0, status_done_bit = 0, status_error_bit = 0;
    std::uint32_t compute_lo_address = 0, compute_hi_address = 0;
    std::uint64_t compute_cycles = 0;  // the run's weight planes
    std::uint32_t busy_lo_address = 0, busy_hi_address = 0;
    std::uint64_t busy_cycles = 0;     // the golden shell model's busy cycles (always ready; 0: not checked)
    std::uint64_t cycle_limit = 0;     // cycles the replay may take from the start write on
    std::string description;
};

// Writes the files into `directory` (created if missing); throws std::runtime_error naming
// a file that cannot be written.
void write_replay(const std::string& directory, const ReplayRun& run);

}  // namespace accel_tb
