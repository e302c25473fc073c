// Verilator testbench of a generated fwmac_top: drives the golden model's streams,
// checks every output value and (without back-pressure) the exact cycle count.
// On a mismatch it reruns the same stimulus with FST tracing on.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <type_traits>

#include "Vfwmac_top.h"
#include "Vfwmac_top___024root.h"
#include "compiler/cnn.hpp"
#include "generator/common/errors.hpp"
#include "golden/activity.hpp"
#include "tb/gtkw.hpp"
#include "tb/stimulus.hpp"
#include "verilated.h"
#include "verilated_fst_c.h"
#if VM_COVERAGE
#include "tb/cover_points.hpp"
#include "tb/coverage_data.hpp"
#include "verilated_cov.h"
#endif

namespace fwmac::tb {
namespace {

template <typename Port>
void write_port(Port& port, const BitVector& bits) {
    if constexpr (std::is_integral_v<Port>) {
        port = static_cast<Port>(bits.field(0, static_cast<int>(std::min<std::size_t>(bits.width(), 64))));
    } else {
        const auto& words = bits.words();
        for (std::size_t i = 0; i < std::size(port.m_storage); ++i) {
            port.m_storage[i] = i < words.size() ? words[i] : 0;
        }
    }
}

// cmd_spans_i exists only on two-slot designs (row_slots = 2).
template <typename Top, typename = void>
struct HasSpanPort : std::false_type {};
template <typename Top>
struct HasSpanPort<Top, std::void_t<decltype(std::declval<Top&>().cmd_spans_i)>> : std::true_type {};

template <typename Top>
void write_spans(Top& top, const BitVector& spans) {
    if constexpr (HasSpanPort<Top>::value) write_port(top.cmd_spans_i, spans);
}

// p_raw_i exists only on designs with raw outputs (raw_outputs = true).
template <typename Top, typename = void>
struct HasRawPort : std::false_type {};
template <typename Top>
struct HasRawPort<Top, std::void_t<decltype(std::declval<Top&>().p_raw_i)>> : std::true_type {};

template <typename Top>
void write_raw(Top& top, bool raw) {
    if constexpr (HasRawPort<Top>::value) top.p_raw_i = raw;
}

template <typename Port>
BitVector read_port(const Port& port, std::size_t width) {
    BitVector bits(width);
    if constexpr (std::is_integral_v<Port>) {
        bits.set_field(0, static_cast<int>(width), static_cast<std::uint64_t>(port));
    } else {
        for (std::size_t bit = 0; bit < width; bit += 32) {
            const int chunk = static_cast<int>(std::min<std::size_t>(32, width - bit));
            bits.set_field(bit, chunk, port.m_storage[bit / 32]);
        }
    }
    return bits;
}

// The register enables the testbench counts (fwmac_tb --activity), read from the wires
// the top marks public. plane_valid exists on bit-serial designs, row_first_end on
// two-slot ones. Verilator names them after the top module (<config name>_top, which
// tb/verilate.sh passes as FWMAC_TOP_MODULE): TOP_SIGNAL(advance) is
// <top>__DOT__advance.
#ifndef FWMAC_TOP_MODULE
#define FWMAC_TOP_MODULE fwmac_top
#endif
#define FWMAC_PASTE(a, b) a##b
#define FWMAC_SIGNAL(top, name) FWMAC_PASTE(top, __DOT__##name)
#define TOP_SIGNAL(name) FWMAC_SIGNAL(FWMAC_TOP_MODULE, name)
#define FWMAC_STRING(x) #x
#define FWMAC_EXPAND_STRING(x) FWMAC_STRING(x)
template <typename Root, typename = void>
struct HasPlaneValid : std::false_type {};
template <typename Root>
struct HasPlaneValid<Root, std::void_t<decltype(std::declval<Root&>().TOP_SIGNAL(plane_valid))>> : std::true_type {};
template <typename Root, typename = void>
struct HasFirstEnd : std::false_type {};
template <typename Root>
struct HasFirstEnd<Root, std::void_t<decltype(std::declval<Root&>().TOP_SIGNAL(row_first_end))>> : std::true_type {};

template <typename Value>
std::uint64_t ones(const Value& value) {
    if constexpr (std::is_integral_v<Value>) {
        return static_cast<std::uint64_t>(__builtin_popcountll(static_cast<unsigned long long>(value)));
    } else {
        std::uint64_t count = 0;
        for (auto word : value.m_storage) count += static_cast<std::uint64_t>(__builtin_popcountll(word));
        return count;
    }
}

struct MeasuredActivity {
    ActivityCounts events;
    std::uint64_t partial_writes = 0;  // cycles advancing a valid plane into the partial sums
};

template <typename Root>
void count_enables(const Root& root, MeasuredActivity& measured) {
    ActivityCounts& events = measured.events;
    const bool advance = root.TOP_SIGNAL(advance);
    events.plane_cycles += root.TOP_SIGNAL(load_weights);
    events.activation_loads += root.TOP_SIGNAL(load_acts);
    if constexpr (HasPlaneValid<Root>::value) measured.partial_writes += advance && root.TOP_SIGNAL(plane_valid);
    events.commits += advance && root.TOP_SIGNAL(commit);
    if constexpr (HasFirstEnd<Root>::value) {
        if (advance) events.first_span_commits += ones(root.TOP_SIGNAL(row_first_end));
    }
    events.drain_loads += root.TOP_SIGNAL(drain_load);
    events.drain_shifts += root.TOP_SIGNAL(drain_shift);
    events.requant_cycles += root.TOP_SIGNAL(u_drain__DOT__issue);
}

// "" when the RTL's counts equal the model's, else what differs.
std::string compare_activity(const MeasuredActivity& measured, const ActivityCounts& model, bool bit_serial) {
    const ActivityCounts& rtl = measured.events;
    std::string differences;
    auto check = [&](const char* what, std::uint64_t got, std::uint64_t expected) {
        if (got != expected) differences += fmt::format("{} {} (model {}); ", what, got, expected);
    };
    check("plane cycles", rtl.plane_cycles, model.plane_cycles);
    if (bit_serial) check("partial-sum writes", measured.partial_writes, model.plane_cycles);
    check("activation loads", rtl.activation_loads, model.activation_loads);
    check("commits", rtl.commits, model.commits);
    check("first-span commits", rtl.first_span_commits, model.first_span_commits);
    check("drain loads", rtl.drain_loads, model.drain_loads);
    check("drain shifts", rtl.drain_shifts, model.drain_shifts);
    check("requant cycles", rtl.requant_cycles, model.requant_cycles);
    return differences;
}

#if VM_COVERAGE
// Where every run adds its coverage (fwmac_tb --coverage FILE); null without --coverage.
CoverageData*& coverage_sink() {
    static CoverageData* sink = nullptr;
    return sink;
}
std::string& coverage_scratch_path() {
    static std::string path;
    return path;
}
#endif

// One input stream's position, whether its current beat is being presented, and
// which beat the ports hold (ports are rewritten only when the beat changes).
struct StreamCursor {
    std::size_t next = 0;
    bool presenting = false;
    std::size_t on_ports = ~std::size_t{0};
};

struct RunResult {
    bool ok = true;
    std::string failure;
    std::uint64_t cycles = 0;        // cycle index of the last output handshake + 1
    std::uint64_t failure_cycle = 0;
    double seconds = 0.0;            // wall time of the simulation loop (stimulus prepared beforehand)
    MeasuredActivity activity;       // with count_activity: the register enables seen
};

class Simulation {
public:
    Simulation(const Stimulus& stimulus, StallPattern stall, std::uint64_t seed, const std::string* fst_path,
               bool count_activity = false)
        : stimulus_(stimulus), stall_(stall), backpressure_(stall != StallPattern::none),
          count_activity_(count_activity),
          random_(seed ^ 0x5eedULL) {
        context_ = std::make_unique<VerilatedContext>();
        context_->threads(kModelThreads);  // what the model was verilated with (tb/verilate.sh --threads)
        if (fst_path) context_->traceEverOn(true);
        top_ = std::make_unique<Vfwmac_top>(context_.get());
        if (fst_path) {
            trace_ = std::make_unique<VerilatedFstC>();
            top_->trace(trace_.get(), 99);
            trace_->open(fst_path->c_str());
        }
#if VM_COVERAGE
        cover_.insert_into(*context_->coveragep(), FWMAC_EXPAND_STRING(FWMAC_TOP_MODULE));
#endif
    }
    ~Simulation() {
        if (trace_) trace_->close();
        top_->final();
#if VM_COVERAGE
        // the counters live in this model: add them to the process's sum before it goes
        if (coverage_sink()) {
            const std::string& scratch = coverage_scratch_path();
            context_->coveragep()->write(scratch.c_str());
            try {
                coverage_sink()->add_file(scratch);
            } catch (const std::exception& error) {
                std::cerr << "fwmac_tb: coverage: " << error.what() << "\n";
            }
            std::remove(scratch.c_str());
        }
#endif
    }

