// The beat sequences the array's valid/ready streams carry for one scheduled layer,
// and the output beats it must produce. The Verilator and Icarus testbenches drive
// exactly these; the layout of every field is documented in the generated fwmac_top.v header and the README (Architecture).
#pragma once

#include <cstdint>
#include <vector>

#include "golden/array_model.hpp"
#include "golden/bit_vector.hpp"
#include "golden/layer.hpp"
#include "golden/schedule.hpp"

namespace fwmac {

struct CommandBeat {
    int chunks = 0;  // K chunks of L lanes in this tile (>= 1)
    int planes = 0;  // b_g bit-planes per chunk (1..Bmax x row_slots); always 1 on the bit-parallel array
    std::vector<int> second_spans;  // row_slots = 2: per row, planes of its second filter (cmd_spans_i)
};

struct ParamBeat {
    BitVector data;  // one drained row's {shift[5:0], mult[15:0], bias[ACC_W-1:0]}
    bool relu = false;
    bool raw = false;
};

struct OutputBeat {
    int tile = 0;
    int row = 0;       // virtual row: row * row_slots + slot
    int filter = -1;   // original filter index, -1 for a padding row or an empty slot
    int pixel_start = 0;
    int pixel_count = 0;              // lanes >= pixel_count are padding columns
    std::vector<std::int64_t> values;  // C values; y_data_o carries output_field() of each
    bool last = false;                 // the tile's last beat (y_last_o)
};

struct ArrayStreams {
    std::vector<CommandBeat> commands;      // one per tile
    std::vector<BitVector> weight_planes;   // per tile, chunk, plane (MSB first): R*L bits; bit-parallel:
                                            // per tile, chunk: R*L*Bmax bits (whole weights)
    std::vector<BitVector> activations;     // per tile, chunk: C*L*A bits
    std::vector<ParamBeat> params;          // one per output beat (drained row), in the same order
    std::vector<OutputBeat> outputs;        // per tile, its drained virtual rows in order (tile_drain_rows:
                                            // all R*row_slots, or the R slot-0 rows of a tile without
                                            // second filters)
};

// cmd_spans_i of one command (row_slots = 2): row r's second span at bits r * span_width.
BitVector command_spans(const CommandBeat& beat, const ArrayShape& shape);

ArrayStreams build_streams(const GemmLayer& layer, const Schedule& schedule, const ArrayResult& result);

// Reassembles Y[F x P] in the original filter order from output beats (undoing the
// schedule's filter sort and pixel tiling); padding rows and columns are dropped.
std::vector<std::int64_t> collect_outputs(const std::vector<OutputBeat>& beats, int filters, int pixels);

}  // namespace fwmac
