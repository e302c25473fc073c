// Reusable AXI4-Stream (and plain valid/ready) bus functional models for Verilator
// testbenches: a source and a sink, generic over the DUT through port-access lambdas
// (see bind_source / bind_sink for the usual Verilator ports).
//
// Cycle protocol, the same for every BFM of a testbench (clock low between the calls):
//   1. drive():  set this cycle's inputs (the source its beat or poison, the sink tready)
//   2. the testbench evaluates the model (combinational outputs settle)
//   3. sample(): record the handshake that happens at the coming rising edge and check
//                the protocol rules
//   4. the testbench applies the rising edge
//
// Source: presents queued beats in order; an idle source (no beat, or a random gap)
//   holds tvalid low and drives random tdata/tkeep/tlast (poison), so a DUT that uses the
//   bus without tvalid corrupts what it delivers. A presented beat stays unchanged until
//   tvalid && tready at an edge (AXI4-Stream rule). Optional probe: a lambda that tells
//   whether the DUT consumed a beat in this cycle (e.g. a public_flat_rd signal); the source
//   then asserts that the DUT consumes exactly when tvalid && tready.
// Sink: drives tready at random (Traffic); every cycle in which tvalid && !tready was seen,
//   it asserts that tvalid stays high and tdata/tkeep/tlast are unchanged in the next cycle;
//   taken beats are compared with an optional expected queue and handed to on_beat.
// Every failure throws axis::Error naming the BFM, its seed and the cycle.
#pragma once

#include "bits.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>

namespace axis {

using tb::Bits;

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Beat {
    Bits data;
    Bits keep;  // width 0: the bus has no tkeep
    bool last = false;
    bool operator==(const Beat& other) const {
        return data == other.data && keep == other.keep && last == other.last;
    }
    bool operator!=(const Beat& other) const { return !(*this == other); }
    std::string text() const {
        std::string out = "tdata " + data.hex();
        if (keep.width() != 0) out += " tkeep " + keep.hex();
        return out + " tlast " + (last ? "1" : "0");
    }
};

// How often a source offers a beat (or a sink is ready): probability p per cycle; with
// phases, p is redrawn from {1, 1, 0.9, 0.5, 0.2, 0.05} every 1..phase_max cycles.
struct Traffic {
    double p = 1.0;
    bool phases = false;
    int phase_max = 200;
    static Traffic always() { return Traffic{1.0, false, 0}; }
    static Traffic never() { return Traffic{0.0, false, 0}; }
    static Traffic random(double p) { return Traffic{p, false, 0}; }
    static Traffic bursty(int phase_max = 200) { return Traffic{0.5, true, phase_max}; }
};

class TrafficGen {
  public:
    explicit TrafficGen(uint64_t seed) : rng_(seed) {}
    void set(const Traffic& traffic) {
        traffic_ = traffic;
        p_ = traffic.p;
        left_ = 0;
    }
    bool next() {
        if (traffic_.phases && left_-- <= 0) {
            static const double kTable[] = {1.0, 1.0, 0.9, 0.5, 0.2, 0.05};
            p_ = kTable[rng_() % 6];
            left_ = 1 + static_cast<int>(rng_() % static_cast<uint64_t>(traffic_.phase_max));
        }
        if (p_ >= 1.0) return true;
        if (p_ <= 0.0) return false;
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p_;
    }
    std::mt19937_64& rng() { return rng_; }

  private:
    std::mt19937_64 rng_;
    Traffic traffic_;
    double p_ = 1.0;
    int left_ = 0;
};

struct SourcePorts {
    std::function<void(bool valid, const Beat& beat)> drive;  // tvalid, tdata, tkeep, tlast
    std::function<bool()> ready;                              // tready
};

class Source {
  public:
    Source(std::string name, uint64_t seed, SourcePorts ports, int data_w, int keep_w = 0)
        : name_(std::move(name)), seed_(seed), ports_(std::move(ports)), data_w_(data_w), keep_w_(keep_w),
          gen_(seed) {}

    void set_traffic(const Traffic& traffic) { gen_.set(traffic); }
    void set_probe(std::function<bool()> took) { probe_ = std::move(took); }
    void push(const Beat& beat) { queue_.push_back(beat); }
    void clear() {
        queue_.clear();
        holding_ = false;
    }
    std::size_t pending() const { return queue_.size(); }
    bool idle() const { return queue_.empty(); }
    bool valid() const { return holding_; }
    const Beat& current() const { return queue_.front(); }
    long taken() const { return taken_; }
    long cycle() const { return cycle_; }
    uint64_t seed() const { return seed_; }

    void drive() {
        if (!holding_ && !queue_.empty() && gen_.next()) holding_ = true;
        if (holding_) {
            ports_.drive(true, queue_.front());
        } else {
            Beat poison{Bits::random(data_w_, gen_.rng()), Bits::random(keep_w_, gen_.rng()),
                        (gen_.rng()() & 1) != 0};
            ports_.drive(false, poison);
        }
    }

