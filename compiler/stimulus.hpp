// One simulation's stimulus, shared by every testbench (Verilator, Icarus vectors):
// the layer, its schedule, the stream beats, expected outputs and predicted cycles.
#pragma once

#include <cstdint>
#include <string>

#include "golden/streams.hpp"
#include "compiler/layer_file.hpp"

namespace fwmac {

struct Stimulus {
    std::string description;  // "seed 5" or "layer 'name'"
    GemmLayer layer;
    Schedule schedule;
    ArrayStreams streams;
    CycleReport cycles;
};

// Validates the layer against the array, schedules it (filters sorted by bits),
// runs the golden model and builds the streams.
Stimulus make_stimulus(const ArrayShape& shape, std::string description, GemmLayer layer);
// The same with a given schedule of the layer (its depth, pixels and filters).
Stimulus make_stimulus(std::string description, GemmLayer layer, Schedule schedule);

// A seeded random layer: F up to 3R+1, K in min_depth..max_depth, P up to 2C+1; with
// wide_requant its requant parameters span their whole range (compiler/workload.hpp).
Stimulus random_stimulus(const ArrayShape& shape, std::uint64_t seed, int max_depth, int min_depth = 1,
                         bool wide_requant = false);

Stimulus layer_file_stimulus(const ArrayShape& shape, const std::string& layer_file);

}  // namespace fwmac
