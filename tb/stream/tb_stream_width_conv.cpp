// Testbench of fwmac_stream_width_conv (IN_W, OUT_W from the build), checked by
// tb::StreamTest against a packing model written independently of the RTL:
//   upsizer (OUT_W = K * IN_W): K input beats, or fewer closed by last, form one word,
//     the first beat in the low bits, zeros above the last beat; keep bit i set for
//     every part i that holds a beat; last copied from the closing beat.
//   downsizer (IN_W = K * OUT_W): every input word gives K beats, low part first, last
//     on the K-th beat if the word had last; keep is 1.
// Throughput window (from empty, always valid, always ready): the upsizer accepts a
// beat every cycle and delivers every word one cycle after its closing beat; the
// downsizer delivers a beat every cycle after the first.
#include <memory>
#include <string>

#include "Vdut.h"
#include "tb_common.hpp"

#if !defined(TB_IN_W) || !defined(TB_OUT_W)
#error "build with -DTB_IN_W=<IN_W> -DTB_OUT_W=<OUT_W> of the DUT"
#endif

constexpr bool kUpsize = TB_OUT_W >= TB_IN_W;
constexpr int kRatio = kUpsize ? TB_OUT_W / TB_IN_W : TB_IN_W / TB_OUT_W;
constexpr int kKeepWidth = kUpsize ? kRatio : 1;
static_assert(kRatio * (kUpsize ? TB_IN_W : TB_OUT_W) == (kUpsize ? TB_OUT_W : TB_IN_W), "widths must be multiples");

class WidthConvAdapter {
  public:
    WidthConvAdapter() : context_(std::make_unique<VerilatedContext>()), top_(std::make_unique<Vdut>(context_.get())) {}
    ~WidthConvAdapter() { top_->final(); }

    void reset() {
        top_->rst_ni = 0;
        top_->in_valid_i = 1;
        top_->in_last_i = 0;
        top_->out_ready_i = 0;
        for (int cycle = 0; cycle < 3; ++cycle) {
            top_->clk_i = 0;
            top_->eval();
            top_->clk_i = 1;
            top_->eval();
        }
        top_->rst_ni = 1;
        top_->clk_i = 0;
        top_->eval();
    }
    void drive(bool in_valid, const tb::InBeat& beat, bool out_ready) {
        top_->clk_i = 0;
        top_->rst_ni = 1;
        top_->in_valid_i = in_valid;
        tb::put(top_->in_data_i, in_valid ? beat.data : tb::Bits(TB_IN_W));
        top_->in_last_i = in_valid && beat.last;
        top_->out_ready_i = out_ready;
    }
    void scramble_inputs(std::mt19937_64& rng) {
        top_->rst_ni = rng() & 1;
        top_->in_valid_i = rng() & 1;
        top_->in_last_i = rng() & 1;
        top_->out_ready_i = rng() & 1;
        tb::put(top_->in_data_i, tb::Bits::random(TB_IN_W, rng));
    }
    void eval() { top_->eval(); }
    void posedge() {
        top_->clk_i = 1;
        top_->eval();
    }
    bool in_ready() const { return top_->in_ready_o; }
    bool out_valid() const { return top_->out_valid_o; }
    tb::OutBeat out_beat() const {
        return tb::OutBeat{tb::get(top_->out_data_o, TB_OUT_W), top_->out_last_o != 0,
                           tb::get(top_->out_keep_o, kKeepWidth)};
    }
    std::string outputs() const {
        return std::to_string(top_->in_ready_o) + std::to_string(top_->out_valid_o) +
               std::to_string(top_->out_last_o) + tb::get(top_->out_data_o, TB_OUT_W).hex() +
               tb::get(top_->out_keep_o, kKeepWidth).hex();
    }
    int in_width() const { return TB_IN_W; }

    void model_reset() {
        parts_ = 0;
        word_ = tb::Bits(TB_OUT_W);
    }
    void model_accept(const tb::InBeat& beat, std::deque<tb::OutBeat>& expected) {
        if (kUpsize) {
            word_.insert(parts_ * TB_IN_W, beat.data);
            ++parts_;
            if (parts_ == kRatio || beat.last) {
                tb::Bits keep(kKeepWidth);
                for (int part = 0; part < parts_; ++part) keep.set_bit(part, true);
                expected.push_back(tb::OutBeat{word_, beat.last, keep});
                model_reset();
            }
        } else {
            tb::Bits keep(1);
            keep.set_bit(0, true);
            for (int part = 0; part < kRatio; ++part)
                expected.push_back(tb::OutBeat{beat.data.slice(part * TB_OUT_W, TB_OUT_W), beat.last && part == kRatio - 1, keep});
        }
        if (beat.last) ++packets_;
    }
    bool needs_flush() const { return parts_ != 0; }

    std::string check_cycle(long, long) {
        if (!top_->out_valid_o && !top_->in_ready_o) return "in_ready_o low while the output is empty";
        if (!top_->in_ready_o) ++input_stalls_;
        return "";
    }
    std::string check_window(int cycles, long in_beats, long out_beats, long produced_before_last) const {
        if (kUpsize && (in_beats != cycles || out_beats != produced_before_last))
            return std::to_string(in_beats) + " in / " + std::to_string(out_beats) + " out beats in " +
                   std::to_string(cycles) + " cycles, expected " + std::to_string(cycles) + " / " +
                   std::to_string(produced_before_last);
        if (!kUpsize && out_beats != cycles - 1)
            return std::to_string(out_beats) + " out beats in " + std::to_string(cycles) + " cycles, expected " +
                   std::to_string(cycles - 1);
        return "";
    }
    std::string coverage() const {
        return std::to_string(packets_) + " last beats, " + std::to_string(input_stalls_) + " cycles with in_ready_o low";
    }

  private:
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> top_;
    int parts_ = 0;
    tb::Bits word_{TB_OUT_W};
    long packets_ = 0;
    long input_stalls_ = 0;
};

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    return tb::run_main<WidthConvAdapter>("fwmac_stream_width_conv",
                                          "IN_W=" + std::to_string(TB_IN_W) + " OUT_W=" + std::to_string(TB_OUT_W), argc, argv);
}