    // returns true if the beat moved at this edge
    bool sample() {
        bool fire = holding_ && ports_.ready();
        if (probe_) {
            bool took = probe_();
            if (took != fire)
                fail(took ? "the DUT consumed a beat without tvalid && tready"
                          : "tvalid && tready but the DUT did not consume the beat");
        }
        ++cycle_;
        if (fire) {
            queue_.pop_front();
            holding_ = false;
            ++taken_;
        }
        return fire;
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw Error("source " + name_ + " (seed " + std::to_string(seed_) + ", cycle " + std::to_string(cycle_) +
                    "): " + what);
    }

  private:
    std::string name_;
    uint64_t seed_;
    SourcePorts ports_;
    int data_w_, keep_w_;
    TrafficGen gen_;
    std::function<bool()> probe_;
    std::deque<Beat> queue_;
    bool holding_ = false;
    long taken_ = 0;
    long cycle_ = 0;
};

struct SinkPorts {
    std::function<void(bool ready)> drive;  // tready
    std::function<bool()> valid;            // tvalid
    std::function<Beat()> beat;             // tdata, tkeep, tlast
};

class Sink {
  public:
    Sink(std::string name, uint64_t seed, SinkPorts ports)
        : name_(std::move(name)), seed_(seed), ports_(std::move(ports)), gen_(seed) {}

    void set_traffic(const Traffic& traffic) { gen_.set(traffic); }
    void expect(const Beat& beat) { expected_.push_back(beat); }
    void set_checking(bool on) { checking_ = on; }  // compare with the expected queue
    std::size_t expected_left() const { return expected_.size(); }
    std::function<void(const Beat&)> on_beat;
    long received() const { return received_; }
    long stalls_checked() const { return stalls_checked_; }
    long cycle() const { return cycle_; }
    uint64_t seed() const { return seed_; }
    bool ready() const { return ready_; }

    void drive() {
        ready_ = gen_.next();
        ports_.drive(ready_);
    }

    // returns true if a beat moved at this edge
    bool sample() {
        bool valid = ports_.valid();
        Beat beat = valid ? ports_.beat() : Beat{};
        if (stalled_) {
            if (!valid) fail("tvalid dropped while the beat was stalled (" + stalled_beat_.text() + ")");
            if (beat != stalled_beat_)
                fail("beat changed while stalled: was " + stalled_beat_.text() + ", now " + beat.text());
            ++stalls_checked_;
        }
        stalled_ = valid && !ready_;
        stalled_beat_ = beat;
        ++cycle_;
        if (!(valid && ready_)) return false;
        ++received_;
        if (checking_) {
            if (expected_.empty()) fail("unexpected beat " + beat.text());
            if (beat != expected_.front())
                fail("beat " + std::to_string(received_ - 1) + " is " + beat.text() + ", expected " +
                     expected_.front().text());
            expected_.pop_front();
        }
        if (on_beat) on_beat(beat);
        return true;
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw Error("sink " + name_ + " (seed " + std::to_string(seed_) + ", cycle " + std::to_string(cycle_) +
                    "): " + what);
    }

  private:
    std::string name_;
    uint64_t seed_;
    SinkPorts ports_;
    TrafficGen gen_;
    std::deque<Beat> expected_;
    bool checking_ = true;
    bool ready_ = false;
    bool stalled_ = false;
    Beat stalled_beat_;
    long received_ = 0;
    long stalls_checked_ = 0;
    long cycle_ = 0;
};

// Port bindings for the usual Verilator signals (any integer or VlWide type).
template <typename D, typename V, typename R, typename L>
SourcePorts bind_source(D& tdata, V& tvalid, R& tready, L& tlast) {
    return SourcePorts{[&tdata, &tvalid, &tlast](bool valid, const Beat& beat) {
                           tvalid = valid;
                           tb::put(tdata, beat.data);
                           tlast = beat.last;
                       },
                       [&tready]() { return tready != 0; }};
}
template <typename D, typename K, typename V, typename R, typename L>
SinkPorts bind_sink(D& tdata, K& tkeep, V& tvalid, R& tready, L& tlast, int data_w, int keep_w) {
    return SinkPorts{[&tready](bool ready) { tready = ready; }, [&tvalid]() { return tvalid != 0; },
                     [&tdata, &tkeep, &tlast, data_w, keep_w]() {
                         return Beat{tb::get(tdata, data_w), tb::get(tkeep, keep_w), tlast != 0};
                     }};
}
template <typename D, typename V, typename R, typename L>
SinkPorts bind_sink(D& tdata, V& tvalid, R& tready, L& tlast, int data_w) {
    return SinkPorts{[&tready](bool ready) { tready = ready; }, [&tvalid]() { return tvalid != 0; },
                     [&tdata, &tlast, data_w]() { return Beat{tb::get(tdata, data_w), Bits(), tlast != 0}; }};
}

}  // namespace axis
