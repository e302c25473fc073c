// The licence of what fwmac writes: every generated file names it with an SPDX line in its
// own comment syntax (Verilog and filelists `//`, scripts and constraints `#`, after a
// shebang; C headers `/* */`, Markdown `<!-- -->`); JSON, which has no comments, carries it
// as a field of its own (see design_report).
#pragma once

#include <string>

#include "generator/common/file_output.hpp"

namespace fwmac {

inline constexpr const char* kGeneratedLicense = "Apache-2.0";

// `text` with the SPDX line of its file type in front (behind a `#!` line); throws
// std::logic_error for a file type it has no comment syntax for.
std::string with_license_line(const std::string& path, const std::string& text);

// Every file of the set through with_license_line, except JSON files (returned as they are).
FileSet with_license_lines(const FileSet& files);

}  // namespace fwmac
