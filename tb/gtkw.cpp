#include "tb/gtkw.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "generator/common/config.hpp"
#include "generator/common/file_output.hpp"
#include "generator/common/top_ports.hpp"

namespace fwmac::tb {
namespace {

namespace fs = std::filesystem;

// GTKWave trace flags: binary and hex display (right-justified), group begin and end.
constexpr const char* kBinary = "@28";
constexpr const char* kHex = "@22";
constexpr const char* kGroupBegin = "@800200";
constexpr const char* kGroupEnd = "@1000200";

// The stream a port belongs to: the prefix of `cmd_valid_i`; clk_i and rst_ni have none.
std::string stream_of(const std::string& port) {
    const std::size_t underscore = port.find('_');
    const std::string prefix = underscore == std::string::npos ? port : port.substr(0, underscore);
    return prefix == "clk" || prefix == "rst" ? "" : prefix;
}

// valid and ready first, then the payload in declaration order.
int port_rank(const std::string& port) {
    if (port.find("_valid_") != std::string::npos) return 0;
    if (port.find("_ready_") != std::string::npos) return 1;
    return 2;
}

// Verilator's FST scope of the top-level ports is TOP; GTKWave names a vector with its range.
std::string signal_name(const PortDeclaration& port) {
    return port.is_vector ? fmt::format("TOP.{}[{}:0]", port.name, port.width - 1) : "TOP." + port.name;
}

std::string read_text(const fs::path& path) {
    std::ifstream stream(path, std::ios::binary);
    if (!stream) throw std::runtime_error(fmt::format("cannot read '{}' for the GTKWave save file", path.string()));
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

}  // namespace

std::string gtkw_path(const std::string& fst_path) { return fs::path(fst_path).replace_extension(".gtkw").string(); }

std::string gtkw_text(const std::string& fst_path, const std::string& generated_dir) {
    const std::string top = load_generated_config(generated_dir).name + "_top";
    const std::vector<PortDeclaration> ports =
        module_ports(read_text(fs::path(generated_dir) / "rtl" / (top + ".v")), top);
    std::vector<std::string> streams;  // in order of first appearance
    std::map<std::string, std::vector<PortDeclaration>> members;
    for (const PortDeclaration& port : ports) {
        const std::string stream = stream_of(port.name);
        if (!members.count(stream)) streams.push_back(stream);
        members[stream].push_back(port);
    }
    std::string text = fmt::format(
        "[*] GTKWave save file written by fwmac_tb: the ports of {}, one group per stream\n"
        "[dumpfile] \"{}\"\n[savefile] \"{}\"\n[timestart] 0\n[size] 1600 900\n[treeopen] TOP.\n[sst_width] 220\n"
        "[signals_width] 260\n[sst_expanded] 1\n",
        top, fs::absolute(fst_path).lexically_normal().string(),
        fs::absolute(gtkw_path(fst_path)).lexically_normal().string());
    for (const std::string& stream : streams) {
        std::vector<PortDeclaration>& group = members[stream];
        std::stable_sort(group.begin(), group.end(), [](const PortDeclaration& a, const PortDeclaration& b) {
            return port_rank(a.name) < port_rank(b.name);
        });
        const std::string title = stream.empty() ? "clock and reset" : stream + " stream";
        text += fmt::format("{}\n-{}\n", kGroupBegin, title);
        const char* flags = kGroupBegin;  // a flag line holds until the next one
        for (const PortDeclaration& port : group) {
            const char* wanted = port.is_vector ? kHex : kBinary;
            if (wanted != flags) text += fmt::format("{}\n", wanted);
            flags = wanted;
            text += signal_name(port) + "\n";
        }
        text += fmt::format("{}\n-{}\n", kGroupEnd, title);
    }
    return text;
}

std::string write_gtkw(const std::string& fst_path, const std::string& generated_dir) {
    const std::string path = gtkw_path(fst_path);
    write_file_atomically(path, gtkw_text(fst_path, generated_dir));
    return path;
}

}  // namespace fwmac::tb
