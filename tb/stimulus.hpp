// Host side of the testbenches, independent of the simulator: which layer to run,
// its streams and expected outputs from the golden model, and the scoreboard.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/stimulus.hpp"

// The thread count the model was verilated with (tb/verilate.sh --threads N).
#ifndef FWMAC_TB_THREADS
#define FWMAC_TB_THREADS 1
#endif

namespace fwmac::tb {

constexpr unsigned kModelThreads = FWMAC_TB_THREADS;

// How the testbench drives the streams' valid and ready: always (none, cycles compared
// with the model) or with gaps (cycles not compared): random (fwmac_tb --backpressure:
// each input beat offered with probability 0.7 per cycle, y ready with 0.6), inputs (the
// input gaps only, y always ready), outputs (inputs always offered, y ready with 0.4),
// bursts (each stream on and off in runs of 8 cycles on average).
enum class StallPattern { none, random, inputs, outputs, bursts };

struct TbOptions {
    std::string generated_dir;           // output of `fwmac generate` (report.json is read)
    std::vector<std::uint64_t> seeds;    // random layers, one run each
    std::optional<std::string> layer_file;  // or one layer file
    bool backpressure = false;           // valid/ready gaps (stall != none); cycles not compared
    StallPattern stall = StallPattern::none;
    int max_depth = 96;                  // K limit for random layers (simulation time), at most k_max
    int min_depth = 1;                   // least K of a random layer
    bool wide_requant = false;           // random layers' requant parameters over their whole range
    std::string fst_path = "fwmac_mismatch.fst";
    bool trace = false;                  // write the FST (and its .gtkw) for every run, not only a failing one
    int speed_repeats = 0;               // > 0: rerun each passing simulation to measure speed
    bool activity = false;               // count the register enables and compare with golden/activity
    std::optional<std::string> coverage_path;  // coverage builds: write the runs' merged coverage.dat here
    // or the conv layers of a CNN (compiler/cnn.hpp) quantized with one scheme, on a batch
    std::optional<std::string> cnn_model;   // model.json
    std::string cnn_scheme = "filterwise4";
    int cnn_images = 8;
};

// Parses the testbench's command line (CLI11; `+verilator+...` arguments are left to
// Verilator). nullopt after printing --help; throws UsageError for a usage error (exit
// code 2) and other exceptions for a bad --gen directory (exit code 1).
std::optional<TbOptions> parse_tb_options(int argc, char** argv);

// The fwmac_tb arguments that select a stall pattern (" --backpressure", ...; "" for none).
std::string stall_arguments(StallPattern stall);

ArrayShape load_generated_shape(const std::string& generated_dir);

// Compares one received output beat with the expected one; returns an empty string
// on a match, else a message naming the first differing (filter, pixel) and values.
std::string compare_beat(const Stimulus& stimulus, std::size_t beat_index, const BitVector& data, bool last);

// What the output beats carry: one value per (filter, pixel) of the layer (F x P, as
// `fwmac sim` counts them), and the values of padding rows, empty slots and padding
// columns of partial tiles, which the array emits too.
struct OutputCount {
    std::size_t outputs = 0;
    std::size_t padding = 0;
};
OutputCount count_outputs(const Stimulus& stimulus);

}  // namespace fwmac::tb
