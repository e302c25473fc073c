// Self-test of the AXI4-Stream BFMs (axis_bfm.hpp) against small C++ stand-ins for a DUT:
// a well-behaved pass-through must pass; a consumer that takes beats without tready, a
// producer that changes a stalled beat or drops tvalid, and a wrong beat must each be
// reported. Also checks that a source holds its beat while stalled and poisons the bus
// while idle. No Verilator model (the BFMs only see lambdas).
#include "axis_bfm.hpp"

#include <cstdio>
#include <functional>
#include <string>

namespace {

struct Bus {
    bool valid = false, ready = false, last = false;
    tb::Bits data{16};
};

int failures = 0;
void expect(bool ok, const std::string& what) {
    if (!ok) {
        std::printf("FAIL bfm_selftest: %s\n", what.c_str());
        ++failures;
    }
}

// runs `cycles` cycles of source -> (dut) -> sink; returns the error text, "" if none
std::string run(int cycles, const std::function<void(Bus& in, Bus& out, int cycle)>& dut, bool probe_lies = false) {
    Bus in, out;
    axis::Source source("in", 11, axis::SourcePorts{[&](bool valid, const axis::Beat& beat) {
                                                         in.valid = valid;
                                                         in.data = beat.data;
                                                         in.last = beat.last;
                                                     },
                                                     [&]() { return in.ready; }},
                        16);
    axis::Sink sink("out", 12, axis::SinkPorts{[&](bool ready) { out.ready = ready; }, [&]() { return out.valid; },
                                               [&]() { return axis::Beat{out.data, tb::Bits(), out.last}; }});
    source.set_traffic(axis::Traffic::random(0.6));
    sink.set_traffic(axis::Traffic::random(0.5));
    if (probe_lies) source.set_probe([&]() { return in.valid || in.ready; });
    std::mt19937_64 rng(3);
    for (int i = 0; i < 200; ++i) {
        axis::Beat beat{tb::Bits::random(16, rng), tb::Bits(), i % 7 == 6};
        source.push(beat);
        sink.expect(beat);
    }
    try {
        for (int cycle = 0; cycle < cycles; ++cycle) {
            source.drive();
            sink.drive();
            dut(in, out, cycle);
            source.sample();
            sink.sample();
        }
        if (sink.expected_left() != 0) return "beats missing: " + std::to_string(sink.expected_left());
    } catch (const axis::Error& error) {
        return error.what();
    }
    return "";
}

// a one-entry pipeline register as the DUT (ready = empty or leaving)
struct Register {
    bool full = false;
    axis::Beat beat;
};

}  // namespace

int main() {
    // well-behaved: a register stage (combinational ready), evaluated then clocked
    Register reg;
    auto good = [&](Bus& in, Bus& out, int) {
        out.valid = reg.full;
        out.data = reg.full ? reg.beat.data : tb::Bits(16);
        out.last = reg.full && reg.beat.last;
        in.ready = !reg.full || out.ready;
        // edge
        if (out.valid && out.ready) reg.full = false;
        if (in.valid && in.ready) reg = Register{true, axis::Beat{in.data, tb::Bits(), in.last}};
    };
    std::string error = run(2000, good);
    expect(error.empty(), "a correct register stage fails: " + error);

    // consumes a beat whenever valid, whatever tready says (tready shown low half the time)
    reg = Register{};
    auto greedy = [&](Bus& in, Bus& out, int cycle) {
        out.valid = reg.full;
        out.data = reg.full ? reg.beat.data : tb::Bits(16);
        out.last = reg.full && reg.beat.last;
        in.ready = (!reg.full || out.ready) && cycle % 2 == 0;
        if (out.valid && out.ready) reg.full = false;
        if (in.valid && (!reg.full)) reg = Register{true, axis::Beat{in.data, tb::Bits(), in.last}};
    };
    error = run(2000, greedy);
    expect(!error.empty(), "a DUT taking beats without tready is not caught");

    // the probe catches the same at the source
    reg = Register{};
    error = run(2000, good, true);
    expect(error.find("source in") != std::string::npos, "the source probe does not report: " + error);

    // changes a stalled beat
    reg = Register{};
    auto fickle = [&](Bus& in, Bus& out, int cycle) {
        good(in, out, cycle);
        if (out.valid && !out.ready && cycle % 5 == 0) out.data.set_bit(0, !out.data.bit(0));
    };
    error = run(2000, fickle);
    expect(error.find("changed while stalled") != std::string::npos, "a changed stalled beat is not caught: " + error);

    // drops tvalid of a stalled beat
    reg = Register{};
    auto dropping = [&](Bus& in, Bus& out, int cycle) {
        bool was_full = reg.full;
        good(in, out, cycle);
        if (was_full && !out.ready && cycle % 3 == 0) out.valid = false;
    };
    error = run(2000, dropping);
    expect(error.find("dropped") != std::string::npos, "a dropped tvalid is not caught: " + error);

    // corrupts data: the expected-beat check
    reg = Register{};
    auto corrupt = [&](Bus& in, Bus& out, int cycle) {
        good(in, out, cycle);
        if (cycle == 100 && out.valid) out.data.set_bit(3, !out.data.bit(3));
    };
    error = run(2000, [&](Bus& in, Bus& out, int cycle) { corrupt(in, out, cycle); });
    expect(!error.empty(), "a corrupted beat is not caught");

    // the source: a stalled beat stays, an idle bus is poisoned
    {
        Bus in;
        axis::Source source("s", 5, axis::SourcePorts{[&](bool valid, const axis::Beat& beat) {
                                                          in.valid = valid;
                                                          in.data = beat.data;
                                                          in.last = beat.last;
                                                      },
                                                      [&]() { return in.ready; }},
                            16);
        source.push(axis::Beat{tb::Bits::of(16, 0x1234), tb::Bits(), true});
        in.ready = false;
        int changed_idle = 0;
        tb::Bits idle_data(16);
        for (int cycle = 0; cycle < 20; ++cycle) {
            source.drive();
            expect(in.valid && in.data == tb::Bits::of(16, 0x1234) && in.last, "the stalled beat moved");
            source.sample();
        }
        in.ready = true;
        source.drive();
        source.sample();
        for (int cycle = 0; cycle < 20; ++cycle) {
            source.drive();
            expect(!in.valid, "an empty source shows tvalid");
            if (in.data != idle_data) ++changed_idle;
            idle_data = in.data;
            source.sample();
        }
        expect(changed_idle > 10, "an idle source does not poison tdata");
        expect(source.taken() == 1, "the source counted " + std::to_string(source.taken()) + " beats");
    }
    if (failures == 0) std::printf("PASS bfm_selftest: 7 checks of the source and sink BFMs\n");
    return failures == 0 ? 0 : 1;
}
