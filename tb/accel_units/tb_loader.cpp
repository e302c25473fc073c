// Verilator testbench of fwmac_loader + fwmac_group_buffer (tb_loader_top).
//
// Every cycle the outputs are compared with the cycle model of the documented timing
// contract (loader::LoaderModel: tready, busy, done, error, every write strobe, address
// and word, group_loaded, the act stream), the group buffer's full flags with their own
// contract, and writes to a full bank are refused. End to end, the packet comes from the
// section packer (loader::pack), a consumer reads every bank back through the read ports
// after a random delay (header fields, every parameter and weight word in random order,
// the hold of the read data) and releases it, and an act sink with random tready compares
// the activation words with the run's. Runs:
//   random     random runs (G 1..5, headers, CHUNKS, ACT_WORDS), random source gaps and
//              act back-pressure, random release delays;
//   timing     always-valid source, always-ready act sink, banks released as soon as
//              full: done must come exactly 1 + sum of the sections' cycles after start_i;
//   malformed  early tlast, missing tlast with and without extra beats, a short packet
//              (then aborted by start_i), bad headers, G = 0 and an empty run.
#include "Vdut.h"
#include "axis_bfm.hpp"
#include "loader_model.hpp"

#include <verilated.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>

using loader::Config;
using loader::Group;
using loader::Run;
using tb::Bits;

namespace {

Config config_from_build() {
    return Config{TB_BUS_W,  TB_ROWS,  TB_SLOTS,      TB_PLANE_W, TB_VROW_W,  TB_SPAN_W, TB_PARAM_W,
                  TB_WGT_W,  TB_ACT_W, TB_WBUF_WORDS, TB_GROUP_W, TB_CHUNK_W, TB_ACTN_W};
}

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Reads back each loaded bank (in load order) and releases it.
class Consumer {
  public:
    struct Expected {
        int bank;
        Group group;
    };
    Consumer(const Config& config, uint64_t seed) : config_(config), rng_(seed) {}

    void set_instant(bool instant) { instant_ = instant; }
    void set_max_delay(int cycles) { max_delay_ = cycles; }
    void expect(int bank, const Group& group) { queue_.push_back(Expected{bank, group}); }
    bool idle() const { return queue_.empty(); }
    long verified() const { return verified_; }
    long reads() const { return reads_; }
    unsigned releasing() const { return release_; }

    // inputs of this cycle; full is the buffer's full_o of this cycle (a register)
    void drive(Vdut& dut) {
        dut.prm_re_i = 0;
        dut.wgt_re_i = 0;
        release_ = 0;
        prm_issued_ = wgt_issued_ = false;
        if (queue_.empty()) {
            dut.release_i = 0;
            return;
        }
        Expected& head = queue_.front();
        const bool full = (dut.full_o >> head.bank) & 1u;
        if (phase_ == kWait && full) {
            if (instant_) {
                release_ = 1u << head.bank;
                phase_ = kDone;
            } else {
                delay_ = static_cast<int>(rng_() % static_cast<uint64_t>(max_delay_ + 1));
                phase_ = kDelay;
                plan_reads(head);
            }
        }
        if (phase_ == kDelay && delay_-- <= 0) {
            check_header(dut, head);
            phase_ = kRead;
        }
        if (phase_ == kRead) {
            if (prm_next_ < prm_order_.size() && rng_() % 4 != 0) {
                dut.prm_re_i = 1;
                dut.prm_rbank_i = head.bank;
                dut.prm_raddr_i = prm_order_[prm_next_];
                prm_issued_ = true;
            }
            if (wgt_next_ < wgt_order_.size() && rng_() % 4 != 0) {
                dut.wgt_re_i = 1;
                dut.wgt_rbank_i = head.bank;
                dut.wgt_raddr_i = wgt_order_[wgt_next_];
                wgt_issued_ = true;
            }
            if (prm_next_ == prm_order_.size() && wgt_next_ == wgt_order_.size() && !prm_pending_ && !wgt_pending_) {
                release_ = 1u << head.bank;
                phase_ = kDone;
            }
        }
        dut.release_i = release_;
    }

