// Testbench of fwmac_stream_arbiter (WIDTH, N from the build). N sources send packets
// of random length with seeded random valid gaps (each holds valid and data until
// its beat moves); the sink has random ready. Every cycle:
//   - exactly the selected input's beat moves when the output beat moves, and the
//     output beat is that input's beat (data and last);
//   - packets do not interleave: while a packet is open, out_sel_o stays on its input;
//   - round robin: with no packet open and no stalled beat, out_sel_o is the first
//     input with valid after the input of the last finished packet (input 0 first
//     after reset), and out_valid_o is high if any input is valid;
//   - an output beat shown with valid && !ready is shown unchanged the next cycle;
//   - out_valid_o / out_data_o / out_last_o / out_sel_o do not change when
//     out_ready_i is flipped;
//   - per input, the delivered beats equal the sent beats, in order.
// Throughput window: all inputs always valid, output always ready gives one beat
// per cycle.
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

struct Source {
    bool valid = false;
    tb::InBeat beat;
    double p_valid = 1.0;
};

class ArbiterTest {
  public:
    explicit ArbiterTest(const tb::Options& options)
        : options_(options), rng_(options.seed), context_(std::make_unique<VerilatedContext>()),
          top_(std::make_unique<Vdut>(context_.get())), sources_(TB_N) {}
    ~ArbiterTest() { top_->final(); }

    std::string run() {
        for (int episode = 0; episode < options_.episodes; ++episode) {
            reset();
            tb::Phase window{1.0, 1.0, 0.3, options_.window};
            for (auto& source : sources_) source.p_valid = 1.0;
            long before = delivered_;
            for (int cycle = 0; cycle < window.cycles; ++cycle) step(window);
            if (delivered_ - before != window.cycles)
                fail(std::to_string(delivered_ - before) + " beats in a " + std::to_string(window.cycles) +
                     "-cycle always-valid always-ready window");
            long target = (episode + 1) * ((options_.beats + options_.episodes - 1) / options_.episodes);
            while (delivered_ < target) {
                tb::Phase phase = tb::random_phase(rng_);
                for (auto& source : sources_) source.p_valid = (rng_() % 2) ? phase.p_valid : tb::random_phase(rng_).p_valid;
                for (int cycle = 0; cycle < phase.cycles; ++cycle) step(phase);
            }
            // drain: every source finishes its packet (last on its next beat), then stops
            tb::Phase drain{0.0, 1.0, 1.0, 1};
            for (int cycle = 0; cycle < 100 * TB_N + 100; ++cycle) {
                for (int in = 0; in < TB_N; ++in) sources_[in].p_valid = open_[in] ? 1.0 : 0.0;
                step(drain);
            }
            for (int in = 0; in < TB_N; ++in)
                if (sources_[in].valid || open_[in]) fail("input " + std::to_string(in) + " did not drain");
        }
        return std::to_string(cycles_) + " cycles, " + std::to_string(delivered_) + " beats, " +
               std::to_string(packets_) + " packets, " + std::to_string(contended_) +
               " arbitrations with >= 2 inputs valid, " + std::to_string(stalls_) + " stalled cycles checked";
    }

  private:
    void fail(const std::string& what) { throw tb::Failure("cycle " + std::to_string(cycles_) + ": " + what); }

    void reset() {
        top_->rst_ni = 0;
        top_->in_valid_i = (1u << TB_N) - 1u;
        top_->out_ready_i = 1;
        for (int cycle = 0; cycle < 3; ++cycle) {
            top_->clk_i = 0;
            top_->eval();
            top_->clk_i = 1;
            top_->eval();
        }
        top_->rst_ni = 1;
        for (auto& source : sources_) source.valid = false;
        open_.assign(TB_N, false);
        prev_ = TB_N - 1;
        stall_pending_ = false;
        packet_input_ = -1;
    }

    void drive(uint32_t valid, bool ready) {
        top_->clk_i = 0;
        top_->in_valid_i = valid;
        tb::Bits data(TB_N * TB_WIDTH);
        uint32_t last = 0;
        for (int in = 0; in < TB_N; ++in) {
            if (sources_[in].beat.data.width()) data.insert(in * TB_WIDTH, sources_[in].beat.data);
            if (sources_[in].beat.last) last |= 1u << in;
        }
        tb::put(top_->in_data_i, data);
        top_->in_last_i = last;
        top_->out_ready_i = ready;
        top_->eval();
    }
    std::string outputs_forward() const {
        return std::to_string(top_->out_valid_o) + std::to_string(top_->out_last_o) + "/" +
               std::to_string(top_->out_sel_o) + tb::get(top_->out_data_o, TB_WIDTH).hex();
    }

