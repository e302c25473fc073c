#include "compiler/json_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>

namespace fwmac {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Where the parser is, as a field path, from the parser-callback events: the DOM parser
// alone cannot see a repeated key (it keeps the last) nor say which field a number
// that overflows belongs to.
class FieldTracker {
public:
    FieldTracker(std::string source, std::string root) : source_(std::move(source)), root_(std::move(root)) {}

    bool on_event(Json::parse_event_t event, const Json& parsed) {
        switch (event) {
            case Json::parse_event_t::object_start: frames_.push_back(Frame{false, 0, {}, {}}); break;
            case Json::parse_event_t::array_start: frames_.push_back(Frame{true, 0, {}, {}}); break;
            case Json::parse_event_t::key: on_key(parsed.get<std::string>()); break;
            case Json::parse_event_t::object_end:
            case Json::parse_event_t::array_end:
                frames_.pop_back();
                element_done();
                break;
            case Json::parse_event_t::value: element_done(); break;
        }
        return true;
    }

    // The field whose value is being read: ROOT.a[2].b
    std::string path() const {
        std::string text = root_;
        for (const Frame& frame : frames_) {
            text += frame.array ? fmt::format("[{}]", frame.elements) : (text.empty() ? "" : ".") + frame.key;
        }
        return text;
    }

private:
    struct Frame {
        bool array;
        std::size_t elements;        // arrays: elements read so far = index of the one being read
        std::string key;             // objects: the key whose value is being read
        std::set<std::string> keys;  // objects: every key so far
    };

    void on_key(const std::string& key) {
        Frame& frame = frames_.back();
        frame.key = key;
        if (!frame.keys.insert(key).second) {
            throw JsonFileError(fmt::format("{}: {}: duplicate key \"{}\" (each field may appear once)", source_,
                                            path(), key));
        }
    }

    void element_done() {
        if (!frames_.empty() && frames_.back().array) ++frames_.back().elements;
    }

    std::string source_;
    std::string root_;
    std::vector<Frame> frames_;
};

// "number overflow parsing '1e400'" -> "1e400"
std::string overflowing_token(const std::string& message) {
    const std::string marker = "parsing '";
    const std::size_t start = message.find(marker);
    if (start == std::string::npos) return "";
    const std::size_t end = message.rfind('\'');
    return end > start + marker.size() ? message.substr(start + marker.size(), end - start - marker.size()) : "";
}

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& source, const std::string& root) {
    FieldTracker tracker(source, root);
    const Json::parser_callback_t callback = [&tracker](int, Json::parse_event_t event, Json& parsed) {
        return tracker.on_event(event, parsed);
    };
    try {
        return Json::parse(text, callback);
    } catch (const Json::parse_error& error) {
        throw JsonFileError(fmt::format("{}: malformed JSON: {}", source, error.what()));
    } catch (const Json::out_of_range& error) {
        throw JsonFileError(fmt::format("{}: {}: number {} does not fit a double (number overflow)", source,
                                        tracker.path(), overflowing_token(error.what())));
    }
}

nlohmann::json read_json_file(const std::string& path, const JsonFileKind& kind) {
    const std::string source = fmt::format("{} '{}'", kind.kind, path);
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) {
        throw JsonFileError(fmt::format("cannot open {} '{}': {}", kind.kind, path,
                                        error ? error.message() : std::string("No such file or directory")));
    }
    if (fs::is_directory(status)) throw JsonFileError(fmt::format("{} is a directory, not a JSON file", source));
    if (!fs::is_regular_file(status)) throw JsonFileError(fmt::format("{} is not a regular file", source));
    const std::uintmax_t size = fs::file_size(path, error);
    if (!error && size > kMaxJsonFileBytes) {
        throw JsonFileError(
            fmt::format("{}: {} bytes, more than the {} bytes fwmac reads from a JSON file", source, size,
                        kMaxJsonFileBytes));
    }
    std::ifstream stream(path, std::ios::binary);
    if (!stream) throw JsonFileError(fmt::format("cannot open {} '{}': {}", kind.kind, path, std::strerror(errno)));
    const std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    if (stream.bad()) throw JsonFileError(fmt::format("cannot read {}: {}", source, std::strerror(errno)));
    return parse_json_text(text, source, kind.root);
}

std::optional<std::int64_t> json_int64(const nlohmann::json& value) {
    if (value.is_number_unsigned()) {
        const auto number = value.get<std::uint64_t>();
        if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
        return static_cast<std::int64_t>(number);
    }
    if (value.is_number_integer()) return value.get<std::int64_t>();
    return std::nullopt;
}

std::string unknown_field_message(const nlohmann::json& object, const std::string& path,
                                  const std::vector<std::string>& allowed) {
    for (const auto& item : object.items()) {
        if (std::find(allowed.begin(), allowed.end(), item.key()) != allowed.end()) continue;
        std::vector<std::string> names = allowed;
        std::sort(names.begin(), names.end());
        std::string list;
        for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
        return fmt::format("{}{}{}: unknown field (allowed: {})", path, path.empty() ? "" : ".", item.key(), list);
    }
    return "";
}

}  // namespace fwmac
