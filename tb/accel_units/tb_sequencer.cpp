// Testbench of fwmac_sequencer (parameters from the build, -DTB_*): a C++ stand-in of
// fwmac_group_buffer (two banks: header fields, weight and parameter words, full flags;
// reads answer in the next cycle and hold, release_i clears full from the next cycle)
// and of the loader (group g goes into bank g mod 2 once that bank is free, after a random
// delay), four sinks with random ready (cmd, w, p, tile info). Per run (random G, T,
// CHUNKS, per-group planes, V, spans and real mask, last-tile pixels) it checks in every
// cycle:
//   - every beat taken on cmd, w, p and tile info equals the next one of its stream:
//       cmd   for g, t: {CHUNKS, planes_g, spans_g}
//       w     for g, t, i < CHUNKS x planes_g: weight word i of group g
//       p     for g, t, i < V_g: parameter word i of group g
//       tile  for g, t: {t = T-1 ? last-tile pixels : C, V_g, real_g, last = (g, t) final}
//   - a beat shown with valid && !ready is shown unchanged in the next cycle;
//   - reads only from a full bank, at addresses inside the group's words;
//   - release_o[b] pulses only for a full bank, once per group, and only after all four
//     streams have finished that group (every beat of it taken on cmd and tile, every read
//     of it issued on w and p); a group is never released before the loader wrote it;
//   - done_o is low while anything of the run is left, and rises once everything is taken.
// Timing runs (G <= 2 preloaded, every sink always ready): w and p deliver one beat per
// cycle from their first to their last (FIFO_DEPTH >= 3; two per three cycles with
// FIFO_DEPTH = 2), with the first beat at most 3 cycles after start.
// Options: --seed N, --runs N; TB_TRACE=1 prints the ports every cycle. Prints one PASS/FAIL line.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vdut.h"
#include "verilated.h"

#if !defined(TB_COLS) || !defined(TB_VMAX) || !defined(TB_CHUNK_W) || !defined(TB_PLANE_W) || \
    !defined(TB_SPANS_W) || !defined(TB_WGT_W) || !defined(TB_PARAM_W) || !defined(TB_WADDR_W) || \
    !defined(TB_DIM_W) || !defined(TB_FIFO_DEPTH)
#error "build with the DUT's parameters as -DTB_<NAME>=<value>"
#endif