    // after eval: read data of the previous cycle's reads, then note this cycle's
    void sample(Vdut& dut, long cycle) {
        if (queue_.empty()) return;
        Expected& head = queue_.front();
        Bits prm_now = tb::get(dut.prm_rdata_o, config_.param_w);
        Bits wgt_now = tb::get(dut.wgt_rdata_o, config_.wgt_w);
        if (prm_pending_) {
            const int index = prm_order_[prm_next_ - 1];
            if (prm_now != head.group.params[index])
                fail(cycle, "bank " + std::to_string(head.bank) + " param " + std::to_string(index) + " reads " +
                                prm_now.hex() + ", expected " + head.group.params[index].hex());
            prm_last_ = prm_now;
            prm_has_last_ = true;
        } else if (prm_has_last_ && prm_now != prm_last_) {
            fail(cycle, "param read data changed without a read");
        }
        if (wgt_pending_) {
            const int index = wgt_order_[wgt_next_ - 1];
            if (wgt_now != head.group.weights[index])
                fail(cycle, "bank " + std::to_string(head.bank) + " weight " + std::to_string(index) + " reads " +
                                wgt_now.hex() + ", expected " + head.group.weights[index].hex());
            wgt_last_ = wgt_now;
            wgt_has_last_ = true;
        } else if (wgt_has_last_ && wgt_now != wgt_last_) {
            fail(cycle, "weight read data changed without a read");
        }
        prm_pending_ = prm_issued_;
        wgt_pending_ = wgt_issued_;
        if (prm_issued_) ++prm_next_, ++reads_;
        if (wgt_issued_) ++wgt_next_, ++reads_;
        if (phase_ == kDone) {
            queue_.pop_front();
            phase_ = kWait;
            ++verified_;
        }
    }

  private:
    enum Phase { kWait, kDelay, kRead, kDone };

    void plan_reads(const Expected& head) {
        prm_order_.clear();
        wgt_order_.clear();
        for (int i = 0; i < std::min<int>(static_cast<int>(head.group.params.size()), config_.vmax()); ++i)
            prm_order_.push_back(i);
        for (int i = 0; i < std::min<int>(static_cast<int>(head.group.weights.size()), config_.wbuf_words); ++i)
            wgt_order_.push_back(i);
        std::shuffle(prm_order_.begin(), prm_order_.end(), rng_);
        std::shuffle(wgt_order_.begin(), wgt_order_.end(), rng_);
        prm_next_ = wgt_next_ = 0;
        prm_pending_ = wgt_pending_ = false;
    }

    void check_header(Vdut& dut, const Expected& head) {
        const int b = head.bank;
        const Group& g = head.group;
        auto field = [&](Bits all, int width) { return all.slice(b * width, width); };
        const int spans_port = config_.slots == 2 ? config_.rows * config_.span_w : 1;
        Bits planes = field(tb::get(dut.planes_o, 2 * config_.plane_w), config_.plane_w);
        Bits rows = field(tb::get(dut.drain_rows_o, 2 * config_.vrow_w), config_.vrow_w);
        Bits spans = field(tb::get(dut.spans_o, 2 * spans_port), spans_port);
        Bits real = field(tb::get(dut.real_rows_o, 2 * config_.vmax()), config_.vmax());
        Bits spans_expected(spans_port);
        if (config_.slots == 2)
            for (int r = 0; r < config_.rows; ++r)
                spans_expected.insert(r * config_.span_w, config_.span_w, g.spans[r]);
        if (planes.low64() != static_cast<uint64_t>(g.planes & ((1 << config_.plane_w) - 1)) ||
            rows.low64() != static_cast<uint64_t>(g.rows & ((1 << config_.vrow_w) - 1)) || spans != spans_expected ||
            real != g.real_rows)
            throw Failure("bank " + std::to_string(b) + " header fields planes " + planes.hex() + " rows " +
                          rows.hex() + " spans " + spans.hex() + " real " + real.hex() + ", expected planes " +
                          std::to_string(g.planes) + " rows " + std::to_string(g.rows) + " spans " +
                          spans_expected.hex() + " real " + g.real_rows.hex());
    }