    RunResult run(std::uint64_t stop_after_cycle) {
        const auto start = std::chrono::steady_clock::now();
        RunResult result = simulate(stop_after_cycle);
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return result;
    }

private:
    RunResult simulate(std::uint64_t stop_after_cycle) {
        reset();
        const ArrayStreams& streams = stimulus_.streams;
        const std::uint64_t limit =
            std::min(stop_after_cycle, stimulus_.cycles.total * (backpressure_ ? 20 : 2) + 1000);
        RunResult result;
        std::size_t outputs = 0;
        for (std::uint64_t cycle = 0; cycle < limit; ++cycle) {
            if (stall_ == StallPattern::bursts) {
                for (bool& on : bursts_on_) on = chance(1.0 / 8) ? !on : on;
            }
            drive(cmd_, 0, streams.commands.size(), [&](std::size_t i) {
                top_->cmd_chunks_i = static_cast<std::remove_reference_t<decltype(top_->cmd_chunks_i)>>(streams.commands[i].chunks);
                top_->cmd_planes_i = static_cast<std::remove_reference_t<decltype(top_->cmd_planes_i)>>(streams.commands[i].planes);
                write_spans(*top_, command_spans(streams.commands[i], stimulus_.schedule.shape));
            }, top_->cmd_valid_i);
            drive(weights_, 1, streams.weight_planes.size(),
                  [&](std::size_t i) { write_port(top_->w_plane_i, streams.weight_planes[i]); }, top_->w_valid_i);
            drive(acts_, 2, streams.activations.size(),
                  [&](std::size_t i) { write_port(top_->a_data_i, streams.activations[i]); }, top_->a_valid_i);
            drive(params_, 3, streams.params.size(), [&](std::size_t i) {
                write_port(top_->p_data_i, streams.params[i].data);
                top_->p_relu_i = streams.params[i].relu;
                write_raw(*top_, streams.params[i].raw);
            }, top_->p_valid_i);
            top_->y_ready_i = y_ready();
            top_->clk_i = 0;
            top_->eval();
            dump();
            if (count_activity_) count_enables(*top_->rootp, result.activity);
#if VM_COVERAGE
            sample_cover_points();
#endif

            const bool y_fire = top_->y_valid_o && top_->y_ready_i;
            if (y_fire) {
                const BitVector data =
                    read_port(top_->y_data_o, static_cast<std::size_t>(stimulus_.schedule.shape.cols) *
                                                  output_width(stimulus_.schedule.shape));
                const std::string mismatch = compare_beat(stimulus_, outputs, data, top_->y_last_o);
                if (!mismatch.empty()) {
                    result = RunResult{false, mismatch, 0, cycle};
                    tick();
                    return result;
                }
                ++outputs;
                result.cycles = cycle + 1;
            }
            consume(cmd_, top_->cmd_valid_i && top_->cmd_ready_o);
            consume(weights_, top_->w_valid_i && top_->w_ready_o);
            consume(acts_, top_->a_valid_i && top_->a_ready_o);
            consume(params_, top_->p_valid_i && top_->p_ready_o);
            tick();
            if (outputs == streams.outputs.size()) return finish(result, cycle);
        }
        result.ok = false;
        result.failure = fmt::format("timeout after {} cycles: {} of {} output beats, inputs consumed cmd {}/{} "
                                     "w {}/{} a {}/{} p {}/{}",
                                     limit, outputs, streams.outputs.size(), cmd_.next, streams.commands.size(),
                                     weights_.next, streams.weight_planes.size(), acts_.next,
                                     streams.activations.size(), params_.next, streams.params.size());
        result.failure_cycle = limit;
        return result;
    }

#if VM_COVERAGE
    void sample_cover_points() {
        const auto& root = *top_->rootp;
        cover_.sample(CoverSample{
            top_->cmd_valid_i != 0, top_->cmd_ready_o != 0, top_->w_valid_i != 0, top_->w_ready_o != 0,
            top_->a_valid_i != 0, top_->a_ready_o != 0, top_->p_valid_i != 0, top_->p_ready_o != 0,
            top_->y_valid_o != 0, top_->y_ready_i != 0, top_->y_last_o != 0, root.TOP_SIGNAL(advance) != 0,
            root.TOP_SIGNAL(drain_load) != 0, root.TOP_SIGNAL(u_drain__DOT__chain_empty) != 0,
            root.TOP_SIGNAL(u_drain__DOT__issue) != 0, static_cast<std::uint64_t>(top_->cmd_chunks_i),
            static_cast<std::uint64_t>(top_->cmd_planes_i)});
    }
#endif

