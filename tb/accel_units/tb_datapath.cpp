// Testbench of the accelerator's datapath (rtl_templates/accel/fwmac_accel_datapath.v: the input side, the
// generated core fwmac_top and the packer) against the golden model: seeded random
// convolution layers go through compiler/accel_driver; each run's input packet is sent
// through the AXI4-Stream source BFM (random valid gaps), the descriptor comes from the
// run (golden/accel_layout), and the AXI4-Stream sink BFM (random ready) requires the
// output packet to be the driver's golden output packet bit for bit: tdata, tkeep (all
// bytes, the last beat's value bytes) and tlast on the last beat; stalled beats held.
// Then the packet is unpacked with the driver and compared with the golden outputs of
// the layer. Options: --seed N, --layers N, --big. Prints one PASS/FAIL line.
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
#include "golden/conv.hpp"
#include "golden/streams.hpp"

namespace {

using accel_tb::to_bits;
using axis::Beat;
using tb::Bits;

constexpr int kKeepW = TB_BUS_W / 8;

class DatapathTest {
  public:
    explicit DatapathTest(uint64_t seed) : context_(std::make_unique<VerilatedContext>()) {
        context_->randReset(2);
        top_ = std::make_unique<Vdut>(context_.get());
        source_ = std::make_unique<axis::Source>(
            "s_axis", seed, axis::bind_source(top_->s_axis_tdata_i, top_->s_axis_tvalid_i, top_->s_axis_tready_o,
                                              top_->s_axis_tlast_i),
            TB_BUS_W);
        sink_ = std::make_unique<axis::Sink>(
            "m_axis", seed * 7 + 1,
            axis::bind_sink(top_->m_axis_tdata_o, top_->m_axis_tkeep_o, top_->m_axis_tvalid_o, top_->m_axis_tready_i,
                            top_->m_axis_tlast_o, TB_BUS_W, kKeepW));
        source_->set_traffic(axis::Traffic::bursty());
        sink_->set_traffic(axis::Traffic::bursty());
        sink_->on_beat = [this](const Beat& beat) { received_.push_back(beat); };
    }

    void reset() {
        top_->rst_ni = 0;
        top_->start_i = 0;
        source_->drive();
        sink_->drive();
        for (int i = 0; i < 3; ++i) tick();
        top_->rst_ni = 1;
    }

    void run_layer(const fwmac::AccelLayer& layer, const fwmac::ArrayShape& shape, const fwmac::SystemShape& system) {
        const std::vector<fwmac::AccelRunProgram> programs = fwmac::pack_layer(layer, shape, system);
        const int pixels = layer.conv.pixels();
        std::vector<std::int64_t> outputs(static_cast<std::size_t>(layer.conv.out_channels) * pixels, INT64_MIN);
        for (const fwmac::AccelRunProgram& program : programs) {
            run_program(program);
            std::vector<fwmac::BitVector> packet;
            for (const Beat& beat : received_) {
                fwmac::BitVector bits(static_cast<std::size_t>(TB_BUS_W));
                for (int i = 0; i < TB_BUS_W; ++i) bits.set_field(static_cast<std::size_t>(i), 1, beat.data.bit(i));
                packet.push_back(bits);
            }
            fwmac::unpack_run(program, packet, pixels, outputs);
        }
        // every output of the layer, in its own filter order, from the packets
        std::vector<std::int64_t> expected(outputs.size(), INT64_MIN);
        for (const fwmac::AccelRunProgram& program : programs) {
            const std::vector<std::int64_t> run_outputs =
                fwmac::collect_outputs(program.core.streams.outputs, layer.conv.out_channels,
                                       static_cast<int>(program.run.pixels));
            const std::int64_t first = static_cast<std::int64_t>(program.run.out_row0) * program.run.out_width;
            for (int f = 0; f < layer.conv.out_channels; ++f) {
                for (std::int64_t p = 0; p < program.run.pixels; ++p) {
                    expected[static_cast<std::size_t>(f * pixels + first + p)] =
                        run_outputs[static_cast<std::size_t>(f * program.run.pixels + p)];
                }
            }
        }
        if (outputs != expected) throw std::runtime_error("the unpacked outputs differ from the golden outputs");
        ++layers_;
        values_ += static_cast<long>(outputs.size());
    }

    long runs() const { return runs_; }
    long layers() const { return layers_; }
    long cycles() const { return cycles_; }
    long values() const { return values_; }

  private:
    void run_program(const fwmac::AccelRunProgram& program) {
        accel_tb::set_descriptor(*top_, program);
        for (std::size_t i = 0; i < program.input_beats.size(); ++i) {
            source_->push(Beat{to_bits(program.input_beats[i], TB_BUS_W), Bits(), i + 1 == program.input_beats.size()});
        }
        for (std::size_t i = 0; i < program.output_beats.size(); ++i) {
            const bool last = i + 1 == program.output_beats.size();
            Bits keep(kKeepW);
            const int bytes = last ? program.output_last_bytes : kKeepW;
            for (int b = 0; b < bytes; ++b) keep.set_bit(b, true);
            sink_->expect(Beat{to_bits(program.output_beats[i], TB_BUS_W), keep, last});
        }
        received_.clear();
        top_->start_i = 1;
        step();
        top_->start_i = 0;
        long cycles = 1;
        const long limit = 100000 + 50L * static_cast<long>(program.input_beats.size() + program.output_beats.size() +
                                                             program.core.cycles.total);
        while (!(source_->idle() && sink_->expected_left() == 0)) {
            if (++cycles > limit) {
                throw std::runtime_error("no progress: " + std::to_string(source_->pending()) + " input beats and " +
                                         std::to_string(sink_->expected_left()) + " output beats left (loader error " +
                                         std::to_string(top_->loader_error_o) + ", packer error " +
                                         std::to_string(top_->packer_error_o) + ")");
            }
            step();
        }
        for (int i = 0; i < 40; ++i) step();  // nothing more may come
        if (top_->loader_error_o != 0) throw std::runtime_error("loader error " + std::to_string(top_->loader_error_o));
        if (top_->packer_error_o != 0) throw std::runtime_error("packer error " + std::to_string(top_->packer_error_o));
        ++runs_;
        cycles_ += cycles;
    }

    void step() {
        source_->drive();
        sink_->drive();
        top_->clk_i = 0;
        top_->eval();
        source_->sample();
        sink_->sample();
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

    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> top_;
    std::unique_ptr<axis::Source> source_;
    std::unique_ptr<axis::Sink> sink_;
    std::vector<Beat> received_;
    long runs_ = 0, layers_ = 0, cycles_ = 0, values_ = 0;
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
        DatapathTest test(seed);
        std::mt19937_64 rng(seed);
        test.reset();
        for (index = 0; index < layers; ++index) test.run_layer(accel_tb::random_layer(rng, shape, big), shape, system);
        std::printf("PASS tb_datapath seed %llu: %ld layers, %ld runs, %ld outputs bit-exact (packets and values), "
                    "%ld cycles\n",
                    static_cast<unsigned long long>(seed), test.layers(), test.runs(), test.values(), test.cycles());
        return 0;
    } catch (const std::exception& error) {
        std::printf("FAIL tb_datapath seed %llu layer %d: %s\n", static_cast<unsigned long long>(seed), index,
                    error.what());
        return 1;
    }
}
