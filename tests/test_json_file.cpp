// The strict JSON reader every input goes through (compiler/json_file.hpp): duplicate
// keys, number overflow and file-system errors named with file and field path.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "compiler/json_file.hpp"
#include "temp_dir.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

std::string parse_error(const std::string& text) {
    try {
        fwmac::parse_json_text(text, "test file 't.json'", "root");
    } catch (const fwmac::JsonFileError& error) {
        return error.what();
    }
    return "";
}

}  // namespace

TEST_CASE("json_file: a repeated key is an error naming its field path", "[json_file]") {
    CHECK_THAT(parse_error(R"({"rows": 4, "rows": 5})"),
               Equals("test file 't.json': root.rows: duplicate key \"rows\" (each field may appear once)"));
    CHECK_THAT(parse_error(R"({"a": {"b": 1, "c": 2, "b": 3}})"), Contains("root.a.b: duplicate key \"b\""));
    // array indices count the elements before the one being read, objects and arrays included
    CHECK_THAT(parse_error(R"({"l": [1, [2, 3], {"x": 1}, {"y": 1, "y": 2}]})"),
               Contains("root.l[3].y: duplicate key \"y\""));
    CHECK_THAT(parse_error(R"([[], {"k": [0, 0, {"z": 0, "z": 0}]}])"), Contains("root[1].k[2].z: duplicate key"));
    // the same key in sibling objects is fine
    CHECK(fwmac::parse_json_text(R"({"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 3}, {"k": 4}]})", "s", "root")
              .at("c")
              .at(1)
              .at("k") == 4);
}

TEST_CASE("json_file: a number that overflows a double names its field", "[json_file]") {
    CHECK_THAT(parse_error(R"({"k_max": 1e400})"),
               Equals("test file 't.json': root.k_max: number 1e400 does not fit a double (number overflow)"));
    CHECK_THAT(parse_error(R"({"a": [1, 2, -1e999]})"), Contains("root.a[2]: number -1e999 does not fit"));
    // large integers are not an overflow: they become doubles (and integer fields reject them)
    CHECK(fwmac::parse_json_text("{\"a\": 99999999999999999999999}", "s", "root").at("a").is_number_float());
}

TEST_CASE("json_file: malformed JSON names the source", "[json_file]") {
    CHECK_THAT(parse_error(R"({"rows": 4,)"), Contains("test file 't.json': malformed JSON"));
    CHECK_THAT(parse_error(""), Contains("test file 't.json': malformed JSON"));
}

TEST_CASE("json_file: files that are missing, directories, special or too large", "[json_file]") {
    namespace fs = std::filesystem;
    fwmac::testing::TempDir temp;
    const fwmac::JsonFileKind kind{"layer file", "layer"};
    const std::string missing = (temp.path() / "missing.json").string();
    CHECK_THROWS_WITH(fwmac::read_json_file(missing, kind),
                      Equals("cannot open layer file '" + missing + "': No such file or directory"));
    const std::string directory = (temp.path() / "dir.json").string();
    fs::create_directory(directory);
    CHECK_THROWS_WITH(fwmac::read_json_file(directory, kind),
                      Equals("layer file '" + directory + "' is a directory, not a JSON file"));
    CHECK_THROWS_WITH(fwmac::read_json_file("/dev/null", kind), Contains("'/dev/null' is not a regular file"));
    const fs::path large = temp.path() / "large.json";
    std::ofstream(large) << "{}";
    fs::resize_file(large, fwmac::kMaxJsonFileBytes + 1);  // sparse: nothing is written
    CHECK_THROWS_WITH(fwmac::read_json_file(large.string(), kind),
                      Contains("16777217 bytes, more than the 16777216 bytes"));
    const fs::path good = temp.path() / "good.json";
    std::ofstream(good) << R"({"a": [1, 2]})";
    CHECK(fwmac::read_json_file(good.string(), kind).at("a").size() == 2);
}

TEST_CASE("json_file: json_int64 keeps exactly the integers that fit int64", "[json_file]") {
    using nlohmann::json;
    CHECK(fwmac::json_int64(json::parse("9223372036854775807")) == INT64_C(9223372036854775807));
    CHECK(fwmac::json_int64(json::parse("-9223372036854775808")) == INT64_MIN);
    CHECK_FALSE(fwmac::json_int64(json::parse("9223372036854775808")).has_value());
    CHECK_FALSE(fwmac::json_int64(json::parse("18446744073709551615")).has_value());
    CHECK_FALSE(fwmac::json_int64(json::parse("4.0")).has_value());
    CHECK_FALSE(fwmac::json_int64(json::parse("\"4\"")).has_value());
    CHECK(fwmac::json_int64(json::parse("0")) == 0);
}

TEST_CASE("json_file: unknown_field_message lists the allowed fields sorted", "[json_file]") {
    const auto object = nlohmann::json::parse(R"({"conv": 1, "ouput": "raw"})");
    CHECK_THAT(fwmac::unknown_field_message(object, "layer", {"output", "conv", "name"}),
               Equals("layer.ouput: unknown field (allowed: conv, name, output)"));
    CHECK(fwmac::unknown_field_message(object, "layer", {"ouput", "conv"}).empty());
    CHECK_THAT(fwmac::unknown_field_message(object, "", {"conv"}), Equals("ouput: unknown field (allowed: conv)"));
}