    bool chance(double probability) { return std::bernoulli_distribution(probability)(random_); }

    // Whether an input stream presents its next beat in this cycle (stream 0..3:
    // cmd, w, a, p) and whether y is ready, under the stall pattern.
    bool offer(std::size_t stream) {
        switch (stall_) {
            case StallPattern::random:
            case StallPattern::inputs: return chance(0.7);
            case StallPattern::bursts: return bursts_on_[stream];
            default: return true;
        }
    }
    bool y_ready() {
        switch (stall_) {
            case StallPattern::random: return chance(0.6);
            case StallPattern::outputs: return chance(0.4);
            case StallPattern::bursts: return bursts_on_[4];
            default: return true;
        }
    }

    template <typename Apply, typename Valid>
    void drive(StreamCursor& cursor, std::size_t stream, std::size_t count, Apply apply, Valid& valid) {
        if (cursor.next >= count) {
            valid = 0;
            return;
        }
        // a presented beat stays valid until taken (valid never depends on ready)
        if (!cursor.presenting) cursor.presenting = offer(stream);
        if (cursor.presenting && cursor.on_ports != cursor.next) {
            apply(cursor.next);
            cursor.on_ports = cursor.next;
        }
        valid = cursor.presenting ? 1 : 0;
    }

    static void consume(StreamCursor& cursor, bool fire) {
        if (!fire) return;
        ++cursor.next;
        cursor.presenting = false;
    }