    [[noreturn]] void fail(long cycle, const std::string& what) {
        throw Failure("cycle " + std::to_string(cycle) + ": consumer: " + what);
    }

    Config config_;
    std::mt19937_64 rng_;
    bool instant_ = false;
    int max_delay_ = 40;
    std::deque<Expected> queue_;
    Phase phase_ = kWait;
    int delay_ = 0;
    std::vector<int> prm_order_, wgt_order_;
    std::size_t prm_next_ = 0, wgt_next_ = 0;
    bool prm_issued_ = false, wgt_issued_ = false, prm_pending_ = false, wgt_pending_ = false;
    Bits prm_last_, wgt_last_;
    bool prm_has_last_ = false, wgt_has_last_ = false;
    unsigned release_ = 0;
    long verified_ = 0;
    long reads_ = 0;
};

class Bench {
  public:
    Bench(const Config& config, uint64_t seed)
        : config_(config), seed_(seed), rng_(seed), context_(std::make_unique<VerilatedContext>()),
          dut_(std::make_unique<Vdut>(context_.get())),
          source_("s_axis", seed * 7 + 1, axis::bind_source(dut_->s_axis_tdata_i, dut_->s_axis_tvalid_i,
                                                             dut_->s_axis_tready_o, dut_->s_axis_tlast_i),
                  config.bus_w),
          act_sink_("act", seed * 7 + 2,
                    axis::bind_sink(dut_->act_data_o, dut_->act_valid_o, dut_->act_ready_i, dut_->act_last_o,
                                    config.act_w)),
          consumer_(config, seed * 7 + 3), model_(config) {
        context_->randReset(2);
        reset();
    }

    // ------------------------------------------------------------ run kinds
    // a well-formed random run with the given traffic
    void random_run(const axis::Traffic& source, const axis::Traffic& act, int max_delay) {
        Run run = loader::random_run(config_, rng_);
        source_.set_traffic(source);
        act_sink_.set_traffic(act);
        consumer_.set_instant(false);
        consumer_.set_max_delay(max_delay);
        execute(run, loader::pack(config_, run), 0u, true);
        ++counts_.random;
    }

    // always valid, always ready, banks released when full: exact cycle count
    void timing_run() {
        Run run = loader::random_run(config_, rng_);
        source_.set_traffic(axis::Traffic::always());
        act_sink_.set_traffic(axis::Traffic::always());
        consumer_.set_instant(true);
        settle();
        long expected = 1;
        for (const auto& section : loader::sections_of(config_, run)) {
            const int container = tb::container_width(section.word_w);
            const long n = static_cast<long>(section.words.size());
            expected += container <= config_.bus_w ? n : n * (container / config_.bus_w);
        }
        execute(run, loader::pack(config_, run), 0u, true);
        if (done_cycle_ - start_cycle_ != expected)
            throw Failure("timing run: done " + std::to_string(done_cycle_ - start_cycle_) +
                          " cycles after start_i, expected " + std::to_string(expected));
        ++counts_.timing;
    }

