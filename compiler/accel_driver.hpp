// The host side of the accelerator (docs/accelerator.md): packs a convolution layer into
// runs (register values, the input packet of bus beats) and unpacks the output packets
// into the layer's outputs [F][OH][OW], in the original filter order. Built on the golden
// model: a run's streams are the core's (golden/streams) for the run's GEMM
// (golden/accel_layout), so what the accelerator must produce is known exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/stimulus.hpp"
#include "golden/accel_layout.hpp"
#include "golden/bit_vector.hpp"

namespace fwmac {

// One run, ready to send.
struct AccelRunProgram {
    AccelRun run;
    Stimulus core;                        // the run's GEMM through the core: schedule, streams, outputs
    std::vector<BitVector> input_beats;   // the input packet, bus_bits each
    std::vector<BitVector> output_beats;  // the output packet the accelerator must send
    int output_last_bytes = 0;            // bytes of the last output beat that hold values (tkeep)
    std::uint64_t input_bytes() const;
    std::uint64_t output_bytes() const;
};

// A layer: conv shape, integer weights [F][Cin][kh][kw] with their widths, the input image
// [Cin][H][W], requant parameters per filter and the output mode.
struct AccelLayer {
    std::string name;
    ConvShape conv;
    std::vector<std::int64_t> weights;
    std::vector<int> weight_bits;
    std::vector<std::int64_t> image;
    std::vector<RequantParams> requant;
    OutputMode mode;
};

// Every run of `layer`: with the hardware im2col, or lowered on the host first where
// golden/accel_layout host_lowered says so (GEMM mode); throws std::invalid_argument naming
// the reason when it does not fit.
std::vector<AccelRunProgram> pack_layer(const AccelLayer& layer, const ArrayShape& shape, const SystemShape& system);

// The values of one run's output packet: for each tile, each drained row that holds a
// filter, the tile's pixels; unpacked into outputs[F * P] of the layer (P = OH * OW).
void unpack_run(const AccelRunProgram& program, const std::vector<BitVector>& output_beats, int pixels_of_layer,
                std::vector<std::int64_t>& outputs);

// The sections of a packet, for tests: `words` of `bits` each in containers, packed into
// beats of `bus_bits` (the section starts on a new beat, its last beat zero-padded).
std::vector<BitVector> pack_section(const std::vector<BitVector>& words, int bits, int bus_bits);

// The registers a run sets: (register.field, value) in the generated register map's names,
// with the derived values (im2col steps, tiles of C pixels) the hardware takes as given.
std::vector<std::pair<std::string, std::uint64_t>> run_registers(const AccelRun& run, int groups, int cols);

}  // namespace fwmac
