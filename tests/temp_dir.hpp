// A fresh directory under the system temp dir for one test, removed with everything in it.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>

namespace fwmac::testing {

class TempDir {
public:
    TempDir() {
        static int counter = 0;
        std::random_device entropy;
        path_ = std::filesystem::temp_directory_path() / ("fwmac_test_gen_" + std::to_string(::getpid()) + "_" +
                                                          std::to_string(counter++) + "_" + std::to_string(entropy()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace fwmac::testing
