// Config schema: defaults, range errors naming the field, unknown fields, derived
// limits (k_max >= lanes, ACC_W <= 46), and the config hash.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>

#include "generator/common/config.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

// The ConfigError message for `config`, or "" when it parses. Any other exception
// type escapes and fails the test.
std::string config_error(const json& config) {
    try {
        fwmac::parse_config(config);
    } catch (const fwmac::ConfigError& error) {
        return error.what();
    }
    return "";
}

// FNV-1a 64, written out here to check config_hash independently.
std::string fnv1a_hex(const std::string& text) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char byte : text) {
        hash ^= byte;
        hash *= 0x100000001b3ULL;
    }
    static const char* digits = "0123456789abcdef";
    std::string hex(16, '0');
    for (int i = 15; i >= 0; --i, hash >>= 4) hex[static_cast<std::size_t>(i)] = digits[hash & 0xF];
    return hex;
}

}  // namespace

TEST_CASE("parse_config fills defaults", "[config]") {
    SECTION("empty object: every default") {
        const fwmac::GeneratorConfig config = fwmac::parse_config(json::object());
        CHECK(config.name == "fwmac");
        CHECK(config.shape.rows == 8);
        CHECK(config.shape.cols == 8);
        CHECK(config.shape.lanes == 8);
        CHECK(config.shape.act_bits == 8);
        CHECK(config.shape.max_weight_bits == 8);
        CHECK(config.shape.k_max == 4608);
        CHECK(config.shape.tree_register_every == 0);
        CHECK(config.clock_mhz == 100);
    }
    SECTION("given fields override, the rest stay default") {
        const fwmac::GeneratorConfig config =
            fwmac::parse_config(json{{"name", "tiny_1"}, {"rows", 4}, {"pipeline", {{"tree_register_every", 2}}}});
        CHECK(config.name == "tiny_1");
        CHECK(config.shape.rows == 4);
        CHECK(config.shape.cols == 8);
        CHECK(config.shape.tree_register_every == 2);
        CHECK(config.clock_mhz == 100);
    }
    SECTION("every field at its bounds") {
        const json low{{"rows", 1},     {"cols", 1},      {"lanes", 1},
                       {"act_bits", 1}, {"max_weight_bits", 1}, {"k_max", 1},
                       {"pipeline", {{"tree_register_every", 0}}}, {"clock_mhz", 1}};
        CHECK(config_error(low).empty());
        // High bounds: ACC_W = clog2(2048) + 16 + 16 + 1 = 11 + 33 = 44 <= 46.
        const json high{{"rows", 64},     {"cols", 64},      {"lanes", 64},
                        {"act_bits", 16}, {"max_weight_bits", 16}, {"k_max", 2048},
                        {"pipeline", {{"tree_register_every", 6}}}, {"clock_mhz", 1000}};
        CHECK(config_error(high).empty());
        // k_max at its own upper bound with narrow operands: 20 + 1 + 1 + 1 = 23 bits.
        CHECK(config_error(json{{"k_max", 1048576}, {"act_bits", 1}, {"max_weight_bits", 1}}).empty());
    }
}

TEST_CASE("parse_config rejects out-of-range fields, naming field and range", "[config]") {
    struct Bad {
        json config;
        const char* field;
        const char* range;
    };
    const Bad cases[] = {
        {json{{"rows", 0}}, "config.rows", "1..64"},
        {json{{"rows", 65}}, "config.rows", "1..64"},
        {json{{"cols", 0}}, "config.cols", "1..64"},
        {json{{"cols", -3}}, "config.cols", "1..64"},
        {json{{"lanes", 65}}, "config.lanes", "1..64"},
        {json{{"act_bits", 0}}, "config.act_bits", "1..16"},
        {json{{"act_bits", 17}}, "config.act_bits", "1..16"},
        {json{{"max_weight_bits", 0}}, "config.max_weight_bits", "1..16"},
        {json{{"max_weight_bits", 17}}, "config.max_weight_bits", "1..16"},
        {json{{"k_max", 0}}, "config.k_max", "1..1048576"},
        {json{{"k_max", 1048577}}, "config.k_max", "1..1048576"},
        {json{{"clock_mhz", 0}}, "config.clock_mhz", "1..1000"},
        {json{{"clock_mhz", 1001}}, "config.clock_mhz", "1..1000"},
        {json{{"pipeline", {{"tree_register_every", 7}}}}, "config.pipeline.tree_register_every", "0..6"},
        {json{{"pipeline", {{"tree_register_every", -1}}}}, "config.pipeline.tree_register_every", "0..6"},
        {json{{"rows", 4294967297LL}}, "config.rows", "1..64"},  // must not wrap to 1 through int
    };
    for (const Bad& bad : cases) {
        CAPTURE(bad.config.dump());
        CHECK_THROWS_AS(fwmac::parse_config(bad.config), fwmac::ConfigError);
        const std::string message = config_error(bad.config);
        CHECK_THAT(message, Contains(bad.field) && Contains(bad.range));
    }
}