    void malformed_runs() {
        source_.set_traffic(axis::Traffic::random(0.7));
        act_sink_.set_traffic(axis::Traffic::random(0.7));
        consumer_.set_instant(false);
        consumer_.set_max_delay(10);
        {  // tlast on an earlier beat too: flagged, the data still land
            Run run = loader::random_run(config_, rng_);
            auto beats = loader::pack(config_, run);
            if (beats.size() >= 2) {
                beats[rng_() % (beats.size() - 1)].last = true;
                execute(run, beats, 1u, true);
                ++counts_.malformed;
            }
        }
        {  // no tlast on the last beat, then extra beats (tlast on the last of them)
            Run run = loader::random_run(config_, rng_);
            auto beats = loader::pack(config_, run);
            beats.back().last = false;
            int extra = 1 + static_cast<int>(rng_() % 5);
            for (int i = 0; i < extra; ++i)
                beats.push_back(axis::Beat{Bits::random(config_.bus_w, rng_), Bits(), i == extra - 1});
            execute(run, beats, 2u | 4u, true);
            if (dut_->s_axis_tready_o) throw Failure("extra beats: tready still high after the tlast beat");
            ++counts_.malformed;
        }
        {  // no tlast on the last beat and nothing more: waits for beats, a new start_i recovers
            Run run = loader::random_run(config_, rng_);
            auto beats = loader::pack(config_, run);
            beats.back().last = false;
            execute(run, beats, 2u, true);
            for (int i = 0; i < 20; ++i) tick();
            if (!dut_->s_axis_tready_o) throw Failure("missing tlast: the loader does not take the next beats");
            ++counts_.malformed;
        }
        {  // a short packet: flagged at its tlast, the loader waits; start_i aborts it
            Run run = loader::random_run(config_, rng_);
            auto beats = loader::pack(config_, run);
            std::size_t keep = 1 + rng_() % beats.size();
            if (keep == beats.size()) --keep;
            if (keep >= 1) {
                beats.resize(keep);
                beats.back().last = true;
                execute(run, beats, 1u, false);
                for (int i = 0; i < 200; ++i) tick();
                if (!model_.busy() || !dut_->busy_o) throw Failure("short packet: the loader is not waiting");
                ++counts_.malformed;
            }
        }
        // a good run right after the abort
        random_run(axis::Traffic::bursty(), axis::Traffic::bursty(), 20);
        if (config_.vmax() < (1 << config_.vrow_w) - 1) {  // V > VMAX: words past VMAX not written
            Run run = loader::random_run(config_, rng_);
            Group& group = run.groups[rng_() % run.groups.size()];
            group.rows = config_.vmax() + 1;
            while (static_cast<int>(group.params.size()) < group.rows)
                group.params.push_back(Bits::random(config_.param_w, rng_));
            execute(run, loader::pack(config_, run), 8u, true);
            ++counts_.malformed;
        }
        {  // more weight words than WBUF_WORDS
            Run run = loader::random_run(config_, rng_);
            int max_planes = (1 << config_.plane_w) - 1;
            int chunks = std::min((1 << config_.chunk_w) - 1, config_.wbuf_words);
            if (static_cast<long>(chunks) * max_planes > config_.wbuf_words) {
                run.chunks = chunks;
                for (auto& group : run.groups) {
                    group.planes = 1 + config_.wbuf_words / chunks;
                    if (group.planes > max_planes) group.planes = max_planes;
                    group.weights.clear();
                    for (int w = 0; w < chunks * group.planes; ++w)
                        group.weights.push_back(Bits::random(config_.wgt_w, rng_));
                }
                execute(run, loader::pack(config_, run), 8u, true);
                ++counts_.malformed;
            }
        }
        {  // G = 0: the act section only
            Run run = loader::random_run(config_, rng_);
            run.groups.clear();
            if (run.acts.empty()) run.acts.push_back(Bits::random(config_.act_w, rng_));
            execute(run, loader::pack(config_, run), 0u, true);
            ++counts_.malformed;
        }
        {  // G = 0 and no act words: done at once, nothing taken
            Run run;
            run.chunks = 1;
            execute(run, {}, 0u, true);
            ++counts_.malformed;
        }
        {  // a group with zero planes and ACT_WORDS = 0: empty sections are skipped
            Run run = loader::random_run(config_, rng_, 3);
            run.acts.clear();
            Group& group = run.groups[rng_() % run.groups.size()];
            group.planes = 0;
            group.weights.clear();
            execute(run, loader::pack(config_, run), 8u, true);
            ++counts_.malformed;
        }
    }

    struct Counts {
        long random = 0, timing = 0, malformed = 0;
    };
    const Counts& counts() const { return counts_; }
    long cycles() const { return cycle_; }
    long beats() const { return source_.taken(); }
    long verified() const { return consumer_.verified(); }
    long reads() const { return consumer_.reads(); }
    long acts() const { return act_sink_.received(); }
    long stalls() const { return act_sink_.stalls_checked(); }

