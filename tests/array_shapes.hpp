// Array shapes for the tests: every field set explicitly. The drain defaults to one
// requantizer per column (G = 1 cycle per drained row), no requant register stages and
// raw outputs (so raw-mode layers run), unless a test asks for others.
#pragma once

#include "golden/shape.hpp"

namespace fwmac::testing {

inline ArrayShape array_shape(int rows, int cols, int lanes, int act_bits, int max_weight_bits, int k_max,
                              int tree_register_every = 0, Architecture architecture = Architecture::bit_serial,
                              int requant_units = 0, int requant_stages = 0, bool raw_outputs = true) {
    ArrayShape shape;
    shape.rows = rows;
    shape.cols = cols;
    shape.lanes = lanes;
    shape.act_bits = act_bits;
    shape.max_weight_bits = max_weight_bits;
    shape.k_max = k_max;
    shape.tree_register_every = tree_register_every;
    shape.architecture = architecture;
    shape.requant_units = requant_units > 0 ? requant_units : cols;
    shape.requant_stages = requant_stages;
    shape.raw_outputs = raw_outputs;
    return shape;
}

}  // namespace fwmac::testing
