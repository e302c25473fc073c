// Verilator testbench of the activation side (tb_act_top: fwmac_act_writer ->
// fwmac_act_buffer -> fwmac_im2col) against the C++ reference (act_ref).
//
// Each run draws a layer (H, W 1..20; CG 1..3; KH, KW 1..7; s 1..4; padding 0..3 and
// below the kernel on every side; G 1..3), fills a random image, starts the writer and
// the im2col (mostly in the same cycle, so the row gating is exercised), feeds the
// writer with random valid gaps and takes the beats with random ready gaps (or always
// ready), and checks in every cycle:
//   writer  s_ready_o exactly as documented (set-up cycles, then high until the last
//           word); every write: address = the layout's q of the next word, data = the
//           word, one cycle after its acceptance; rows_ready_o = rows whose words were
//           all written in earlier cycles; done_o two cycles after the last acceptance;
//   im2col  a cycle-level model of the documented contract (issue rule: set-up
//           cycles, credit of 4, row gating on the observed rows_ready_i; a beat issued
//           in X is read in X+1 and shown from X+3) predicts every cycle's a_valid_o
//           and bank reads; the bank reads of every beat are exactly the reference
//           words' (bank, row) pairs, each bank at most once (no conflict), each word
//           written in an earlier cycle (the reader never reads a row not yet written);
//           every beat taken equals the reference beat (order, no loss or duplicate);
//           done_o the cycle after the last beat is taken.
// Options: --seed N (default 1), --runs N (default 40), --resnet (the ResNet-like
// shapes instead of random layers), --verbose (one line per run). Prints one PASS/FAIL
// line; exit code 1 on failure.
#include "Vdut.h"
#include "act_ref.hpp"

#include <verilated.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#ifndef TB_WORD_W
#define TB_WORD_W 16
#endif
#ifndef TB_COLS
#define TB_COLS 2
#endif
#ifndef TB_BANKS
#define TB_BANKS 2
#endif
#ifndef TB_DEPTH
#define TB_DEPTH 4096
#endif
#ifndef TB_DIM_W
#define TB_DIM_W 8
#endif
#ifndef TB_GRP_W
#define TB_GRP_W 2
#endif

namespace {

constexpr int kWordW = TB_WORD_W;
constexpr int kCols = TB_COLS;
constexpr int kBanks = TB_BANKS;
constexpr int kDepth = TB_DEPTH;
constexpr int kDimW = TB_DIM_W;
constexpr int kRowW = [] { int w = 0; while ((1 << w) < kDepth) ++w; return w; }();
static_assert(kWordW <= 64, "the testbench keeps words in 64 bits");

using Words32 = std::vector<uint32_t>;

template <typename T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
Words32 words_of(const T& signal) {
    const uint64_t value = static_cast<uint64_t>(signal);
    return {static_cast<uint32_t>(value), static_cast<uint32_t>(value >> 32)};
}
template <std::size_t N>
Words32 words_of(const VlWide<N>& signal) {
    Words32 words(N);
    for (std::size_t i = 0; i < N; ++i) words[i] = signal[i];
    return words;
}
uint64_t field(const Words32& words, int low, int width) {
    uint64_t value = 0;
    for (int i = 0; i < width; ++i) {
        const int bit = low + i;
        const std::size_t word = static_cast<std::size_t>(bit / 32);
        if (word < words.size() && ((words[word] >> (bit % 32)) & 1u)) value |= uint64_t{1} << i;
    }
    return value;
}

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Random traffic in phases: each phase has a probability and a length.
class Traffic {
  public:
    Traffic(std::mt19937_64& rng, bool always) : rng_(rng), always_(always) {}
    bool next() {
        if (always_) return true;
        if (left_ == 0) {
            static const double kP[] = {1.0, 0.9, 0.6, 0.3, 0.1, 0.0};
            p_ = kP[rng_() % 6];
            left_ = 1 + static_cast<int>(rng_() % 120);
        }
        --left_;
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p_;
    }

  private:
    std::mt19937_64& rng_;
    bool always_;
    double p_ = 1.0;
    int left_ = 0;
};

struct RunSpec {
    actref::Conv conv;
    int groups = 1;                 // G
    bool always_ready = false;      // a_ready_i = 1 in every cycle
    bool writer_always_valid = false;
    int reader_delay = 0;           // im2col start after the writer start; -1: after writer done
};

struct Stats {
    long runs = 0, beats = 0, cycles = 0, always_ready_runs = 0, gated_cycles = 0, stalled_cycles = 0;
    long words = 0, reads = 0, zero_words = 0, rotated_beats = 0;
};

class Bench {
  public:
    explicit Bench(uint64_t seed) : context_(std::make_unique<VerilatedContext>()), rng_(seed) {
        context_->randReset(2);
        context_->randSeed(static_cast<int>(seed % 1000003));
        dut_ = std::make_unique<Vdut>(context_.get());
        reset();
    }

