#include "generator/common/top_ports.hpp"

#include <fmt/format.h>

#include <regex>
#include <sstream>
#include <stdexcept>

namespace fwmac {

std::vector<PortDeclaration> module_ports(const std::string& verilog, const std::string& module) {
    const std::regex header_start("^\\s*module\\s+" + module + "\\b.*\\($");
    const std::regex port_line(
        R"(^\s*(input|output)\s+wire\s+(\[(\d+):0\]\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*,?\s*(//.*)?$)");
    const std::regex skipped_line(R"(^\s*(//.*)?$)");
    std::istringstream lines(verilog);
    std::string line;
    bool in_header = false;
    std::vector<PortDeclaration> ports;
    while (std::getline(lines, line)) {
        if (!in_header) {
            in_header = std::regex_match(line, header_start);
            continue;
        }
        if (line.find(");") != std::string::npos) {
            if (ports.empty()) break;
            return ports;
        }
        std::smatch match;
        if (std::regex_match(line, match, port_line)) {
            PortDeclaration port;
            port.name = match[4];
            port.is_input = match[1] == "input";
            port.is_vector = match[2].matched;
            port.width = port.is_vector ? std::stoi(match[3]) + 1 : 1;
            ports.push_back(port);
        } else if (!std::regex_match(line, skipped_line)) {
            throw std::runtime_error(fmt::format("{}: cannot read the port declaration '{}'", module, line));
        }
    }
    throw std::runtime_error(fmt::format("{0}: no `module {0} (` header with ports ending in `);` found", module));
}

std::vector<PortDeclaration> top_ports(const std::string& top_verilog) { return module_ports(top_verilog, "fwmac_top"); }

}  // namespace fwmac
