// NumPy `.npy` files (format versions 1.0, 2.0, 3.0): a strict reader and a writer.
//
// The reader validates everything the format fixes: the magic string, the version,
// the header length, the header (a Python dict literal, parsed by a small dedicated
// parser, not as JSON) with exactly the keys 'descr', 'fortran_order' and 'shape',
// a supported little-endian dtype, C order, and a data part of exactly
// product(shape) * itemsize bytes (truncated data and trailing bytes are errors).
// Every error is an NpyError whose message names the file and the header field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace fwmac {

class NpyError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// The supported dtypes and their 'descr' strings: '<f4' '<f8' '|u1' '|i1' '<i2' '<i4' '<i8'.
enum class NpyType { float32, float64, uint8, int8, int16, int32, int64 };

std::string npy_descr(NpyType type);
std::size_t npy_item_size(NpyType type);
bool npy_is_float(NpyType type);

struct NpyArray {
    std::vector<std::size_t> shape;  // () is a scalar with one element
    NpyType type = NpyType::float32;
    std::vector<double> reals;           // the values of a float array (C order), else empty
    std::vector<std::int64_t> integers;  // the values of an integer array (C order), else empty

    std::size_t element_count() const;
};

// Parses the bytes of a .npy file; `source` names it in error messages.
NpyArray parse_npy(const std::string& bytes, const std::string& source);
// Reads and parses a regular file.
NpyArray load_npy(const std::string& path);

// The bytes of a version 1.0 file (2.0 if the header needs more than 65535 bytes),
// header padded with spaces to a multiple of 64 bytes as NumPy does. Throws NpyError
// if the values do not match the shape or do not fit the dtype.
std::string npy_bytes(const NpyArray& array);

// Shape as NumPy prints it: "(2, 3)", "(5,)", "()".
std::string npy_shape_text(const std::vector<std::size_t>& shape);

}  // namespace fwmac