    void reset() {
        dut_->rst_ni = 0;
        dut_->w_start_i = 0;
        dut_->r_start_i = 0;
        dut_->s_valid_i = 0;
        dut_->a_ready_i = 0;
        for (int i = 0; i < 3; ++i) tick();
        dut_->rst_ni = 1;
        tick();
        rows_before_ = 0;
    }

    std::mt19937_64& rng() { return rng_; }

    void run(const RunSpec& spec, Stats& stats, bool verbose);

  private:
    void tick() {
        dut_->clk_i = 1;
        dut_->eval();
        dut_->clk_i = 0;
        dut_->eval();
        ++cycle_;
    }
    void drive_descriptor(const actref::Conv& conv, const actref::Layout& layout,
                          const actref::Im2colInputs& in, int groups);

    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> dut_;
    std::mt19937_64 rng_;
    long cycle_ = 0;
    int rows_before_ = 0;  // rows_ready_o before the writer's next start
};

void Bench::drive_descriptor(const actref::Conv& conv, const actref::Layout& layout,
                             const actref::Im2colInputs& in, int groups) {
    dut_->in_height_i = conv.height;
    dut_->in_width_i = conv.width;
    dut_->in_groups_i = conv.groups;
    dut_->stride_i = conv.stride;
    dut_->pad_top_i = conv.pad_top;
    dut_->pad_left_i = conv.pad_left;
    dut_->kernel_h_i = conv.kernel_h;
    dut_->kernel_w_i = conv.kernel_w;
    dut_->out_width_i = conv.out_width;
    dut_->pixels_i = static_cast<uint32_t>(conv.pixels());
    dut_->groups_i = groups;
    dut_->pitch_i = static_cast<uint32_t>(layout.pitch);
    dut_->plane_i = static_cast<uint32_t>(layout.plane);
    dut_->out_width_s_i = static_cast<uint32_t>(in.out_width_s);
    dut_->tile_x_step_i = static_cast<uint32_t>(in.tile_x_step);
    dut_->tile_y_step_i = static_cast<uint32_t>(in.tile_y_step);
    dut_->tile_q_step_i = static_cast<uint32_t>(in.tile_q_step);
    dut_->plane_y_step_i = static_cast<uint32_t>(in.plane_y_step);
}

std::string hex(uint64_t value) {
    char text[32];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
    return text;
}

void Bench::run(const RunSpec& spec, Stats& stats, bool verbose) {
    const actref::Conv& conv = spec.conv;
    const actref::Layout layout = actref::make_layout(conv, kBanks);
    if (layout.words > static_cast<long>(kBanks) * kDepth) throw Failure("layer does not fit the buffer");
    const actref::Im2colInputs in = actref::im2col_inputs(conv, layout, kCols);
    const long n_words = conv.input_words();
    const long n_beats = actref::beats(conv, kCols, spec.groups);
    const long n_tiles = actref::tiles(conv, kCols);
    const int chunks = conv.chunks();

    actref::Image image;
    image.conv = conv;
    const uint64_t word_mask = kWordW == 64 ? ~uint64_t{0} : (uint64_t{1} << kWordW) - 1;
    for (long i = 0; i < n_words; ++i) image.words.push_back(rng_() & word_mask);

    // expected write sequence
    std::vector<long> write_q(n_words);
    {
        long k = 0;
        for (int iy = 0; iy < conv.height; ++iy)
            for (int ix = 0; ix < conv.width; ++ix)
                for (int cg = 0; cg < conv.groups; ++cg) write_q[k++] = actref::word_index(conv, layout, iy, ix, cg);
        std::set<long> distinct(write_q.begin(), write_q.end());
        if (static_cast<long>(distinct.size()) != n_words) throw Failure("reference layout maps two words to one index");
        for (long q : write_q)
            if (q < 0 || q >= layout.words) throw Failure("reference layout index outside the layer's words");
    }
    std::vector<long> written(static_cast<std::size_t>(kBanks) * kDepth, -1);  // write cycle per q
    std::vector<long> row_written(conv.height, -1);

    drive_descriptor(conv, layout, in, spec.groups);
    Traffic source(rng_, spec.writer_always_valid), sink(rng_, spec.always_ready);

    const long w_start = cycle_ + 1 + static_cast<long>(rng_() % 3);
    long r_start = spec.reader_delay >= 0 ? w_start + spec.reader_delay : -1;
    const long w_ready_from = w_start + actref::writer_init_cycles(conv, kDimW);
    long accepted = 0, writes = 0, last_accept = -1, w_done_cycle = -1, r_done_cycle = -1;
    bool offer = false;
    // im2col model
    long issued = 0, popped = 0, last_pop = -1, shown = 0;
    std::vector<long> issue_cycle;
    issue_cycle.reserve(n_beats);
    long first_valid_cycle = -1, gated_before = stats.gated_cycles;
    int rows_previous = 0;
    const long timeout = cycle_ + 2000 + 60 * n_words + 60 * n_beats;

    auto fail = [&](const std::string& what) {
        std::ostringstream text;
        text << "cycle " << cycle_ << ": " << what << " [" << conv.text() << " G=" << spec.groups
             << " PITCH=" << layout.pitch << " PLANE=" << layout.plane << " w_start=" << w_start
             << " r_start=" << r_start << (spec.always_ready ? " always-ready" : " back-pressure") << "]";
        throw Failure(text.str());
    };

    while (true) {
        const long now = cycle_;
        if (now > timeout) fail("timeout: accepted " + std::to_string(accepted) + "/" + std::to_string(n_words) +
                                " words, taken " + std::to_string(popped) + "/" + std::to_string(n_beats) + " beats");
        if (r_start < 0 && w_done_cycle >= 0) r_start = now + static_cast<long>(rng_() % 4);
        // ---- inputs
        dut_->w_start_i = (now == w_start);
        dut_->r_start_i = (now == r_start);
        if (!offer && accepted < n_words && source.next()) offer = true;
        dut_->s_valid_i = offer;
        dut_->s_data_i = offer ? image.words[accepted] : (rng_() & word_mask);
        const bool ready = sink.next();
        dut_->a_ready_i = ready;
        dut_->eval();

        // ---- writer
        const bool s_ready_expected = now >= w_ready_from && accepted < n_words;
        if (dut_->s_ready_o != s_ready_expected)
            fail("writer s_ready_o = " + std::to_string(dut_->s_ready_o) + ", expected " +
                 std::to_string(s_ready_expected));
        if (dut_->we_o) {
            if (writes >= n_words) fail("write beyond the run's words");
            if (now != last_accept + 1 || last_accept < 0) fail("write not one cycle after its acceptance");
            const long q = static_cast<long>(dut_->waddr_o);
            const uint64_t data = static_cast<uint64_t>(dut_->wdata_o);
            if (q != write_q[writes])
                fail("write " + std::to_string(writes) + ": q " + std::to_string(q) + ", expected " +
                     std::to_string(write_q[writes]));
            if (data != image.words[writes]) fail("write " + std::to_string(writes) + ": data " + hex(data));
            written[q] = now;
            if ((writes + 1) % (static_cast<long>(conv.width) * conv.groups) == 0)
                row_written[writes / (static_cast<long>(conv.width) * conv.groups)] = now;
            ++writes;
        }
        {
            int rows = 0;
            for (long c : row_written) rows += (c >= 0 && c < now);
            if (now <= w_start) rows = rows_before_;  // reset by start_i, from the next cycle
            if (static_cast<int>(dut_->rows_ready_o) != rows)
                fail("rows_ready_o = " + std::to_string(dut_->rows_ready_o) + ", expected " + std::to_string(rows));
        }
        const bool w_done_expected = (accepted == n_words && now == last_accept + 2);
        if (dut_->w_done_o != w_done_expected) fail("writer done_o = " + std::to_string(dut_->w_done_o));
        if (dut_->w_done_o) w_done_cycle = now;
        if (offer && dut_->s_ready_o) {
            ++accepted;
            last_accept = now;
            offer = false;
        }

        // ---- im2col: bank reads of the beat issued in the previous cycle
        {
            uint64_t expected_en = 0;
            std::vector<long> expected_row(kBanks, -1);
            if (!issue_cycle.empty() && issue_cycle.back() == now - 1) {
                const long n = issued - 1;
                const long tile = (n / chunks) % n_tiles;
                const int chunk = static_cast<int>(n % chunks);
                const std::vector<long> indices = actref::beat_indices(conv, layout, kCols, tile, chunk);
                std::set<long> banks_used;
                bool rotated = false;
                for (int c = 0; c < kCols; ++c) {
                    if (indices[c] < 0) continue;
                    const long bank = indices[c] % kBanks;
                    if (!banks_used.insert(bank).second) fail("reference beat reads bank " + std::to_string(bank) + " twice");
                    expected_en |= uint64_t{1} << bank;
                    expected_row[bank] = indices[c] / kBanks;
                    rotated |= (bank != c);
                }
                stats.rotated_beats += rotated;
            }
            const uint64_t en = static_cast<uint64_t>(dut_->rd_en_o);
            if (en != expected_en) fail("bank read enables " + hex(en) + ", expected " + hex(expected_en));
            const Words32 rows = words_of(dut_->rd_row_o);
            for (int b = 0; b < kBanks; ++b) {
                if (!((en >> b) & 1u)) continue;
                const long row = static_cast<long>(field(rows, b * kRowW, kRowW));
                if (row != expected_row[b])
                    fail("bank " + std::to_string(b) + " reads row " + std::to_string(row) + ", expected " +
                         std::to_string(expected_row[b]));
                const long q = row * kBanks + b;
                if (written[q] < 0 || written[q] >= now)
                    fail("bank " + std::to_string(b) + " reads q " + std::to_string(q) + " before it is written");
                ++stats.reads;
            }
        }
        // ---- im2col: the issue rule of the contract
        if (r_start >= 0 && now >= r_start + actref::im2col_first_issue(kCols) && issued < n_beats &&
            issued - popped < actref::kIm2colCredit) {
            const long tile = (issued / chunks) % n_tiles;
            const bool first_chunk = (issued % chunks) == 0;
            // the gate compares rows_ready_i of the previous cycle
            const bool rows_ok = !first_chunk || rows_previous >= actref::rows_needed(conv, kCols, tile);
            if (rows_ok) {
                issue_cycle.push_back(now);
                ++issued;
            } else {
                ++stats.gated_cycles;
            }
        }
        // ---- im2col: the output stream
        {
            while (shown < issued && issue_cycle[shown] + actref::kIm2colLatency <= now) ++shown;
            const bool valid_expected = shown > popped;
            if (dut_->a_valid_o != valid_expected) fail("a_valid_o = " + std::to_string(dut_->a_valid_o) + ", expected " +
                                                        std::to_string(valid_expected) + " (beat " +
                                                        std::to_string(popped) + ")");
            if (valid_expected) {
                if (first_valid_cycle < 0) first_valid_cycle = now;
                const long tile = (popped / chunks) % n_tiles;
                const int chunk = static_cast<int>(popped % chunks);
                const std::vector<uint64_t> expected = actref::beat_words(image, kCols, tile, chunk);
                const Words32 data = words_of(dut_->a_data_o);
                for (int c = 0; c < kCols; ++c) {
                    const uint64_t got = field(data, c * kWordW, kWordW);
                    if (got != expected[c])
                        fail("beat " + std::to_string(popped) + " (group " + std::to_string(popped / chunks / n_tiles) +
                             " tile " + std::to_string(tile) + " chunk " + std::to_string(chunk) + ") column " +
                             std::to_string(c) + ": " + hex(got) + ", expected " + hex(expected[c]));
                }
                if (ready) {
                    for (int c = 0; c < kCols; ++c) stats.zero_words += (expected[c] == 0);
                    ++popped;
                    last_pop = now;
                } else {
                    ++stats.stalled_cycles;
                }
            }
        }
        rows_previous = static_cast<int>(dut_->rows_ready_o);
        const bool r_done_expected = (popped == n_beats && now == last_pop + 1);
        if (dut_->r_done_o != r_done_expected) fail("im2col done_o = " + std::to_string(dut_->r_done_o));
        if (dut_->r_done_o) r_done_cycle = now;
        if (dut_->r_busy_o != (r_start >= 0 && now > r_start && r_done_cycle < 0))
            fail("im2col busy_o = " + std::to_string(dut_->r_busy_o));
            tick();
        if (w_done_cycle >= 0 && r_done_cycle >= 0) break;
    }
    rows_before_ = conv.height;
    dut_->w_start_i = 0;
    dut_->r_start_i = 0;
    dut_->s_valid_i = 0;
    // the documented always-ready timing, stated directly: with every row already in
    // the buffer, the first beat is valid C+5 cycles after start_i and then one per cycle
    if (spec.always_ready && spec.reader_delay < 0) {
        const long first = r_start + actref::im2col_first_issue(kCols) + actref::kIm2colLatency;
        if (first_valid_cycle != first) fail("first beat at " + std::to_string(first_valid_cycle) + ", expected " + std::to_string(first));
        if (last_pop != first + n_beats - 1) fail("beats not back to back after the rows were written");
    }
    if (verbose)
        std::printf("  run %ld: %s G=%d, %s, writer %s, im2col start %s: %ld beats, first valid at start+%ld, "
                    "last taken at start+%ld, %ld row-gated cycles\n",
                    stats.runs, conv.text().c_str(), spec.groups, spec.always_ready ? "always ready" : "back-pressure",
                    spec.writer_always_valid ? "always valid" : "random valid gaps",
                    spec.reader_delay < 0 ? "after the writer's done" : "with the writer", n_beats,
                    first_valid_cycle - r_start, last_pop - r_start, stats.gated_cycles - gated_before);
    stats.runs += 1;
    stats.beats += n_beats;
    stats.words += n_words;
    stats.always_ready_runs += spec.always_ready;
}

actref::Conv random_conv(std::mt19937_64& rng) {
    while (true) {
        auto pick = [&](int low, int high) { return low + static_cast<int>(rng() % (high - low + 1)); };
        const int h = pick(1, 20), w = pick(1, 20), cg = pick(1, 3);
        const int kh = pick(1, 7), kw = pick(1, 7), s = pick(1, 4);
        const int pt = pick(0, std::min(3, kh - 1)), pl = pick(0, std::min(3, kw - 1));
        const int pb = pick(0, std::min(3, kh - 1)), pr = pick(0, std::min(3, kw - 1));
        if (h + pt + pb < kh || w + pl + pr < kw) continue;
        const actref::Conv conv = actref::make_conv(h, w, cg, kh, kw, s, pt, pl, pb, pr);
        if (actref::make_layout(conv, kBanks).words > static_cast<long>(kBanks) * kDepth) continue;
        return conv;
    }
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t seed = 1;
    int runs = 40;
    bool resnet = false, verbose = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
        else if (arg == "--runs" && i + 1 < argc) runs = std::stoi(argv[++i]);
        else if (arg == "--resnet") resnet = true;
        else if (arg == "--verbose") verbose = true;
        else if (arg.rfind("+verilator", 0) == 0) continue;
        else {
            std::fprintf(stderr, "usage: tb [--seed N] [--runs N] [--resnet] [--verbose]\n");
            return 2;
        }
    }
    const std::string name = "tb_act C=" + std::to_string(kCols) + " NB=" + std::to_string(kBanks) +
                             " WORD_W=" + std::to_string(kWordW) + " DEPTH=" + std::to_string(kDepth);
    Stats stats;
    int run_index = 0;
    try {
        Bench bench(seed);
        std::vector<RunSpec> specs;
        if (resnet) {
            // ResNet-like: 14x14, CG = 4 (L = 8, A = 8), 3x3, pad 1, s = 1 and s = 2
            for (int s : {1, 2}) {
                for (int mode = 0; mode < 3; ++mode) {
                    RunSpec spec;
                    spec.conv = actref::make_conv(14, 14, 4, 3, 3, s, 1, 1, 1, 1);
                    spec.groups = 2;
                    spec.always_ready = (mode != 1);
                    spec.writer_always_valid = (mode == 0);
                    spec.reader_delay = mode == 2 ? -1 : 0;
                    specs.push_back(spec);
                }
            }
        } else {
            for (int i = 0; i < runs; ++i) {
                std::mt19937_64& rng = bench.rng();
                RunSpec spec;
                spec.conv = random_conv(rng);
                spec.groups = 1 + static_cast<int>(rng() % 3);
                spec.always_ready = (rng() % 5) < 2;
                spec.writer_always_valid = (rng() % 4) == 0;
                const int mode = static_cast<int>(rng() % 20);
                spec.reader_delay = mode < 14 ? 0 : mode < 17 ? static_cast<int>(rng() % 300) : -1;
                specs.push_back(spec);
            }
        }
        for (const RunSpec& spec : specs) {
            if (bench.rng()() % 10 == 0) bench.reset();
            bench.run(spec, stats, verbose);
            ++run_index;
        }
    } catch (const std::exception& error) {
        std::printf("FAIL %s seed %llu run %d: %s\n", name.c_str(), static_cast<unsigned long long>(seed), run_index,
                    error.what());
        return 1;
    }
    std::printf("PASS %s seed %llu: %ld runs (%ld always-ready), %ld beats, %ld words written, %ld bank reads, "
                "%ld zero words, %ld rotated beats, %ld row-gated and %ld back-pressured cycles\n",
                name.c_str(), static_cast<unsigned long long>(seed), stats.runs, stats.always_ready_runs, stats.beats,
                stats.words, stats.reads, stats.zero_words, stats.rotated_beats, stats.gated_cycles,
                stats.stalled_cycles);
    return 0;
}
