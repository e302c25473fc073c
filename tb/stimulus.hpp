// Host side of the testbenches, independent of the simulator: which layer to run,
// its streams and expected outputs from the golden model, and the scoreboard.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/stimulus.hpp"

namespace fwmac::tb {

struct TbOptions {
    std::string generated_dir;           // output of `fwmac generate` (report.json is read)
    std::vector<std::uint64_t> seeds;    // random layers, one run each
    std::optional<std::string> layer_file;  // or one layer file
    bool backpressure = false;           // random valid/ready gaps; cycles not compared
    int max_depth = 96;                  // K limit for random layers (simulation time)
    std::string fst_path = "fwmac_mismatch.fst";
    int speed_repeats = 0;               // > 0: rerun each passing simulation to measure speed
    bool activity = false;               // count the register enables and compare with golden/activity
    // or the conv layers of a CNN (compiler/cnn.hpp) quantized with one scheme, on a batch
    std::optional<std::string> cnn_model;   // model.json
    std::string cnn_scheme = "filterwise4";
    int cnn_images = 8;
};

TbOptions parse_tb_options(int argc, char** argv);

ArrayShape load_generated_shape(const std::string& generated_dir);

// Compares one received output beat with the expected one; returns an empty string
// on a match, else a message naming the first differing (filter, pixel) and values.
std::string compare_beat(const Stimulus& stimulus, std::size_t beat_index, const BitVector& data, bool last);

}  // namespace fwmac::tb
