// Adapter of the buffering stream modules (fwmac_stream_reg, fwmac_stream_fifo) for
// tb::StreamTest: the output sequence must equal the input sequence, and the
// handshake outputs must follow the occupancy exactly:
//   out_valid_o = occupancy > 0, in_ready_o = occupancy < CAPACITY, level_o = occupancy
// where occupancy = beats accepted - beats delivered (both counted by the testbench).
#pragma once

#include <memory>
#include <string>

#include "tb_common.hpp"

template <typename Top, int Width, int Capacity, bool HasLevel>
class BufferAdapter {
  public:
    BufferAdapter() : context_(std::make_unique<VerilatedContext>()), top_(std::make_unique<Top>(context_.get())) {}
    ~BufferAdapter() { top_->final(); }

    void reset() {
        top_->rst_ni = 0;
        top_->in_valid_i = 1;  // reset dominates the handshakes
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
        tb::put(top_->in_data_i, in_valid ? beat.data : tb::Bits(Width));
        top_->out_ready_i = out_ready;
    }
    void scramble_inputs(std::mt19937_64& rng) {
        top_->rst_ni = rng() & 1;
        top_->in_valid_i = rng() & 1;
        top_->out_ready_i = rng() & 1;
        tb::put(top_->in_data_i, tb::Bits::random(Width, rng));
    }
    void eval() { top_->eval(); }
    void posedge() {
        top_->clk_i = 1;
        top_->eval();
    }
    bool in_ready() const { return top_->in_ready_o; }
    bool out_valid() const { return top_->out_valid_o; }
    tb::OutBeat out_beat() const { return tb::OutBeat{tb::get(top_->out_data_o, Width), false, tb::Bits()}; }
    std::string outputs() const {
        std::string text = std::to_string(top_->in_ready_o) + std::to_string(top_->out_valid_o) +
                           tb::get(top_->out_data_o, Width).hex();
        if constexpr (HasLevel) text += "/" + std::to_string(top_->level_o);
        return text;
    }
    int in_width() const { return Width; }

    void model_reset() {}
    void model_accept(const tb::InBeat& beat, std::deque<tb::OutBeat>& expected) {
        expected.push_back(tb::OutBeat{beat.data, false, tb::Bits()});
    }
    bool needs_flush() const { return false; }

    std::string check_cycle(long in_count, long out_count) {
        long occupancy = in_count - out_count;
        if (occupancy == Capacity) ++full_cycles_;
        if (occupancy < 0 || occupancy > Capacity) return "occupancy " + std::to_string(occupancy) + " out of range";
        if (top_->out_valid_o != (occupancy > 0))
            return "out_valid_o = " + std::to_string(top_->out_valid_o) + " with " + std::to_string(occupancy) +
                   " beats inside";
        if (top_->in_ready_o != (occupancy < Capacity))
            return "in_ready_o = " + std::to_string(top_->in_ready_o) + " with " + std::to_string(occupancy) +
                   " beats inside (capacity " + std::to_string(Capacity) + ")";
        if constexpr (HasLevel) {
            if (static_cast<long>(top_->level_o) != occupancy)
                return "level_o = " + std::to_string(top_->level_o) + ", expected " + std::to_string(occupancy);
        }
        return "";
    }
    // Starting empty with always valid / always ready: a beat enters every cycle and
    // leaves the next (latency 1), except with a single entry, which is full after
    // each push: then one beat every two cycles.
    std::string check_window(int cycles, long in_beats, long out_beats, long) const {
        long want_in = Capacity >= 2 ? cycles : (cycles + 1) / 2;
        long want_out = Capacity >= 2 ? cycles - 1 : cycles / 2;
        if (in_beats != want_in || out_beats != want_out)
            return std::to_string(in_beats) + " in / " + std::to_string(out_beats) + " out beats in " +
                   std::to_string(cycles) + " cycles, expected " + std::to_string(want_in) + " / " +
                   std::to_string(want_out);
        return "";
    }

    std::string coverage() const { return std::to_string(full_cycles_) + " cycles full"; }

  private:
    long full_cycles_ = 0;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Top> top_;
};
