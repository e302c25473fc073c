// Testbench of the accelerator's input side (rtl_templates/accel/fwmac_accel_front.v: loader, group buffer,
// sequencer, activation writer, activation buffer, im2col) against the golden model:
// a seeded random convolution layer goes through compiler/accel_driver (run plan, input
// packet); each run's packet is sent through the AXI4-Stream source BFM (random valid
// gaps), the descriptor comes from the run (golden/accel_layout), and five sinks with
// random ready check that the core's input streams are exactly the golden core's for the
// run's GEMM (golden/streams through compiler/stimulus):
//   cmd   {chunks, planes, spans} per tile         = streams.commands
//   w     the weight planes                         = streams.weight_planes
//   p     {raw, relu, shift, mult, bias} per drained row = streams.params
//   a     C x L x A bits per tile and chunk         = streams.activations
//   tile  {pixels, beats, real mask, last} per tile = streams.outputs grouped by tile
// and that stalled beats are held (axis::Sink). The shape is fixed by the build
// parameters; the testbench checks that they are the golden model's widths.
// Options: --seed N, --layers N, --big (a layer that needs several runs). Prints one PASS/FAIL line.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vdut.h"
#include "accel_tb_common.hpp"
#include "axis_bfm.hpp"
#include "compiler/accel_driver.hpp"
#include "golden/accel_layout.hpp"
#include "golden/shape.hpp"
#include "golden/streams.hpp"

namespace {

using accel_tb::to_bits;
using axis::Beat;
using tb::Bits;

class FrontTest {
  public:
    explicit FrontTest(uint64_t seed)
        : seed_(seed), rng_(seed), context_(std::make_unique<VerilatedContext>()) {
        context_->randReset(2);
        top_ = std::make_unique<Vdut>(context_.get());
        source_ = std::make_unique<axis::Source>(
            "s_axis", seed, axis::bind_source(top_->s_axis_tdata_i, top_->s_axis_tvalid_i, top_->s_axis_tready_o,
                                              top_->s_axis_tlast_i),
            TB_BUS_W);
        auto sink = [&](const std::string& name, uint64_t salt, std::function<void(bool)> drive,
                        std::function<bool()> valid, std::function<Beat()> beat) {
            auto made = std::make_unique<axis::Sink>(name, seed * 7 + salt, axis::SinkPorts{drive, valid, beat});
            made->set_traffic(axis::Traffic::bursty());
            return made;
        };
        cmd_ = sink("cmd", 1, [this](bool r) { top_->cmd_ready_i = r; }, [this] { return top_->cmd_valid_o != 0; },
                    [this] {
                        Bits data(TB_CHUNK_W + TB_PLANE_W + kSpansW);
                        data.insert(0, Bits::of(TB_CHUNK_W, top_->cmd_chunks_o));
                        data.insert(TB_CHUNK_W, Bits::of(TB_PLANE_W, top_->cmd_planes_o));
                        data.insert(TB_CHUNK_W + TB_PLANE_W, Bits::of(kSpansW, top_->cmd_spans_o));
                        return Beat{data, Bits(), false};
                    });
        w_ = sink("w", 2, [this](bool r) { top_->w_ready_i = r; }, [this] { return top_->w_valid_o != 0; },
                  [this] { return Beat{Bits::of(TB_WGT_W, top_->w_data_o), Bits(), false}; });
        p_ = sink("p", 3, [this](bool r) { top_->p_ready_i = r; }, [this] { return top_->p_valid_o != 0; },
                  [this] { return Beat{Bits::of(TB_PARAM_W, top_->p_data_o), Bits(), false}; });
        a_ = sink("a", 4, [this](bool r) { top_->a_ready_i = r; }, [this] { return top_->a_valid_o != 0; },
                  [this] { return Beat{tb::get(top_->a_data_o, kAW), Bits(), false}; });
        ti_ = sink("tile", 5, [this](bool r) { top_->ti_ready_i = r; }, [this] { return top_->ti_valid_o != 0; },
                   [this] {
                       Bits data(kPixW + 16 + kVmax);
                       data.insert(0, Bits::of(kPixW, top_->ti_pixels_o));
                       data.insert(kPixW, Bits::of(16, top_->ti_beats_o));
                       data.insert(kPixW + 16, Bits::of(kVmax, top_->ti_real_o));
                       return Beat{data, Bits(), top_->ti_last_o != 0};
                   });
        source_->set_traffic(axis::Traffic::bursty());
    }

