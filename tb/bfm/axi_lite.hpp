// AXI4-Lite master bus-functional model for Verilator testbenches: write(addr, data,
// strb) and read(addr), one transaction at a time, with random delays on every channel
// (AW and W in either order or together, B and R ready at random), and a monitor that
// checks the slave every cycle:
//   - no ready depends combinationally on its own valid (AWREADY, WREADY, ARREADY are
//     sampled with the valid low and high in the same cycle and must agree);
//   - BVALID and RVALID are held until taken, with BRESP / RDATA / RRESP stable;
//   - BVALID only after both AW and W of a write were taken, RVALID only after an AR;
//   - responses are OKAY or SLVERR (EXOKAY and DECERR are not expected here);
//   - a transaction completes within max_cycles.
// The master keeps its own valids up until taken with stable payloads, and drives random
// values on payloads whose valid is low (a slave must not take them).
//
// The testbench owns the clock: `settle` evaluates the model without a clock edge (eval()),
// `clock` runs one cycle (rising edge, then whatever the testbench checks per cycle).
// Errors are thrown as AxiLiteError, naming the cycle.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>

#include "tb/bfm/port.hpp"

namespace fwmac::tb {

enum class AxiResp : std::uint8_t { okay = 0, exokay = 1, slverr = 2, decerr = 3 };

inline const char* resp_name(AxiResp resp) {
    switch (resp) {
        case AxiResp::okay:
            return "OKAY";
        case AxiResp::exokay:
            return "EXOKAY";
        case AxiResp::slverr:
            return "SLVERR";
        case AxiResp::decerr:
            return "DECERR";
    }
    return "?";
}

class AxiLiteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The slave's ports as seen from the master (inputs of the slave are driven here).
struct AxiLitePorts {
    Port awvalid, awready, awaddr, awprot;
    Port wvalid, wready, wdata, wstrb;
    Port bvalid, bready, bresp;
    Port arvalid, arready, araddr, arprot;
    Port rvalid, rready, rdata, rresp;
};

// The ports of a slave named <prefix>awvalid_i, <prefix>awready_o, ... on model `top`.
#define FWMAC_AXIL_PORTS(top, prefix, addr_bits)                                                                 \
    ::fwmac::tb::AxiLitePorts {                                                                                  \
        ::fwmac::tb::Port((top).prefix##awvalid_i, 1), ::fwmac::tb::Port((top).prefix##awready_o, 1),            \
            ::fwmac::tb::Port((top).prefix##awaddr_i, addr_bits), ::fwmac::tb::Port((top).prefix##awprot_i, 3),  \
            ::fwmac::tb::Port((top).prefix##wvalid_i, 1), ::fwmac::tb::Port((top).prefix##wready_o, 1),          \
            ::fwmac::tb::Port((top).prefix##wdata_i, 32), ::fwmac::tb::Port((top).prefix##wstrb_i, 4),           \
            ::fwmac::tb::Port((top).prefix##bvalid_o, 1), ::fwmac::tb::Port((top).prefix##bready_i, 1),          \
            ::fwmac::tb::Port((top).prefix##bresp_o, 2), ::fwmac::tb::Port((top).prefix##arvalid_i, 1),          \
            ::fwmac::tb::Port((top).prefix##arready_o, 1), ::fwmac::tb::Port((top).prefix##araddr_i, addr_bits), \
            ::fwmac::tb::Port((top).prefix##arprot_i, 3), ::fwmac::tb::Port((top).prefix##rvalid_o, 1),          \
            ::fwmac::tb::Port((top).prefix##rready_i, 1), ::fwmac::tb::Port((top).prefix##rdata_o, 32),          \
            ::fwmac::tb::Port((top).prefix##rresp_o, 2)                                                          \
    }

struct AxiLiteTiming {
    int max_valid_delay = 4;   // cycles before AWVALID / WVALID / ARVALID rise, drawn per channel: 0..max
    bool random_ready = true;  // BREADY / RREADY at random (per transaction 100 %, 50 % or 15 % of cycles)
    int max_cycles = 1000;     // a transaction that takes longer is an error
};

struct AxiLiteStats {
    std::uint64_t writes = 0;
    std::uint64_t reads = 0;
    std::uint64_t aw_first = 0;  // writes whose AW was taken before their W
    std::uint64_t w_first = 0;
    std::uint64_t together = 0;            // AW and W taken in the same cycle
    std::uint64_t ready_before_valid = 0;  // B/R beats whose ready was up when valid rose
};

class AxiLiteMaster {
public:
    struct ReadResult {
        std::uint32_t data = 0;
        AxiResp resp = AxiResp::okay;
    };

    AxiLiteMaster(AxiLitePorts ports, std::function<void()> settle, std::function<void()> clock, std::uint64_t seed,
                  AxiLiteTiming timing = {})
        : ports_(std::move(ports)),
          settle_(std::move(settle)),
          clock_(std::move(clock)),
          random_(seed),
          timing_(timing) {
        drive_idle();
    }

    // Called right after the clock edge that took the later of a write's AW and W.
    std::function<void()> on_write_accepted;

    void set_timing(const AxiLiteTiming& timing) { timing_ = timing; }
    const AxiLiteStats& stats() const { return stats_; }
    std::uint64_t cycle() const { return cycle_; }

    // Forgets the monitor's history; call while the slave is in reset and the bus idle.
    void bus_reset() {
        drive_idle();
        history_ = History{};
        writes_accepted_ = writes_answered_ = reads_accepted_ = reads_answered_ = 0;
    }

    // Cycles with every valid low (the readies of B and R still random).
    void idle(int cycles) {
        for (int i = 0; i < cycles; ++i) {
            drive_idle();
            step();
        }
    }

    AxiResp write(std::uint32_t address, std::uint32_t data, std::uint32_t strb = 0xf) {
        const int aw_delay = draw_delay();
        const int w_delay = draw_delay();
        const int ready_percent = draw_ready_percent();
        bool aw_done = false;
        bool w_done = false;
        std::int64_t aw_cycle = -1;
        std::int64_t w_cycle = -1;
        for (int t = 0;; ++t) {
            if (t > timing_.max_cycles) fail(fmt_write(address) + ": no B beat within max_cycles");
            ports_.awvalid.set(!aw_done && t >= aw_delay);
            ports_.awaddr.set(ports_.awvalid.get() ? address : random_());
            ports_.awprot.set(0);
            ports_.wvalid.set(!w_done && t >= w_delay);
            ports_.wdata.set(ports_.wvalid.get() ? data : random_());
            ports_.wstrb.set(ports_.wvalid.get() ? strb : random_());
            ports_.bready.set(percent(ready_percent));
            ports_.arvalid.set(0);
            ports_.araddr.set(random_());
            ports_.rready.set(percent(50));
            const Sample sample = step();
            if (sample.aw) {
                aw_done = true;
                aw_cycle = t;
            }
            if (sample.w) {
                w_done = true;
                w_cycle = t;
            }
            if (sample.aw || sample.w) {
                if (aw_done && w_done) {
                    ++writes_accepted_;
                    count_order(aw_cycle, w_cycle);
                    if (on_write_accepted) on_write_accepted();
                }
            }
            if (sample.b) {
                ++stats_.writes;
                drive_idle();
                return sample.bresp;
            }
        }
    }

    ReadResult read(std::uint32_t address) {
        const int ar_delay = draw_delay();
        const int ready_percent = draw_ready_percent();
        bool ar_done = false;
        for (int t = 0;; ++t) {
            if (t > timing_.max_cycles) fail(fmt_read(address) + ": no R beat within max_cycles");
            ports_.arvalid.set(!ar_done && t >= ar_delay);
            ports_.araddr.set(ports_.arvalid.get() ? address : random_());
            ports_.arprot.set(0);
            ports_.rready.set(percent(ready_percent));
            ports_.awvalid.set(0);
            ports_.wvalid.set(0);
            ports_.awaddr.set(random_());
            ports_.wdata.set(random_());
            ports_.bready.set(percent(50));
            const Sample sample = step();
            if (sample.ar) {
                ar_done = true;
                ++reads_accepted_;
            }
            if (sample.r) {
                ++stats_.reads;
                drive_idle();
                return ReadResult{sample.rdata, sample.rresp};
            }
        }
    }

private:
    struct Sample {
        bool aw = false, w = false, b = false, ar = false, r = false;
        AxiResp bresp = AxiResp::okay;
        AxiResp rresp = AxiResp::okay;
        std::uint32_t rdata = 0;
    };
    // What the previous cycle showed, for the hold and stability rules.
    struct History {
        bool awvalid = false, awtaken = false;
        std::uint64_t awaddr = 0;
        bool wvalid = false, wtaken = false;
        std::uint64_t wdata = 0, wstrb = 0;
        bool arvalid = false, artaken = false;
        std::uint64_t araddr = 0;
        bool bvalid = false, btaken = false, bready = false;
        std::uint64_t bresp = 0;
        bool rvalid = false, rtaken = false, rready = false;
        std::uint64_t rdata = 0, rresp = 0;
    };

    void drive_idle() {
        ports_.awvalid.set(0);
        ports_.wvalid.set(0);
        ports_.arvalid.set(0);
        ports_.awprot.set(0);
        ports_.arprot.set(0);
        ports_.bready.set(0);
        ports_.rready.set(0);
    }

    int draw_delay() {
        if (timing_.max_valid_delay <= 0 || random_() % 3 == 0) return 0;
        return static_cast<int>(random_() % (timing_.max_valid_delay + 1));
    }
    int draw_ready_percent() {
        if (!timing_.random_ready) return 100;
        static constexpr int kPercents[] = {100, 50, 15};
        return kPercents[random_() % 3];
    }
    bool percent(int p) { return p >= 100 || static_cast<int>(random_() % 100) < p; }

    void count_order(std::int64_t aw_cycle, std::int64_t w_cycle) {
        if (aw_cycle < w_cycle) {
            ++stats_.aw_first;
        } else if (w_cycle < aw_cycle) {
            ++stats_.w_first;
        } else {
            ++stats_.together;
        }
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw AxiLiteError("AXI4-Lite, cycle " + std::to_string(cycle_) + ": " + what);
    }
    static std::string hex(std::uint64_t value) {
        char text[24];
        std::snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(value));
        return text;
    }
    static std::string fmt_write(std::uint32_t address) { return "write " + hex(address); }
    static std::string fmt_read(std::uint32_t address) { return "read " + hex(address); }

    // A ready must read the same with its valid low and high: no combinational path.
    void check_ready_independent(const Port& valid, const Port& ready, const char* name) {
        const std::uint64_t driven = valid.get();
        const std::uint64_t with_driven = ready.get();
        valid.set(driven ^ 1U);
        settle_();
        const std::uint64_t with_flipped = ready.get();
        valid.set(driven);
        settle_();
        if (with_driven != with_flipped) fail(std::string(name) + " changes with its own valid in the same cycle");
    }

    void check_held(bool was_valid, bool was_taken, bool valid, const char* name) const {
        if (was_valid && !was_taken && !valid) fail(std::string(name) + " dropped before it was taken");
    }
    void check_stable(bool was_valid, bool was_taken, std::uint64_t before, std::uint64_t now, const char* name) const {
        if (was_valid && !was_taken && before != now) {
            fail(std::string(name) + " changed from " + hex(before) + " to " + hex(now) + " while not taken");
        }
    }

    AxiResp response(std::uint64_t bits, const char* channel) const {
        const auto resp = static_cast<AxiResp>(bits);
        if (resp != AxiResp::okay && resp != AxiResp::slverr) {
            fail(std::string(channel) + " response " + resp_name(resp) + " (expected OKAY or SLVERR)");
        }
        return resp;
    }

    // One cycle: settle, check, sample the handshakes, clock edge.
    Sample step() {
        settle_();
        check_ready_independent(ports_.awvalid, ports_.awready, "AWREADY");
        check_ready_independent(ports_.wvalid, ports_.wready, "WREADY");
        check_ready_independent(ports_.arvalid, ports_.arready, "ARREADY");

        History now;
        now.awvalid = ports_.awvalid.get();
        now.awaddr = ports_.awaddr.get();
        now.awtaken = now.awvalid && ports_.awready.get();
        now.wvalid = ports_.wvalid.get();
        now.wdata = ports_.wdata.get();
        now.wstrb = ports_.wstrb.get();
        now.wtaken = now.wvalid && ports_.wready.get();
        now.arvalid = ports_.arvalid.get();
        now.araddr = ports_.araddr.get();
        now.artaken = now.arvalid && ports_.arready.get();
        now.bvalid = ports_.bvalid.get();
        now.bready = ports_.bready.get();
        now.bresp = ports_.bresp.get();
        now.btaken = now.bvalid && now.bready;
        now.rvalid = ports_.rvalid.get();
        now.rready = ports_.rready.get();
        now.rdata = ports_.rdata.get();
        now.rresp = ports_.rresp.get();
        now.rtaken = now.rvalid && now.rready;

        // the master's own rules (a broken testbench is caught here, not in the slave)
        check_held(history_.awvalid, history_.awtaken, now.awvalid, "AWVALID");
        check_stable(history_.awvalid, history_.awtaken, history_.awaddr, now.awaddr, "AWADDR");
        check_held(history_.wvalid, history_.wtaken, now.wvalid, "WVALID");
        check_stable(history_.wvalid, history_.wtaken, history_.wdata, now.wdata, "WDATA");
        check_stable(history_.wvalid, history_.wtaken, history_.wstrb, now.wstrb, "WSTRB");
        check_held(history_.arvalid, history_.artaken, now.arvalid, "ARVALID");
        check_stable(history_.arvalid, history_.artaken, history_.araddr, now.araddr, "ARADDR");
        // the slave's
        check_held(history_.bvalid, history_.btaken, now.bvalid, "BVALID");
        check_stable(history_.bvalid, history_.btaken, history_.bresp, now.bresp, "BRESP");
        check_held(history_.rvalid, history_.rtaken, now.rvalid, "RVALID");
        check_stable(history_.rvalid, history_.rtaken, history_.rdata, now.rdata, "RDATA");
        check_stable(history_.rvalid, history_.rtaken, history_.rresp, now.rresp, "RRESP");
        if (now.bvalid && writes_answered_ >= writes_accepted_)
            fail("BVALID without a write whose AW and W were taken");
        if (now.rvalid && reads_answered_ >= reads_accepted_) fail("RVALID without a read whose AR was taken");

        Sample sample;
        sample.aw = now.awtaken;
        sample.w = now.wtaken;
        sample.ar = now.artaken;
        sample.b = now.btaken;
        sample.r = now.rtaken;
        if (sample.b) {
            sample.bresp = response(now.bresp, "B");
            ++writes_answered_;
            if (!history_.bvalid && now.bready) ++stats_.ready_before_valid;
        }
        if (sample.r) {
            sample.rresp = response(now.rresp, "R");
            sample.rdata = static_cast<std::uint32_t>(now.rdata);
            ++reads_answered_;
            if (!history_.rvalid && now.rready) ++stats_.ready_before_valid;
        }
        history_ = now;
        clock_();
        ++cycle_;
        return sample;
    }

    AxiLitePorts ports_;
    std::function<void()> settle_;
    std::function<void()> clock_;
    std::mt19937_64 random_;
    AxiLiteTiming timing_;
    AxiLiteStats stats_;
    History history_;
    std::uint64_t writes_accepted_ = 0, writes_answered_ = 0;
    std::uint64_t reads_accepted_ = 0, reads_answered_ = 0;
    std::uint64_t cycle_ = 0;
};

}  // namespace fwmac::tb
