// The .npy reader and writer: hand-built byte strings for every header form and error
// path, a round trip of every dtype, and files written by NumPy itself.
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "compiler/npy.hpp"

using Catch::Matchers::Contains;

namespace {

// The file layout, built here independently of the writer under test:
// "\x93NUMPY", major, minor, header length (2 bytes LE for 1.x, 4 for 2.x/3.x), header.
std::string npy_file(int major, const std::string& header, const std::string& data) {
    std::string bytes("\x93NUMPY", 6);
    bytes.push_back(static_cast<char>(major));
    bytes.push_back(0);
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    for (std::size_t i = 0; i < length_bytes; ++i)
        bytes.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
    return bytes + header + data;
}

std::string dict(const std::string& descr, const std::string& shape) {
    return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
}

std::string little_endian(std::uint64_t value, std::size_t bytes) {
    std::string out;
    for (std::size_t i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    return out;
}

std::string float32_bytes(const std::vector<float>& values) {
    std::string out;
    for (float value : values) {
        std::uint32_t bits;
        std::memcpy(&bits, &value, sizeof bits);
        out += little_endian(bits, 4);
    }
    return out;
}

std::string parse_error(const std::string& bytes) {
    try {
        fwmac::parse_npy(bytes, "w.npy");
    } catch (const fwmac::NpyError& error) {
        return error.what();
    }
    return "no error";
}

std::string data_path(const std::string& name) { return std::string(FWMAC_TEST_DATA_DIR) + "/" + name; }

std::string read_bytes(const std::string& path) {
    std::ifstream stream(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(stream), {});
}

}  // namespace

TEST_CASE("npy: valid version 1.0 float32 file", "[npy]") {
    const std::vector<float> values{1.0f, -2.5f, 0.125f, 3.0f, -0.0f, 1e-3f};
    const fwmac::NpyArray array = fwmac::parse_npy(npy_file(1, dict("<f4", "(2, 3)"), float32_bytes(values)), "w.npy");
    CHECK(array.type == fwmac::NpyType::float32);
    CHECK(array.shape == std::vector<std::size_t>{2, 3});
    REQUIRE(array.reals.size() == 6);
    CHECK(array.integers.empty());
    for (std::size_t i = 0; i < values.size(); ++i) CHECK(array.reals[i] == static_cast<double>(values[i]));
}

TEST_CASE("npy: version 2.0 and 3.0 headers and every integer dtype", "[npy]") {
    SECTION("2.0, '<f8'") {
        double value = -1.75;
        std::uint64_t bits;
        std::memcpy(&bits, &value, sizeof bits);
        const fwmac::NpyArray array = fwmac::parse_npy(npy_file(2, dict("<f8", "(1,)"), little_endian(bits, 8)), "x");
        CHECK(array.shape == std::vector<std::size_t>{1});
        CHECK(array.reals == std::vector<double>{-1.75});
    }
    SECTION("3.0, '<i8' with negative values") {
        const std::string data = little_endian(static_cast<std::uint64_t>(-5), 8) + little_endian(1ULL << 40, 8);
        const fwmac::NpyArray array = fwmac::parse_npy(npy_file(3, dict("<i8", "(2,)"), data), "x");
        CHECK(array.integers == std::vector<std::int64_t>{-5, std::int64_t{1} << 40});
    }
    SECTION("'|u1' reads 0..255, '|i1' sign-extends") {
        CHECK(fwmac::parse_npy(npy_file(1, dict("|u1", "(3,)"), std::string("\x00\x80\xff", 3)), "x").integers ==
              std::vector<std::int64_t>{0, 128, 255});
        CHECK(fwmac::parse_npy(npy_file(1, dict("|i1", "(3,)"), std::string("\x00\x80\xff", 3)), "x").integers ==
              std::vector<std::int64_t>{0, -128, -1});
    }
    SECTION("'<i2' and '<i4'") {
        CHECK(
            fwmac::parse_npy(npy_file(1, dict("<i2", "(2,)"), little_endian(0x8000, 2) + little_endian(0x7fff, 2)), "x")
                .integers == std::vector<std::int64_t>{-32768, 32767});
        CHECK(fwmac::parse_npy(npy_file(1, dict("<i4", "(1,)"), little_endian(0xfffffffe, 4)), "x").integers ==
              std::vector<std::int64_t>{-2});
    }
}

TEST_CASE("npy: header dict variants NumPy and Python accept", "[npy]") {
    const std::string one_float = float32_bytes({4.0f});
    SECTION("double quotes, no trailing comma, keys reordered, extra spaces") {
        const std::string header = "{ \"shape\" : ( 1 , ) ,\"fortran_order\":False,  'descr':\"<f4\"}   \n";
        CHECK(fwmac::parse_npy(npy_file(1, header, one_float), "x").reals == std::vector<double>{4.0});
    }
    SECTION("Python 2 long suffix in the shape") {
        CHECK(fwmac::parse_npy(npy_file(1, dict("<f4", "(1L, 1L)"), one_float), "x").shape ==
              std::vector<std::size_t>{1, 1});
    }
    SECTION("a scalar: shape () has one element") {
        const fwmac::NpyArray array = fwmac::parse_npy(npy_file(1, dict("<f4", "()"), one_float), "x");
        CHECK(array.shape.empty());
        CHECK(array.reals == std::vector<double>{4.0});
    }
    SECTION("a zero dimension: no data") {
        const fwmac::NpyArray array = fwmac::parse_npy(npy_file(1, dict("<f4", "(0, 3)"), ""), "x");
        CHECK(array.element_count() == 0);
        CHECK(array.reals.empty());
    }
}

TEST_CASE("npy: every malformed preamble, header and data part is an error naming file and field", "[npy]") {
    const std::string good_data = float32_bytes({1, 2, 3, 4, 5, 6});
    struct Bad {
        const char* what;
        std::string bytes;
        std::vector<const char*> needles;
    };
    const std::vector<Bad> cases{
        {"too short", std::string("\x93NUM", 4), {"w.npy", "4 bytes", "too short"}},
        {"magic", npy_file(1, dict("<f4", "(2, 3)"), good_data).replace(1, 1, "X"), {"w.npy", "magic string"}},
        {"version 4.0", npy_file(4, dict("<f4", "(2, 3)"), good_data), {"version 4.0", "1.0, 2.0, 3.0"}},
        {"version 1.1", npy_file(1, dict("<f4", "(2, 3)"), good_data).replace(7, 1, "\x01"), {"version 1.1"}},
        {"header length beyond the file",
         npy_file(1, dict("<f4", "(2, 3)"), "").replace(8, 2, "\xff\x7f"),
         {"header length 32767", "exceeds"}},
        {"no newline",
         npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}", good_data),
         {"header", "newline"}},
        {"not a dict", npy_file(1, "['descr']\n", good_data), {"header", "'{'"}},
        {"missing colon", npy_file(1, "{'descr' '<f4'}\n", good_data), {"header", "':'"}},
        {"unterminated string", npy_file(1, "{'descr': '<f4}\n", good_data), {"unterminated string"}},
        {"junk in the dict",
         npy_file(1, "{'descr': '<f4', 'shape': (2, 3) junk}\n", good_data),
         {"expected ',' or '}'"}},
        {"text after the dict",
         npy_file(1, dict("<f4", "(2, 3)").insert(dict("<f4", "(2, 3)").size() - 1, "x"), good_data),
         {"after the header dict"}},
        {"unknown word",
         npy_file(1, "{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3)}\n", good_data),
         {"expected a value"}},
        {"nested too deeply",
         npy_file(1, "{'shape': ((((((((((1,),),),),),),),),),)}\n", good_data),
         {"nested too deeply"}},
        {"descr missing",
         npy_file(1, "{'fortran_order': False, 'shape': (2, 3)}\n", good_data),
         {"w.npy", "header field 'descr'", "missing"}},
        {"shape missing",
         npy_file(1, "{'descr': '<f4', 'fortran_order': False}\n", good_data),
         {"header field 'shape'", "missing"}},
        {"fortran_order missing",
         npy_file(1, "{'descr': '<f4', 'shape': (2, 3)}\n", good_data),
         {"header field 'fortran_order'", "missing"}},
        {"unknown key",
         npy_file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}\n", good_data),
         {"header field 'x'", "unknown key"}},
        {"key twice",
         npy_file(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (6,)}\n", good_data),
         {"header field 'descr'", "twice"}},
        {"complex dtype",
         npy_file(1, dict("<c8", "(2, 3)"), good_data),
         {"header field 'descr' = '<c8'", "unsupported dtype", "'<f4'", "'|u1'", "'<i8'"}},
        {"big-endian", npy_file(1, dict(">f4", "(2, 3)"), good_data), {"'descr' = '>f4'", "big-endian"}},
        {"structured dtype",
         npy_file(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,)}\n", good_data),
         {"header field 'descr' = [('a', '<f4')]", "structured"}},
        {"Fortran order",
         npy_file(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3)}\n", good_data),
         {"header field 'fortran_order' = True", "C order"}},
        {"fortran_order not a bool",
         npy_file(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (6,)}\n", good_data),
         {"header field 'fortran_order' = 0", "True or False"}},
        {"shape as a list", npy_file(1, dict("<f4", "[2, 3]"), good_data), {"header field 'shape' = [2, 3]", "tuple"}},
        {"shape (6) is an integer", npy_file(1, dict("<f4", "(6)"), good_data), {"header field 'shape' = 6", "tuple"}},
        {"negative dimension", npy_file(1, dict("<f4", "(-2, 3)"), good_data), {"header field 'shape' = (-2, 3)"}},
        {"string dimension", npy_file(1, dict("<f4", "('2', 3)"), good_data), {"header field 'shape'", "tuple"}},
        {"overflowing shape",
         npy_file(1, dict("<f4", "(999999999999999999, 999999999999999999)"), good_data),
         {"header field 'shape'", "too many elements"}},
        {"truncated data",
         npy_file(1, dict("<f4", "(2, 3)"), good_data.substr(0, 23)),
         {"w.npy", "data: 23 bytes", "needs 24", "truncated"}},
        {"trailing bytes", npy_file(1, dict("<f4", "(2, 3)"), good_data + "x"), {"data: 25 bytes", "trailing bytes"}},
    };
    for (const Bad& bad : cases) {
        INFO(bad.what);
        const std::string message = parse_error(bad.bytes);
        for (const char* needle : bad.needles) CHECK_THAT(message, Contains(needle));
    }
}

