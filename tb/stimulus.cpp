#include "tb/stimulus.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "generator/common/config.hpp"

namespace fwmac::tb {
namespace {

std::uint64_t parse_number(const std::string& text, const std::string& option) {
    try {
        std::size_t used = 0;
        const auto value = std::stoull(text, &used);
        if (used == text.size()) return value;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument(fmt::format("{} expects a non-negative integer, got '{}'", option, text));
}

}  // namespace

TbOptions parse_tb_options(int argc, char** argv) {
    TbOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(fmt::format("option {} needs a value", arg));
            return argv[++i];
        };
        if (arg == "--gen") {
            options.generated_dir = value();
        } else if (arg == "--seed") {
            options.seeds.push_back(parse_number(value(), arg));
        } else if (arg == "--seeds") {  // --seeds FIRST:COUNT
            const std::string range = value();
            const auto colon = range.find(':');
            if (colon == std::string::npos) throw std::invalid_argument("--seeds expects FIRST:COUNT");
            const auto first = parse_number(range.substr(0, colon), arg);
            const auto count = parse_number(range.substr(colon + 1), arg);
            for (std::uint64_t s = 0; s < count; ++s) options.seeds.push_back(first + s);
        } else if (arg == "--layer") {
            options.layer_file = value();
        } else if (arg == "--backpressure") {
            options.backpressure = true;
        } else if (arg == "--activity") {
            options.activity = true;
        } else if (arg == "--max-depth") {
            options.max_depth = static_cast<int>(parse_number(value(), arg));
        } else if (arg == "--speed") {
            options.speed_repeats = static_cast<int>(parse_number(value(), arg));
        } else if (arg == "--fst") {
            options.fst_path = value();
        } else if (arg == "--cnn") {
            options.cnn_model = value();
        } else if (arg == "--scheme") {
            options.cnn_scheme = value();
        } else if (arg == "--images") {
            options.cnn_images = static_cast<int>(parse_number(value(), arg));
        } else if (arg.rfind("+verilator", 0) == 0) {
            continue;  // Verilator runtime arguments
        } else {
            throw std::invalid_argument(fmt::format(
                "unknown argument '{}' (use --gen DIR [--seed N | --seeds FIRST:COUNT | --layer FILE] "
                "[--cnn MODEL.json [--scheme NAME] [--images N]] [--backpressure] [--activity] [--max-depth K] "
                "[--fst FILE] [--speed REPEATS])",
                arg));
        }
    }
    if (options.generated_dir.empty()) throw std::invalid_argument("--gen DIR is required");
    if (options.seeds.empty() && !options.layer_file && !options.cnn_model) options.seeds.push_back(1);
    if (options.cnn_images < 1) throw std::invalid_argument("--images must be >= 1");
    if (options.max_depth < 1) throw std::invalid_argument("--max-depth must be >= 1");
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

}  // namespace fwmac::tb
