#include "tb/stimulus.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "generator/common/command_line.hpp"
#include "generator/common/config.hpp"
#include "generator/common/errors.hpp"

namespace fwmac::tb {
namespace {

constexpr std::uint64_t kMaxSeedCount = 1000000;

// --seeds FIRST:COUNT -> FIRST, FIRST+1, ..., FIRST+COUNT-1 (no wrap past 2^64-1).
std::vector<std::uint64_t> seed_range(const std::string& range) {
    const std::size_t colon = range.find(':');
    if (colon == std::string::npos) {
        throw UsageError(fmt::format("--seeds: '{}' is not FIRST:COUNT (e.g. 1:200)", range));
    }
    const std::uint64_t first = parse_integer(range.substr(0, colon), "--seeds FIRST", 0, kMaxSeed);
    const std::uint64_t count = parse_integer(range.substr(colon + 1), "--seeds COUNT", 1, kMaxSeedCount);
    if (first > kMaxSeed - (count - 1)) {
        throw UsageError(fmt::format("--seeds: {}:{} runs past the largest seed {}", first, count, kMaxSeed));
    }
    std::vector<std::uint64_t> seeds;
    for (std::uint64_t s = 0; s < count; ++s) seeds.push_back(first + s);
    return seeds;
}

}  // namespace

std::string stall_arguments(StallPattern stall) {
    switch (stall) {
        case StallPattern::none: return "";
        case StallPattern::random: return " --backpressure";
        case StallPattern::inputs: return " --stall-pattern inputs";
        case StallPattern::outputs: return " --stall-pattern outputs";
        case StallPattern::bursts: return " --stall-pattern bursts";
    }
    return "";
}

std::optional<TbOptions> parse_tb_options(int argc, char** argv) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]).rfind("+verilator", 0) != 0) args.emplace_back(argv[i]);  // Verilator runtime
    }
    TbOptions options;
    std::vector<std::uint64_t> seeds;
    std::optional<std::string> seed_ranges;
    std::optional<std::uint64_t> max_depth;
    unsigned threads = kModelThreads;
    CLI::App app("fwmac_tb: drives a generated fwmac_top with the golden model's streams and checks every output "
                 "beat and (always-ready) the exact cycle count",
                 "fwmac_tb");
    app.add_option("--gen", options.generated_dir, "the `fwmac generate` output directory this binary was built from")
        ->type_name("OUTDIR")
        ->required()
        ->check(non_empty_path());
    CLI::Option* seed = app.add_option("--seed", seeds, "a random layer from this seed (repeatable; default 1)")
                            ->type_name("N")
                            ->check(integer_range(0, kMaxSeed));
    CLI::Option* range = app.add_option("--seeds", seed_ranges, "COUNT random layers from seed FIRST on")
                             ->type_name("FIRST:COUNT");
    CLI::Option* layer = app.add_option("--layer", options.layer_file, "or run this layer file")
                             ->type_name("LAYER.json")
                             ->check(non_empty_path());
    CLI::Option* cnn = app.add_option("--cnn", options.cnn_model, "or the conv layers of this CNN (model.json)")
                           ->type_name("MODEL.json")
                           ->check(non_empty_path());
    app.add_option("--scheme", options.cnn_scheme, "with --cnn: the quantization scheme (default filterwise4)")
        ->needs(cnn);
    app.add_option("--images", options.cnn_images, "with --cnn: test images in the batch (default 8)")
        ->type_name("N")
        ->check(integer_range(1, 1000000))
        ->needs(cnn);
    layer->excludes(seed)->excludes(range)->excludes(cnn);
    cnn->excludes(seed)->excludes(range);
    CLI::Option* backpressure = app.add_flag("--backpressure", options.backpressure,
                                             "random valid/ready gaps on every stream (values checked, cycles not); "
                                             "the same as --stall-pattern random");
    std::optional<std::string> stall_pattern;
    app.add_option("--stall-pattern", stall_pattern,
                   "valid/ready gaps (values checked, cycles not): random (as --backpressure), inputs (input valid "
                   "gaps only), outputs (y ready gaps only), bursts (every stream on and off in long runs)")
        ->type_name("PATTERN")
        ->check(CLI::IsMember({"random", "inputs", "outputs", "bursts"}))
        ->excludes(backpressure);
    std::optional<std::uint64_t> min_depth;
    app.add_option("--min-depth", min_depth, "least K of a random layer (default 1; at most --max-depth)")
        ->type_name("K")
        ->check(integer_range(1, kMaxKMax));
    app.add_flag("--wide-requant", options.wide_requant,
                 "random layers' requant parameters over their whole range (shift 0..47, mult 0..65535, any bias): "
                 "mostly clamped or zero outputs, every case of the requantizer");
    app.add_flag("--activity", options.activity,
                 "count the register enables (partial sums, accumulators, operands, drain, requantizers) and compare "
                 "them with the golden model's (golden/activity)");
    app.add_option("--max-depth", max_depth,
                   fmt::format("largest K of a random layer (default {}; at most k_max of the design)",
                               kDefaultMaxDepth))
        ->type_name("K")
        ->check(integer_range(1, kMaxKMax));
    app.add_option("--fst", options.fst_path, "where a failing run writes its FST waveform (and a GTKWave .gtkw)")
        ->type_name("FILE")
        ->check(non_empty_path());
    app.add_option("--coverage", options.coverage_path,
                   "write the coverage of every run (summed) to FILE, a Verilator coverage.dat; only for a testbench "
                   "verilated with tb/verilate.sh --coverage")
        ->type_name("FILE")
        ->check(non_empty_path());
    app.add_flag("--trace", options.trace, "write the FST and .gtkw for every run (the last run's stays)");
    app.add_option("--speed", options.speed_repeats, "rerun a passing run N times and print the median speed")
        ->type_name("N")
        ->check(integer_range(1, 1000));
    app.add_option("--threads", threads,
                   fmt::format("simulation threads: fixed when the model is verilated (this binary: {}; "
                               "make tb THREADS=N builds another)",
                               kModelThreads))
        ->type_name("N")
        ->check(integer_range(1, 64));
    if (!parse_command_line(app, args, std::cout)) return std::nullopt;
    if (threads != kModelThreads) {
        throw UsageError(fmt::format("--threads {}: this testbench was verilated with --threads {}, and a Verilator "
                                     "model's thread count is fixed when it is built; rebuild it with "
                                     "`make tb CONFIG=... THREADS={}` (tb/verilate.sh --threads {})",
                                     threads, kModelThreads, threads, threads));
    }
    const std::filesystem::path fst_directory = std::filesystem::absolute(options.fst_path).parent_path();
    if (!std::filesystem::is_directory(fst_directory)) {
        throw std::invalid_argument(
            fmt::format("--fst {}: the directory '{}' does not exist", options.fst_path, fst_directory.string()));
    }
    options.seeds = seeds;
    if (seed_ranges) {
        const std::vector<std::uint64_t> more = seed_range(*seed_ranges);
        options.seeds.insert(options.seeds.end(), more.begin(), more.end());
    }
    if (options.seeds.empty() && !options.layer_file && !options.cnn_model) options.seeds.push_back(1);
    options.max_depth =
        random_max_depth(max_depth, load_generated_shape(options.generated_dir).k_max, options.generated_dir);
    if (min_depth) {
        if (*min_depth > static_cast<std::uint64_t>(options.max_depth)) {
            throw UsageError(fmt::format("--min-depth {} is larger than the largest K {} (--max-depth, default {})",
                                         *min_depth, options.max_depth, kDefaultMaxDepth));
        }
        options.min_depth = static_cast<int>(*min_depth);
    }
    if (options.backpressure) options.stall = StallPattern::random;
    if (stall_pattern) {
        const std::string& name = *stall_pattern;
        options.stall = name == "random"   ? StallPattern::random
                        : name == "inputs" ? StallPattern::inputs
                        : name == "outputs" ? StallPattern::outputs
                                            : StallPattern::bursts;
        options.backpressure = true;
    }
    return options;
}

