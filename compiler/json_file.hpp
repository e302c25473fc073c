// The one strict reader of fwmac's JSON inputs (configs, layer files, model manifests,
// quantized.json) and the field checks they share.
//
// On top of JSON well-formedness it rejects what nlohmann's DOM parser accepts
// silently or reports without context: a path that is a directory or not a regular
// file, a file larger than kMaxJsonFileBytes, a key that appears twice in one object
// (the DOM keeps the last), and a number that overflows a double (1e400). Every error
// names the file and, where there is one, the field path (`config.pipeline.rows`,
// `layer.weight_bits[3]`).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace fwmac {

// A JSON input that cannot be read or parsed; the message names the file.
class JsonFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

constexpr std::uintmax_t kMaxJsonFileBytes = std::uintmax_t{16} << 20;  // inputs are small; keeps memory bounded

// How a kind of file is named in messages: `kind` ("config file") and the root of its
// field paths ("config").
struct JsonFileKind {
    std::string kind;
    std::string root;
};

// Reads and parses `path`. Throws JsonFileError: "cannot open KIND 'PATH': reason",
// "KIND 'PATH' is a directory", "KIND 'PATH': malformed JSON: ...",
// "KIND 'PATH': ROOT.a.b: duplicate key \"b\"", "KIND 'PATH': ROOT.k: number 1e400 ...".
nlohmann::json read_json_file(const std::string& path, const JsonFileKind& kind);

// The same checks on text already in memory; `source` names it ("KIND 'PATH'").
nlohmann::json parse_json_text(const std::string& text, const std::string& source, const std::string& root);

// The value of an integer JSON number that fits int64 (nlohmann keeps integers above
// 2^63-1 as unsigned: those are nullopt, as are non-integers).
std::optional<std::int64_t> json_int64(const nlohmann::json& value);

// "" if every key of `object` is in `allowed`, else "PATH.KEY: unknown field (allowed:
// a, b, c)" for the first other key (PATH empty: "KEY: ...").
std::string unknown_field_message(const nlohmann::json& object, const std::string& path,
                                  const std::vector<std::string>& allowed);

}  // namespace fwmac