  private:
    void reset() {
        dut_->clk_i = 0;
        dut_->rst_ni = 0;
        dut_->start_i = 0;
        dut_->s_axis_tvalid_i = 0;
        dut_->act_ready_i = 0;
        dut_->prm_re_i = dut_->wgt_re_i = 0;
        dut_->release_i = 0;
        for (int i = 0; i < 3; ++i) {
            dut_->eval();
            dut_->clk_i = 1;
            dut_->eval();
            dut_->clk_i = 0;
        }
        dut_->rst_ni = 1;
        dut_->eval();
    }

    // waits until the loader is idle, every bank released and every act word taken
    void settle() {
        for (long guard = 0; !(consumer_.idle() && act_sink_.expected_left() == 0 && !model_.busy() &&
                               dut_->full_o == 0 && !dut_->act_valid_o);
             ++guard) {
            if (guard > 200000) throw Failure("settle: the environment does not drain");
            tick();
        }
    }

    // one run: the packet is offered (possibly before start_i if the loader idles), and
    // the run is followed until done and the banks and acts are verified (complete) or
    // until the source ran dry (not complete)
    void execute(const Run& run, const std::vector<axis::Beat>& beats, unsigned expected_error, bool complete) {
        run_ = run;
        act_received_.clear();
        if (getenv("TB_DEBUG")) std::fprintf(stderr, "run: G=%d acts=%zu cycle %ld\n", run.groups_count(), run.acts.size(), cycle_);
        bool early = !model_.busy() && !model_.flushing() && rng_() % 2 == 0;
        if (early) {
            for (const auto& beat : beats) source_.push(beat);
            int lead = static_cast<int>(rng_() % 6);
            for (int i = 0; i < lead; ++i) tick();
        }
        dut_->groups_i = run.groups_count();
        dut_->chunks_i = run.chunks;
        dut_->act_words_i = static_cast<uint32_t>(run.acts.size());
        model_.begin(run);
        start_ = true;
        start_cycle_ = cycle_;
        done_cycle_ = -1;
        done_count_ = 0;
        if (!early)
            for (const auto& beat : beats) source_.push(beat);
        tick();
        if (!complete) {
            for (long guard = 0; !source_.idle(); ++guard) {
                if (guard > 2000000) throw Failure("short packet: the loader stopped taking beats");
                tick();
            }
            return;
        }
        for (long guard = 0;; ++guard) {
            if (guard > 2000000) throw Failure("run did not finish (hang)");
            if (done_count_ > 0 && !model_.busy() && source_.idle() && consumer_.idle() &&
                act_sink_.expected_left() == 0)
                break;
            tick();
        }
        if (done_count_ != 1) throw Failure("done_o pulsed " + std::to_string(done_count_) + " times");
        if (dut_->error_o != expected_error)
            throw Failure("error_o = " + std::to_string(dut_->error_o) + ", expected " + std::to_string(expected_error));
        // end to end: the act words of the run, in order
        if (act_received_.size() != run.acts.size())
            throw Failure("act stream: " + std::to_string(act_received_.size()) + " words, expected " +
                          std::to_string(run.acts.size()));
        for (std::size_t i = 0; i < run.acts.size(); ++i)
            if (act_received_[i].data != run.acts[i] || act_received_[i].last != (i + 1 == run.acts.size()))
                throw Failure("act word " + std::to_string(i) + " is " + act_received_[i].text() + ", expected " +
                              run.acts[i].hex());
        act_received_.clear();
    }

