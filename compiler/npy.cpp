#include "compiler/npy.hpp"

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <utility>

namespace fwmac {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLength = 6;
constexpr std::size_t kHeaderAlignment = 64;
constexpr int kMaxNesting = 8;

struct TypeInfo {
    NpyType type;
    const char* descr;
    std::size_t item_size;
    bool is_float;
};

constexpr std::array<TypeInfo, 7> kTypes{{
    {NpyType::float32, "<f4", 4, true},
    {NpyType::float64, "<f8", 8, true},
    {NpyType::uint8, "|u1", 1, false},
    {NpyType::int8, "|i1", 1, false},
    {NpyType::int16, "<i2", 2, false},
    {NpyType::int32, "<i4", 4, false},
    {NpyType::int64, "<i8", 8, false},
}};

const TypeInfo& type_info(NpyType type) {
    for (const TypeInfo& info : kTypes) {
        if (info.type == type) return info;
    }
    throw std::logic_error("npy: unknown NpyType");
}

std::string supported_descrs() {
    std::string list;
    for (const TypeInfo& info : kTypes) list += fmt::format("{}'{}'", list.empty() ? "" : ", ", info.descr);
    return list;
}

// A value of the header's Python literal: the subset NumPy writes, plus lists and
// None so that foreign headers fail on the field rather than in the parser.
struct PyValue {
    enum class Kind { string, boolean, none, integer, tuple, list };
    Kind kind = Kind::none;
    std::string text;
    bool flag = false;
    std::int64_t number = 0;
    std::vector<PyValue> items;
};

std::string python_repr(const PyValue& value) {
    switch (value.kind) {
        case PyValue::Kind::string:
            return "'" + value.text + "'";
        case PyValue::Kind::boolean:
            return value.flag ? "True" : "False";
        case PyValue::Kind::none:
            return "None";
        case PyValue::Kind::integer:
            return std::to_string(value.number);
        case PyValue::Kind::tuple:
        case PyValue::Kind::list: {
            const bool tuple = value.kind == PyValue::Kind::tuple;
            std::string text = tuple ? "(" : "[";
            for (std::size_t i = 0; i < value.items.size(); ++i) {
                text += (i ? ", " : "") + python_repr(value.items[i]);
            }
            if (tuple && value.items.size() == 1) text += ",";
            return text + (tuple ? ")" : "]");
        }
    }
    return "?";
}

// Recursive descent over the header dict: {'key': value, ...} with optional trailing
// commas, strings in '' or "" (no escapes), True/False/None, integers (an 'L' suffix
// as Python 2 NumPy wrote it is accepted), tuples and lists.
class HeaderParser {
public:
    HeaderParser(const std::string& text, const std::string& source) : text_(text), source_(source) {}

