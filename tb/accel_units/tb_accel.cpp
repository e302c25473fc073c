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
// bit-parallel architecture) must be the build's -DTB_* shape; with two slots the random
// layers must give row groups with and without second filters (tiles draining 2R and R
// rows). With --always-ready the input stream is valid
// and the output stream ready in every cycle, and the performance counters must equal the
// golden shell model's (golden/accel_timing) exactly: busy, compute, wait-for-weights and
// wait-for-rows cycles, no input or output waits (with any workload).
// Workloads (accel_workloads.hpp): seeded random layers (--seed N, --layers N, --big: striped
// layers), a layer file (--layer FILE: the file's layer through the driver's runs, its
// outputs also equal to the file's golden outputs), or the digits CNN's conv layers
// (--cnn MODEL.json [--scheme NAME] [--images N]: each conv layer of each image through the
// shell, pooling and the classifier on the host; images classified and per-layer golden
// checks). --dump DIR writes the first run for the Icarus replay (accel_replay.hpp,
// tb_accel_replay_icarus.v). --config CONFIG.json (the core's config) is required.
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vdut.h"
#include "accel_replay.hpp"
#include "accel_tb_common.hpp"
#include "accel_workloads.hpp"
#include "axis_bfm.hpp"
#include "compiler/accel_driver.hpp"
#include "golden/accel_timing.hpp"
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
    AccelTest(uint64_t seed, const fwmac::RegisterMap& map, const fwmac::AccelShellTiming& timing, bool always_ready)
        : map_(map),
          timing_(timing),
          always_ready_(always_ready),
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
        source_->set_traffic(always_ready ? axis::Traffic::always() : axis::Traffic::bursty());
        sink_->set_traffic(always_ready ? axis::Traffic::always() : axis::Traffic::bursty());
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

    std::vector<std::int64_t> run_layer(const fwmac::AccelLayer& layer, const fwmac::ArrayShape& shape,
                                        const fwmac::SystemShape& system) {
        const std::vector<fwmac::AccelRunProgram> programs = fwmac::pack_layer(layer, shape, system);
        if (fwmac::host_lowered(layer.conv, shape)) ++lowered_;
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
        return outputs;
    }

    // --dump: the next run is also written out for tb_accel_replay_icarus.v.
    void dump_next_run(const std::string& directory, const std::string& dut) {
        dump_directory_ = directory;
        dump_dut_ = dut;
    }

    long runs() const { return runs_; }
    long layers() const { return layers_; }
    long values() const { return values_; }
    long lowered() const { return lowered_; }
    long cycles() const { return cycle_; }
    std::uint64_t predicted() const { return predicted_; }
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
        if (!dump_directory_.empty()) dump_run(program, words);
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
        if (always_ready_) check_cycles(program, busy, compute);
        write_register("status", 1u << field_of(reg_of("status"), "done").lsb);  // w1c
        bus_.idle(2);
        if (top_->irq_o) throw std::runtime_error("irq_o still high after status.done was cleared");
        if (read_field("status", "done") != 0) throw std::runtime_error("status.done not cleared");
        ++runs_;
    }

    // Always ready: every counter as the golden shell model predicts it.
    void check_cycles(const fwmac::AccelRunProgram& program, std::uint64_t busy, std::uint64_t compute) {
        const fwmac::AccelRunCycles model = fwmac::simulate_accel_run(program.core.schedule, program.run, timing_);
        const std::pair<const char*, std::pair<std::uint64_t, std::uint64_t>> counts[] = {
            {"busy_cycles", {busy, model.busy}},
            {"compute_cycles", {compute, model.compute}},
            {"wait_weights_cycles", {read_counter("wait_weights_cycles"), model.wait_weights}},
            {"wait_rows_cycles", {read_counter("wait_rows_cycles"), model.wait_rows}},
            {"wait_input_cycles", {read_counter("wait_input_cycles"), 0}},
            {"wait_output_cycles", {read_counter("wait_output_cycles"), 0}}};
        for (const auto& [name, values] : counts) {
            if (values.first != values.second) {
                throw std::runtime_error(std::string(name) + " " + std::to_string(values.first) +
                                         ", the golden shell model predicts " + std::to_string(values.second) +
                                         " (run of " + std::to_string(program.run.pixels) + " pixels, " +
                                         std::to_string(program.core.schedule.groups.size()) + " groups, " +
                                         std::to_string(program.run.chunks) + " chunks)");
            }
        }
        predicted_ += model.busy;
    }

    void dump_run(const fwmac::AccelRunProgram& program, const std::map<std::string, std::uint32_t>& words) {
        accel_tb::ReplayRun replay;
        replay.dut = dump_dut_;
        replay.bus_bits = TB_BUS_W;
        replay.addr_bits = kAddrW;
        for (const auto& [reg_name, word] : words) replay.writes.emplace_back(reg_of(reg_name).offset, word);
        const fwmac::Register& ctrl = reg_of("ctrl");
        replay.writes.emplace_back(ctrl.offset,
                                   (1u << field_of(ctrl, "start").lsb) | (1u << field_of(ctrl, "irq_enable").lsb));
        replay.input_beats = program.input_beats;
        replay.output_beats = program.output_beats;
        replay.output_last_bytes = program.output_last_bytes;
        const fwmac::Register& status = reg_of("status");
        replay.status_address = status.offset;
        replay.status_busy_bit = field_of(status, "busy").lsb;
        replay.status_done_bit = field_of(status, "done").lsb;
        replay.status_error_bit = field_of(status, "error").lsb;
        replay.compute_lo_address = reg_of("compute_cycles_lo").offset;
        replay.compute_hi_address = reg_of("compute_cycles_hi").offset;
        replay.compute_cycles = program.core.streams.weight_planes.size();
        replay.busy_lo_address = reg_of("busy_cycles_lo").offset;
        replay.busy_hi_address = reg_of("busy_cycles_hi").offset;
        if (always_ready_) replay.busy_cycles = fwmac::simulate_accel_run(program.core.schedule, program.run, timing_).busy;
        replay.cycle_limit = 100000 + 50 * (program.input_beats.size() + program.output_beats.size() +
                                            program.core.cycles.total);
        replay.description = program.core.description;
        accel_tb::write_replay(dump_directory_, replay);
        dump_directory_.clear();
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
    fwmac::AccelShellTiming timing_;
    bool always_ready_ = false;
    std::uint64_t predicted_ = 0;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> top_;
    AxiLiteMaster bus_;
    std::unique_ptr<axis::Source> source_;
    std::unique_ptr<axis::Sink> sink_;
    std::vector<Beat> received_;
    bool sampling_ = true;
    std::string dump_directory_, dump_dut_;
    long cycle_ = 0, last_beat_cycle_ = -1;
    long runs_ = 0, layers_ = 0, values_ = 0, lowered_ = 0;
    long two_slot_groups_ = 0;  // row groups with a second filter in some row (tiles drain 2R rows)
    long one_slot_groups_ = 0;  // row groups without (tiles drain the R slot-0 rows)
};

