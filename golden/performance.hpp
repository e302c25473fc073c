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
    CycleReport bit_parallel;             // the bit-parallel baseline with the same R x C x L (whole
                                          // weights per cycle: cycles independent of b_f)
    // issue cycles / ideal bound = row_factor * column_factor * lane_factor, exactly:
    double row_factor = 1.0;     // R * sum_g b_g / sum_f b_f: group maxima and empty rows
    double column_factor = 1.0;  // pixel tiles * C / P: partial pixel tiles
    double lane_factor = 1.0;    // chunks * L / K: zero-padded K
    // Issue cycles no schedule on this array can go below, with any number of filters
    // per row: every tile runs its chunks on all R rows and C columns, so a layer needs
    // chunks * ceil(P / C) * ceil(sum_f b_f / R) (bit-parallel: ceil(F / R)) cycles.
    double array_bound = 0.0;
    double ratio_to_ideal() const { return static_cast<double>(sorted.total) / sorted.ideal_bound; }
    double ratio_to_array_bound() const { return static_cast<double>(sorted.total) / array_bound; }
    double speedup() const { return static_cast<double>(all_bmax.total) / static_cast<double>(sorted.total); }
    double unsorted_speedup() const {
        return static_cast<double>(all_bmax.total) / static_cast<double>(unsorted.total);
    }
    // How many times longer the sorted schedule takes than the bit-parallel baseline of
    // the same R x C x L (about the average b_g: the price of the far smaller PEs).
    double cycles_vs_bit_parallel() const {
        return static_cast<double>(sorted.total) / static_cast<double>(bit_parallel.total);
    }
    // Array utilisation: useful lane-plane work over lane-cycles offered.
    double utilisation(const ArrayShape& shape) const;
};

// `shape` gives R x C x L and the architecture of sorted/unsorted/all_bmax;
// `bit_parallel` is always the bit-parallel array of that size.
LayerPerformance layer_performance(const std::vector<int>& weight_bits, int depth, int pixels,
                                   const ArrayShape& shape);

// Sums over layers (cycles and bounds add; average bits weighted by MACs).
LayerPerformance total_performance(const std::vector<LayerPerformance>& layers);

}  // namespace fwmac
