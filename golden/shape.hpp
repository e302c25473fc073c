// Array geometry and the bit widths derived from it. One definition shared by the
// golden model, the generator and the testbench, so widths can never disagree.
#pragma once

#include <cstdint>

namespace fwmac {

// How a PE multiplies: one weight bit-plane per cycle (the filter-wise variable-precision
// design), or whole Bmax-bit weights per cycle (the conventional baseline it is compared with).
enum class Architecture {
    bit_serial,    // AND + adder tree per plane, b_g planes per chunk
    bit_parallel,  // A x Bmax multiplier per lane + signed adder tree, one cycle per chunk
};

// "bit_serial" / "bit_parallel": the config and report spelling.
const char* architecture_name(Architecture architecture);

struct ArrayShape {
    int rows = 8;               // R: filters processed in parallel (one per PE row)
    int cols = 8;               // C: output pixels processed in parallel (one per PE column)
    int lanes = 8;              // L: dot-product elements per PE per cycle
    int act_bits = 8;           // A: unsigned activation width
    int max_weight_bits = 8;    // Bmax: widest per-filter two's-complement weight
    int k_max = 4608;           // largest dot-product length K the accumulators must hold
    int tree_register_every = 0;  // adder tree: a register after every N levels (0 = none)
    Architecture architecture = Architecture::bit_serial;
    // Filters one PE row may hold per tile (bit-serial only). With 2 a row runs the
    // chunk's planes as two spans, one filter each, into two accumulators per PE:
    // narrow filters share a row instead of idling while the group's widest finishes.
    int row_slots = 1;
};

inline bool is_bit_parallel(const ArrayShape& shape) { return shape.architecture == Architecture::bit_parallel; }

// The same R x C x L array in `architecture`; the bit-parallel baseline holds one filter
// per row (row_slots = 1), so comparisons with a two-slot array stay valid.
ArrayShape with_architecture(ArrayShape shape, Architecture architecture);

// ceil(log2(n)) for n >= 1; clog2(1) == 0.
int clog2(std::uint64_t n);
// Bits needed to hold the unsigned values 0..max_value (at least 1).
int bits_for(std::uint64_t max_value);
// Two's-complement bits needed to hold every value in min_value..max_value (at least 1).
int signed_bits_for(std::int64_t min_value, std::int64_t max_value);

// Levels of the per-PE adder tree (ceil(log2 L)).
int tree_levels(const ArrayShape& shape);
// Register stages inside the adder tree: one after every `tree_register_every` levels.
int tree_latency(const ArrayShape& shape);
// Range of one lane's contribution to the PE's dot product: a & wbit (bit-serial,
// 0..2^A-1) or a * w with a Bmax-bit signed w (bit-parallel).
struct ValueRange {
    std::int64_t min_value = 0;
    std::int64_t max_value = 0;
};
ValueRange lane_term_range(const ArrayShape& shape);
// Width of one lane's term: A (bit-serial, unsigned) or the exact signed product width.
int lane_term_width(const ArrayShape& shape);
// Width of the dot product of one chunk: unsigned sum_l (wbit_l ? a_l : 0) (bit-serial)
// or signed sum_l a_l * w_l (bit-parallel); exact for the worst case.
int dot_width(const ArrayShape& shape);
// Width of the signed per-chunk partial sum p (MSB-first over up to Bmax planes);
// 0 for bit-parallel, which has no partial sum.
int partial_width(const ArrayShape& shape);
// Weight bits per lane in one weight beat: 1 (a bit-plane) or Bmax (whole weights).
int weight_lane_bits(const ArrayShape& shape);
// Width of one weight beat: R x L x weight_lane_bits.
int weight_beat_width(const ArrayShape& shape);
// Width of the signed accumulator: ceil(log2 K_max) + A + Bmax + 1.
int acc_width(const ArrayShape& shape);
// Largest number of K chunks of L lanes a tile may have.
int max_chunks(const ArrayShape& shape);
int chunk_count_width(const ArrayShape& shape);
// Width of cmd.planes: holds Bmax x row_slots (bit-serial); 1 for bit-parallel, whose planes are always 1.
int plane_count_width(const ArrayShape& shape);
// Largest planes per chunk a tile may run: Bmax x row_slots (1 bit-parallel).
int max_tile_planes(const ArrayShape& shape);
// Width of one row's cmd.spans field (row_slots = 2): holds a span of 0..Bmax planes.
int span_width(const ArrayShape& shape);
// Rows one tile drains: R x row_slots virtual rows (row r slot s is virtual row r * row_slots + s).
int drain_rows(const ArrayShape& shape);
// Requant parameter word per row: {shift[5:0], mult[15:0], bias[ACC_W-1:0]}.
constexpr int kMultBits = 16;
constexpr int kShiftBits = 6;
constexpr int kMaxShift = 47;
int param_width(const ArrayShape& shape);
// Cycles from the last issued plane of a tile to its accumulator write, and the
// fixed part of the cycle model (see cycle_model.hpp).
int pipeline_depth(const ArrayShape& shape);

}  // namespace fwmac