TEST_CASE("npy: load_npy refuses missing files and directories", "[npy]") {
    CHECK_THROWS_WITH(fwmac::load_npy("/nonexistent/w.npy"),
                      Contains("npy file '/nonexistent/w.npy'") && Contains("cannot open"));
    CHECK_THROWS_WITH(fwmac::load_npy(FWMAC_TEST_DATA_DIR), Contains("not a regular file"));
}

TEST_CASE("npy: the writer round-trips every dtype and pads the header like NumPy", "[npy]") {
    const std::vector<fwmac::NpyType> integer_types{fwmac::NpyType::uint8, fwmac::NpyType::int8, fwmac::NpyType::int16,
                                                    fwmac::NpyType::int32, fwmac::NpyType::int64};
    for (fwmac::NpyType type : integer_types) {
        fwmac::NpyArray array;
        array.type = type;
        array.shape = {2, 1, 2};
        const bool is_unsigned = type == fwmac::NpyType::uint8;
        const std::size_t bits = 8 * fwmac::npy_item_size(type);
        const std::int64_t low = is_unsigned  ? 0
                                 : bits == 64 ? std::numeric_limits<std::int64_t>::min()
                                              : -(std::int64_t{1} << (bits - 1));
        const std::int64_t high = is_unsigned ? 255 : -(low + 1);
        array.integers = {low, high, 0, is_unsigned ? 1 : -1};
        const std::string bytes = fwmac::npy_bytes(array);
        INFO(fwmac::npy_descr(type));
        const std::size_t header_end =
            10 + (static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8));
        CHECK(header_end % 64 == 0);
        CHECK(bytes[header_end - 1] == '\n');
        const fwmac::NpyArray back = fwmac::parse_npy(bytes, "roundtrip");
        CHECK(back.type == type);
        CHECK(back.shape == array.shape);
        CHECK(back.integers == array.integers);
    }
    fwmac::NpyArray reals;
    reals.shape = {3};
    reals.reals = {0.1, -1e300, 5e-324};
    reals.type = fwmac::NpyType::float64;
    CHECK(fwmac::parse_npy(fwmac::npy_bytes(reals), "f8").reals == reals.reals);
    reals.type = fwmac::NpyType::float32;
    reals.reals = {0.5, -3.25, 0x1p40};  // exact in float32
    CHECK(fwmac::parse_npy(fwmac::npy_bytes(reals), "f4").reals == reals.reals);
}