    void tick() {
        dut_->start_i = start_;
        source_.drive();
        act_sink_.drive();
        consumer_.drive(*dut_);
        dut_->eval();

        loader::ModelIn in;
        in.start = start_;
        in.tvalid = dut_->s_axis_tvalid_i;
        in.tlast = dut_->s_axis_tlast_i;
        in.bank_free = dut_->bank_free_o;
        in.act_ready = dut_->act_ready_i;
        loader::ModelOut expected = model_.cycle(in);
        if (trace_)
            std::fprintf(stderr, "c%ld start %d tvalid %d tlast %d tready %d/%d free %u busy %d/%d we %d%d%d/%d%d%d err %u/%u\n",
                         cycle_, start_, in.tvalid, in.tlast, dut_->s_axis_tready_o, expected.tready, in.bank_free,
                         dut_->busy_o, expected.busy, dut_->hdr_we_o, dut_->prm_we_o, dut_->wgt_we_o,
                         expected.write.hdr, expected.write.prm, expected.write.wgt, dut_->error_o, expected.error);
        compare(expected);
        while (!model_.delivered_acts().empty()) {
            const auto& item = model_.delivered_acts().front();
            act_sink_.expect(axis::Beat{item.word, Bits(), item.section_last});
            model_.delivered_acts().pop_front();
        }
        while (!model_.loaded_log().empty()) {
            auto [bank, group] = model_.loaded_log().front();
            consumer_.expect(bank, run_.groups[group]);
            model_.loaded_log().pop_front();
        }
        if (dut_->done_o) {
            ++done_count_;
            done_cycle_ = cycle_;
        }

        // the group buffer's flags: full set by group_loaded, cleared by release
        unsigned full = dut_->full_o;
        if (full != full_expected_)
            fail("full_o = " + std::to_string(full) + ", expected " + std::to_string(full_expected_));
        if (dut_->bank_free_o != (~full & 3u)) fail("bank_free_o is not ~full_o");
        bool writes = dut_->hdr_we_o || dut_->prm_we_o || dut_->wgt_we_o;
        if (writes && ((full >> dut_->wr_bank_o) & 1u))
            fail("write to bank " + std::to_string(dut_->wr_bank_o) + " while it is full");
        full_expected_ = (full_expected_ & ~consumer_.releasing()) | dut_->group_loaded_o;

        source_.sample();
        if (act_sink_.sample()) act_received_.push_back(last_act_);
        consumer_.sample(*dut_, cycle_);

        dut_->clk_i = 1;
        dut_->eval();
        dut_->clk_i = 0;
        dut_->eval();
        ++cycle_;
        start_ = false;
    }

    void compare(const loader::ModelOut& e) {
        auto check = [&](bool ok, const std::string& what) {
            if (!ok) fail(what);
        };
        check(dut_->s_axis_tready_o == e.tready, "s_axis_tready_o = " + std::to_string(dut_->s_axis_tready_o) +
                                                     ", model " + std::to_string(e.tready));
        check(dut_->busy_o == e.busy, "busy_o = " + std::to_string(dut_->busy_o) + ", model " + std::to_string(e.busy));
        check(dut_->done_o == e.done, "done_o = " + std::to_string(dut_->done_o) + ", model " + std::to_string(e.done));
        check(dut_->error_o == e.error,
              "error_o = " + std::to_string(dut_->error_o) + ", model " + std::to_string(e.error));
        check(dut_->group_loaded_o == e.loaded,
              "group_loaded_o = " + std::to_string(dut_->group_loaded_o) + ", model " + std::to_string(e.loaded));
        check(dut_->hdr_we_o == e.write.hdr && dut_->prm_we_o == e.write.prm && dut_->wgt_we_o == e.write.wgt,
              "write strobes hdr/prm/wgt = " + std::to_string(dut_->hdr_we_o) + std::to_string(dut_->prm_we_o) +
                  std::to_string(dut_->wgt_we_o) + ", model " + std::to_string(e.write.hdr) +
                  std::to_string(e.write.prm) + std::to_string(e.write.wgt) + " (DUT bank " +
                  std::to_string(dut_->wr_bank_o) + " prm address " + std::to_string(dut_->prm_waddr_o) +
                  " wgt address " + std::to_string(dut_->wgt_waddr_o) + ")");
        if (e.write.hdr || e.write.prm || e.write.wgt) {
            check(dut_->wr_bank_o == static_cast<unsigned>(e.write.bank), "wr_bank_o differs from the model");
            Bits data;
            if (e.write.hdr) data = tb::get(dut_->hdr_wdata_o, config_.hdr_w());
            if (e.write.prm) {
                data = tb::get(dut_->prm_wdata_o, config_.param_w);
                check(dut_->prm_waddr_o == static_cast<unsigned>(e.write.address),
                      "prm_waddr_o = " + std::to_string(dut_->prm_waddr_o) + ", model " +
                          std::to_string(e.write.address));
            }
            if (e.write.wgt) {
                data = tb::get(dut_->wgt_wdata_o, config_.wgt_w);
                check(dut_->wgt_waddr_o == static_cast<unsigned>(e.write.address),
                      "wgt_waddr_o = " + std::to_string(dut_->wgt_waddr_o) + ", model " +
                          std::to_string(e.write.address));
            }
            check(data == e.write.data, "write data " + data.hex() + ", model " + e.write.data.hex());
        }
        check(dut_->act_valid_o == e.act_valid,
              "act_valid_o = " + std::to_string(dut_->act_valid_o) + ", model " + std::to_string(e.act_valid));
        if (e.act_valid) {
            Bits data = tb::get(dut_->act_data_o, config_.act_w);
            check(data == e.act_data && (dut_->act_last_o != 0) == e.act_last,
                  "act word " + data.hex() + " last " + std::to_string(dut_->act_last_o) + ", model " +
                      e.act_data.hex() + " last " + std::to_string(e.act_last));
            last_act_ = axis::Beat{data, Bits(), dut_->act_last_o != 0};
        }
    }