    void step(const tb::Phase& phase) {
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        uint32_t valid = 0;
        for (int in = 0; in < TB_N; ++in) {
            Source& source = sources_[in];
            if (!source.valid && uniform(rng_) < source.p_valid) {
                source.valid = true;
                source.beat.data = tb::Bits::random(TB_WIDTH, rng_);
                source.beat.last = uniform(rng_) < phase.p_last;
            }
            if (source.valid) valid |= 1u << in;
        }
        bool ready = uniform(rng_) < phase.p_ready;
        drive(valid, ready);

        std::string forward = outputs_forward();
        drive(valid, !ready);
        if (outputs_forward() != forward) fail("an output valid or data depends on out_ready_i");
        drive(valid, ready);

        int sel = static_cast<int>(top_->out_sel_o);
        bool out_valid = top_->out_valid_o;
        if (sel >= TB_N) fail("out_sel_o " + std::to_string(sel) + " >= N");
        if (out_valid != ((valid >> sel) & 1u)) fail("out_valid_o is not the selected input's valid");
        if (stall_pending_) {
            ++stalls_;
            if (!out_valid || outputs_forward() != stalled_) fail("output changed while stalled");
        } else if (packet_input_ >= 0) {
            if (sel != packet_input_) fail("packets interleave: input " + std::to_string(sel) + " inside a packet of " +
                                           std::to_string(packet_input_));
        } else if (valid != 0) {
            int want = -1;
            for (int offset = 1; offset <= TB_N && want < 0; ++offset) {
                int in = (prev_ + offset) % TB_N;
                if ((valid >> in) & 1u) want = in;
            }
            if (__builtin_popcount(valid) >= 2) ++contended_;
            if (sel != want || !out_valid)
                fail("round robin picked input " + std::to_string(sel) + ", expected " + std::to_string(want));
        }
        if (out_valid) {
            const tb::InBeat& beat = sources_[sel].beat;
            if (tb::get(top_->out_data_o, TB_WIDTH) != beat.data || (top_->out_last_o != 0) != beat.last)
                fail("output beat differs from input " + std::to_string(sel) + "'s beat");
        }
        uint32_t in_ready = top_->in_ready_o;
        uint32_t in_fire = in_ready & valid;
        bool out_fire = out_valid && ready;
        if (out_fire ? in_fire != (1u << sel) : in_fire != 0) fail("input beats move without the output beat");

        stall_pending_ = out_valid && !ready;
        stalled_ = outputs_forward();
        top_->clk_i = 1;
        top_->eval();
        ++cycles_;

        if (out_fire) {
            Source& source = sources_[sel];
            ++delivered_;
            open_[sel] = !source.beat.last;
            packet_input_ = source.beat.last ? -1 : sel;
            if (source.beat.last) {
                prev_ = sel;
                ++packets_;
            }
            source.valid = false;
        }
    }

    tb::Options options_;
    std::mt19937_64 rng_;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> top_;
    std::vector<Source> sources_;
    std::vector<bool> open_;
    int prev_ = TB_N - 1;
    int packet_input_ = -1;
    bool stall_pending_ = false;
    std::string stalled_;
    long cycles_ = 0, delivered_ = 0, packets_ = 0, contended_ = 0, stalls_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    std::string params = "WIDTH=" + std::to_string(TB_WIDTH) + " N=" + std::to_string(TB_N);
    tb::Options options;
    try {
        options = tb::parse_options(argc, argv);
        ArbiterTest test(options);
        std::string summary = test.run();
        std::printf("PASS fwmac_stream_arbiter %s seed %llu: %s\n", params.c_str(),
                    static_cast<unsigned long long>(options.seed), summary.c_str());
        return 0;
    } catch (const std::exception& error) {
        std::printf("FAIL fwmac_stream_arbiter %s seed %llu: %s\n", params.c_str(),
                    static_cast<unsigned long long>(options.seed), error.what());
        return 1;
    }
}
