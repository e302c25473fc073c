#include "golden/bit_vector.hpp"

#include <algorithm>
#include <stdexcept>

namespace fwmac {

void BitVector::set_bits(std::size_t offset, const BitVector& bits) {
    if (offset + bits.width() > width_) throw std::out_of_range("BitVector::set_bits outside the vector");
    for (std::size_t done = 0; done < bits.width(); done += 32) {
        const int take = static_cast<int>(std::min<std::size_t>(32, bits.width() - done));
        set_field(offset + done, take, bits.field(done, take));
    }
}

void BitVector::set_field(std::size_t offset, int field_width, std::uint64_t value) {
    if (field_width < 0 || field_width > 64 || offset + static_cast<std::size_t>(field_width) > width_) {
        throw std::out_of_range("BitVector::set_field outside the vector");
    }
    // Word by word: at most three 32-bit words are touched by a 64-bit field.
    int done = 0;
    while (done < field_width) {
        const std::size_t position = offset + static_cast<std::size_t>(done);
        const int shift = static_cast<int>(position % 32);
        const int take = std::min(32 - shift, field_width - done);
        const std::uint32_t mask = (take == 32 ? ~std::uint32_t{0} : ((std::uint32_t{1} << take) - 1)) << shift;
        const auto bits = static_cast<std::uint32_t>(value >> done) << shift;
        std::uint32_t& word = words_[position / 32];
        word = (word & ~mask) | (bits & mask);
        done += take;
    }
}

std::uint64_t BitVector::field(std::size_t offset, int field_width) const {
    if (field_width < 0 || field_width > 64 || offset + static_cast<std::size_t>(field_width) > width_) {
        throw std::out_of_range("BitVector::field outside the vector");
    }
    std::uint64_t value = 0;
    int done = 0;
    while (done < field_width) {
        const std::size_t position = offset + static_cast<std::size_t>(done);
        const int shift = static_cast<int>(position % 32);
        const int take = std::min(32 - shift, field_width - done);
        const std::uint64_t mask = (std::uint64_t{1} << take) - 1;
        value |= ((static_cast<std::uint64_t>(words_[position / 32]) >> shift) & mask) << done;
        done += take;
    }
    return value;
}

std::int64_t sign_extend(std::uint64_t value, int width) {
    if (width >= 64) return static_cast<std::int64_t>(value);
    const std::uint64_t sign = std::uint64_t{1} << (width - 1);
    const std::uint64_t low = value & ((std::uint64_t{1} << width) - 1);
    return static_cast<std::int64_t>((low ^ sign) - sign);
}

BitVector BitVector::slice(std::size_t offset, std::size_t width) const {
    BitVector part(width);
    for (std::size_t bit = 0; bit < width; bit += 32) {
        const int chunk = static_cast<int>(std::min<std::size_t>(32, width - bit));
        const std::size_t from = offset + bit;
        if (from >= width_) break;
        const int available = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(chunk), width_ - from));
        part.set_field(bit, available, field(from, available));
    }
    return part;
}

}  // namespace fwmac