struct Options {
    uint64_t seed = 1;
    int layers = 10;
    bool big = false, always_ready = false;
    std::string config_file;
    std::string layer_file;                      // --layer: a layer file instead of random layers
    std::optional<accel_tb::CnnOptions> cnn;     // --cnn: the digits CNN's conv layers
    std::string dump_directory;                  // --dump: the first run for the Icarus replay
};

const char* const kUsage =
    "usage: tb --config CONFIG.json [--seed N] [--layers N] [--big]   (seeded random layers)\n"
    "       tb --config CONFIG.json --layer LAYER.json                 (a layer file)\n"
    "       tb --config CONFIG.json --cnn MODEL.json [--scheme NAME] [--images N]   (a CNN's conv layers)\n"
    "       any of them with --dump DIR: the first run's stimulus and output packet for the Icarus replay,\n"
    "       and with --always-ready: no gaps on the streams, every counter equal to the golden shell model's\n";

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Options parse_options(int argc, char** argv) {
    Options options;
    bool random_options = false, cnn_options = false;
    std::string scheme;
    int images = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool value = i + 1 < argc;
        if (arg == "--seed" && value) options.seed = std::stoull(argv[++i]), random_options = true;
        else if (arg == "--layers" && value) options.layers = std::stoi(argv[++i]), random_options = true;
        else if (arg == "--big") options.big = true, random_options = true;
        else if (arg == "--config" && value) options.config_file = argv[++i];
        else if (arg == "--layer" && value) options.layer_file = argv[++i];
        else if (arg == "--cnn" && value) options.cnn = accel_tb::CnnOptions{argv[++i]};
        else if (arg == "--scheme" && value) scheme = argv[++i], cnn_options = true;
        else if (arg == "--images" && value) images = std::stoi(argv[++i]), cnn_options = true;
        else if (arg == "--dump" && value) options.dump_directory = argv[++i];
        else if (arg == "--always-ready") options.always_ready = true;
        else throw UsageError("unknown option or missing value: " + arg);
    }
    if (options.config_file.empty()) throw UsageError("--config CONFIG.json is required");
    if (!options.layer_file.empty() && options.cnn) throw UsageError("--layer and --cnn exclude each other");
    if (random_options && (!options.layer_file.empty() || options.cnn)) {
        throw UsageError("--seed, --layers and --big are for random layers, not with --layer or --cnn");
    }
    if (cnn_options && !options.cnn) throw UsageError("--scheme and --images need --cnn");
    if (options.cnn) {
        if (!scheme.empty()) options.cnn->scheme = scheme;
        if (cnn_options && images < 1) throw UsageError("--images: at least 1");
        if (images > 0) options.cnn->images = images;
    }
    return options;
}