TEST_CASE("parse_config rejects non-integer values", "[config]") {
    for (const json& value : {json("8"), json(8.5), json(true), json(nullptr), json::array({8}), json::object()}) {
        CAPTURE(value.dump());
        const std::string message = config_error(json{{"rows", value}});
        CHECK_THAT(message, Contains("config.rows") && Contains("integer") && Contains("1..64"));
    }
    CHECK_THAT(config_error(json{{"pipeline", {{"tree_register_every", "2"}}}}),
               Contains("config.pipeline.tree_register_every") && Contains("0..6"));
    CHECK_THAT(config_error(json{{"pipeline", 3}}), Contains("config.pipeline"));
    CHECK_THAT(config_error(json{{"name", 5}}), Contains("config.name"));
    CHECK_THAT(config_error(json{{"name", "1abc"}}), Contains("config.name"));
    CHECK_THAT(config_error(json{{"name", ""}}), Contains("config.name"));
    CHECK_THAT(config_error(json::array({1, 2})), Contains("config"));
    CHECK_THAT(config_error(json(42)), Contains("config"));
}

TEST_CASE("parse_config rejects unknown fields by name", "[config]") {
    CHECK_THROWS_WITH(fwmac::parse_config(json{{"rowz", 8}}), Contains("rowz"));
    CHECK_THROWS_AS(fwmac::parse_config(json{{"rowz", 8}}), fwmac::ConfigError);
    CHECK_THAT(config_error(json{{"rows", 8}, {"tree_register_every", 1}}), Contains("tree_register_every"));
    CHECK_THAT(config_error(json{{"pipeline", {{"tree_register_evry", 1}}}}),
               Contains("config.pipeline.tree_register_evry") && Contains("tree_register_every"));
}

TEST_CASE("parse_config derived limits", "[config]") {
    SECTION("k_max below lanes") {
        const std::string message = config_error(json{{"lanes", 16}, {"k_max", 8}});
        CHECK_THAT(message, Contains("config.k_max") && Contains("lanes"));
        CHECK(config_error(json{{"lanes", 16}, {"k_max", 16}}).empty());
    }
    SECTION("accumulator wider than 46 bits") {
        // act 16, Bmax 16, k_max 2^20: |sum| up to 2^15 * 65535 * 2^20 ~ 2^51 -> 53 bits > 46.
        CHECK_THROWS_AS(fwmac::parse_config(json{{"act_bits", 16}, {"max_weight_bits", 16}, {"k_max", 1048576}}),
                        fwmac::ConfigError);
        CHECK_THAT(config_error(json{{"act_bits", 16}, {"max_weight_bits", 16}, {"k_max", 1048576}}),
                   Contains("k_max"));
        // Exact width: the most negative sum is -2^15 * 65535 * K. K = 16384 = 2^14 gives
        // -(2^45 - 2^29) >= -2^45: 46 bits fit. K = 16385 gives -2^15 * (2^16 - 1) * (2^14 + 1)
        // = -(2^45 + 2^31 - 2^29 - 2^15) < -2^45: 47 bits. So the largest k_max is 16384.
        CHECK(config_error(json{{"act_bits", 16}, {"max_weight_bits", 16}, {"k_max", 16384}}).empty());
        const std::string message = config_error(json{{"act_bits", 16}, {"max_weight_bits", 16}, {"k_max", 16385}});
        CHECK_THAT(message, Contains("config.k_max") && Contains("47") && Contains("16384"));
        // A = 8, Bmax = 8: 2^7 * 255 * K <= 2^45 -> K <= 2^45 / 32640 = 1077952576.9..., far
        // beyond the field's 2^20: every k_max fits (2^7 * 255 * 2^20 ~ 2^35 -> 37 bits).
        CHECK(config_error(json{{"k_max", 1048576}}).empty());
    }
}