    void reset() {
        top_->rst_ni = 0;
        top_->cmd_valid_i = top_->w_valid_i = top_->a_valid_i = top_->p_valid_i = 0;
        top_->y_ready_i = 0;
        for (int i = 0; i < 4; ++i) {
            top_->clk_i = 0;
            top_->eval();
            dump();
            tick();
        }
        top_->rst_ni = 1;
    }

    void tick() {
        top_->clk_i = 1;
        top_->eval();
        dump();
    }

    void dump() {
        if (trace_) trace_->dump(static_cast<std::uint64_t>(time_));
        time_ += 5;
    }

    // After the last beat: every input must be used up and no extra output may appear.
    RunResult finish(RunResult result, std::uint64_t cycle) {
        const ArrayStreams& streams = stimulus_.streams;
        if (cmd_.next != streams.commands.size() || weights_.next != streams.weight_planes.size() ||
            acts_.next != streams.activations.size() || params_.next != streams.params.size()) {
            return RunResult{false, "all outputs arrived but not every input beat was consumed", 0, cycle};
        }
        top_->y_ready_i = 1;
        for (int extra = 0; extra < drain_groups(stimulus_.schedule.shape) * drain_rows(stimulus_.schedule.shape) +
                                         stimulus_.schedule.shape.requant_stages + 8;
             ++extra) {
            top_->clk_i = 0;
            top_->eval();
            dump();
            if (top_->y_valid_o) return RunResult{false, "extra output beat after the last expected one", 0, cycle};
            tick();
        }
        return result;
    }

