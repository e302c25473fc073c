// Shared pieces of the stream testbenches: arbitrary-width bit vectors, Verilator
// signal access, seeded traffic profiles and the generic stream test loop.
//
// The loop drives a DUT through an adapter (see StreamAdapter below) with a source
// that obeys the handshake rules (valid held with stable data until the beat moves)
// and a sink with random ready. Every cycle it checks that
//   - no output depends combinationally on any input (all inputs are scrambled with
//     the clock low and every output must stay the same),
//   - an output beat shown with valid && !ready is shown unchanged in the next cycle,
//   - every output beat equals the next one the adapter's reference model expects
//     (no beat lost, duplicated, reordered or corrupted),
// and the adapter's own per-cycle checks. Each episode starts from reset with a
// throughput window (always valid, always ready, beats counted exactly), then runs
// random traffic phases (including always-valid / always-ready runs), then drains
// and checks that nothing is left or spurious.
#pragma once

#include <verilated.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace tb {

class Bits {
  public:
    Bits() = default;
    explicit Bits(int width) : width_(width), words_((width + 31) / 32, 0u) {}

    static Bits random(int width, std::mt19937_64& rng) {
        Bits bits(width);
        for (auto& word : bits.words_) word = static_cast<uint32_t>(rng());
        bits.mask_top();
        return bits;
    }

    int width() const { return width_; }
    uint32_t word(std::size_t index) const { return index < words_.size() ? words_[index] : 0u; }
    void set_word(std::size_t index, uint32_t value) {
        if (index < words_.size()) words_[index] = value;
        mask_top();
    }
    bool bit(int index) const { return (words_[index / 32] >> (index % 32)) & 1u; }
    void set_bit(int index, bool value) {
        if (value) words_[index / 32] |= 1u << (index % 32);
        else words_[index / 32] &= ~(1u << (index % 32));
    }
    Bits slice(int low, int width) const {
        Bits part(width);
        for (int i = 0; i < width; ++i) part.set_bit(i, bit(low + i));
        return part;
    }
    void insert(int low, const Bits& part) {
        for (int i = 0; i < part.width(); ++i) set_bit(low + i, part.bit(i));
    }
    bool operator==(const Bits& other) const { return width_ == other.width_ && words_ == other.words_; }
    bool operator!=(const Bits& other) const { return !(*this == other); }

    std::string hex() const {
        std::ostringstream text;
        text << width_ << "'h";
        char buffer[16];
        for (std::size_t i = words_.size(); i-- > 0;) {
            std::snprintf(buffer, sizeof buffer, "%08x", words_[i]);
            text << buffer;
            if (i != 0) text << '_';
        }
        return text.str();
    }

  private:
    void mask_top() {
        if (width_ % 32 != 0 && !words_.empty()) words_.back() &= (1u << (width_ % 32)) - 1u;
    }
    int width_ = 0;
    std::vector<uint32_t> words_;
};

// Verilator maps ports of <= 64 bits to integers and wider ones to VlWide.
template <typename T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
void put(T& signal, const Bits& value) {
    uint64_t word = value.word(0) | (static_cast<uint64_t>(value.word(1)) << 32);
    signal = static_cast<T>(word);
}
template <std::size_t N>
void put(VlWide<N>& signal, const Bits& value) {
    for (std::size_t i = 0; i < N; ++i) signal[i] = value.word(i);
}
template <typename T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
Bits get(const T& signal, int width) {
    Bits value(width);
    uint64_t word = static_cast<uint64_t>(signal);
    value.set_word(0, static_cast<uint32_t>(word));
    value.set_word(1, static_cast<uint32_t>(word >> 32));
    return value;
}
template <std::size_t N>
Bits get(const VlWide<N>& signal, int width) {
    Bits value(width);
    for (std::size_t i = 0; i < N; ++i) value.set_word(i, signal[i]);
    return value;
}

struct InBeat {
    Bits data;
    bool last = false;
};

struct OutBeat {
    Bits data;
    bool last = false;
    Bits keep;  // width 0 when the DUT has no keep output
    bool operator==(const OutBeat& other) const {
        return data == other.data && last == other.last && keep == other.keep;
    }
    std::string text() const {
        std::string out = "data " + data.hex() + " last " + std::to_string(last ? 1 : 0);
        if (keep.width() != 0) out += " keep " + keep.hex();
        return out;
    }
};

