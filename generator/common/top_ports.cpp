#include "generator/common/top_ports.hpp"

#include <fmt/format.h>

#include <regex>
#include <sstream>
#include <stdexcept>

namespace fwmac {

std::vector<PortDeclaration> top_ports(const std::string& top_verilog) {
    const std::regex header_start(R"(^\s*module\s+fwmac_top\b.*\($)");
    const std::regex port_line(
        R"(^\s*(input|output)\s+wire\s+(\[(\d+):0\]\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*,?\s*(//.*)?$)");
    const std::regex skipped_line(R"(^\s*(//.*)?$)");
    std::istringstream lines(top_verilog);
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
            throw std::runtime_error(fmt::format("fwmac_top: cannot read the port declaration '{}'", line));
        }
    }
    throw std::runtime_error("fwmac_top: no `module fwmac_top (` header with ports ending in `);` found");
}

}  // namespace fwmac