std::string conv_text(const fwmac::ConvShape& conv) {
    return std::to_string(conv.in_channels) + "x" + std::to_string(conv.height) + "x" + std::to_string(conv.width) +
           " k" + std::to_string(conv.kernel_h) + "x" + std::to_string(conv.kernel_w) + " s" +
           std::to_string(conv.stride_h) + " p" + std::to_string(conv.padding_h) + " -> " +
           std::to_string(conv.out_channels) + " filters";
}

void run_random_layers(AccelTest& test, const Options& options, const fwmac::ArrayShape& shape,
                       const fwmac::SystemShape& system, int& index) {
    std::mt19937_64 rng(options.seed);
    for (index = 0; index < options.layers; ++index) {
        test.run_layer(accel_tb::random_layer(rng, shape, options.big, &system), shape, system);
    }
    // two slots: the layers must have drained both kinds of tiles (V = 2R and V = R)
    if (shape.row_slots == 2 && options.layers >= 10 && (test.two_slot_groups() == 0 || test.one_slot_groups() == 0)) {
        throw std::runtime_error("the random layers did not give row groups both with and without second filters");
    }
    std::printf("PASS tb_accel seed %llu: %ld layers (%ld lowered on the host), %ld runs through AXI4-Lite + "
                "AXI4-Stream, %ld outputs bit-exact, status/irq/counters checked, %ld cycles",
                static_cast<unsigned long long>(options.seed), test.layers(), test.lowered(), test.runs(),
                test.values(), test.cycles());
    if (shape.row_slots == 2) {
        std::printf(", %ld row groups with second filters, %ld without", test.two_slot_groups(), test.one_slot_groups());
    }
    std::printf("\n");
}

void run_layer_file(AccelTest& test, const Options& options, const fwmac::ArrayShape& shape,
                    const fwmac::SystemShape& system) {
    const accel_tb::LayerFileWorkload workload = accel_tb::load_layer_workload(options.layer_file, shape);
    accel_tb::check_layer_workload(workload, test.run_layer(workload.layer, shape, system));
    std::printf("PASS tb_accel layer %s ('%s', %s, output rows 0..%d of %d, input rows 0..%d): %ld runs through "
                "AXI4-Lite + AXI4-Stream, %ld outputs bit-exact with the driver's golden packets, the first %d pixels "
                "of every filter equal to the layer file's golden outputs (fwmac sim), status/irq/counters checked, "
                "%ld cycles\n",
                options.layer_file.c_str(), workload.layer.name.c_str(), conv_text(workload.file_conv).c_str(),
                workload.shell_rows - 1, workload.file_conv.out_height(), workload.layer.conv.height - 1, test.runs(),
                test.values(), workload.pixels, test.cycles());
}