    [[noreturn]] void fail(const std::string& what) {
        throw Failure("cycle " + std::to_string(cycle_) + " (run started in cycle " + std::to_string(start_cycle_) +
                      "): " + what);
    }

    Config config_;
    uint64_t seed_;
    std::mt19937_64 rng_;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> dut_;
    axis::Source source_;
    axis::Sink act_sink_;
    Consumer consumer_;
    loader::LoaderModel model_;
    Run run_;
    bool start_ = false;
    bool trace_ = getenv("TB_TRACE") != nullptr;
    long cycle_ = 0, start_cycle_ = 0, done_cycle_ = -1;
    int done_count_ = 0;
    unsigned full_expected_ = 0;
    std::vector<axis::Beat> act_received_;
    axis::Beat last_act_;
    Counts counts_;
};

}  // namespace

int main(int argc, char** argv) {
    uint64_t seed = 1;
    int runs = 30, timing = 6;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error("missing value after " + arg);
            return argv[++i];
        };
        if (arg == "--seed") seed = std::stoull(value());
        else if (arg == "--runs") runs = std::stoi(value());
        else if (arg == "--timing") timing = std::stoi(value());
        else {
            std::fprintf(stderr, "usage: tb [--seed N] [--runs N] [--timing N]\n");
            return 2;
        }
    }
    Config config = config_from_build();
    try {
        Bench bench(config, seed);
        static const axis::Traffic kSource[] = {axis::Traffic::always(), axis::Traffic::random(0.9),
                                                axis::Traffic::random(0.5), axis::Traffic::bursty()};
        static const axis::Traffic kAct[] = {axis::Traffic::always(), axis::Traffic::random(0.8),
                                             axis::Traffic::random(0.3), axis::Traffic::bursty()};
        std::mt19937_64 pick(seed ^ 0x5bd1e995u);
        for (int r = 0; r < runs; ++r)
            bench.random_run(kSource[pick() % 4], kAct[pick() % 4], static_cast<int>(pick() % 60));
        for (int t = 0; t < timing; ++t) bench.timing_run();
        bench.malformed_runs();
        for (int r = 0; r < 3; ++r) bench.random_run(axis::Traffic::bursty(), axis::Traffic::bursty(), 30);
        const auto& c = bench.counts();
        std::printf("PASS loader %s seed %llu: %ld random + %ld timing + %ld malformed runs, %ld beats, %ld groups "
                    "read back (%ld reads), %ld act words, %ld stalled act cycles checked, %ld cycles\n",
                    config.text().c_str(), static_cast<unsigned long long>(seed), c.random, c.timing, c.malformed,
                    bench.beats(), bench.verified(), bench.reads(), bench.acts(), bench.stalls(), bench.cycles());
        return 0;
    } catch (const std::exception& error) {
        std::printf("FAIL loader %s seed %llu: %s\n  rerun: tb --seed %llu\n", config.text().c_str(),
                    static_cast<unsigned long long>(seed), error.what(), static_cast<unsigned long long>(seed));
        return 1;
    }
}
