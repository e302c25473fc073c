// End-to-end testbench of the accelerator shell (rtl_templates/accel/fwmac_accel.v with a
// generated core and CSR module) through its three bus ports, against the golden model:
// seeded random convolution layers go through compiler/accel_driver; for each run the
// AXI4-Lite master BFM (random delays) writes the run's registers (run_registers, at the
// offsets and bit positions of the register map generator/system/accel_regmap) and
// CTRL = start | irq_enable, the AXI4-Stream source BFM (random gaps) sends the input
// packet, and the AXI4-Stream sink BFM (random ready) requires the output packet to be
// the driver's golden packet bit for bit. After the packet: STATUS reads busy 0, done 1,
// error 0; irq_o is high, and low again after STATUS.done is cleared; the compute-cycle
// counter equals the run's weight planes and the busy-cycle counter the cycles from the
// start write to the last output beat (within the CSR's latency). The unpacked outputs
// equal the golden outputs of the layer. The config's array (also two slots per row and the
// bit-parallel architecture) must be the build's -DTB_* shape; with two slots the layers
// must give row groups with and without second filters (tiles draining 2R and R rows).
// Options: --config CONFIG.json (the core's config), --seed N, --layers N, --big.
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vdut.h"
#include "accel_tb_common.hpp"
#include "axis_bfm.hpp"
#include "compiler/accel_driver.hpp"
#include "generator/common/config.hpp"
#include "generator/system/accel_regmap.hpp"
#include "golden/streams.hpp"
#include "tb/bfm/axi_lite.hpp"

namespace {

using accel_tb::to_bits;
using axis::Beat;
using fwmac::tb::AxiLiteMaster;
using tb::Bits;

constexpr int kKeepW = TB_BUS_W / 8;
constexpr int kAddrW = TB_ADDR_W;

class AccelTest {
  public:
    AccelTest(uint64_t seed, const fwmac::RegisterMap& map)
        : map_(map),
          context_(std::make_unique<VerilatedContext>()),
          top_(make_top(*context_)),
          bus_(FWMAC_AXIL_PORTS(*top_, s_axil_, kAddrW), [this] { top_->eval(); }, [this] { clock(); },
               seed * 0x9e3779b97f4a7c15ULL + 3) {
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
        sink_->on_beat = [this](const Beat& beat) {
            received_.push_back(beat);
            if (beat.last) last_beat_cycle_ = cycle_;
        };
    }

    void reset() {
        top_->rst_ni = 0;
        bus_.bus_reset();
        sampling_ = false;  // the outputs are undefined until the first reset edge
        for (int i = 0; i < 3; ++i) clock();
        sampling_ = true;
        top_->rst_ni = 1;
        bus_.idle(2);
        if (read_field("id", "magic") != fwmac::kAccelMagic) throw std::runtime_error("id.magic is not FMAC");
        if (read_field("version", "layout") != fwmac::kAccelLayoutVersion) throw std::runtime_error("wrong layout");
    }

