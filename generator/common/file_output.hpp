// All-or-nothing output: every file fwmac writes appears complete or not at all.
#pragma once

#include <map>
#include <set>
#include <string>

namespace fwmac {

using FileSet = std::map<std::string, std::string>;  // sorted: deterministic output order

// Writes `files` below `directory` all-or-nothing: into a sibling temporary directory
// `.NAME.fwmac-tmp-PID` first, renamed into place at the end; such siblings that a
// killed run left (their PID is no running process) are removed first. The marker
// file `.fwmac-generated` lists every file written. An existing `directory` is
// replaced only if it is empty or fwmac wrote everything in it (marker and listed
// files); else nothing is written and the error names the first foreign files.
// Errors name `directory` as given, never the temporary path.
void write_file_set(const FileSet& files, const std::string& directory);

// Writes one file all-or-nothing: a temporary sibling renamed over `path` at the end.
void write_file_atomically(const std::string& path, const std::string& text);
// Several files (path -> content) together: all are written to temporary siblings before
// any is renamed into place, so an unwritable one leaves none of them.
void write_files_atomically(const FileSet& files_by_path);

// The files below `directory`, relative to it (not following links; empty if it is absent).
std::set<std::string> files_below(const std::string& directory);
// Adds `files` (relative to `directory`) to the list of `directory`'s marker, so that
// regenerating it knows them as fwmac's (e.g. the logs `fwmac synth` writes there).
// Does nothing if `directory` has no marker of this fwmac.
void record_written_files(const std::string& directory, const std::set<std::string>& files);

}  // namespace fwmac