TEST_CASE("npy: the writer switches to version 2.0 for a header over 65535 bytes", "[npy]") {
    fwmac::NpyArray array;
    array.type = fwmac::NpyType::int8;
    array.shape.assign(30000, 1);  // "1, " x 30000: a 90 kB header
    array.integers = {-7};
    const std::string bytes = fwmac::npy_bytes(array);
    CHECK(bytes[6] == 2);
    const fwmac::NpyArray back = fwmac::parse_npy(bytes, "v2");
    CHECK(back.shape.size() == 30000);
    CHECK(back.integers == std::vector<std::int64_t>{-7});
}

TEST_CASE("npy: the writer rejects values that do not fit and wrong counts", "[npy]") {
    fwmac::NpyArray array;
    array.type = fwmac::NpyType::int8;
    array.shape = {2};
    array.integers = {5, 128};
    CHECK_THROWS_WITH(fwmac::npy_bytes(array), Contains("[1] = 128") && Contains("-128..127"));
    array.integers = {5};
    CHECK_THROWS_WITH(fwmac::npy_bytes(array), Contains("1 integer values for shape (2,)"));
    array.type = fwmac::NpyType::uint8;
    array.integers = {0, -1};
    CHECK_THROWS_WITH(fwmac::npy_bytes(array), Contains("0..255"));
}

