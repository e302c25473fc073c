// A GEMM layer as the array computes it: Y[F x P] = requant_f(W[F x K] . X[K x P]).
#pragma once

#include <cstdint>
#include <vector>

#include "golden/arith.hpp"
#include "golden/shape.hpp"

namespace fwmac {

struct GemmLayer {
    int filters = 0;  // F
    int depth = 0;    // K
    int pixels = 0;   // P
    std::vector<int> weight_bits;                // [F] two's-complement width b_f of each filter
    std::vector<std::int64_t> weights;           // [F * K], row-major by filter
    std::vector<std::int64_t> activations;       // [K * P], row-major by k (im2col matrix)
    std::vector<RequantParams> requant;          // [F]
    OutputMode mode;

    std::int64_t weight(int filter, int k) const {
        return weights[static_cast<std::size_t>(filter) * depth + k];
    }
    std::int64_t activation(int k, int pixel) const {
        return activations[static_cast<std::size_t>(k) * pixels + pixel];
    }
};

// Throws std::invalid_argument naming the offending field and its allowed range when
// the layer does not fit the array: sizes, K > k_max, b_f outside 1..Bmax, weights that
// do not fit b_f bits, activations outside 0..2^A-1, requant parameters out of range.
void validate_layer(const GemmLayer& layer, const ArrayShape& shape);

// Plain integer reference: acc[f][p] = sum_k W[f][k] * X[k][p]  (F*P, row-major).
// Independent of the bit-serial formulation; used as an oracle in the tests.
std::vector<std::int64_t> direct_accumulators(const GemmLayer& layer);

}  // namespace fwmac
