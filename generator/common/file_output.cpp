#include "generator/common/file_output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <stdexcept>
#include <utility>
#include <vector>

namespace fwmac {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMarkerFile = ".fwmac-generated";
constexpr const char* kMarkerHeader =
    "# SPDX-License-Identifier: Apache-2.0\n"
    "# Written by fwmac. Regenerating this directory replaces it, which fwmac refuses while it holds\n"
    "# files other than these (fwmac wrote them; paths relative to the directory):\n";
constexpr std::size_t kForeignFilesNamed = 5;

fs::path staging_path(const fs::path& target) {
    return target.parent_path() / fmt::format(".{}.fwmac-tmp-{}", target.filename().string(), ::getpid());
}

bool process_alive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH; }

// Removes a directory fwmac wrote, its marker last: a removal that is killed halfway
// leaves a directory that is still recognisably ours.
void remove_ours(const fs::path& directory) {
    for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
        if (entry.path().filename() != kMarkerFile) fs::remove_all(entry.path());
    }
    fs::remove_all(directory);
}

// Puts `staging` in place of `target`: one atomic exchange where the file system has it
// (the old content ends up in `staging`, removed after), else two renames via `old`.
void replace_directory(const fs::path& staging, const fs::path& target) {
    if (!fs::exists(target)) {
        fs::rename(staging, target);
        return;
    }
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
        remove_ours(staging);
        return;
    }
    const fs::path old = staging.string() + ".old";
    fs::rename(target, old);
    try {
        fs::rename(staging, target);
    } catch (...) {
        fs::rename(old, target);  // put the previous content back
        throw;
    }
    remove_ours(old);
}

// A killed run (SIGKILL, power loss) leaves its `.NAME.fwmac-tmp-PID` sibling (or, while
// replacing, `...-PID.old`) behind: remove those of `target` whose process is gone. A
// directory counts only if it holds our marker (written first, removed last) or nothing,
// so a user's look-alike folder stays.
void remove_stale_staging(const fs::path& target) {
    const std::regex pattern("\\." + std::regex_replace(target.filename().string(), std::regex(R"([.^$|()\[\]{}*+?\\])"),
                                                        R"(\$&)") +
                             R"(\.fwmac-tmp-([0-9]{1,9})(\.old)?)");
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(target.parent_path(), error)) {
        std::smatch match;
        const std::string name = entry.path().filename().string();
        if (!std::regex_match(name, match, pattern)) continue;
        const long pid = std::stol(match[1]);
        if (pid == ::getpid() || process_alive(pid)) continue;
        std::error_code ignored;
        const bool ours = !entry.is_directory(ignored) || fs::exists(entry.path() / kMarkerFile, ignored) ||
                          fs::is_empty(entry.path(), ignored);
        if (ours) fs::remove_all(entry.path(), ignored);
    }
}

std::string marker_text(const std::set<std::string>& files) {
    std::string text = kMarkerHeader;
    for (const std::string& file : files) text += file + "\n";
    return text;
}

// The files the marker lists; nullopt for a marker of an older fwmac, which listed none.
std::optional<std::set<std::string>> listed_files(const fs::path& directory) {
    std::ifstream stream(directory / kMarkerFile);
    std::set<std::string> files;
    bool has_header = false;
    for (std::string line; std::getline(stream, line);) {
        if (line.rfind("# Written by fwmac", 0) == 0) has_header = true;
        if (!line.empty() && line[0] != '#') files.insert(line);
    }
    if (!has_header) return std::nullopt;
    return files;
}

// What lies below `directory` that is neither listed nor a folder holding listed files.
std::vector<std::string> foreign_entries(const fs::path& directory, const std::set<std::string>& ours) {
    std::set<std::string> folders;
    for (const std::string& file : ours) {
        for (fs::path parent = fs::path(file).parent_path(); !parent.empty(); parent = parent.parent_path()) {
            folders.insert(parent.string());
        }
    }
    std::vector<std::string> foreign;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(directory)) {
        const std::string path = entry.path().lexically_relative(directory).string();
        if (path == kMarkerFile || ours.count(path) || folders.count(path)) continue;
        foreign.push_back(path);
    }
    std::sort(foreign.begin(), foreign.end());
    return foreign;
}