struct Options {
    uint64_t seed = 1;
    long beats = 100000;  // minimum beats on each side, over all episodes
    int episodes = 5;
    int window = 1000;    // cycles of the throughput window
};

inline Options parse_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error("missing value after " + arg);
            return argv[++i];
        };
        if (arg == "--seed") options.seed = std::stoull(value());
        else if (arg == "--beats") options.beats = std::stol(value());
        else if (arg == "--episodes") options.episodes = std::stoi(value());
        else if (arg == "--window") options.window = std::stoi(value());
        else if (arg.rfind("+verilator", 0) == 0) continue;
        else throw std::runtime_error("unknown argument " + arg);
    }
    if (options.episodes < 1 || options.window < 4 || options.beats < 1)
        throw std::runtime_error("need --episodes >= 1, --window >= 4, --beats >= 1");
    return options;
}

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One traffic phase: probability that the idle source offers a beat, that the sink is
// ready, and that an offered beat has last set.
struct Phase {
    double p_valid;
    double p_ready;
    double p_last;
    int cycles;
};

inline Phase random_phase(std::mt19937_64& rng) {
    static const double kValid[] = {1.0, 1.0, 0.9, 0.5, 0.2, 0.05};
    static const double kReady[] = {1.0, 1.0, 0.9, 0.5, 0.2, 0.05};
    static const double kLast[] = {0.0, 0.02, 0.2, 0.5, 1.0};
    auto pick = [&](const auto& table) {
        return table[rng() % (sizeof table / sizeof table[0])];
    };
    Phase phase{pick(kValid), pick(kReady), pick(kLast), 1 + static_cast<int>(rng() % 3000)};
    return phase;
}

// The DUT adapter a test provides:
//   void reset();                       // reset cycles, outputs idle afterwards
//   void drive(bool in_valid, const InBeat&, bool out_ready);
//   void scramble_inputs(std::mt19937_64&);  // random values on every input (clock low)
//   void eval();  void posedge();
//   bool in_ready(); bool out_valid(); OutBeat out_beat();
//   std::string outputs();              // every output, for the combinational check
//   int in_width();
//   void model_accept(const InBeat&, std::deque<OutBeat>& expected);
//   bool needs_flush();                 // the model holds a partial word (needs last)
//   void model_reset();
//   std::string check_cycle(long in_count, long out_count);  // "" if fine
//   std::string check_window(int cycles, long in_beats, long out_beats, long produced_before_last);
//   std::string coverage();             // what the run exercised, for the PASS line
struct Counts {
    long in_beats = 0;
    long out_beats = 0;
    long cycles = 0;
    long stalls_checked = 0;
    long windows = 0;
};

template <typename Adapter>
class StreamTest {
  public:
    StreamTest(Adapter& dut, const Options& options) : dut_(dut), options_(options), rng_(options.seed) {}

    Counts run() {
        long per_episode = (options_.beats + options_.episodes - 1) / options_.episodes;
        for (int episode = 0; episode < options_.episodes; ++episode) {
            episode_ = episode;
            run_episode(per_episode);
        }
        return counts_;
    }

  private:
    void fail(const std::string& what) {
        throw Failure("episode " + std::to_string(episode_) + " cycle " + std::to_string(counts_.cycles) +
                      ": " + what);
    }

    void run_episode(long beats) {
        dut_.reset();
        dut_.model_reset();
        expected_.clear();
        source_valid_ = false;
        stall_pending_ = false;
        long in_start = counts_.in_beats, out_start = counts_.out_beats;

        // throughput window: starts empty, always valid and always ready
        Phase window{1.0, 1.0, (episode_ % 2 == 0) ? 0.0 : 0.3, options_.window};
        long window_in = counts_.in_beats, window_out = counts_.out_beats, window_produced = produced_;
        long produced_before_last = 0;
        for (int cycle = 0; cycle < window.cycles; ++cycle) {
            if (cycle == window.cycles - 1) produced_before_last = produced_ - window_produced;
            step(window, false);
        }
        std::string error = dut_.check_window(window.cycles, counts_.in_beats - window_in,
                                              counts_.out_beats - window_out, produced_before_last);
        if (!error.empty()) fail("throughput window: " + error);
        ++counts_.windows;

        // random phases
        while (counts_.in_beats - in_start < beats || counts_.out_beats - out_start < beats) {
            Phase phase = random_phase(rng_);
            for (int cycle = 0; cycle < phase.cycles; ++cycle) step(phase, false);
        }

        // drain: close a partial word, then wait until every expected beat has left
        Phase drain{0.0, 1.0, 1.0, 1};
        long idle = 0;
        for (long cycle = 0; idle < 20; ++cycle) {
            if (cycle > 100000) fail("drain did not finish, " + std::to_string(expected_.size()) + " beats missing");
            bool flush = dut_.needs_flush() || source_valid_;
            step(drain, flush);
            idle = (!flush && expected_.empty()) ? idle + 1 : 0;
        }
        if (!expected_.empty()) fail("beats missing at the end of the episode");
    }

