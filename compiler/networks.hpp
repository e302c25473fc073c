// Reference networks and per-filter bit-width distributions for benchmarks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/workload.hpp"

namespace fwmac {

struct NetworkLayer {
    std::string name;
    ConvShape conv;
};

// The 20 convolutions of ResNet-18 on a 224x224 ImageNet input (He et al. 2016):
// conv1 (7x7/2, 112x112 output), 16 3x3 convolutions at 56/28/14/7 and the three
// 1x1/2 downsampling shortcuts.
std::vector<NetworkLayer> resnet18_conv_layers();

// A distribution of per-filter bit widths: probabilities[b - 1] = P(b_f = b).
struct BitDistribution {
    std::string name;
    std::vector<double> probabilities;
    double mean() const;
};

// The default benchmark distribution: b in 2..8 with P = .15 .25 .25 .15 .10 .05 .05
// (mean 4.15). Synthetic: it stands for the mixed-precision allocations reported for
// per-filter/per-channel quantization of ResNets, where most filters need 3-5 bits and
// a tail needs 6-8; the quantizer (`fwmac quantize`) will replace it with measured widths.
BitDistribution default_bit_distribution();

// A discretised normal over 2..max_bits around `mean` (sigma 1.2), for sweeps.
BitDistribution normal_bit_distribution(double mean, int max_bits);

// `filters` independent draws from `distribution`.
std::vector<int> sample_weight_bits(int filters, const BitDistribution& distribution, std::uint64_t seed);

}  // namespace fwmac