namespace {

constexpr int kCols = TB_COLS, kVmax = TB_VMAX, kChunkW = TB_CHUNK_W, kPlaneW = TB_PLANE_W;
constexpr int kSpansW = TB_SPANS_W, kWgtW = TB_WGT_W, kParamW = TB_PARAM_W, kWaddrW = TB_WADDR_W;
constexpr int kDimW = TB_DIM_W;
static_assert(kWgtW <= 64 && kParamW <= 64 && 2 * kDimW <= 64 && 2 * kVmax <= 64 && 2 * kSpansW <= 64,
              "this testbench drives ports of up to 64 bits");

uint64_t mask(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

struct Group {
    int planes = 1, rows = 1;  // b_g and V
    uint64_t spans = 0, real = 0;
    std::vector<uint64_t> weights, params;
};

struct Run {
    int tiles = 1, chunks = 1, last_pixels = 1;
    std::vector<Group> groups;
    bool timing = false;
};

struct CmdBeat {
    uint64_t chunks, planes, spans;
    bool operator==(const CmdBeat& o) const { return chunks == o.chunks && planes == o.planes && spans == o.spans; }
};
struct TileBeat {
    uint64_t pixels, beats, real;
    bool last;
    bool operator==(const TileBeat& o) const {
        return pixels == o.pixels && beats == o.beats && real == o.real && last == o.last;
    }
};

class Failure : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class SequencerTest {
  public:
    explicit SequencerTest(uint64_t seed) : rng_(seed), context_(std::make_unique<VerilatedContext>()) {
        context_->randReset(2);
        top_ = std::make_unique<Vdut>(context_.get());
    }

    Run random_run(bool timing) {
        Run run;
        run.timing = timing;
        const int max_planes = static_cast<int>(mask(kPlaneW));
        const int groups = timing ? 1 + pick(2) : 1 + pick(5);
        run.tiles = 1 + pick(timing ? 4 : 6);
        const int max_words = 1 << kWaddrW;
        run.chunks = 1 + pick(std::min<int>(6, static_cast<int>(mask(kChunkW))));
        while (run.chunks > max_words) --run.chunks;
        run.last_pixels = 1 + pick(kCols);
        for (int g = 0; g < groups; ++g) {
            Group group;
            group.planes = 1 + pick(max_planes);
            while (run.chunks * group.planes > max_words) --group.planes;
            group.rows = 1 + pick(kVmax);
            group.spans = rng_() & mask(kSpansW);
            group.real = rng_() & mask(group.rows);
            for (int i = 0; i < run.chunks * group.planes; ++i) group.weights.push_back(rng_() & mask(kWgtW));
            for (int i = 0; i < group.rows; ++i) group.params.push_back(rng_() & mask(kParamW));
            run.groups.push_back(group);
        }
        return run;
    }

    void reset() {
        top_->rst_ni = 0;
        top_->start_i = 0;
        full_[0] = full_[1] = false;
        header_[0] = header_[1] = nullptr;
        top_->groups_i = top_->tiles_i = top_->chunks_i = top_->last_tile_pixels_i = 1;
        drive_banks();
        drive_sinks(true);
        for (int i = 0; i < 3; ++i) tick();
        top_->rst_ni = 1;
    }

    // Runs `run` to its end; returns the cycles from start to done.
    long execute(const Run& run) {
        const int groups = static_cast<int>(run.groups.size());
        // expected streams
        std::deque<CmdBeat> cmd;
        std::deque<uint64_t> weights, params;
        std::deque<TileBeat> tiles;
        for (int g = 0; g < groups; ++g) {
            const Group& group = run.groups[static_cast<std::size_t>(g)];
            for (int t = 0; t < run.tiles; ++t) {
                cmd.push_back({static_cast<uint64_t>(run.chunks) & mask(kChunkW), static_cast<uint64_t>(group.planes),
                               group.spans});
                for (uint64_t w : group.weights) weights.push_back(w);
                for (uint64_t p : group.params) params.push_back(p);
                const bool last_tile = t == run.tiles - 1;
                tiles.push_back({static_cast<uint64_t>(last_tile ? run.last_pixels : kCols),
                                 static_cast<uint64_t>(group.rows), group.real, last_tile && g == groups - 1});
            }
        }
        // per group: items left per streamer before it may be released
        std::vector<long> cmd_left(static_cast<std::size_t>(groups), run.tiles), tile_left = cmd_left;
        std::vector<long> w_left(static_cast<std::size_t>(groups)), p_left(static_cast<std::size_t>(groups));
        for (int g = 0; g < groups; ++g) {
            w_left[static_cast<std::size_t>(g)] =
                static_cast<long>(run.tiles) * run.groups[static_cast<std::size_t>(g)].weights.size();
            p_left[static_cast<std::size_t>(g)] =
                static_cast<long>(run.tiles) * run.groups[static_cast<std::size_t>(g)].params.size();
        }
        // descriptor
        top_->groups_i = static_cast<uint32_t>(groups);
        top_->tiles_i = static_cast<uint32_t>(run.tiles);
        top_->chunks_i = static_cast<uint32_t>(run.chunks);
        top_->last_tile_pixels_i = static_cast<uint32_t>(run.last_pixels);
        // the loader stand-in: next group to load, the cycle it lands; groups in the banks
        int next_load = 0;
        long load_at = 0;
        int bank_group[2] = {-1, -1};
        bool released_once[2] = {false, false};
        if (run.timing) {
            for (; next_load < groups; ++next_load) load(run, next_load, bank_group);
        }
        // where each streamer is: the group the next read / beat belongs to
        std::size_t w_group = 0, p_group = 0;
        long w_in_group = 0, p_in_group = 0;
        pending_w_ = pending_p_ = false;
        // stability of stalled beats
        bool cmd_stalled = false, w_stalled = false, p_stalled = false, tile_stalled = false;
        CmdBeat last_cmd{};
        TileBeat last_tile{};
        uint64_t last_w = 0, last_p = 0;
        long first_w = -1, last_w_cycle = -1, first_p = -1, last_p_cycle = -1, w_beats = 0, p_beats = 0;

        top_->start_i = 1;
        drive_sinks(run.timing);
        drive_banks();
        tick();
        top_->start_i = 0;
        long cycle = 1;
        const long limit = 20000 + 40L * static_cast<long>(weights.size() + params.size() + cmd.size());
        for (;; ++cycle) {
            if (cycle > limit) throw Failure("no progress (cycle limit)");
            // the loader: the next group lands in its bank once the bank is free, after a delay
            if (!run.timing && next_load < groups) {
                const int bank = next_load % 2;
                if (!full_[bank] && bank_group[bank] != next_load) {
                    if (load_at == 0) load_at = cycle + pick(30);
                    if (cycle >= load_at) {
                        load(run, next_load, bank_group);
                        ++next_load;
                        load_at = 0;
                    }
                }
            }
            drive_sinks(run.timing);
            drive_banks();
            top_->eval();

            // outputs of this cycle
            if (trace_) {
                std::printf("cycle %ld full %d%d cmd v%d r%d planes_o %u | w re%d bank%d addr%u v%d | p re%d | ti v%d | rel %u done %d\n",
                            cycle, full_[1], full_[0], top_->cmd_valid_o, top_->cmd_ready_i,
                            static_cast<unsigned>(top_->cmd_planes_o), top_->w_re_o, top_->w_bank_o,
                            static_cast<unsigned>(top_->w_addr_o), top_->w_valid_o, top_->p_re_o, top_->ti_valid_o,
                            static_cast<unsigned>(top_->release_o), top_->done_o);
            }
            const bool cmd_valid = top_->cmd_valid_o, w_valid = top_->w_valid_o, p_valid = top_->p_valid_o;
            const bool tile_valid = top_->ti_valid_o;
            const CmdBeat cmd_beat{top_->cmd_chunks_o, top_->cmd_planes_o, static_cast<uint64_t>(top_->cmd_spans_o)};
            const TileBeat tile_beat{top_->ti_pixels_o, top_->ti_beats_o, static_cast<uint64_t>(top_->ti_real_o),
                                     top_->ti_last_o != 0};
            const uint64_t w_data = top_->w_data_o, p_data = top_->p_data_o;
            if (cmd_stalled && !(cmd_valid && cmd_beat == last_cmd)) fail(cycle, "a stalled cmd beat changed");
            if (tile_stalled && !(tile_valid && tile_beat == last_tile)) fail(cycle, "a stalled tile beat changed");
            if (w_stalled && !(w_valid && w_data == last_w)) fail(cycle, "a stalled w beat changed");
            if (p_stalled && !(p_valid && p_data == last_p)) fail(cycle, "a stalled p beat changed");

            if (cmd_valid && top_->cmd_ready_i) {
                if (cmd.empty()) fail(cycle, "a cmd beat past the run's end");
                if (!(cmd_beat == cmd.front())) {
                    fail(cycle, "cmd beat differs: chunks " + std::to_string(cmd_beat.chunks) + " planes " +
                                    std::to_string(cmd_beat.planes) + " spans " + std::to_string(cmd_beat.spans) +
                                    ", expected " + std::to_string(cmd.front().chunks) + " " +
                                    std::to_string(cmd.front().planes) + " " + std::to_string(cmd.front().spans));
                }
                cmd.pop_front();
                --cmd_left[static_cast<std::size_t>(groups - 1 - (static_cast<int>(cmd.size()) / run.tiles))];
            }
            if (tile_valid && top_->ti_ready_i) {
                if (tiles.empty()) fail(cycle, "a tile beat past the run's end");
                if (!(tile_beat == tiles.front())) {
                    fail(cycle, "tile beat differs: pixels " + std::to_string(tile_beat.pixels) + " beats " +
                                    std::to_string(tile_beat.beats) + " real " + std::to_string(tile_beat.real) +
                                    " last " + std::to_string(tile_beat.last) + ", expected pixels " +
                                    std::to_string(tiles.front().pixels) + " beats " +
                                    std::to_string(tiles.front().beats) + " real " +
                                    std::to_string(tiles.front().real) + " last " + std::to_string(tiles.front().last));
                }
                tiles.pop_front();
                --tile_left[static_cast<std::size_t>(groups - 1 - (static_cast<int>(tiles.size()) / run.tiles))];
            }
            if (w_valid && top_->w_ready_i) {
                if (weights.empty()) fail(cycle, "a w beat past the run's end");
                if (w_data != weights.front()) fail(cycle, "w beat differs");
                weights.pop_front();
                if (first_w < 0) first_w = cycle;
                last_w_cycle = cycle;
                ++w_beats;
            }
            if (p_valid && top_->p_ready_i) {
                if (params.empty()) fail(cycle, "a p beat past the run's end");
                if (p_data != params.front()) fail(cycle, "p beat differs");
                params.pop_front();
                if (first_p < 0) first_p = cycle;
                last_p_cycle = cycle;
                ++p_beats;
            }
            // reads: from a full bank holding the streamer's group, inside its words
            if (top_->w_re_o) {
                if (w_group >= run.groups.size()) fail(cycle, "a weight read past the run's end");
                const int bank = top_->w_bank_o;
                if (!full_[bank] || bank_group[bank] != static_cast<int>(w_group)) {
                    fail(cycle, "a weight read from a bank that does not hold the group");
                }
                const std::size_t words = run.groups[w_group].weights.size();
                if (top_->w_addr_o >= words) fail(cycle, "a weight read outside the group's words");
                if (top_->w_addr_o != static_cast<uint64_t>(w_in_group % static_cast<long>(words))) {
                    fail(cycle, "weight reads out of order");
                }
                read_w_ = run.groups[w_group].weights[top_->w_addr_o];
                pending_w_ = true;
                --w_left[w_group];
                if (++w_in_group == static_cast<long>(words) * run.tiles) {
                    ++w_group;
                    w_in_group = 0;
                }
            }
            if (top_->p_re_o) {
                if (p_group >= run.groups.size()) fail(cycle, "a parameter read past the run's end");
                const int bank = top_->p_bank_o;
                if (!full_[bank] || bank_group[bank] != static_cast<int>(p_group)) {
                    fail(cycle, "a parameter read from a bank that does not hold the group");
                }
                const std::size_t words = run.groups[p_group].params.size();
                if (top_->p_index_o >= words) fail(cycle, "a parameter read outside the group's words");
                read_p_ = run.groups[p_group].params[top_->p_index_o];
                pending_p_ = true;
                --p_left[p_group];
                if (++p_in_group == static_cast<long>(words) * run.tiles) {
                    ++p_group;
                    p_in_group = 0;
                }
            }
            // releases: once per group, only when every streamer has finished it
            for (int bank = 0; bank < 2; ++bank) {
                if (!((top_->release_o >> bank) & 1u)) continue;
                const int g = bank_group[bank];
                if (!full_[bank] || g < 0) fail(cycle, "release of a bank that is not full");
                const auto gi = static_cast<std::size_t>(g);
                if (cmd_left[gi] != 0 || tile_left[gi] != 0 || w_left[gi] != 0 || p_left[gi] != 0) {
                    fail(cycle, "bank " + std::to_string(bank) + " released before group " + std::to_string(g) +
                                    " was finished");
                }
                released_once[bank] = true;
                release_next_[bank] = true;
            }
            const bool all_taken = cmd.empty() && tiles.empty() && weights.empty() && params.empty();
            if (top_->done_o && !all_taken) fail(cycle, "done_o while the run has beats left");

            cmd_stalled = cmd_valid && !top_->cmd_ready_i;
            tile_stalled = tile_valid && !top_->ti_ready_i;
            w_stalled = w_valid && !top_->w_ready_i;
            p_stalled = p_valid && !top_->p_ready_i;
            last_cmd = cmd_beat;
            last_tile = tile_beat;
            last_w = w_data;
            last_p = p_data;
            tick();
            if (all_taken) {
                top_->eval();
                if (!top_->done_o) {
                    // done_o follows the last beat within a cycle
                    tick();
                    top_->eval();
                    if (!top_->done_o) fail(cycle, "done_o not up after the run's last beat");
                }
                break;
            }
        }
        // every group loaded was released, and the banks end empty
        for (int bank = 0; bank < 2; ++bank) {
            if (full_[bank]) fail(cycle, "bank " + std::to_string(bank) + " still full at the run's end");
        }
        (void)released_once;
        if (run.timing) {
            if (first_w > 3 || first_p > 3) fail(cycle, "the first w/p beat came later than 3 cycles after start");
            // a read, its word in the FIFO, its pop and the freed credit take 3 cycles: full rate
            // needs FIFO_DEPTH >= 3, FIFO_DEPTH = 2 gives two beats every three cycles
            auto span_ok = [](long first, long last, long beats) {
                const long span = last - first + 1;
                return TB_FIFO_DEPTH >= 3 ? span == beats : span <= (3 * beats - 1) / 2;
            };
            if (!span_ok(first_w, last_w_cycle, w_beats)) fail(cycle, "w slower than its rate");
            if (!span_ok(first_p, last_p_cycle, p_beats)) fail(cycle, "p slower than its rate");
        }
        ++runs_;
        beats_ += w_beats + p_beats;
        return cycle;
    }

    long runs() const { return runs_; }
    long beats() const { return beats_; }

  private:
    int pick(int n) { return n <= 0 ? 0 : static_cast<int>(rng_() % static_cast<uint64_t>(n)); }

    void load(const Run& run, int g, int bank_group[2]) {
        const int bank = g % 2;
        bank_group[bank] = g;
        loading_next_[bank] = true;  // full from the next cycle (group_loaded -> full_o)
        (void)run;
        header_[bank] = &run.groups[static_cast<std::size_t>(g)];
        if (run.timing) {  // preloaded before the start
            full_[bank] = true;
            loading_next_[bank] = false;
        }
    }

    void drive_sinks(bool always) {
        auto ready = [&](double p) { return always || std::uniform_real_distribution<double>(0, 1)(rng_) < p; };
        if (phase_left_-- <= 0) {
            phase_left_ = 1 + pick(200);
            const double choices[] = {1.0, 0.9, 0.5, 0.2};
            ready_p_ = choices[pick(4)];
        }
        top_->cmd_ready_i = ready(ready_p_);
        top_->w_ready_i = ready(ready_p_);
        top_->p_ready_i = ready(ready_p_);
        top_->ti_ready_i = ready(ready_p_);
    }

    void drive_banks() {
        top_->bank_full_i = (full_[0] ? 1u : 0u) | (full_[1] ? 2u : 0u);
        uint64_t planes = 0, rows = 0, spans = 0, real = 0;
        for (int bank = 0; bank < 2; ++bank) {
            const Group* group = header_[bank];
            if (!group) continue;
            planes |= static_cast<uint64_t>(group->planes) << (bank * kPlaneW);
            rows |= static_cast<uint64_t>(group->rows) << (bank * kDimW);
            spans |= group->spans << (bank * kSpansW);
            real |= group->real << (bank * kVmax);
        }
        top_->hdr_planes_i = planes;
        top_->hdr_drain_rows_i = rows;
        top_->hdr_spans_i = spans;
        top_->hdr_real_beats_i = real;
        top_->w_rdata_i = w_rdata_;
        top_->p_rdata_i = p_rdata_;
    }

    void tick() {
        top_->clk_i = 0;
        top_->eval();
        top_->clk_i = 1;
        top_->eval();
        context_->timeInc(1);
        // the group buffer stand-in's registers
        if (pending_w_) w_rdata_ = read_w_;
        if (pending_p_) p_rdata_ = read_p_;
        pending_w_ = pending_p_ = false;
        for (int bank = 0; bank < 2; ++bank) {
            if (release_next_[bank]) full_[bank] = false;
            if (loading_next_[bank]) full_[bank] = true;
            release_next_[bank] = loading_next_[bank] = false;
        }
        top_->clk_i = 0;
    }

    [[noreturn]] void fail(long cycle, const std::string& what) {
        throw Failure("cycle " + std::to_string(cycle) + ": " + what);
    }

    std::mt19937_64 rng_;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> top_;
    bool full_[2] = {false, false}, release_next_[2] = {false, false}, loading_next_[2] = {false, false};
    const Group* header_[2] = {nullptr, nullptr};
    uint64_t w_rdata_ = 0, p_rdata_ = 0, read_w_ = 0, read_p_ = 0;
    bool pending_w_ = false, pending_p_ = false;
    int phase_left_ = 0;
    double ready_p_ = 1.0;
    long runs_ = 0, beats_ = 0;
    bool trace_ = std::getenv("TB_TRACE") != nullptr;
};

}  // namespace

int main(int argc, char** argv) {
    uint64_t seed = 1;
    int runs = 40;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
        else if (arg == "--runs" && i + 1 < argc) runs = std::stoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: tb [--seed N] [--runs N]\n");
            return 2;
        }
    }
    const std::string params = "COLS=" + std::to_string(kCols) + " VMAX=" + std::to_string(kVmax) +
                               " FIFO_DEPTH=" + std::to_string(TB_FIFO_DEPTH);
    int index = 0;
    try {
        SequencerTest test(seed);
        test.reset();
        long timing_runs = 0;
        for (index = 0; index < runs; ++index) {
            const bool timing = index % 4 == 0;
            test.execute(test.random_run(timing));
            if (timing) ++timing_runs;
            if (index % 7 == 6) test.reset();
        }
        std::printf("PASS tb_sequencer %s seed %llu: %ld runs (%ld timing), %ld w + p beats\n", params.c_str(),
                    static_cast<unsigned long long>(seed), test.runs(), timing_runs, test.beats());
        return 0;
    } catch (const std::exception& error) {
        std::printf("FAIL tb_sequencer %s seed %llu run %d: %s (rerun: --seed %llu --runs %d)\n", params.c_str(),
                    static_cast<unsigned long long>(seed), index, error.what(), static_cast<unsigned long long>(seed),
                    index + 1);
        return 1;
    }
}