    void run_layer(const fwmac::AccelLayer& layer, const fwmac::ArrayShape& shape, const fwmac::SystemShape& system) {
        const std::vector<fwmac::AccelRunProgram> programs = fwmac::pack_layer(layer, shape, system);
        const int pixels = layer.conv.pixels();
        std::vector<std::int64_t> outputs(static_cast<std::size_t>(layer.conv.out_channels) * pixels, INT64_MIN);
        std::vector<std::int64_t> expected = outputs;
        for (const fwmac::AccelRunProgram& program : programs) {
            for (const fwmac::RowGroup& group : program.core.schedule.groups) {
                ++(fwmac::has_second_filters(group) ? two_slot_groups_ : one_slot_groups_);
            }
            run_program(program);
            std::vector<fwmac::BitVector> packet;
            for (const Beat& beat : received_) {
                fwmac::BitVector bits(static_cast<std::size_t>(TB_BUS_W));
                for (int i = 0; i < TB_BUS_W; ++i) bits.set_field(static_cast<std::size_t>(i), 1, beat.data.bit(i));
                packet.push_back(bits);
            }
            fwmac::unpack_run(program, packet, pixels, outputs);
            const std::vector<std::int64_t> run_outputs = fwmac::collect_outputs(
                program.core.streams.outputs, layer.conv.out_channels, static_cast<int>(program.run.pixels));
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
    long values() const { return values_; }
    long cycles() const { return cycle_; }
    long two_slot_groups() const { return two_slot_groups_; }
    long one_slot_groups() const { return one_slot_groups_; }

  private:
    static std::unique_ptr<Vdut> make_top(VerilatedContext& context) {
        context.randReset(2);
        return std::make_unique<Vdut>(&context);
    }

    const fwmac::Field& field_of(const fwmac::Register& reg, const std::string& name) const {
        for (const fwmac::Field& field : reg.fields) {
            if (field.name == name) return field;
        }
        throw std::runtime_error("no field " + reg.name + "." + name);
    }
    const fwmac::Register& reg_of(const std::string& name) const {
        const fwmac::Register* reg = map_.find(name);
        if (!reg) throw std::runtime_error("no register " + name);
        return *reg;
    }
    std::uint32_t read_field(const std::string& reg_name, const std::string& field_name) {
        const fwmac::Register& reg = reg_of(reg_name);
        const fwmac::Field& field = field_of(reg, field_name);
        const AxiLiteMaster::ReadResult result = bus_.read(reg.offset);
        if (result.resp != fwmac::tb::AxiResp::okay) throw std::runtime_error("read of " + reg_name + " not OKAY");
        const std::uint64_t mask = field.width >= 32 ? 0xffffffffu : ((std::uint64_t{1} << field.width) - 1);
        return static_cast<std::uint32_t>((result.data >> field.lsb) & mask);
    }
    std::uint64_t read_counter(const std::string& name) {
        const std::uint64_t low = read_field(name + "_lo", "count");
        const std::uint64_t high = read_field(name + "_hi", "count");
        return high << 32 | low;
    }
    void write_register(const std::string& name, std::uint32_t value) {
        if (bus_.write(reg_of(name).offset, value) != fwmac::tb::AxiResp::okay) {
            throw std::runtime_error("write of " + name + " not OKAY");
        }
    }

    void run_program(const fwmac::AccelRunProgram& program) {
        // the descriptor: every register's fields combined into one word
        std::map<std::string, std::uint32_t> words;
        for (const auto& [name, value] : fwmac::run_registers(program.run,
                                                              static_cast<int>(program.core.schedule.groups.size()),
                                                              TB_COLS)) {
            const std::size_t dot = name.find('.');
            const std::string reg_name = name.substr(0, dot);
            const fwmac::Field& field = field_of(reg_of(reg_name), name.substr(dot + 1));
            if (field.width < 32 && value >> field.width != 0) throw std::runtime_error(name + " does not fit");
            words[reg_name] |= static_cast<std::uint32_t>(value << field.lsb);
        }
        for (const auto& [reg_name, word] : words) write_register(reg_name, word);
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
        last_beat_cycle_ = -1;
        const std::uint32_t start = 1u << field_of(reg_of("ctrl"), "start").lsb;
        const std::uint32_t irq = 1u << field_of(reg_of("ctrl"), "irq_enable").lsb;
        long start_cycle = -1;
        bus_.on_write_accepted = [&] { start_cycle = cycle_; };
        write_register("ctrl", start | irq);
        bus_.on_write_accepted = nullptr;
        const long limit = cycle_ + 100000 + 50L * static_cast<long>(program.input_beats.size() +
                                                                     program.output_beats.size() +
                                                                     program.core.cycles.total);
        while (!(source_->idle() && sink_->expected_left() == 0)) {
            if (cycle_ > limit) {
                throw std::runtime_error("no progress: " + std::to_string(source_->pending()) + " input beats and " +
                                         std::to_string(sink_->expected_left()) + " output beats left");
            }
            bus_.idle(1);
        }
        bus_.idle(5);
        if (read_field("status", "busy") != 0) throw std::runtime_error("status.busy after the last output beat");
        if (read_field("status", "done") != 1) throw std::runtime_error("status.done not set");
        if (read_field("status", "error") != 0) {
            throw std::runtime_error("status.error set, code " + std::to_string(read_field("status", "error_code")));
        }
        if (!top_->irq_o) throw std::runtime_error("irq_o low after done with irq_enable");
        const std::uint64_t compute = read_counter("compute_cycles");
        if (compute != program.core.streams.weight_planes.size()) {
            throw std::runtime_error("compute_cycles " + std::to_string(compute) + ", expected the run's " +
                                     std::to_string(program.core.streams.weight_planes.size()) + " weight planes");
        }
        const std::uint64_t busy = read_counter("busy_cycles");
        const long span = last_beat_cycle_ - start_cycle;
        if (static_cast<long>(busy) < span - 3 || static_cast<long>(busy) > span + 3) {
            throw std::runtime_error("busy_cycles " + std::to_string(busy) + ", start to last beat " +
                                     std::to_string(span));
        }
        write_register("status", 1u << field_of(reg_of("status"), "done").lsb);  // w1c
        bus_.idle(2);
        if (top_->irq_o) throw std::runtime_error("irq_o still high after status.done was cleared");
        if (read_field("status", "done") != 0) throw std::runtime_error("status.done not cleared");
        ++runs_;
    }

    // One cycle: the stream BFMs drive and sample around the AXI4-Lite master's own step.
    void clock() {
        source_->drive();
        sink_->drive();
        top_->clk_i = 0;
        top_->eval();
        if (sampling_) {
            source_->sample();
            sink_->sample();
        }
        top_->clk_i = 1;
        top_->eval();
        context_->timeInc(1);
        top_->clk_i = 0;
        ++cycle_;
    }

    const fwmac::RegisterMap& map_;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> top_;
    AxiLiteMaster bus_;
    std::unique_ptr<axis::Source> source_;
    std::unique_ptr<axis::Sink> sink_;
    std::vector<Beat> received_;
    bool sampling_ = true;
    long cycle_ = 0, last_beat_cycle_ = -1;
    long runs_ = 0, layers_ = 0, values_ = 0;
    long two_slot_groups_ = 0;  // row groups with a second filter in some row (tiles drain 2R rows)
    long one_slot_groups_ = 0;  // row groups without (tiles drain the R slot-0 rows)
};

}  // namespace

int main(int argc, char** argv) {
    uint64_t seed = 1;
    int layers = 10;
    bool big = false;
    std::string config_file;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
        else if (arg == "--layers" && i + 1 < argc) layers = std::stoi(argv[++i]);
        else if (arg == "--config" && i + 1 < argc) config_file = argv[++i];
        else if (arg == "--big") big = true;
        else {
            std::fprintf(stderr, "usage: tb --config CONFIG.json [--seed N] [--layers N] [--big]\n");
            return 2;
        }
    }
    int index = 0;
    try {
        if (config_file.empty()) throw std::runtime_error("--config CONFIG.json is required");
        const fwmac::ArrayShape shape = accel_tb::test_shape();
        const fwmac::SystemShape system = accel_tb::test_system();
        accel_tb::check_parameters(shape, system);
        const fwmac::GeneratorConfig config = fwmac::load_config_file(config_file);
        const fwmac::ArrayShape& built = config.shape;
        if (built.rows != shape.rows || built.cols != shape.cols || built.lanes != shape.lanes ||
            built.act_bits != shape.act_bits || built.max_weight_bits != shape.max_weight_bits ||
            built.k_max != shape.k_max || built.row_slots != shape.row_slots ||
            built.architecture != shape.architecture || built.raw_outputs != shape.raw_outputs) {
            throw std::runtime_error("the config's array differs from the build's ROWS / COLS / LANES / ACT_BITS / "
                                     "MAX_WEIGHT_BITS / K_MAX / SLOTS / BIT_PARALLEL");
        }
        if (config.has_system &&
            (config.system.bus_bits != TB_BUS_W || config.system.act_buffer_kib != TB_ACT_KIB)) {
            throw std::runtime_error("the config's system section differs from the build's BUS_W / ACT_KIB");
        }
        fwmac::AccelSystem accel_system;
        accel_system.bus_bits = TB_BUS_W;
        accel_system.act_buffer_words = static_cast<std::uint32_t>(fwmac::act_buffer_words(shape, system));
        const fwmac::RegisterMap map = fwmac::accel_regmap(config, accel_system);
        AccelTest test(seed, map);
        std::mt19937_64 rng(seed);
        test.reset();
        for (index = 0; index < layers; ++index) test.run_layer(accel_tb::random_layer(rng, shape, big), shape, system);
        // two slots: the layers must have drained both kinds of tiles (V = 2R and V = R)
        if (shape.row_slots == 2 && layers >= 10 && (test.two_slot_groups() == 0 || test.one_slot_groups() == 0)) {
            throw std::runtime_error("the random layers did not give row groups both with and without second filters");
        }
        std::printf("PASS tb_accel seed %llu: %ld layers, %ld runs through AXI4-Lite + AXI4-Stream, %ld outputs "
                    "bit-exact, status/irq/counters checked, %ld cycles",
                    static_cast<unsigned long long>(seed), test.layers(), test.runs(), test.values(), test.cycles());
        if (shape.row_slots == 2) {
            std::printf(", %ld row groups with second filters, %ld without", test.two_slot_groups(),
                        test.one_slot_groups());
        }
        std::printf("\n");
        return 0;
    } catch (const std::exception& error) {
        std::printf("FAIL tb_accel seed %llu layer %d: %s\n", static_cast<unsigned long long>(seed), index,
                    error.what());
        return 1;
    }
}