    void reset() {
        top_->rst_ni = 0;
        top_->start_i = 0;
        for (auto* s : sinks()) s->drive();
        source_->drive();
        for (int i = 0; i < 3; ++i) tick();
        top_->rst_ni = 1;
    }

    void run_layer(const fwmac::AccelLayer& layer, const fwmac::ArrayShape& shape, const fwmac::SystemShape& system) {
        const std::vector<fwmac::AccelRunProgram> programs = fwmac::pack_layer(layer, shape, system);
        for (const fwmac::AccelRunProgram& program : programs) run_program(program, shape);
        ++layers_;
    }

    long runs() const { return runs_; }
    long layers() const { return layers_; }
    long cycles() const { return cycles_; }
    long beats() const { return beats_; }

  private:
    static constexpr int kSpansW = TB_SLOTS == 2 ? TB_ROWS * TB_SPAN_W : 1;
    static constexpr int kVmax = TB_ROWS * TB_SLOTS;
    static constexpr int kAW = TB_COLS * TB_LANES * TB_ACT_BITS;
    static constexpr int kPixW = TB_COLS + 1 <= 2 ? 1 : (TB_COLS + 1 <= 4 ? 2 : (TB_COLS + 1 <= 8 ? 3 : (TB_COLS + 1 <= 16 ? 4 : 5)));

    std::vector<axis::Sink*> sinks() { return {cmd_.get(), w_.get(), p_.get(), a_.get(), ti_.get()}; }

    void run_program(const fwmac::AccelRunProgram& program, const fwmac::ArrayShape& shape) {
        const fwmac::ArrayStreams& streams = program.core.streams;
        accel_tb::set_descriptor(*top_, program);
        // the packet and the expected streams
        for (std::size_t i = 0; i < program.input_beats.size(); ++i) {
            source_->push(Beat{to_bits(program.input_beats[i], TB_BUS_W), Bits(), i + 1 == program.input_beats.size()});
        }
        for (const fwmac::CommandBeat& command : streams.commands) {
            Bits data(TB_CHUNK_W + TB_PLANE_W + kSpansW);
            data.insert(0, Bits::of(TB_CHUNK_W, static_cast<uint64_t>(command.chunks)));
            data.insert(TB_CHUNK_W, Bits::of(TB_PLANE_W, static_cast<uint64_t>(command.planes)));
            if (TB_SLOTS == 2) {
                data.insert(TB_CHUNK_W + TB_PLANE_W, to_bits(fwmac::command_spans(command, shape), kSpansW));
            }
            cmd_->expect(Beat{data, Bits(), false});
        }
        for (const fwmac::BitVector& plane : streams.weight_planes) w_->expect(Beat{to_bits(plane, TB_WGT_W), Bits(), false});
        const int param_bits = fwmac::param_width(shape);
        for (const fwmac::ParamBeat& param : streams.params) {
            Bits data(TB_PARAM_W);
            data.insert(0, to_bits(param.data, param_bits));
            data.set_bit(param_bits, param.relu);
            if (shape.raw_outputs) data.set_bit(param_bits + 1, param.raw);
            p_->expect(Beat{data, Bits(), false});
        }
        for (const fwmac::BitVector& beat : streams.activations) a_->expect(Beat{to_bits(beat, kAW), Bits(), false});
        // tile info: per tile, its drained beats in order
        std::size_t index = 0;
        while (index < streams.outputs.size()) {
            const int tile = streams.outputs[index].tile;
            const int pixels = streams.outputs[index].pixel_count;
            uint64_t real = 0;
            int beats = 0;
            for (; index < streams.outputs.size() && streams.outputs[index].tile == tile; ++index, ++beats) {
                if (streams.outputs[index].filter != fwmac::kNoFilter) real |= uint64_t{1} << beats;
            }
            Bits data(kPixW + 16 + kVmax);
            data.insert(0, Bits::of(kPixW, static_cast<uint64_t>(pixels)));
            data.insert(kPixW, Bits::of(16, static_cast<uint64_t>(beats)));
            data.insert(kPixW + 16, Bits::of(kVmax, real));
            ti_->expect(Beat{data, Bits(), index == streams.outputs.size()});
        }
        const std::size_t expected_beats = streams.commands.size() + streams.weight_planes.size() +
                                           streams.params.size() + streams.activations.size();
        // start every block together, then run until every stream is through
        top_->start_i = 1;
        step();
        top_->start_i = 0;
        long cycles = 1;
        const long limit = 50000 + 20L * static_cast<long>(expected_beats + program.input_beats.size());
        while (!(source_->idle() && cmd_->expected_left() == 0 && w_->expected_left() == 0 && p_->expected_left() == 0 && a_->expected_left() == 0 && ti_->expected_left() == 0)) {
            if (++cycles > limit) {
                throw std::runtime_error("no progress: " + std::to_string(source_->pending()) + " input beats, " +
                                         std::to_string(cmd_->expected_left()) + " cmd, " + std::to_string(w_->expected_left()) +
                                         " w, " + std::to_string(p_->expected_left()) + " p, " +
                                         std::to_string(a_->expected_left()) + " a, " + std::to_string(ti_->expected_left()) +
                                         " tile beats left (loader error " + std::to_string(top_->loader_error_o) + ")");
            }
            step();
        }
        // a few idle cycles: nothing more may come, and every block reports done
        for (int i = 0; i < 40; ++i) step();
        if (top_->loader_error_o != 0) throw std::runtime_error("loader error " + std::to_string(top_->loader_error_o));
        if (!top_->sequencer_done_o) throw std::runtime_error("sequencer not done after the run");
        ++runs_;
        cycles_ += cycles;
        beats_ += static_cast<long>(expected_beats);
    }

