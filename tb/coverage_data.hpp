// Coverage data of a testbench process (fwmac_tb --coverage FILE, coverage builds only).
//
// Every run of the testbench builds a new model in a new VerilatedContext, and a
// context's coverage counters live in its model, so each run's points are written to a
// scratch file before the model goes and added here; the process then writes the sum
// of all its runs as one coverage.dat (the format verilator_coverage reads: one line
// "C '<keys and values>' <count>" per point). Points of the same model have the same
// key, so summing by key is what `verilator_coverage --write` does when it merges.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

namespace fwmac::tb {

class CoverageData {
public:
    // Adds the counts of a coverage.dat written by VerilatedCovContext::write.
    void add_file(const std::string& path) {
        std::ifstream in(path);
        if (!in) throw std::runtime_error("cannot read the coverage file '" + path + "'");
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("C '", 0) != 0) continue;  // the "# SystemC::Coverage-3" header
            const std::size_t end = line.rfind("' ");
            if (end == std::string::npos || end < 3) {
                throw std::runtime_error("malformed coverage line in '" + path + "': " + line);
            }
            counts_[line.substr(3, end - 3)] += std::stoull(line.substr(end + 2));
        }
    }

    void write(const std::string& path) const {
        std::ofstream out(path);
        out << "# SystemC::Coverage-3\n";
        for (const auto& [key, count] : counts_) out << "C '" << key << "' " << count << "\n";
        if (!out) throw std::runtime_error("cannot write the coverage file '" + path + "'");
    }

    bool empty() const { return counts_.empty(); }

private:
    std::map<std::string, std::uint64_t> counts_;
};

}  // namespace fwmac::tb