ArrayShape load_generated_shape(const std::string& generated_dir) {
    return load_generated_config(generated_dir).shape;
}

std::string compare_beat(const Stimulus& stimulus, std::size_t beat_index, const BitVector& data, bool last) {
    const auto& expected_beats = stimulus.streams.outputs;
    if (beat_index >= expected_beats.size()) {
        return fmt::format("unexpected output beat #{} (only {} expected)", beat_index, expected_beats.size());
    }
    const OutputBeat& expected = expected_beats[beat_index];
    const ArrayShape& shape = stimulus.schedule.shape;
    const int value_bits = output_width(shape);
    for (int col = 0; col < shape.cols; ++col) {
        const std::uint64_t got = data.field(static_cast<std::size_t>(col) * value_bits, value_bits);
        const std::uint64_t wanted = output_field(expected.values[col], shape);
        if (got == wanted) continue;
        const std::string filter =
            expected.filter < 0 ? std::string("padding row or empty slot") : fmt::format("filter {}", expected.filter);
        const std::string pixel = col < expected.pixel_count
                                      ? fmt::format("pixel {}", expected.pixel_start + col)
                                      : fmt::format("padding column {}", col);
        return fmt::format("output mismatch at {}, {} (tile {}, row {}, column {}): expected {} ({}-bit field "
                           "0x{:x}), got 0x{:x}",
                           filter, pixel, expected.tile, expected.row, col, expected.values[col], value_bits, wanted,
                           got);
    }
    const bool expected_last = expected.last;
    if (last != expected_last) {
        return fmt::format("y_last_o = {} on tile {} row {}, expected {}", last, expected.tile, expected.row,
                           expected_last);
    }
    return {};
}

OutputCount count_outputs(const Stimulus& stimulus) {
    OutputCount count;
    const auto cols = static_cast<std::size_t>(stimulus.schedule.shape.cols);
    for (const OutputBeat& beat : stimulus.streams.outputs) {
        const std::size_t real = beat.filter < 0 ? 0 : static_cast<std::size_t>(beat.pixel_count);
        count.outputs += real;
        count.padding += cols - real;
    }
    return count;
}

}  // namespace fwmac::tb
