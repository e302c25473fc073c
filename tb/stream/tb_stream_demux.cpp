// Testbench of fwmac_stream_demux (WIDTH, N from the build). A source sends packets,
// each to a random output (sometimes to a select >= N, whose beats must be dropped),
// with seeded random valid gaps; N sinks have independent random ready. Every cycle:
//   out_valid_o = one-hot of the select when in_valid_i, out_data_o / out_last_o =
//   the input's, in_ready_o = the selected sink's ready (1 for a dropped beat);
//   out_valid_o / out_data_o / out_last_o do not change when every out_ready_i is
//   scrambled, in_ready_o does not change when in_valid_i is;
//   per output, the beats delivered equal the beats sent to it, in order.
// Throughput window: always valid, always ready gives one beat per cycle.
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Vdut.h"
#include "tb_common.hpp"

#if !defined(TB_WIDTH) || !defined(TB_N)
#error "build with -DTB_WIDTH=<WIDTH> -DTB_N=<N> of the DUT"
#endif

namespace {

constexpr int kSelWidth = TB_N > 1 ? (32 - __builtin_clz(TB_N - 1)) : 1;
constexpr int kBadSelects = (1 << kSelWidth) - TB_N;  // select values >= N
constexpr int kBadSelectsDivisor = kBadSelects > 0 ? kBadSelects : 1;

class DemuxTest {
  public:
    explicit DemuxTest(const tb::Options& options)
        : options_(options), rng_(options.seed), context_(std::make_unique<VerilatedContext>()),
          top_(std::make_unique<Vdut>(context_.get())), expected_(TB_N) {}
    ~DemuxTest() { top_->final(); }

    std::string run() {
        tb::Phase window{1.0, 1.0, 0.2, options_.window};
        long before = delivered_;
        for (int cycle = 0; cycle < window.cycles; ++cycle) step(window, true);
        if (delivered_ - before != window.cycles)
            fail(std::to_string(delivered_ - before) + " beats in a " + std::to_string(window.cycles) +
                 "-cycle always-valid always-ready window");
        while (delivered_ < options_.beats) {
            tb::Phase phase = tb::random_phase(rng_);
            for (int cycle = 0; cycle < phase.cycles; ++cycle) step(phase, false);
        }
        for (const auto& queue : expected_)
            if (!queue.empty()) fail("beats left undelivered");
        return std::to_string(cycles_) + " cycles, " + std::to_string(delivered_) + " beats delivered, " +
               std::to_string(dropped_) + " dropped (select >= N), " + std::to_string(packets_) + " packets";
    }

  private:
    void fail(const std::string& what) { throw tb::Failure("cycle " + std::to_string(cycles_) + ": " + what); }

    void step(const tb::Phase& phase, bool only_valid_selects) {
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        if (!valid_ && uniform(rng_) < phase.p_valid) {
            valid_ = true;
            beat_.data = tb::Bits::random(TB_WIDTH, rng_);
            beat_.last = uniform(rng_) < phase.p_last;
            if (packet_start_) {  // a new packet picks its output
                bool bad = !only_valid_selects && kBadSelects > 0 && rng_() % 16 == 0;
                select_ = bad ? TB_N + static_cast<int>(rng_() % kBadSelectsDivisor) : static_cast<int>(rng_() % TB_N);
            }
        }
        uint32_t ready = 0;
        for (int out = 0; out < TB_N; ++out)
            if (uniform(rng_) < phase.p_ready) ready |= 1u << out;

        drive(valid_, ready);
        bool routed = select_ < TB_N;
        uint32_t want_valid = (valid_ && routed) ? 1u << select_ : 0u;
        if (top_->out_valid_o != want_valid) fail("out_valid_o " + std::to_string(top_->out_valid_o));
        if (valid_ && (tb::get(top_->out_data_o, TB_WIDTH) != beat_.data || top_->out_last_o != beat_.last))
            fail("out_data_o / out_last_o differ from the input beat");
        bool want_ready = routed ? ((ready >> select_) & 1u) : true;
        if (top_->in_ready_o != want_ready) fail("in_ready_o " + std::to_string(top_->in_ready_o));

        // out_valid_o must not depend on any ready, in_ready_o not on in_valid_i
        std::string forward = outputs_forward();
        drive(valid_, static_cast<uint32_t>(rng_()) & ((1u << TB_N) - 1u));
        if (outputs_forward() != forward) fail("an output valid or data depends on out_ready_i");
        drive(!valid_, ready);
        if (top_->in_ready_o != want_ready) fail("in_ready_o depends on in_valid_i");
        drive(valid_, ready);

        if (valid_ && top_->in_ready_o) {
            if (routed) expected_[select_].push_back(beat_);
            else ++dropped_;
            if (beat_.last) ++packets_;
            packet_start_ = beat_.last;
            valid_ = false;
        }
        for (int out = 0; out < TB_N; ++out) {
            if (((top_->out_valid_o >> out) & 1u) && ((ready >> out) & 1u)) {
                if (expected_[out].empty()) fail("unexpected beat on output " + std::to_string(out));
                tb::InBeat want = expected_[out].front();
                expected_[out].pop_front();
                if (tb::get(top_->out_data_o, TB_WIDTH) != want.data || (top_->out_last_o != 0) != want.last)
                    fail("output " + std::to_string(out) + " delivered the wrong beat");
                ++delivered_;
            }
        }
        ++cycles_;
    }

    void drive(bool valid, uint32_t ready) {
        top_->in_valid_i = valid;
        tb::put(top_->in_data_i, beat_.data.width() ? beat_.data : tb::Bits(TB_WIDTH));
        top_->in_last_i = beat_.last;
        top_->in_sel_i = static_cast<uint32_t>(select_);
        top_->out_ready_i = ready;
        top_->eval();
    }
    std::string outputs_forward() const {
        return std::to_string(top_->out_valid_o) + std::to_string(top_->out_last_o) +
               tb::get(top_->out_data_o, TB_WIDTH).hex();
    }

    tb::Options options_;
    std::mt19937_64 rng_;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> top_;
    std::vector<std::deque<tb::InBeat>> expected_;
    bool valid_ = false;
    bool packet_start_ = true;
    int select_ = 0;
    tb::InBeat beat_;
    long cycles_ = 0, delivered_ = 0, dropped_ = 0, packets_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    std::string params = "WIDTH=" + std::to_string(TB_WIDTH) + " N=" + std::to_string(TB_N);
    tb::Options options;
    try {
        options = tb::parse_options(argc, argv);
        DemuxTest test(options);
        std::string summary = test.run();
        std::printf("PASS fwmac_stream_demux %s seed %llu: %s\n", params.c_str(),
                    static_cast<unsigned long long>(options.seed), summary.c_str());
        return 0;
    } catch (const std::exception& error) {
        std::printf("FAIL fwmac_stream_demux %s seed %llu: %s\n", params.c_str(),
                    static_cast<unsigned long long>(options.seed), error.what());
        return 1;
    }
}
