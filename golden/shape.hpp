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
    // The drain: requantizers it time-shares over the C columns (0 = the default,
    // requant_unit_count), register stages inside each, and whether the y stream carries
    // raw ACC_W-bit accumulators (raw output mode) or only A-bit requantized values.
    int requant_units = 0;
    int requant_stages = 4;
    bool raw_outputs = false;
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
// Width of the signed per-chunk partial sum p (MSB-first over up to Bmax planes, exact for
// p in -2^(Bmax-1) * dot_max .. (2^(Bmax-1) - 1) * dot_max, and at least dot_width + 1, which
// fwmac_pe_acc requires); 0 for bit-parallel, which has none.
int partial_width(const ArrayShape& shape);
// Weight bits per lane in one weight beat: 1 (a bit-plane) or Bmax (whole weights).
int weight_lane_bits(const ArrayShape& shape);
// Width of one weight beat: R x L x weight_lane_bits.
int weight_beat_width(const ArrayShape& shape);
// Width of the signed accumulator, exact for every sum over K_max terms w * a with
// w in -2^(Bmax-1)..2^(Bmax-1)-1 and a in 0..2^A-1 (at least A + 2 bits, which the
// requantizer's clamp needs).
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
// Requantizers of the drain (shape.requant_units, or the default ceil(C / 4)).
int requant_unit_count(const ArrayShape& shape);
// Cycles the drain spends per row: ceil(C / requant units) column groups.
int drain_groups(const ArrayShape& shape);
// Bits per value on the y stream: ACC_W with raw_outputs, else A (relu: unsigned,
// signed mode: two's complement; both clamped ranges fit A bits).
int output_width(const ArrayShape& shape);
// The y_data field of one output value: its low output_width bits.
std::uint64_t output_field(std::int64_t value, const ArrayShape& shape);
// Requant parameter word per row: {shift[5:0], mult[15:0], bias[ACC_W-1:0]}.
constexpr int kMultBits = 16;
constexpr int kShiftBits = 6;
constexpr int kMaxShift = 47;
int param_width(const ArrayShape& shape);
// Cycles from issuing a chunk's last plane to its accumulator commit: 1 (operand
// registers) + tree register stages + 1 for the bit-serial partial-sum stage (the commit
// is one stage after it; the bit-parallel PE adds the dot product directly).
int pipeline_depth(const ArrayShape& shape);
// Register stages inside each requantizer (the drain's output latency beyond one cycle).
constexpr int kMaxRequantStages = 9;
// Bits one requantizer's pipeline registers hold with requant_stages registers: the widths
// of the cuts they sit at (rtl_templates/fwmac_requant.v: cuts C0..C8 and its CUT_TABLE;
// the raw-mode bits only with raw_outputs, synthesis removes them otherwise).
int requant_register_bits(const ArrayShape& shape);

}  // namespace fwmac
