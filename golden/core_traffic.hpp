// Traffic over the core's streams (fwmac_top as it is fed today: every tile's weights,
// activations and requant parameters sent again) against the compulsory traffic of a
// layer (weights at their bits, the input and the output feature map, each once).
// Counted as beats x port width: a beat moves its port's whole data width, and in bytes
// ceil(width / 8) per beat, as a byte-aligned stream carries it.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/schedule.hpp"

namespace fwmac {

struct StreamCount {
    std::uint64_t beats = 0;
    int width_bits = 0;  // data bits of one beat (the port's width)
    std::uint64_t bits() const { return beats * static_cast<std::uint64_t>(width_bits); }
    std::uint64_t bytes() const { return beats * static_cast<std::uint64_t>((width_bits + 7) / 8); }
};

struct CoreTraffic {
    StreamCount commands;     // cmd_chunks_i, cmd_planes_i (and cmd_spans_i), one per tile
    StreamCount weights;      // w_plane_i: per tile, chunk and plane (bit-parallel: per chunk)
    StreamCount activations;  // a_data_i: per tile and chunk
    StreamCount params;       // p_data_i with p_relu_i (and p_raw_i with raw_outputs): one per drained row
    StreamCount outputs;      // y_data_o: one per drained row
    std::uint64_t bytes() const;  // sum of the five streams' bytes
};

// The beats and widths of fwmac_top's streams for one scheduled layer (golden/streams'
// build_streams produces exactly these beats).
CoreTraffic core_traffic(const Schedule& schedule);

// Bytes a layer cannot do without: every filter's K weights at its b_f bits, the input
// feature map (input_values activations of A bits) and the output (output_values of A
// bits, requantized), each counted once in bits and rounded up to whole bytes.
std::uint64_t compulsory_bytes(const std::vector<int>& weight_bits, int depth, std::uint64_t input_values,
                               std::uint64_t output_values, int act_bits);

}  // namespace fwmac
