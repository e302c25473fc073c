// Arbitrary-width bit vectors for the testbenches, and their transfer to and from
// Verilator ports (integers up to 64 bits, VlWide above).
#pragma once

#include <verilated.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace tb {

class Bits {
  public:
    Bits() = default;
    explicit Bits(int width) : width_(width), words_((width + 31) / 32, 0u) {}
    static Bits of(int width, uint64_t value) {
        Bits bits(width);
        bits.set_word(0, static_cast<uint32_t>(value));
        bits.set_word(1, static_cast<uint32_t>(value >> 32));
        return bits;
    }
    static Bits random(int width, std::mt19937_64& rng) {
        Bits bits(width);
        for (auto& word : bits.words_) word = static_cast<uint32_t>(rng());
        bits.mask_top();
        return bits;
    }
    static Bits ones(int width) {
        Bits bits(width);
        for (auto& word : bits.words_) word = ~0u;
        bits.mask_top();
        return bits;
    }

    int width() const { return width_; }
    uint32_t word(std::size_t index) const { return index < words_.size() ? words_[index] : 0u; }
    void set_word(std::size_t index, uint32_t value) {
        if (index < words_.size()) words_[index] = value;
        mask_top();
    }
    uint64_t low64() const { return word(0) | (static_cast<uint64_t>(word(1)) << 32); }
    bool bit(int index) const { return index < width_ && ((words_[index / 32] >> (index % 32)) & 1u); }
    void set_bit(int index, bool value) {
        if (index >= width_) return;
        if (value) words_[index / 32] |= 1u << (index % 32);
        else words_[index / 32] &= ~(1u << (index % 32));
    }
    // bits [low, low + width) (bits past the end read as 0)
    Bits slice(int low, int width) const {
        Bits part(width);
        for (int i = 0; i < width; ++i) part.set_bit(i, bit(low + i));
        return part;
    }
    uint64_t field(int low, int width) const { return slice(low, width).low64(); }
    // writes part at bit low (bits past the end are dropped)
    void insert(int low, const Bits& part) {
        for (int i = 0; i < part.width(); ++i) set_bit(low + i, part.bit(i));
    }
    void insert(int low, int width, uint64_t value) { insert(low, of(width, value)); }
    Bits resized(int width) const { return slice(0, width); }
    bool is_zero() const {
        for (auto word : words_)
            if (word != 0) return false;
        return true;
    }
    bool operator==(const Bits& other) const { return width_ == other.width_ && words_ == other.words_; }
    bool operator!=(const Bits& other) const { return !(*this == other); }

    std::string hex() const {
        std::ostringstream text;
        text << width_ << "'h";
        char buffer[16];
        for (std::size_t i = words_.size(); i-- > 0;) {
            std::snprintf(buffer, sizeof buffer, "%08x", words_[i]);
            text << buffer;
            if (i != 0) text << '_';
        }
        return text.str();
    }

  private:
    void mask_top() {
        if (width_ % 32 != 0 && !words_.empty()) words_.back() &= (1u << (width_ % 32)) - 1u;
    }
    int width_ = 0;
    std::vector<uint32_t> words_;
};

// Verilator maps ports of <= 64 bits to integers and wider ones to VlWide.
template <typename T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
void put(T& signal, const Bits& value) {
    signal = static_cast<T>(value.low64());
}
template <std::size_t N>
void put(VlWide<N>& signal, const Bits& value) {
    for (std::size_t i = 0; i < N; ++i) signal[i] = value.word(i);
}
template <typename T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
Bits get(const T& signal, int width) {
    return Bits::of(width, static_cast<uint64_t>(signal));
}
template <std::size_t N>
Bits get(const VlWide<N>& signal, int width) {
    Bits value(width);
    for (std::size_t i = 0; i < N; ++i) value.set_word(i, signal[i]);
    return value;
}

// the container width of a W-bit word: max(8, next power of two >= W)
inline int container_width(int width) {
    int container = 8;
    while (container < width) container *= 2;
    return container;
}

}  // namespace tb
