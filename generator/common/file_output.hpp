// All-or-nothing output: every file fwmac writes appears complete or not at all.
#pragma once

#include <map>
#include <string>

namespace fwmac {

using FileSet = std::map<std::string, std::string>;  // sorted: deterministic output order

// Writes `files` below `directory` all-or-nothing: into a sibling temporary
// directory first, renamed into place at the end. An existing `directory` is
// replaced only if an earlier `fwmac generate` made it (marker file), else refused.
void write_file_set(const FileSet& files, const std::string& directory);

// Writes one file all-or-nothing: a temporary sibling renamed over `path` at the end.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace fwmac