void run_cnn(AccelTest& test, const Options& options, const fwmac::ArrayShape& shape,
             const fwmac::SystemShape& system) {
    const accel_tb::CnnSummary summary = accel_tb::run_cnn_workload(
        *options.cnn, shape, [&](const fwmac::AccelLayer& layer) { return test.run_layer(layer, shape, system); });
    std::printf("CNN %s %s through the shell: %d/%d images classified correctly (golden flow %d/%d), average "
                "weight bits %.2f\n",
                options.cnn->model.c_str(), options.cnn->scheme.c_str(), summary.correct, summary.images,
                summary.golden_correct, summary.images, summary.average_bits);
    std::printf("PASS tb_accel cnn: %d conv layers x %d images = %ld layers in %ld runs through AXI4-Lite + "
                "AXI4-Stream, %ld outputs bit-exact with the driver's golden packets and equal to the golden "
                "flow's per layer, status/irq/counters checked, %ld cycles\n",
                summary.conv_layers, summary.images, test.layers(), test.runs(), test.values(), test.cycles());
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        options = parse_options(argc, argv);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "tb_accel: %s\n%s", error.what(), kUsage);
        return 2;
    }
    int index = 0;
    try {
        const fwmac::GeneratorConfig config = fwmac::load_config_file(options.config_file);
        // the core as generated (its pipeline sets the cycles), with the build's widths
        const fwmac::ArrayShape shape = config.shape;
        const fwmac::ArrayShape widths = accel_tb::test_shape();
        if (shape.rows != widths.rows || shape.cols != widths.cols || shape.lanes != widths.lanes ||
            shape.act_bits != widths.act_bits || shape.max_weight_bits != widths.max_weight_bits ||
            shape.k_max != widths.k_max || shape.row_slots != widths.row_slots ||
            shape.architecture != widths.architecture || shape.raw_outputs != widths.raw_outputs) {
            throw std::runtime_error("the config's array differs from the build's ROWS / COLS / LANES / ACT_BITS / "
                                     "MAX_WEIGHT_BITS / K_MAX / SLOTS / BIT_PARALLEL");
        }
        const fwmac::SystemShape system = accel_tb::test_system();
        accel_tb::check_parameters(shape, system);
        fwmac::AccelShellTiming timing = fwmac::accel_shell_timing(shape, system);
#ifdef TB_DIM_W
        timing.dim_bits = TB_DIM_W;  // the template's own parameters (not a generated shell)
#endif
        if (config.has_system &&
            (config.system.bus_bits != TB_BUS_W || config.system.act_buffer_kib != TB_ACT_KIB)) {
            throw std::runtime_error("the config's system section differs from the build's BUS_W / ACT_KIB");
        }
        fwmac::AccelSystem accel_system;
        accel_system.bus_bits = TB_BUS_W;
        accel_system.act_buffer_words = static_cast<std::uint32_t>(fwmac::act_buffer_words(shape, system));
        const fwmac::RegisterMap map = fwmac::accel_regmap(config, accel_system);
        AccelTest test(options.seed, map, timing, options.always_ready);
        if (!options.dump_directory.empty()) test.dump_next_run(options.dump_directory, config.name + "_accel");
        test.reset();
        if (!options.layer_file.empty()) {
            run_layer_file(test, options, shape, system);
        } else if (options.cnn) {
            run_cnn(test, options, shape, system);
        } else {
            run_random_layers(test, options, shape, system, index);
        }
        if (options.always_ready) {
            std::printf("always ready: %llu busy cycles over the runs, every counter as the golden shell model "
                        "predicts\n", static_cast<unsigned long long>(test.predicted()));
        }
        if (!options.dump_directory.empty()) {
            std::printf("dumped the first run for the Icarus replay into %s\n", options.dump_directory.c_str());
        }
        return 0;
    } catch (const std::exception& error) {
        if (!options.layer_file.empty() || options.cnn) {
            std::printf("FAIL tb_accel %s: %s\n", options.cnn ? options.cnn->model.c_str() : options.layer_file.c_str(),
                        error.what());
        } else {
            std::printf("FAIL tb_accel seed %llu layer %d: %s\n", static_cast<unsigned long long>(options.seed), index,
                        error.what());
        }
        return 1;
    }
}
