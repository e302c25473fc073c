// Error types shared by the rooms of the generator (ConfigError lives with the config).
#pragma once

#include <stdexcept>

namespace fwmac {

// Wrong command-line usage (unknown verb or option, missing argument): exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace fwmac
