#include "golden/bit_vector.hpp"

#include <stdexcept>

namespace fwmac {

void BitVector::set_field(std::size_t offset, int field_width, std::uint64_t value) {
    if (field_width < 0 || field_width > 64 || offset + static_cast<std::size_t>(field_width) > width_) {
        throw std::out_of_range("BitVector::set_field outside the vector");
    }
    for (int bit = 0; bit < field_width; ++bit) {
        const std::size_t position = offset + static_cast<std::size_t>(bit);
        const std::uint32_t mask = std::uint32_t{1} << (position % 32);
        if ((value >> bit) & 1) {
            words_[position / 32] |= mask;
        } else {
            words_[position / 32] &= ~mask;
        }
    }
}

std::uint64_t BitVector::field(std::size_t offset, int field_width) const {
    if (field_width < 0 || field_width > 64 || offset + static_cast<std::size_t>(field_width) > width_) {
        throw std::out_of_range("BitVector::field outside the vector");
    }
    std::uint64_t value = 0;
    for (int bit = 0; bit < field_width; ++bit) {
        const std::size_t position = offset + static_cast<std::size_t>(bit);
        value |= static_cast<std::uint64_t>((words_[position / 32] >> (position % 32)) & 1) << bit;
    }
    return value;
}

std::int64_t sign_extend(std::uint64_t value, int width) {
    if (width >= 64) return static_cast<std::int64_t>(value);
    const std::uint64_t sign = std::uint64_t{1} << (width - 1);
    const std::uint64_t low = value & ((std::uint64_t{1} << width) - 1);
    return static_cast<std::int64_t>((low ^ sign) - sign);
}

}  // namespace fwmac