// An existing `target` may be replaced only if fwmac wrote everything in it (or it is empty).
void check_replaceable(const fs::path& target, const std::string& directory, const FileSet& files) {
    if (!fs::exists(fs::symlink_status(target))) return;
    if (!fs::is_directory(fs::symlink_status(target))) {
        throw std::invalid_argument(
            fmt::format("output directory '{}' exists and is not a directory; refusing to replace it", directory));
    }
    if (fs::is_empty(target)) return;
    if (!fs::exists(target / kMarkerFile)) {
        throw std::invalid_argument(fmt::format(
            "output directory '{}' exists and was not written by fwmac; refusing to replace it", directory));
    }
    std::set<std::string> ours;
    if (const auto listed = listed_files(target)) {
        ours = *listed;
    } else {  // an older fwmac's marker: what this run writes is what that one wrote
        for (const auto& entry : files) ours.insert(entry.first);
    }
    const std::vector<std::string> foreign = foreign_entries(target, ours);
    if (foreign.empty()) return;
    std::string names;
    for (std::size_t i = 0; i < std::min(foreign.size(), kForeignFilesNamed); ++i) {
        names += fmt::format("{}'{}'", names.empty() ? "" : ", ", foreign[i]);
    }
    if (foreign.size() > kForeignFilesNamed) names += fmt::format(" and {} more", foreign.size() - kForeignFilesNamed);
    const char* them = foreign.size() == 1 ? "it" : "them";
    throw std::invalid_argument(fmt::format(
        "output directory '{}' holds {} {} fwmac did not write ({}); regenerating would delete {}: move {} out of "
        "the directory or choose another one",
        directory, foreign.size(), foreign.size() == 1 ? "file or folder" : "files or folders", names, them, them));
}

void write_bytes(const fs::path& file, const std::string& content, const std::string& name) {
    std::ofstream stream(file, std::ios::binary);
    stream << content;
    if (!stream.flush()) throw std::runtime_error(fmt::format("cannot write '{}': {}", name, std::strerror(errno)));
}

// `what` names the user's path; std::filesystem's own message would name the staging path.
template <typename Body>
void with_named_errors(const std::string& what, Body body) {
    try {
        body();
    } catch (const fs::filesystem_error& error) {
        throw std::runtime_error(fmt::format("cannot write {}: {}", what, error.code().message()));
    }
}

fs::path usable_target(const std::string& path, const char* what) {
    if (path.empty()) throw std::invalid_argument(fmt::format("{} '': the path is empty", what));
    const fs::path target = fs::absolute(fs::path(path)).lexically_normal();
    if (!target.has_filename() || target == target.root_path()) {
        throw std::invalid_argument(fmt::format("{} '{}' is not usable", what, path));
    }
    return target;
}

}  // namespace

void write_file_set(const FileSet& files, const std::string& directory) {
    const fs::path target = usable_target(directory, "output directory");
    const fs::path staging = staging_path(target);
    with_named_errors(fmt::format("output directory '{}'", directory), [&] {
        check_replaceable(target, directory, files);
        fs::create_directories(target.parent_path());
        remove_stale_staging(target);
        fs::remove_all(staging);
        try {
            fs::create_directory(staging);
            std::set<std::string> names;
            for (const auto& entry : files) names.insert(entry.first);
            // the marker first: a staging directory a killed run leaves is recognisably ours
            write_bytes(staging / kMarkerFile, marker_text(names), (target / kMarkerFile).string());
            for (const auto& [path, content] : files) {
                const fs::path file = staging / path;
                fs::create_directories(file.parent_path());
                write_bytes(file, content, (fs::path(directory) / path).string());
            }
            replace_directory(staging, target);
        } catch (...) {
            std::error_code ignored;
            fs::remove_all(staging, ignored);
            throw;
        }
    });
}

void write_file_atomically(const std::string& path, const std::string& text) { write_files_atomically({{path, text}}); }

void write_files_atomically(const FileSet& files_by_path) {
    std::vector<std::pair<fs::path, fs::path>> staged;  // (staging, target) of every file written so far
    auto remove_staged = [&] {
        std::error_code ignored;
        for (const auto& entry : staged) fs::remove(entry.first, ignored);
    };
    try {
        // (no structured bindings: C++17 lambdas cannot capture them)
        for (const auto& file : files_by_path) {
            const std::string& path = file.first;
            const fs::path target = usable_target(path, "output file");
            with_named_errors(fmt::format("'{}'", path), [&] {
                if (fs::is_directory(target)) {
                    throw std::invalid_argument(fmt::format("cannot write '{}': it is a directory", path));
                }
                remove_stale_staging(target);
                staged.emplace_back(staging_path(target), target);
                write_bytes(staged.back().first, file.second, path);
            });
        }
        for (const auto& entry : staged) {
            with_named_errors(fmt::format("'{}'", entry.second.string()),
                              [&] { fs::rename(entry.first, entry.second); });
        }
    } catch (...) {
        remove_staged();
        throw;
    }
}

std::set<std::string> files_below(const std::string& directory) {
    std::set<std::string> files;
    std::error_code error;
    for (fs::recursive_directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
        if (!it->is_directory()) files.insert(it->path().lexically_relative(directory).string());
    }
    return files;
}

void record_written_files(const std::string& directory, const std::set<std::string>& files) {
    const fs::path root(directory);
    std::optional<std::set<std::string>> listed = listed_files(root);
    if (!fs::exists(root / kMarkerFile) || !listed || files.empty()) return;
    listed->insert(files.begin(), files.end());
    listed->erase(kMarkerFile);
    write_file_atomically((root / kMarkerFile).string(), marker_text(*listed));
}

}  // namespace fwmac