    std::vector<std::pair<std::string, PyValue>> parse_dict() {
        std::vector<std::pair<std::string, PyValue>> entries;
        skip_space();
        expect('{', "'{' opening the header dict");
        skip_space();
        while (!consume('}')) {
            if (peek() != '\'' && peek() != '"') fail("expected a string key or '}'");
            std::string key = parse_string();
            skip_space();
            expect(':', "':' after a key");
            entries.emplace_back(std::move(key), parse_value(0));
            skip_space();
            if (consume(',')) {
                skip_space();
            } else if (peek() != '}') {
                fail("expected ',' or '}' after a value");
            }
        }
        skip_space();
        if (position_ != text_.size()) fail("unexpected text after the header dict");
        return entries;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        std::string shown = text_.substr(0, text_.find_last_not_of(" \n") + 1);
        if (shown.size() > 120) shown = shown.substr(0, 120) + "...";
        throw NpyError(
            fmt::format("npy file '{}': header: {} at offset {} of \"{}\"", source_, what, position_, shown));
    }
    char peek() const { return position_ < text_.size() ? text_[position_] : '\0'; }
    bool consume(char expected) {
        if (peek() != expected || position_ >= text_.size()) return false;
        ++position_;
        return true;
    }
    void expect(char expected, const char* what) {
        if (!consume(expected)) fail(fmt::format("expected {}", what));
    }
    void skip_space() {
        while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\t' ||
                                            text_[position_] == '\n' || text_[position_] == '\r')) {
            ++position_;
        }
    }

    std::string parse_string() {
        const char quote = text_[position_++];
        const std::size_t start = position_;
        while (position_ < text_.size() && text_[position_] != quote) {
            if (text_[position_] == '\\') fail("escape sequences in strings are not supported");
            ++position_;
        }
        if (position_ >= text_.size()) fail("unterminated string");
        return text_.substr(start, position_++ - start);
    }

    PyValue parse_value(int depth) {
        if (depth > kMaxNesting) fail("values nested too deeply");
        skip_space();
        PyValue value;
        const char first = peek();
        if (first == '\'' || first == '"') {
            value.kind = PyValue::Kind::string;
            value.text = parse_string();
        } else if (first == '(' || first == '[') {
            value = parse_sequence(depth);
        } else if (first == '-' || (first >= '0' && first <= '9')) {
            value = parse_integer();
        } else {
            value = parse_word();
        }
        return value;
    }

    PyValue parse_sequence(int depth) {
        PyValue value;
        const bool tuple = text_[position_++] == '(';
        value.kind = tuple ? PyValue::Kind::tuple : PyValue::Kind::list;
        const char close = tuple ? ')' : ']';
        bool trailing_comma = false;
        skip_space();
        while (!consume(close)) {
            value.items.push_back(parse_value(depth + 1));
            skip_space();
            trailing_comma = consume(',');
            skip_space();
            if (!trailing_comma && peek() != close) fail(fmt::format("expected ',' or '{}'", close));
        }
        // "(3)" is the integer 3 in Python, not a tuple.
        if (tuple && value.items.size() == 1 && !trailing_comma) return value.items.front();
        return value;
    }

    PyValue parse_integer() {
        PyValue value;
        value.kind = PyValue::Kind::integer;
        const bool negative = consume('-');
        const std::size_t start = position_;
        while (peek() >= '0' && peek() <= '9') ++position_;
        const std::size_t digits = position_ - start;
        if (digits == 0) fail("expected digits");
        if (digits > 18) fail("integer too large");
        value.number = std::stoll(text_.substr(start, digits)) * (negative ? -1 : 1);
        if (peek() == 'L' || peek() == 'l') ++position_;
        return value;
    }

    PyValue parse_word() {
        const std::size_t start = position_;
        while ((peek() >= 'A' && peek() <= 'Z') || (peek() >= 'a' && peek() <= 'z')) ++position_;
        const std::string word = text_.substr(start, position_ - start);
        PyValue value;
        if (word == "True" || word == "False") {
            value.kind = PyValue::Kind::boolean;
            value.flag = word == "True";
        } else if (word == "None") {
            value.kind = PyValue::Kind::none;
        } else {
            position_ = start;
            fail("expected a value (string, integer, True, False, None, tuple or list)");
        }
        return value;
    }

    const std::string& text_;
    const std::string& source_;
    std::size_t position_ = 0;
};

struct Header {
    NpyType type = NpyType::float32;
    std::vector<std::size_t> shape;
};

[[noreturn]] void field_error(const std::string& source, const char* field, const PyValue& value,
                              const std::string& what) {
    throw NpyError(fmt::format("npy file '{}': header field '{}' = {}: {}", source, field, python_repr(value), what));
}

NpyType parse_descr(const PyValue& value, const std::string& source) {
    if (value.kind != PyValue::Kind::string) {
        field_error(source, "descr", value, "must be a dtype string (structured dtypes are not supported)");
    }
    for (const TypeInfo& info : kTypes) {
        if (value.text == info.descr) return info.type;
    }
    if (!value.text.empty() && value.text[0] == '>') {
        field_error(source, "descr", value,
                    fmt::format("big-endian data is not supported (supported {})", supported_descrs()));
    }
    field_error(source, "descr", value, fmt::format("unsupported dtype (supported {})", supported_descrs()));
}

std::vector<std::size_t> parse_shape(const PyValue& value, const std::string& source) {
    const char* rule = "must be a tuple of non-negative integers, e.g. (64, 3, 3, 3)";
    if (value.kind != PyValue::Kind::tuple) field_error(source, "shape", value, rule);
    std::vector<std::size_t> shape;
    for (const PyValue& item : value.items) {
        if (item.kind != PyValue::Kind::integer || item.number < 0) field_error(source, "shape", value, rule);
        shape.push_back(static_cast<std::size_t>(item.number));
    }
    return shape;
}

