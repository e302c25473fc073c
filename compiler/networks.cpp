#include "compiler/networks.hpp"

#include <fmt/format.h>

#include <cmath>
#include <random>

namespace fwmac {

std::vector<NetworkLayer> resnet18_conv_layers() {
    std::vector<NetworkLayer> layers;
    layers.push_back({"conv1", ConvShape{3, 224, 224, 7, 2, 3, 64}});
    struct Stage {
        int index, in_channels, channels, input_size;
    };
    const Stage stages[] = {{1, 64, 64, 56}, {2, 64, 128, 56}, {3, 128, 256, 28}, {4, 256, 512, 14}};
    for (const Stage& stage : stages) {
        const bool downsample = stage.index > 1;
        const int stride = downsample ? 2 : 1;
        const int size = stage.input_size / stride;
        layers.push_back({fmt::format("layer{}.0.conv1", stage.index),
                          ConvShape{stage.in_channels, stage.input_size, stage.input_size, 3, stride, 1,
                                    stage.channels}});
        layers.push_back({fmt::format("layer{}.0.conv2", stage.index),
                          ConvShape{stage.channels, size, size, 3, 1, 1, stage.channels}});
        if (downsample) {
            layers.push_back({fmt::format("layer{}.0.downsample", stage.index),
                              ConvShape{stage.in_channels, stage.input_size, stage.input_size, 1, 2, 0,
                                        stage.channels}});
        }
        layers.push_back({fmt::format("layer{}.1.conv1", stage.index),
                          ConvShape{stage.channels, size, size, 3, 1, 1, stage.channels}});
        layers.push_back({fmt::format("layer{}.1.conv2", stage.index),
                          ConvShape{stage.channels, size, size, 3, 1, 1, stage.channels}});
    }
    return layers;
}

double BitDistribution::mean() const {
    double mean = 0.0;
    for (std::size_t i = 0; i < probabilities.size(); ++i) mean += probabilities[i] * static_cast<double>(i + 1);
    return mean;
}

BitDistribution default_bit_distribution() {
    return BitDistribution{"default (2..8, mean 4.15)", {0.0, 0.15, 0.25, 0.25, 0.15, 0.10, 0.05, 0.05}};
}

BitDistribution normal_bit_distribution(double mean, int max_bits) {
    BitDistribution distribution{fmt::format("normal(mu={:.1f}, sigma=1.2) on 2..{}", mean, max_bits),
                                 std::vector<double>(static_cast<std::size_t>(max_bits), 0.0)};
    double total = 0.0;
    for (int bits = 2; bits <= max_bits; ++bits) {
        const double z = (bits - mean) / 1.2;
        distribution.probabilities[bits - 1] = std::exp(-0.5 * z * z);
        total += distribution.probabilities[bits - 1];
    }
    for (double& p : distribution.probabilities) p /= total;
    return distribution;
}

std::vector<int> sample_weight_bits(int filters, const BitDistribution& distribution, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::discrete_distribution<int> draw(distribution.probabilities.begin(), distribution.probabilities.end());
    std::vector<int> bits(static_cast<std::size_t>(filters));
    for (int& b : bits) b = draw(rng) + 1;
    return bits;
}

}  // namespace fwmac