TEST_CASE("load_config_file errors carry the path", "[config]") {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("fwmac_test_config_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string malformed = (dir / "malformed.json").string();
    std::ofstream(malformed) << "{ \"rows\": ";
    const std::string bad_range = (dir / "range.json").string();
    std::ofstream(bad_range) << "{ \"cols\": 99 }";
    const std::string good = (dir / "good.json").string();
    std::ofstream(good) << "{ \"rows\": 2, \"cols\": 3 }";

    CHECK_THROWS_AS(fwmac::load_config_file(malformed), fwmac::ConfigError);
    CHECK_THROWS_WITH(fwmac::load_config_file(malformed), Contains("malformed.json") && Contains("malformed JSON"));
    CHECK_THROWS_WITH(fwmac::load_config_file(bad_range), Contains("range.json") && Contains("config.cols"));
    CHECK_THROWS_AS(fwmac::load_config_file((dir / "absent.json").string()), fwmac::ConfigError);
    const fwmac::GeneratorConfig config = fwmac::load_config_file(good);
    CHECK(config.shape.rows == 2);
    CHECK(config.shape.cols == 3);
    std::filesystem::remove_all(dir);
}

TEST_CASE("config_hash is FNV-1a of the normalized JSON", "[config]") {
    const fwmac::GeneratorConfig defaults = fwmac::parse_config(json::object());
    const fwmac::GeneratorConfig explicit_defaults = fwmac::parse_config(
        json{{"clock_mhz", 100}, {"rows", 8}, {"name", "fwmac"}, {"pipeline", {{"tree_register_every", 0}}}});
    const fwmac::GeneratorConfig other = fwmac::parse_config(json{{"rows", 4}});
    const std::string hash = fwmac::config_hash(defaults);
    CHECK(hash.size() == 16);
    CHECK(hash.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(hash == fnv1a_hex(fwmac::normalized_json(defaults).dump()));
    // Spelling defaults out, in any key order, does not change the design.
    CHECK(fwmac::config_hash(explicit_defaults) == hash);
    CHECK(fwmac::config_hash(other) != hash);
    // The normalized JSON holds every field.
    const json normalized = fwmac::normalized_json(other);
    CHECK(normalized.at("rows") == 4);
    CHECK(normalized.at("k_max") == 4608);
    CHECK(normalized.at("pipeline").at("tree_register_every") == 0);
}

TEST_CASE("config.architecture: default, both values, errors", "[config][bit_parallel]") {
    CHECK(fwmac::parse_config(json::object()).shape.architecture == fwmac::Architecture::bit_serial);
    CHECK(fwmac::parse_config(json{{"architecture", "bit_serial"}}).shape.architecture ==
          fwmac::Architecture::bit_serial);
    const fwmac::GeneratorConfig parallel = fwmac::parse_config(json{{"architecture", "bit_parallel"}});
    CHECK(parallel.shape.architecture == fwmac::Architecture::bit_parallel);

    for (const json& bad : {json("systolic"), json("Bit_Parallel"), json(""), json(1), json(true), json(nullptr),
                            json::array({"bit_parallel"})}) {
        CAPTURE(bad.dump());
        CHECK_THROWS_AS(fwmac::parse_config(json{{"architecture", bad}}), fwmac::ConfigError);
        CHECK_THAT(config_error(json{{"architecture", bad}}),
                   Contains("config.architecture") && Contains("\"bit_serial\"") && Contains("\"bit_parallel\""));
    }

    // normalized JSON and hash: the architecture is part of the design's identity.
    const fwmac::GeneratorConfig serial = fwmac::parse_config(json::object());
    CHECK(fwmac::normalized_json(serial).at("architecture") == "bit_serial");
    CHECK(fwmac::normalized_json(parallel).at("architecture") == "bit_parallel");
    CHECK(fwmac::config_hash(parallel) != fwmac::config_hash(serial));
    // The normalized JSON parses back to the same config (report.json round trip).
    CHECK(fwmac::config_hash(fwmac::parse_config(fwmac::normalized_json(parallel))) == fwmac::config_hash(parallel));
}

TEST_CASE("config.row_slots: default 1, 2 on the bit-serial array, errors name the field and range",
          "[config][row_slots]") {
    CHECK(fwmac::parse_config(json::object()).shape.row_slots == 1);
    CHECK(fwmac::parse_config(json{{"row_slots", 2}}).shape.row_slots == 2);
    for (const json& bad : {json(0), json(3), json("2"), json(1.5)}) {
        CAPTURE(bad.dump());
        CHECK_THROWS_AS(fwmac::parse_config(json{{"row_slots", bad}}), fwmac::ConfigError);
        CHECK_THAT(config_error(json{{"row_slots", bad}}), Contains("config.row_slots") && Contains("1..2"));
    }
    const json parallel{{"architecture", "bit_parallel"}, {"row_slots", 2}};
    CHECK_THAT(config_error(parallel), Contains("config.row_slots = 2") && Contains("bit_parallel") &&
                                           Contains("allowed range 1..1"));
    // single-slot configs keep their normalized JSON (and so their hash); two slots change it
    CHECK_FALSE(fwmac::normalized_json(fwmac::parse_config(json::object())).contains("row_slots"));
    CHECK(fwmac::config_hash(fwmac::parse_config(json{{"row_slots", 2}})) !=
          fwmac::config_hash(fwmac::parse_config(json::object())));
}
