// A handle on one port of a Verilator model of up to 64 bits (its CData, SData, IData or
// QData member), read and written as uint64_t and masked to the port's width, so that
// testbench code can hold ports of any width in one table.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fwmac::tb {

class Port {
public:
    Port() = default;  // no port: bound() is false
    Port(std::uint8_t& value, int width) : storage_(&value), bytes_(1), width_(checked(width, 8)) {}
    Port(std::uint16_t& value, int width) : storage_(&value), bytes_(2), width_(checked(width, 16)) {}
    Port(std::uint32_t& value, int width) : storage_(&value), bytes_(4), width_(checked(width, 32)) {}
    Port(std::uint64_t& value, int width) : storage_(&value), bytes_(8), width_(checked(width, 64)) {}

    bool bound() const { return storage_ != nullptr; }
    int width() const { return width_; }
    std::uint64_t mask() const { return width_ == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width_) - 1; }

    std::uint64_t get() const {
        switch (bytes_) {
            case 1:
                return *static_cast<const std::uint8_t*>(storage_);
            case 2:
                return *static_cast<const std::uint16_t*>(storage_);
            case 4:
                return *static_cast<const std::uint32_t*>(storage_);
            case 8:
                return *static_cast<const std::uint64_t*>(storage_);
            default:
                throw std::logic_error("Port::get on an unbound port");
        }
    }
    // Writes the low width() bits of `value` (const: it changes the port, not the handle).
    void set(std::uint64_t value) const {
        value &= mask();
        switch (bytes_) {
            case 1:
                *static_cast<std::uint8_t*>(storage_) = static_cast<std::uint8_t>(value);
                break;
            case 2:
                *static_cast<std::uint16_t*>(storage_) = static_cast<std::uint16_t>(value);
                break;
            case 4:
                *static_cast<std::uint32_t*>(storage_) = static_cast<std::uint32_t>(value);
                break;
            case 8:
                *static_cast<std::uint64_t*>(storage_) = value;
                break;
            default:
                throw std::logic_error("Port::set on an unbound port");
        }
    }

private:
    static int checked(int width, int bits) {
        if (width < 1 || width > bits) {
            throw std::logic_error("Port: width " + std::to_string(width) + " does not fit " + std::to_string(bits) +
                                   " bits");
        }
        return width;
    }

    void* storage_ = nullptr;
    int bytes_ = 0;
    int width_ = 0;
};

}  // namespace fwmac::tb
