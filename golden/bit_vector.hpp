// A fixed-width little-endian bit vector: the payload of one stream beat.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fwmac {

class BitVector {
public:
    BitVector() = default;
    explicit BitVector(std::size_t width) : width_(width), words_((width + 31) / 32, 0) {}

    // Writes the low `field_width` (<= 64) bits of `value` at bit `offset`.
    void set_field(std::size_t offset, int field_width, std::uint64_t value);
    // Writes all of `bits` at bit `offset` (a narrower vector packed into a wider beat).
    void set_bits(std::size_t offset, const BitVector& bits);
    // Reads `field_width` (<= 64) bits at `offset`, zero-extended.
    std::uint64_t field(std::size_t offset, int field_width) const;
    // `width` bits from `offset` on (bits beyond the vector read 0).
    BitVector slice(std::size_t offset, std::size_t width) const;

    std::size_t width() const { return width_; }
    const std::vector<std::uint32_t>& words() const { return words_; }
    bool operator==(const BitVector& other) const {
        return width_ == other.width_ && words_ == other.words_;
    }

private:
    std::size_t width_ = 0;
    std::vector<std::uint32_t> words_;
};

// Sign-extends the low `width` bits of `value`.
std::int64_t sign_extend(std::uint64_t value, int width);

}  // namespace fwmac
