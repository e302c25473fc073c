#include "generator/common/file_output.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fwmac {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMarkerFile = ".fwmac-generated";

}  // namespace

void write_file_set(const FileSet& files, const std::string& directory) {
    const fs::path target = fs::absolute(fs::path(directory)).lexically_normal();
    if (target.has_filename() == false || target == target.root_path()) {
        throw std::invalid_argument(fmt::format("output directory '{}' is not usable", directory));
    }
    if (fs::exists(target)) {
        const bool ours = fs::is_directory(target) && fs::exists(target / kMarkerFile);
        const bool empty = fs::is_directory(target) && fs::is_empty(target);
        if (!ours && !empty) {
            throw std::invalid_argument(fmt::format(
                "output directory '{}' exists and was not written by fwmac; refusing to replace it", directory));
        }
    }
    fs::create_directories(target.parent_path());
    const fs::path staging = target.parent_path() / fmt::format(".{}.fwmac-tmp-{}", target.filename().string(), ::getpid());
    fs::remove_all(staging);
    try {
        for (const auto& [path, content] : files) {
            const fs::path file = staging / path;
            fs::create_directories(file.parent_path());
            std::ofstream stream(file, std::ios::binary);
            stream << content;
            if (!stream.flush()) throw std::runtime_error(fmt::format("cannot write '{}'", file.string()));
        }
        std::ofstream(staging / kMarkerFile) << "written by fwmac generate; the whole directory is replaced on regeneration\n";
        if (fs::exists(target)) fs::remove_all(target);
        fs::rename(staging, target);
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(staging, ignored);
        throw;
    }
}

void write_file_atomically(const std::string& path, const std::string& text) {
    const fs::path target(path);
    const fs::path staging = target.parent_path() / fmt::format(".{}.fwmac-tmp-{}", target.filename().string(), ::getpid());
    try {
        std::ofstream stream(staging, std::ios::binary);
        stream << text;
        if (!stream.flush()) throw std::runtime_error(fmt::format("cannot write '{}'", path));
        stream.close();
        fs::rename(staging, target);
    } catch (...) {
        std::error_code ignored;
        fs::remove(staging, ignored);
        throw;
    }
}

}  // namespace fwmac