// Files written by NumPy 1.24.2 (python3-numpy, Debian 12), in tests/data:
//   np.save('numpy_f4_v1.npy', np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2) / 8 - 1)
//   np.lib.format.write_array(open('numpy_f8_v2.npy', 'wb'), np.array([0.1, -2.5, 1e300]), version=(2, 0))
//   np.save('numpy_u1.npy', (np.arange(48).reshape(1, 3, 4, 4) * 16 % 256).astype(np.uint8))
//   np.save('numpy_i8.npy', np.array([-5, 0, 7, 2**40], dtype=np.int64))
//   np.save('numpy_fortran.npy', np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
TEST_CASE("npy: files written by NumPy", "[npy]") {
    SECTION("float32, version 1.0; the writer reproduces NumPy's bytes exactly") {
        const fwmac::NpyArray array = fwmac::load_npy(data_path("numpy_f4_v1.npy"));
        CHECK(array.type == fwmac::NpyType::float32);
        CHECK(array.shape == std::vector<std::size_t>{2, 3, 2, 2});
        REQUIRE(array.reals.size() == 24);
        for (std::size_t i = 0; i < 24; ++i) CHECK(array.reals[i] == static_cast<double>(i) / 8 - 1);
        CHECK(fwmac::npy_bytes(array) == read_bytes(data_path("numpy_f4_v1.npy")));
    }
    SECTION("float64, version 2.0") {
        const fwmac::NpyArray array = fwmac::load_npy(data_path("numpy_f8_v2.npy"));
        CHECK(array.type == fwmac::NpyType::float64);
        CHECK(array.reals == std::vector<double>{0.1, -2.5, 1e300});
    }
    SECTION("uint8 image and int64 labels") {
        const fwmac::NpyArray image = fwmac::load_npy(data_path("numpy_u1.npy"));
        CHECK(image.type == fwmac::NpyType::uint8);
        CHECK(image.shape == std::vector<std::size_t>{1, 3, 4, 4});
        REQUIRE(image.integers.size() == 48);
        for (std::size_t i = 0; i < 48; ++i) CHECK(image.integers[i] == static_cast<std::int64_t>(i * 16 % 256));
        CHECK(fwmac::npy_bytes(image) == read_bytes(data_path("numpy_u1.npy")));
        const fwmac::NpyArray labels = fwmac::load_npy(data_path("numpy_i8.npy"));
        CHECK(labels.integers == std::vector<std::int64_t>{-5, 0, 7, std::int64_t{1} << 40});
    }
    SECTION("Fortran order is refused") {
        CHECK_THROWS_WITH(fwmac::load_npy(data_path("numpy_fortran.npy")),
                          Contains("numpy_fortran.npy") && Contains("'fortran_order' = True"));
    }
}
