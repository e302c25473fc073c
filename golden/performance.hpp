// Cycle figures of one layer on one array: filter-wise schedule vs its bounds.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/schedule.hpp"

namespace fwmac {

struct LayerPerformance {
    double average_bits = 0.0;
    std::uint64_t macs = 0;               // F * K * P
    std::uint64_t tiles = 0;
    CycleReport sorted;                   // filters sorted by b_f (the fwmac schedule)
    CycleReport unsorted;                 // filters in layer order
    CycleReport all_bmax;                 // every filter at Bmax, same array
    // issue cycles / ideal bound = row_factor * column_factor * lane_factor, exactly:
    double row_factor = 1.0;     // R * sum_g b_g / sum_f b_f: group maxima and empty rows
    double column_factor = 1.0;  // pixel tiles * C / P: partial pixel tiles
    double lane_factor = 1.0;    // chunks * L / K: zero-padded K
    double ratio_to_ideal() const { return static_cast<double>(sorted.total) / sorted.ideal_bound; }
    double speedup() const { return static_cast<double>(all_bmax.total) / static_cast<double>(sorted.total); }
    double unsorted_speedup() const {
        return static_cast<double>(all_bmax.total) / static_cast<double>(unsorted.total);
    }
    // Array utilisation: useful lane-plane work over lane-cycles offered.
    double utilisation(const ArrayShape& shape) const;
};

LayerPerformance layer_performance(const std::vector<int>& weight_bits, int depth, int pixels,
                                   const ArrayShape& shape);

// Sums over layers (cycles and bounds add; average bits weighted by MACs).
LayerPerformance total_performance(const std::vector<LayerPerformance>& layers);

}  // namespace fwmac
