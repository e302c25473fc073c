#include "generator/common/license.hpp"

#include <fmt/format.h>
#include <stdexcept>

namespace fwmac {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string spdx_line(const std::string& path) {
    const std::string spdx = fmt::format("SPDX-License-Identifier: {}", kGeneratedLicense);
    for (const char* suffix : {".v", ".sv", ".vh", ".f"}) {
        if (ends_with(path, suffix)) return "// " + spdx + "\n";
    }
    for (const char* suffix : {".ys", ".tcl", ".sdc", ".pcf", ".sh", ".core", ".py"}) {
        if (ends_with(path, suffix)) return "# " + spdx + "\n";
    }
    if (ends_with(path, ".h") || ends_with(path, ".hpp")) return "/* " + spdx + " */\n";
    if (ends_with(path, ".md")) return "<!-- " + spdx + " -->\n";
    throw std::logic_error(fmt::format("with_license_line: no comment syntax known for '{}'", path));
}

}  // namespace

std::string with_license_line(const std::string& path, const std::string& text) {
    const std::string line = spdx_line(path);
    if (text.rfind("#!", 0) == 0) {
        const std::size_t end = text.find('\n');
        if (end == std::string::npos) return text + "\n" + line;
        return text.substr(0, end + 1) + line + text.substr(end + 1);
    }
    // FuseSoC reads the first line of a .core file as its format tag (CAPI=2:): the SPDX line follows it.
    if (ends_with(path, ".core") && text.rfind("CAPI=2:", 0) == 0) {
        const std::size_t end = text.find('\n');
        return text.substr(0, end + 1) + line + text.substr(end + 1);
    }
    return line + text;
}

FileSet with_license_lines(const FileSet& files) {
    FileSet licensed;
    for (const auto& [path, text] : files) {
        licensed[path] = ends_with(path, ".json") ? text : with_license_line(path, text);
    }
    return licensed;
}

}  // namespace fwmac
