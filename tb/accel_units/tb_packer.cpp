// Verilator testbench of fwmac_packer.
//
// A y source and a tile source (axis::Source, random valid gaps, tile info offered
// independently of the y beats) feed runs of random tiles (pixel_count, V, real masks);
// an m_axis sink (axis::Sink, random tready) checks the AXI4-Stream rules and compares
// every beat with the packet the output-format model expects (packer::expected_packet).
// Every cycle all outputs are compared with the cycle model of the documented timing
// contract (packer::PackerModel: y_ready_o, tile_ready_o, tvalid, tdata, tkeep, tlast,
// error). Runs:
//   random     random traffic on all three streams;
//   timing     always-valid sources and tready always 1: besides the cycle model, the
//              room condition must never close y_ready_o;
//   malformed  y_last on a wrong beat, missing y_last, out-of-range tile info (error
//              bits), then clear_i.
#include "Vdut.h"
#include "axis_bfm.hpp"
#include "packer_model.hpp"

#include <verilated.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

using packer::Config;
using packer::Tile;
using tb::Bits;

namespace {

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Bench {
  public:
    Bench(const Config& config, uint64_t seed)
        : c_(config), rng_(seed), context_(std::make_unique<VerilatedContext>()),
          dut_(std::make_unique<Vdut>(context_.get())),
          y_source_("y", seed * 5 + 1,
                    axis::SourcePorts{[this](bool valid, const axis::Beat& beat) {
                                          dut_->y_valid_i = valid;
                                          tb::put(dut_->y_data_i, beat.data);
                                          dut_->y_last_i = beat.last;
                                      },
                                      [this]() { return dut_->y_ready_o != 0; }},
                    config.cols * config.out_w),
          tile_source_("tile", seed * 5 + 2,
                       axis::SourcePorts{[this](bool valid, const axis::Beat& beat) { drive_tile(valid, beat); },
                                         [this]() { return dut_->tile_ready_o != 0; }},
                       config.tile_w()),
          sink_("m_axis", seed * 5 + 3,
                axis::bind_sink(dut_->m_axis_tdata_o, dut_->m_axis_tkeep_o, dut_->m_axis_tvalid_o,
                                dut_->m_axis_tready_i, dut_->m_axis_tlast_o, config.bus_w, config.bus_w / 8)),
          model_(config) {
        context_->randReset(2);
        reset();
    }

    void random_runs(int runs) {
        for (int r = 0; r < runs; ++r) {
            static const axis::Traffic kTraffic[] = {axis::Traffic::always(), axis::Traffic::random(0.9),
                                                     axis::Traffic::random(0.5), axis::Traffic::random(0.2),
                                                     axis::Traffic::bursty(50)};
            y_source_.set_traffic(kTraffic[rng_() % 5]);
            tile_source_.set_traffic(kTraffic[rng_() % 5]);
            sink_traffic_ = kTraffic[rng_() % 5];
            sink_.set_traffic(sink_traffic_);
            execute(packer::random_run(c_, rng_), 0u, false);
            ++counts_.random;
        }
    }

    void timing_runs(int runs) {
        y_source_.set_traffic(axis::Traffic::always());
        tile_source_.set_traffic(axis::Traffic::always());
        sink_traffic_ = axis::Traffic::always();
        sink_.set_traffic(sink_traffic_);
        for (int r = 0; r < runs; ++r) {
            execute(packer::random_run(c_, rng_, 12), 0u, true);
            ++counts_.timing;
        }
    }

    void malformed_runs() {
        y_source_.set_traffic(axis::Traffic::random(0.8));
        tile_source_.set_traffic(axis::Traffic::random(0.8));
        sink_traffic_ = axis::Traffic::random(0.8);
        sink_.set_traffic(sink_traffic_);
        {  // y_last on a wrong beat or missing
            auto tiles = packer::random_run(c_, rng_);
            Tile& tile = tiles[rng_() % tiles.size()];
            int b = static_cast<int>(rng_() % tile.y.size());
            tile.y_last[b] = !tile.y_last[b];
            execute(tiles, 1u, false);
            clear();
            ++counts_.malformed;
        }
        {  // tile info out of range: pixel_count 0 or > COLS, V = 0 or > VMAX
            auto tiles = packer::random_run(c_, rng_);
            Tile& tile = tiles[rng_() % tiles.size()];
            const int max_pixels = (1 << c_.pix_w()) - 1, max_beats = (1 << c_.vrow_w) - 1;
            std::vector<int> choices = {0, 1};
            if (max_pixels > c_.cols) choices.push_back(2);
            if (max_beats > c_.vmax) choices.push_back(3);
            switch (choices[rng_() % choices.size()]) {
                case 0: tile.pixels = 0; break;
                case 1: tile.beats = 0; break;
                case 2: tile.pixels = c_.cols + 1 + static_cast<int>(rng_() % (max_pixels - c_.cols)); break;
                case 3: tile.beats = c_.vmax + 1 + static_cast<int>(rng_() % (max_beats - c_.vmax)); break;
            }
            tile.y.clear();
            tile.y_last.clear();
            for (int i = 0; i < tile.y_beats(); ++i) {
                tile.y.push_back(Bits::random(c_.cols * c_.out_w, rng_));
                tile.y_last.push_back(i == tile.y_beats() - 1);
            }
            execute(tiles, 2u, false);
            clear();
            ++counts_.malformed;
        }
        {  // a run whose last tile has no real beat (a null beat if the values fill whole beats)
            auto tiles = packer::random_run(c_, rng_, 4);
            tiles.back().real = Bits(c_.vmax);
            execute(tiles, 0u, false);
            ++counts_.malformed;
        }
        {  // the values fill exactly one beat, which stalls; then a last tile without real beats:
           // its piece must wait (tlast may not appear on the stalled beat), a null beat follows
            int pixels = 1;
            while (pixels * 2 <= c_.ch()) pixels *= 2;
            std::vector<Tile> tiles;
            for (int t = 0; t <= c_.vpb() / pixels; ++t) {
                Tile tile;
                tile.pixels = pixels;
                tile.beats = 1;
                tile.real = Bits(c_.vmax);
                tile.real.set_bit(0, t < c_.vpb() / pixels);
                tile.last = t == c_.vpb() / pixels;
                tile.y.push_back(Bits::random(c_.cols * c_.out_w, rng_));
                tile.y_last.push_back(true);
                tiles.push_back(tile);
            }
            y_source_.set_traffic(axis::Traffic::always());
            tile_source_.set_traffic(axis::Traffic::always());
            sink_.set_traffic(axis::Traffic::never());
            stall_cycles_ = 3 * c_.vpb() + 20;
            execute(tiles, 0u, false);
            ++counts_.malformed;
        }
        {  // a run without any value: one null beat
            auto tiles = packer::random_run(c_, rng_, 3);
            for (auto& tile : tiles) tile.real = Bits(c_.vmax);
            execute(tiles, 0u, false);
            ++counts_.malformed;
        }
    }

    struct Counts {
        long random = 0, timing = 0, malformed = 0;
    };
    const Counts& counts() const { return counts_; }
    long cycles() const { return cycle_; }
    long y_beats() const { return y_source_.taken(); }
    long out_beats() const { return sink_.received(); }
    long stalls() const { return sink_.stalls_checked(); }
    long values() const { return values_; }

  private:
    void drive_tile(bool valid, const axis::Beat& beat) {
        dut_->tile_valid_i = valid;
        const Bits& d = beat.data;
        dut_->tile_pixels_i = static_cast<uint32_t>(d.field(0, c_.pix_w()));
        dut_->tile_beats_i = static_cast<uint32_t>(d.field(c_.pix_w(), c_.vrow_w));
        tb::put(dut_->tile_real_i, d.slice(c_.pix_w() + c_.vrow_w, c_.vmax));
        dut_->tile_last_i = d.bit(c_.tile_w() - 1);
    }

    void reset() {
        dut_->clk_i = 0;
        dut_->rst_ni = 0;
        dut_->clear_i = 0;
        dut_->y_valid_i = 0;
        dut_->tile_valid_i = 0;
        dut_->m_axis_tready_i = 0;
        for (int i = 0; i < 3; ++i) {
            dut_->eval();
            dut_->clk_i = 1;
            dut_->eval();
            dut_->clk_i = 0;
        }
        dut_->rst_ni = 1;
        dut_->eval();
    }

    void clear() {
        clear_ = true;
        tick();
        if (dut_->error_o != 0) throw Failure("clear_i did not clear error_o");
    }

    // one run: its tile infos and y beats are offered, the output packet is expected
    void execute(const std::vector<Tile>& tiles, unsigned expected_error, bool timing) {
        for (const Tile& tile : tiles) {
            tile_source_.push(axis::Beat{tile.info(c_), Bits(), false});
            for (std::size_t b = 0; b < tile.y.size(); ++b) y_source_.push(axis::Beat{tile.y[b], Bits(), tile.y_last[b]});
        }
        for (const auto& beat : packer::expected_packet(c_, tiles)) sink_.expect(beat);
        for (const Tile& tile : tiles)
            for (int b = 0; b < tile.y_beats(); ++b)
                if (tile.beat_real(c_, b)) values_ += tile.kept_pixels(c_);
        for (; stall_cycles_ > 0; --stall_cycles_) tick(timing);  // with the sink's tready low
        sink_.set_traffic(sink_traffic_);
        for (long guard = 0; !(y_source_.idle() && tile_source_.idle() && sink_.expected_left() == 0); ++guard) {
            if (guard > 1000000) throw Failure("the run did not finish (hang)");
            tick(timing);
        }
        for (int i = 0; i < 3; ++i) tick(timing);
        if (dut_->m_axis_tvalid_o) throw Failure("m_axis_tvalid_o high after the packet");
        if (dut_->error_o != expected_error)
            throw Failure("error_o = " + std::to_string(dut_->error_o) + ", expected " + std::to_string(expected_error));
    }

    void tick(bool timing = false) {
        dut_->clear_i = clear_;
        y_source_.drive();
        tile_source_.drive();
        sink_.drive();
        dut_->eval();

        packer::ModelIn in;
        in.clear = clear_;
        in.y_valid = dut_->y_valid_i;
        in.y_data = tb::get(dut_->y_data_i, c_.cols * c_.out_w);
        in.y_last = dut_->y_last_i;
        in.tile_valid = dut_->tile_valid_i;
        in.tile.pixels = static_cast<int>(dut_->tile_pixels_i);
        in.tile.beats = static_cast<int>(dut_->tile_beats_i);
        in.tile.real = tb::get(dut_->tile_real_i, c_.vmax);
        in.tile.last = dut_->tile_last_i;
        in.tready = dut_->m_axis_tready_i;
        // the contract: with tready always 1 the room condition never closes y_ready_o
        if (timing && model_.level() + c_.ch() > c_.cap()) fail("the buffer ran out of room with tready always 1");
        packer::ModelOut e = model_.cycle(in);
        compare(e);

        y_source_.sample();
        tile_source_.sample();
        sink_.sample();

        dut_->clk_i = 1;
        dut_->eval();
        dut_->clk_i = 0;
        dut_->eval();
        ++cycle_;
        clear_ = false;
    }

    void compare(const packer::ModelOut& e) {
        auto check = [&](bool ok, const std::string& what) {
            if (!ok) fail(what);
        };
        check(dut_->y_ready_o == e.y_ready,
              "y_ready_o = " + std::to_string(dut_->y_ready_o) + ", model " + std::to_string(e.y_ready));
        check(dut_->tile_ready_o == e.tile_ready,
              "tile_ready_o = " + std::to_string(dut_->tile_ready_o) + ", model " + std::to_string(e.tile_ready));
        check(dut_->m_axis_tvalid_o == e.tvalid,
              "m_axis_tvalid_o = " + std::to_string(dut_->m_axis_tvalid_o) + ", model " + std::to_string(e.tvalid));
        check(dut_->error_o == e.error,
              "error_o = " + std::to_string(dut_->error_o) + ", model " + std::to_string(e.error));
        if (e.tvalid) {
            axis::Beat beat{tb::get(dut_->m_axis_tdata_o, c_.bus_w), tb::get(dut_->m_axis_tkeep_o, c_.bus_w / 8),
                            dut_->m_axis_tlast_o != 0};
            check(beat == e.beat, "output beat " + beat.text() + ", model " + e.beat.text());
        }
    }

    [[noreturn]] void fail(const std::string& what) { throw Failure("cycle " + std::to_string(cycle_) + ": " + what); }

    Config c_;
    std::mt19937_64 rng_;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> dut_;
    axis::Source y_source_;
    axis::Source tile_source_;
    axis::Sink sink_;
    packer::PackerModel model_;
    bool clear_ = false;
    int stall_cycles_ = 0;
    axis::Traffic sink_traffic_ = axis::Traffic::always();
    long cycle_ = 0;
    long values_ = 0;
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
    Config config{TB_COLS, TB_OUT_W, TB_BUS_W, TB_VMAX, TB_VROW_W, TB_TILE_DEPTH};
    try {
        Bench bench(config, seed);
        bench.random_runs(runs);
        bench.timing_runs(timing);
        bench.malformed_runs();
        bench.random_runs(3);
        const auto& c = bench.counts();
        std::printf("PASS packer %s seed %llu: %ld random + %ld timing + %ld malformed runs, %ld y beats, %ld values, "
                    "%ld output beats, %ld stalled cycles checked, %ld cycles\n",
                    config.text().c_str(), static_cast<unsigned long long>(seed), c.random, c.timing, c.malformed,
                    bench.y_beats(), bench.values(), bench.out_beats(), bench.stalls(), bench.cycles());
        return 0;
    } catch (const std::exception& error) {
        std::printf("FAIL packer %s seed %llu: %s\n  rerun: tb --seed %llu\n", config.text().c_str(),
                    static_cast<unsigned long long>(seed), error.what(), static_cast<unsigned long long>(seed));
        return 1;
    }
}
