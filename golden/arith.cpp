#include "golden/arith.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace fwmac {

std::int64_t min_weight(int bits) { return -(std::int64_t{1} << (bits - 1)); }
std::int64_t max_weight(int bits) { return (std::int64_t{1} << (bits - 1)) - 1; }

namespace {

// Sums `chunk_sum(first, end)` over the chunks of `lanes` elements, as the PEs
// accumulate them: K zero-padded to whole chunks.
template <typename ChunkSum>
std::int64_t accumulate_chunks(const char* caller, const std::vector<std::int64_t>& weights,
                               const std::vector<std::int64_t>& activations, int lanes, ChunkSum chunk_sum) {
    if (weights.size() != activations.size()) {
        throw std::invalid_argument(std::string(caller) + ": weights and activations differ in length");
    }
    const std::size_t length = weights.size();
    std::int64_t acc = 0;
    for (std::size_t chunk_start = 0; chunk_start < length; chunk_start += static_cast<std::size_t>(lanes)) {
        acc += chunk_sum(chunk_start, std::min(length, chunk_start + static_cast<std::size_t>(lanes)));
    }
    return acc;
}

}  // namespace

std::int64_t bit_serial_dot(const std::vector<std::int64_t>& weights,
                            const std::vector<std::int64_t>& activations, int planes, int lanes) {
    return accumulate_chunks("bit_serial_dot", weights, activations, lanes, [&](std::size_t first, std::size_t end) {
        std::int64_t partial = 0;
        for (int plane = planes - 1; plane >= 0; --plane) {
            std::int64_t dot = 0;
            for (std::size_t k = first; k < end; ++k) {
                // branch-free AND of the weight bit with the activation
                dot += activations[k] & -static_cast<std::int64_t>(weight_plane_bit(weights[k], plane));
            }
            partial = (plane == planes - 1) ? -dot : 2 * partial + dot;
        }
        return partial;
    });
}

std::int64_t bit_parallel_dot(const std::vector<std::int64_t>& weights,
                              const std::vector<std::int64_t>& activations, int lanes) {
    return accumulate_chunks("bit_parallel_dot", weights, activations, lanes, [&](std::size_t first, std::size_t end) {
        std::int64_t dot = 0;
        for (std::size_t k = first; k < end; ++k) dot += activations[k] * weights[k];
        return dot;
    });
}

std::int64_t requantize(std::int64_t acc, const RequantParams& params, const OutputMode& mode,
                        int act_bits) {
    if (mode.raw) return acc;
    const std::int64_t biased = acc + params.bias;
    const std::int64_t product = biased * static_cast<std::int64_t>(params.mult);
    const std::int64_t rounding = params.shift > 0 ? (std::int64_t{1} << (params.shift - 1)) : 0;
    const std::int64_t shifted = (product + rounding) >> params.shift;  // arithmetic (gcc/clang)
    const std::int64_t low = mode.relu ? 0 : -(std::int64_t{1} << (act_bits - 1));
    const std::int64_t high = mode.relu ? (std::int64_t{1} << act_bits) - 1
                                        : (std::int64_t{1} << (act_bits - 1)) - 1;
    return std::clamp(shifted, low, high);
}

}  // namespace fwmac