Header parse_header(const std::string& text, const std::string& source) {
    Header header;
    bool seen_descr = false, seen_order = false, seen_shape = false;
    for (const auto& [key, value] : HeaderParser(text, source).parse_dict()) {
        bool* seen = key == "descr"           ? &seen_descr
                     : key == "fortran_order" ? &seen_order
                     : key == "shape"         ? &seen_shape
                                              : nullptr;
        if (seen == nullptr) {
            throw NpyError(
                fmt::format("npy file '{}': header field '{}': unknown key (allowed 'descr', 'fortran_order', 'shape')",
                            source, key));
        }
        if (*seen) throw NpyError(fmt::format("npy file '{}': header field '{}': given twice", source, key));
        *seen = true;
        if (key == "descr") {
            header.type = parse_descr(value, source);
        } else if (key == "shape") {
            header.shape = parse_shape(value, source);
        } else if (value.kind != PyValue::Kind::boolean) {
            field_error(source, "fortran_order", value, "must be True or False");
        } else if (value.flag) {
            field_error(source, "fortran_order", value,
                        "Fortran order is not supported (C order only; save np.ascontiguousarray(a))");
        }
    }
    for (const auto& [seen, key] :
         {std::pair{seen_descr, "descr"}, std::pair{seen_order, "fortran_order"}, std::pair{seen_shape, "shape"}}) {
        if (!seen) throw NpyError(fmt::format("npy file '{}': header field '{}': missing", source, key));
    }
    return header;
}

std::uint64_t read_little_endian(const unsigned char* bytes, std::size_t count) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < count; ++i) value |= static_cast<std::uint64_t>(bytes[i]) << (8 * i);
    return value;
}

void append_little_endian(std::string& out, std::uint64_t value, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// The element count, or an error if it or its byte size overflows.
std::size_t checked_count(const std::vector<std::size_t>& shape, std::size_t item_size, const std::string& source) {
    std::size_t count = 1;
    const std::size_t limit = std::numeric_limits<std::size_t>::max() / item_size;
    for (std::size_t dimension : shape) {
        if (dimension != 0 && count > limit / dimension) {
            throw NpyError(fmt::format("npy file '{}': header field 'shape' = {}: too many elements", source,
                                       npy_shape_text(shape)));
        }
        count *= dimension;
    }
    return count;
}

void decode_values(const unsigned char* data, NpyArray& array) {
    const TypeInfo& info = type_info(array.type);
    const std::size_t count = array.element_count();
    if (info.is_float) {
        array.reals.resize(count);
    } else {
        array.integers.resize(count);
    }
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t raw = read_little_endian(data + i * info.item_size, info.item_size);
        if (array.type == NpyType::float32) {
            const auto bits = static_cast<std::uint32_t>(raw);
            float value;
            std::memcpy(&value, &bits, sizeof value);
            array.reals[i] = value;
        } else if (array.type == NpyType::float64) {
            double value;
            std::memcpy(&value, &raw, sizeof value);
            array.reals[i] = value;
        } else if (array.type == NpyType::uint8) {
            array.integers[i] = static_cast<std::int64_t>(raw);
        } else {
            const unsigned shift = static_cast<unsigned>(64 - 8 * info.item_size);  // sign-extend
            array.integers[i] = static_cast<std::int64_t>(raw << shift) >> shift;
        }
    }
}

std::uint64_t encode_value(const NpyArray& array, std::size_t index) {
    switch (array.type) {
        case NpyType::float32: {
            const auto value = static_cast<float>(array.reals[index]);
            std::uint32_t bits;
            std::memcpy(&bits, &value, sizeof bits);
            return bits;
        }
        case NpyType::float64: {
            std::uint64_t bits;
            std::memcpy(&bits, &array.reals[index], sizeof bits);
            return bits;
        }
        default:
            return static_cast<std::uint64_t>(array.integers[index]);
    }
}

std::pair<std::int64_t, std::int64_t> integer_range(NpyType type) {
    switch (type) {
        case NpyType::uint8:
            return {0, 255};
        case NpyType::int8:
            return {-128, 127};
        case NpyType::int16:
            return {-32768, 32767};
        case NpyType::int32:
            return {std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()};
        default:
            return {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()};
    }
}

}  // namespace

std::string npy_descr(NpyType type) { return type_info(type).descr; }
std::size_t npy_item_size(NpyType type) { return type_info(type).item_size; }
bool npy_is_float(NpyType type) { return type_info(type).is_float; }

std::size_t NpyArray::element_count() const {
    std::size_t count = 1;
    for (std::size_t dimension : shape) count *= dimension;
    return count;
}

std::string npy_shape_text(const std::vector<std::size_t>& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + (shape.size() == 1 ? ",)" : ")");
}