    void step() {
        source_->drive();
        for (auto* s : sinks()) s->drive();
        top_->clk_i = 0;
        top_->eval();
        source_->sample();
        for (auto* s : sinks()) s->sample();
        tick();
    }

    void tick() {
        top_->clk_i = 0;
        top_->eval();
        top_->clk_i = 1;
        top_->eval();
        context_->timeInc(1);
        top_->clk_i = 0;
    }

    uint64_t seed_;
    std::mt19937_64 rng_;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> top_;
    std::unique_ptr<axis::Source> source_;
    std::unique_ptr<axis::Sink> cmd_, w_, p_, a_, ti_;
    long runs_ = 0, layers_ = 0, cycles_ = 0, beats_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    uint64_t seed = 1;
    int layers = 10;
    bool big = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
        else if (arg == "--layers" && i + 1 < argc) layers = std::stoi(argv[++i]);
        else if (arg == "--big") big = true;
        else {
            std::fprintf(stderr, "usage: tb [--seed N] [--layers N] [--big]\n");
            return 2;
        }
    }
    const fwmac::ArrayShape shape = accel_tb::test_shape();
    const fwmac::SystemShape system = accel_tb::test_system();
    int index = 0;
    try {
        accel_tb::check_parameters(shape, system);
        FrontTest test(seed);
        std::mt19937_64 rng(seed);
        test.reset();
        for (index = 0; index < layers; ++index) test.run_layer(accel_tb::random_layer(rng, shape, big), shape, system);
        std::printf("PASS tb_front seed %llu: %ld layers, %ld runs, %ld core input beats bit-exact, %ld cycles\n",
                    static_cast<unsigned long long>(seed), test.layers(), test.runs(), test.beats(), test.cycles());
        return 0;
    } catch (const std::exception& error) {
        std::printf("FAIL tb_front seed %llu layer %d: %s\n", static_cast<unsigned long long>(seed), index, error.what());
        return 1;
    }
}
