// Array shapes for the tests: every field set explicitly.
#pragma once

#include "golden/shape.hpp"

namespace fwmac::testing {

inline ArrayShape array_shape(int rows, int cols, int lanes, int act_bits, int max_weight_bits, int k_max,
                              int tree_register_every = 0, Architecture architecture = Architecture::bit_serial) {
    ArrayShape shape;
    shape.rows = rows;
    shape.cols = cols;
    shape.lanes = lanes;
    shape.act_bits = act_bits;
    shape.max_weight_bits = max_weight_bits;
    shape.k_max = k_max;
    shape.tree_register_every = tree_register_every;
    shape.architecture = architecture;
    return shape;
}

}  // namespace fwmac::testing