NpyArray parse_npy(const std::string& bytes, const std::string& source) {
    constexpr std::size_t kPreamble = kMagicLength + 2;
    if (bytes.size() < kPreamble + 2) {
        throw NpyError(
            fmt::format("npy file '{}': {} bytes: too short for the magic string, version and header "
                        "length",
                        source, bytes.size()));
    }
    if (bytes.compare(0, kMagicLength, kMagic, kMagicLength) != 0) {
        throw NpyError(fmt::format("npy file '{}': magic string: not an NPY file (expected \\x93NUMPY)", source));
    }
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    const int major = data[kMagicLength], minor = data[kMagicLength + 1];
    if (major < 1 || major > 3 || minor != 0) {
        throw NpyError(
            fmt::format("npy file '{}': version {}.{}: unsupported (supported 1.0, 2.0, 3.0)", source, major, minor));
    }
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    if (bytes.size() < kPreamble + length_bytes) {
        throw NpyError(fmt::format("npy file '{}': {} bytes: too short for the header length", source, bytes.size()));
    }
    const std::size_t header_length = read_little_endian(data + kPreamble, length_bytes);
    const std::size_t header_start = kPreamble + length_bytes;
    if (header_length > bytes.size() - header_start) {
        throw NpyError(fmt::format("npy file '{}': header length {}: exceeds the {} bytes after the preamble", source,
                                   header_length, bytes.size() - header_start));
    }
    const std::string header_text = bytes.substr(header_start, header_length);
    if (header_text.empty() || header_text.back() != '\n') {
        throw NpyError(fmt::format("npy file '{}': header: does not end with a newline", source));
    }
    const Header header = parse_header(header_text, source);
    NpyArray array;
    array.type = header.type;
    array.shape = header.shape;
    const std::size_t item_size = npy_item_size(header.type);
    const std::size_t expected = checked_count(header.shape, item_size, source) * item_size;
    const std::size_t available = bytes.size() - header_start - header_length;
    if (available != expected) {
        throw NpyError(fmt::format("npy file '{}': data: {} bytes after the header, shape {} of '{}' needs {} ({})",
                                   source, available, npy_shape_text(header.shape), npy_descr(header.type), expected,
                                   available < expected ? "truncated" : "trailing bytes"));
    }
    decode_values(data + header_start + header_length, array);
    return array;
}

NpyArray load_npy(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        throw NpyError(fmt::format("npy file '{}': cannot open (not a regular file)", path));
    }
    std::ifstream stream(path, std::ios::binary);
    if (!stream) throw NpyError(fmt::format("npy file '{}': cannot open", path));
    stream.seekg(0, std::ios::end);
    const std::streamoff size = stream.tellg();
    stream.seekg(0, std::ios::beg);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    if (!stream.read(bytes.data(), size)) throw NpyError(fmt::format("npy file '{}': read error", path));
    return parse_npy(bytes, path);
}

std::string npy_bytes(const NpyArray& array) {
    const TypeInfo& info = type_info(array.type);
    const std::size_t count = array.element_count();
    const std::size_t held = info.is_float ? array.reals.size() : array.integers.size();
    if (held != count || (info.is_float ? !array.integers.empty() : !array.reals.empty())) {
        throw NpyError(fmt::format("npy writer: {} {} values for shape {} of '{}' ({} elements)", held,
                                   info.is_float ? "real" : "integer", npy_shape_text(array.shape), info.descr, count));
    }
    if (!info.is_float) {
        const auto [low, high] = integer_range(array.type);
        for (std::size_t i = 0; i < count; ++i) {
            if (array.integers[i] < low || array.integers[i] > high) {
                throw NpyError(fmt::format("npy writer: value [{}] = {} does not fit '{}' ({}..{})", i,
                                           array.integers[i], info.descr, low, high));
            }
        }
    }
    std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", info.descr,
                                     npy_shape_text(array.shape));
    auto padding = [&](std::size_t preamble) {
        const std::size_t unpadded = preamble + header.size() + 1;
        return (kHeaderAlignment - unpadded % kHeaderAlignment) % kHeaderAlignment;
    };
    const bool version2 = header.size() + 1 + padding(kMagicLength + 4) > 65535;
    header.append(padding(kMagicLength + (version2 ? 6 : 4)), ' ');
    header.push_back('\n');
    std::string out(kMagic, kMagicLength);
    out.push_back(static_cast<char>(version2 ? 2 : 1));
    out.push_back(0);
    append_little_endian(out, header.size(), version2 ? 4 : 2);
    out += header;
    out.reserve(out.size() + count * info.item_size);
    for (std::size_t i = 0; i < count; ++i) append_little_endian(out, encode_value(array, i), info.item_size);
    return out;
}

}  // namespace fwmac