    // one clock cycle with the given traffic; force_beat offers a beat with last set
    void step(const Phase& phase, bool force_beat) {
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        if (!source_valid_ && (force_beat || uniform(rng_) < phase.p_valid)) {
            source_valid_ = true;
            source_beat_.data = Bits::random(dut_.in_width(), rng_);
            source_beat_.last = force_beat || uniform(rng_) < phase.p_last;
        }
        bool out_ready = uniform(rng_) < phase.p_ready;

        dut_.drive(source_valid_, source_beat_, out_ready);
        dut_.eval();

        // no combinational path from any input to any output
        std::string outputs = dut_.outputs();
        dut_.scramble_inputs(rng_);
        dut_.eval();
        if (dut_.outputs() != outputs) fail("an output depends combinationally on an input");
        dut_.drive(source_valid_, source_beat_, out_ready);
        dut_.eval();

        bool out_valid = dut_.out_valid();
        OutBeat beat = out_valid ? dut_.out_beat() : OutBeat{};
        if (stall_pending_) {
            if (!out_valid) fail("out_valid dropped while the beat was stalled");
            if (!(beat == stalled_beat_))
                fail("output changed while stalled: was " + stalled_beat_.text() + ", now " + beat.text());
            ++counts_.stalls_checked;
        }
        std::string error = dut_.check_cycle(counts_.in_beats, counts_.out_beats);
        if (!error.empty()) fail(error);

        bool in_fire = source_valid_ && dut_.in_ready();
        bool out_fire = out_valid && out_ready;
        stall_pending_ = out_valid && !out_ready;
        stalled_beat_ = beat;

        dut_.posedge();
        ++counts_.cycles;

        if (in_fire) {
            std::size_t before = expected_.size();
            dut_.model_accept(source_beat_, expected_);
            produced_ += static_cast<long>(expected_.size() - before);
            source_valid_ = false;
            ++counts_.in_beats;
        }
        if (out_fire) {
            if (expected_.empty()) fail("unexpected output beat " + beat.text());
            if (!(beat == expected_.front()))
                fail("output beat " + std::to_string(counts_.out_beats) + " is " + beat.text() + ", expected " +
                     expected_.front().text());
            expected_.pop_front();
            ++counts_.out_beats;
        }
    }

    Adapter& dut_;
    Options options_;
    std::mt19937_64 rng_;
    Counts counts_;
    int episode_ = 0;
    std::deque<OutBeat> expected_;
    long produced_ = 0;
    bool source_valid_ = false;
    InBeat source_beat_;
    bool stall_pending_ = false;
    OutBeat stalled_beat_;
};

// main() of every stream testbench: runs the test, prints one PASS/FAIL line.
template <typename Adapter>
int run_main(const char* name, const std::string& params, int argc, char** argv) {
    Options options;
    try {
        options = parse_options(argc, argv);
        Adapter dut;
        StreamTest<Adapter> test(dut, options);
        Counts counts = test.run();
        std::printf("PASS %s %s seed %llu: %ld in beats, %ld out beats, %ld cycles, %ld stalled cycles checked, "
                    "%ld throughput windows, %s\n",
                    name, params.c_str(), static_cast<unsigned long long>(options.seed), counts.in_beats,
                    counts.out_beats, counts.cycles, counts.stalls_checked, counts.windows, dut.coverage().c_str());
        return 0;
    } catch (const std::exception& error) {
        std::printf("FAIL %s %s seed %llu: %s\n", name, params.c_str(), static_cast<unsigned long long>(options.seed),
                    error.what());
        return 1;
    }
}

}  // namespace tb