    const Stimulus& stimulus_;
    StallPattern stall_;
    bool backpressure_;
    std::array<bool, 5> bursts_on_{true, true, true, true, true};  // cmd, w, a, p, y
    bool count_activity_;
    std::mt19937_64 random_;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vfwmac_top> top_;
    std::unique_ptr<VerilatedFstC> trace_;
    StreamCursor cmd_, weights_, acts_, params_;
    std::uint64_t time_ = 0;
#if VM_COVERAGE
    CoverPoints cover_;
#endif
};

// Reruns a passing stimulus `repeats` times and reports the simulation loop's speed
// (median and best of the repeats: wall time on a shared machine is noisy).
void report_speed(const Stimulus& stimulus, const TbOptions& options, std::uint64_t seed) {
    std::vector<double> rates;
    for (int i = 0; i < options.speed_repeats; ++i) {
        const RunResult run = Simulation(stimulus, options.stall, seed, nullptr).run(~std::uint64_t{0});
        rates.push_back(static_cast<double>(run.cycles) / run.seconds / 1e6);
    }
    std::sort(rates.begin(), rates.end());
    const ArrayShape& shape = stimulus.schedule.shape;
    std::cout << fmt::format("SPEED {}x{}x{}: {} cycles x {} runs: median {:.3f} M array-cycles/s, best {:.3f}, "
                             "worst {:.3f} (one thread)\n",
                             shape.rows, shape.cols, shape.lanes, stimulus.cycles.total, rates.size(),
                             rates[rates.size() / 2], rates.back(), rates.front());
}

std::string rerun_arguments(const TbOptions& options, std::uint64_t seed) {
    if (options.cnn_model) {
        return fmt::format("--cnn {} --scheme {} --images {}", *options.cnn_model, options.cnn_scheme,
                           options.cnn_images);
    }
    if (options.layer_file) return "--layer " + *options.layer_file;
    std::string arguments = fmt::format("--seed {}", seed);
    if (options.min_depth > 1) {
        arguments += fmt::format(" --max-depth {} --min-depth {}", options.max_depth, options.min_depth);
    }
    if (options.wide_requant) arguments += " --wide-requant";
    return arguments;
}

bool run_one(const Stimulus& stimulus, const TbOptions& options, std::uint64_t seed) {
    const std::string* trace = options.trace ? &options.fst_path : nullptr;
    RunResult result =
        Simulation(stimulus, options.stall, seed, trace, options.activity).run(~std::uint64_t{0});
    const CycleReport& predicted = stimulus.cycles;
    if (result.ok && !options.backpressure && result.cycles != predicted.total) {
        result.ok = false;
        result.failure = fmt::format("cycle count {} differs from the golden cycle model's {}", result.cycles,
                                     predicted.total);
        result.failure_cycle = result.cycles;
    }
    if (result.ok && options.activity) {
        const std::string differences = compare_activity(result.activity, count_activity(stimulus.schedule),
                                                         !is_bit_parallel(stimulus.schedule.shape));
        if (!differences.empty()) {
            result.ok = false;
            result.failure = "register enables differ from golden/activity: " + differences;
            result.failure_cycle = result.cycles;
        }
    }
    const GemmLayer& layer = stimulus.layer;
    const std::string summary =
        fmt::format("{}: F={} K={} P={} tiles={} mode={}", stimulus.description, layer.filters, layer.depth,
                    layer.pixels, stimulus.schedule.tiles.size(),
                    layer.mode.raw ? "raw" : (layer.mode.relu ? "relu" : "signed"));
    if (!result.ok) {
        std::cout << fmt::format("FAIL {}\n  {}\n  reproduce: --gen {} {}{}\n", summary, result.failure,
                                 options.generated_dir, rerun_arguments(options, seed),
                                 stall_arguments(options.stall));
        Simulation(stimulus, options.stall, seed, &options.fst_path).run(result.failure_cycle + 2);
        std::cout << fmt::format("  waveform: {} (gtkwave {})\n", options.fst_path,
                                 write_gtkw(options.fst_path, options.generated_dir));
        return false;
    }
    if (trace) {
        std::cout << fmt::format("  waveform: {} (gtkwave {})\n", options.fst_path,
                                 write_gtkw(options.fst_path, options.generated_dir));
    }
    const OutputCount count = count_outputs(stimulus);
    const std::string outputs = fmt::format("{} outputs (+{} padding values)", count.outputs, count.padding);
    if (options.backpressure) {
        std::cout << fmt::format("PASS {}: {} bit-exact under back-pressure ({} cycles)\n", summary, outputs,
                                 result.cycles);
    } else {
        std::cout << fmt::format("PASS {}: {} bit-exact, cycles {} == model {} (ideal bound {:.1f}, "
                                 "ratio {:.3f}); simulated at {:.3f} M cycles/s\n",
                                 summary, outputs, result.cycles, predicted.total, predicted.ideal_bound,
                                 static_cast<double>(result.cycles) / predicted.ideal_bound,
                                 static_cast<double>(result.cycles) / result.seconds / 1e6);
    }
    if (options.activity) {
        const ActivityCounts& a = result.activity.events;
        std::cout << fmt::format("ACTIVITY {}: RTL enables == golden/activity: {} plane cycles, {} activation "
                                 "loads, {} commits, {} first-span commits, {} drain loads, {} drain shifts, {} requant "
                                 "cycles\n",
                                 stimulus.description, a.plane_cycles, a.activation_loads, a.commits,
                                 a.first_span_commits, a.drain_loads, a.drain_shifts, a.requant_cycles);
    }
    if (options.speed_repeats > 0) report_speed(stimulus, options, seed);
    return true;
}

// The CNN's conv layers, one GEMM per layer over the image batch, through the RTL; every
// output beat is compared bit for bit with the golden model, so the classification
// below is the RTL's own. Returns the number of failed layers.
int run_cnn(const TbOptions& options, const ArrayShape& shape, int& runs) {
    const CnnModel model = load_cnn_model(*options.cnn_model);
    const int images = std::min<int>(options.cnn_images, static_cast<int>(model.test_images.size()));
    const QuantizedCnn quantized = quantize_cnn(model, scheme_by_name(options.cnn_scheme), shape);
    int failures = 0;
    std::uint64_t cycles = 0;
    const auto logits = integer_forward(
        model, quantized, {model.test_images.begin(), model.test_images.begin() + images},
        [&](const std::string& name, const GemmLayer& layer) {
            const Stimulus stimulus =
                make_stimulus(shape, fmt::format("{} {} ({} images)", options.cnn_scheme, name, images), layer);
            ++runs;
            if (!run_one(stimulus, options, 0)) ++failures;
            cycles += stimulus.cycles.total;
            return collect_outputs(stimulus.streams.outputs, layer.filters, layer.pixels);
        });
    int correct = 0;
    for (int n = 0; n < images; ++n) correct += argmax(logits[n]) == model.test_labels[n];
    std::cout << fmt::format("CNN {} {}: {}/{} images classified correctly, average weight bits {:.2f}, "
                             "{} array cycles for the batch ({:.1f} per image)\n",
                             *options.cnn_model, options.cnn_scheme, correct, images, quantized.average_bits, cycles,
                             static_cast<double>(cycles) / images);
    return failures;
}

int run_testbench(int argc, char** argv) {
    const std::optional<TbOptions> parsed = parse_tb_options(argc, argv);
    if (!parsed) return 0;  // --help
    const TbOptions& options = *parsed;
    const ArrayShape shape = load_generated_shape(options.generated_dir);
    if (shape.raw_outputs != HasRawPort<Vfwmac_top>::value) {
        throw std::runtime_error(fmt::format("'{}' has raw_outputs = {} but this testbench was verilated from a design "
                                             "{} p_raw_i: rebuild it from the same generated directory",
                                             options.generated_dir, shape.raw_outputs,
                                             HasRawPort<Vfwmac_top>::value ? "with" : "without"));
    }
    if ((shape.row_slots == 2) != HasSpanPort<Vfwmac_top>::value) {
        throw std::runtime_error(fmt::format("'{}' has row_slots = {} but this testbench was verilated from a design "
                                             "{} cmd_spans_i: rebuild it from the same generated directory",
                                             options.generated_dir, shape.row_slots,
                                             HasSpanPort<Vfwmac_top>::value ? "with" : "without"));
    }
#if VM_COVERAGE
    CoverageData coverage;
    if (options.coverage_path) {
        coverage_sink() = &coverage;
        coverage_scratch_path() = *options.coverage_path + ".run";
    }
#else
    if (options.coverage_path) {
        throw UsageError(fmt::format("--coverage {}: this testbench was verilated without coverage; rebuild it with "
                                     "tb/verilate.sh --coverage (make coverage does)",
                                     *options.coverage_path));
    }
#endif
    int failures = 0;
    int runs = 0;
    if (options.cnn_model) {
        failures += run_cnn(options, shape, runs);
    } else if (options.layer_file) {
        ++runs;
        if (!run_one(layer_file_stimulus(shape, *options.layer_file), options, 0)) ++failures;
    } else {
        for (std::uint64_t seed : options.seeds) {
            ++runs;
            const Stimulus stimulus =
                random_stimulus(shape, seed, options.max_depth, options.min_depth, options.wide_requant);
            if (!run_one(stimulus, options, seed)) ++failures;
        }
    }
    std::cout << fmt::format("{} passed, {} failed\n", runs - failures, failures);
#if VM_COVERAGE
    if (options.coverage_path) {
        coverage_sink() = nullptr;
        coverage.write(*options.coverage_path);
    }
#endif
    return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace fwmac::tb

int main(int argc, char** argv) {
    try {
        return fwmac::tb::run_testbench(argc, argv);
    } catch (const fwmac::UsageError& error) {
        std::cerr << "fwmac_tb: usage error: " << error.what() << "\n";
        return 2;
    } catch (const std::exception& error) {
        std::cerr << "fwmac_tb: error: " << error.what() << "\n";
        return 1;
    }
}
