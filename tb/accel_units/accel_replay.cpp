#include "accel_replay.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace accel_tb {
namespace {

// `bits` of a vector as hex digits, most significant first.
std::string hex(const fwmac::BitVector& vector, int bits) {
    std::string text;
    for (int digit = (bits + 3) / 4 - 1; digit >= 0; --digit) {
        const int width = std::min(4, bits - digit * 4);
        text += fmt::format("{:x}", vector.field(static_cast<std::size_t>(digit) * 4, width));
    }
    return text;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    if (!out) throw std::runtime_error("--dump: cannot write " + path.string());
}

std::string beats_text(const std::vector<fwmac::BitVector>& beats, int bus_bits) {
    std::string text;
    for (const fwmac::BitVector& beat : beats) text += hex(beat, bus_bits) + "\n";
    return text;
}

}  // namespace

void write_replay(const std::string& directory, const ReplayRun& run) {
    if (run.writes.empty() || run.input_beats.empty() || run.output_beats.empty()) {
        throw std::logic_error("write_replay: a run has register writes, input and output beats");
    }
    const std::filesystem::path dir = std::filesystem::absolute(directory);
    std::filesystem::create_directories(dir);
    std::string regs;
    for (const auto& [address, data] : run.writes) regs += fmt::format("{:08x}{:08x}\n", address, data);
    write_file(dir / "regs.hex", regs);
    write_file(dir / "input.hex", beats_text(run.input_beats, run.bus_bits));
    write_file(dir / "output.hex", beats_text(run.output_beats, run.bus_bits));
    const int keep_bits = run.bus_bits / 8;
    const std::uint64_t last_keep =
        run.output_last_bytes >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << run.output_last_bytes) - 1;
    std::string params = fmt::format("// {}: written by tb_accel --dump\n", run.description);
    auto define = [&](const std::string& name, const std::string& value) {
        params += fmt::format("`define REPLAY_{} {}\n", name, value);
    };
    define("DUT", run.dut);
    define("BUS_W", std::to_string(run.bus_bits));
    define("ADDR_W", std::to_string(run.addr_bits));
    define("REGS", std::to_string(run.writes.size()));
    define("IN_BEATS", std::to_string(run.input_beats.size()));
    define("OUT_BEATS", std::to_string(run.output_beats.size()));
    define("LAST_KEEP", fmt::format("{}'h{:x}", keep_bits, last_keep));
    define("STATUS_ADDR", fmt::format("{}'h{:x}", run.addr_bits, run.status_address));
    define("BUSY_BIT", std::to_string(run.status_busy_bit));
    define("DONE_BIT", std::to_string(run.status_done_bit));
    define("ERROR_BIT", std::to_string(run.status_error_bit));
    define("COMPUTE_LO_ADDR", fmt::format("{}'h{:x}", run.addr_bits, run.compute_lo_address));
    define("COMPUTE_HI_ADDR", fmt::format("{}'h{:x}", run.addr_bits, run.compute_hi_address));
    define("COMPUTE_CYCLES", fmt::format("64'd{}", run.compute_cycles));
    define("BUSY_LO_ADDR", fmt::format("{}'h{:x}", run.addr_bits, run.busy_lo_address));
    define("BUSY_HI_ADDR", fmt::format("{}'h{:x}", run.addr_bits, run.busy_hi_address));
    define("BUSY_CYCLES", fmt::format("64'd{}", run.busy_cycles));
    define("CYCLE_LIMIT", std::to_string(run.cycle_limit));
    define("REGS_FILE", fmt::format("\"{}\"", (dir / "regs.hex").string()));
    define("INPUT_FILE", fmt::format("\"{}\"", (dir / "input.hex").string()));
    define("OUTPUT_FILE", fmt::format("\"{}\"", (dir / "output.hex").string()));
    write_file(dir / "replay_params.vh", params);
}

}  // namespace accel_tb
