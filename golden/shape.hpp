// Array geometry and the bit widths derived from it. One definition shared by the
// golden model, the generator and the testbench, so widths can never disagree.
#pragma once

#include <cstdint>

namespace fwmac {

struct ArrayShape {
    int rows = 8;               // R: filters processed in parallel (one per PE row)
    int cols = 8;               // C: output pixels processed in parallel (one per PE column)
    int lanes = 8;              // L: dot-product elements per PE per cycle
    int act_bits = 8;           // A: unsigned activation width
    int max_weight_bits = 8;    // Bmax: widest per-filter two's-complement weight
    int k_max = 4608;           // largest dot-product length K the accumulators must hold
    int tree_register_every = 0;  // adder tree: a register after every N levels (0 = none)
};

// ceil(log2(n)) for n >= 1; clog2(1) == 0.
int clog2(std::uint64_t n);
// Bits needed to hold the unsigned values 0..max_value (at least 1).
int bits_for(std::uint64_t max_value);

// Levels of the per-PE adder tree (ceil(log2 L)).
int tree_levels(const ArrayShape& shape);
// Register stages inside the adder tree: one after every `tree_register_every` levels.
int tree_latency(const ArrayShape& shape);
// Width of the unsigned dot product sum_l (wbit_l ? a_l : 0).
int dot_width(const ArrayShape& shape);
// Width of the signed per-chunk partial sum p (MSB-first over up to Bmax planes).
int partial_width(const ArrayShape& shape);
// Width of the signed accumulator: ceil(log2 K_max) + A + Bmax + 1.
int acc_width(const ArrayShape& shape);
// Largest number of K chunks of L lanes a tile may have.
int max_chunks(const ArrayShape& shape);
int chunk_count_width(const ArrayShape& shape);
int plane_count_width(const ArrayShape& shape);
// Requant parameter word per row: {shift[5:0], mult[15:0], bias[ACC_W-1:0]}.
constexpr int kMultBits = 16;
constexpr int kShiftBits = 6;
constexpr int kMaxShift = 47;
int param_width(const ArrayShape& shape);
// Cycles from the last issued plane of a tile to its accumulator write, and the
// fixed part of the cycle model (see cycle_model.hpp).
int pipeline_depth(const ArrayShape& shape);

}  // namespace fwmac
