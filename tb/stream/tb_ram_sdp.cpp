// Testbench of fwmac_ram_sdp (WIDTH, DEPTH, RDW_OLD from the build) against a C++
// model of the array: random writes and reads (a quarter of the reads at the address
// written in the same cycle, phases confined to a few hot addresses), every cycle:
//   - rdata_o equals the model's last read word (so it holds while re_i is low),
//     unless that word is undefined: never written, or a same-address read during a
//     write with RDW_OLD = 0 (with RDW_OLD = 1 it must be the word before the write);
//   - rdata_o does not depend combinationally on any input (inputs scrambled with the
//     clock low).
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Vdut.h"
#include "tb_common.hpp"

#if !defined(TB_WIDTH) || !defined(TB_DEPTH) || !defined(TB_RDW_OLD)
#error "build with -DTB_WIDTH=<WIDTH> -DTB_DEPTH=<DEPTH> -DTB_RDW_OLD=<RDW_OLD> of the DUT"
#endif

namespace {

struct Stats {
    long cycles = 0, reads = 0, reads_checked = 0, collisions = 0, collisions_checked = 0, hold_checks = 0,
         writes = 0, read_after_write = 0;
};

class RamTest {
  public:
    RamTest(const tb::Options& options)
        : options_(options), rng_(options.seed), context_(std::make_unique<VerilatedContext>()),
          top_(std::make_unique<Vdut>(context_.get())), memory_(TB_DEPTH, tb::Bits(TB_WIDTH)), known_(TB_DEPTH, false) {}
    ~RamTest() { top_->final(); }

    Stats run() {
        // a first pass writes every address in order while random reads go on
        for (int address = 0; address < TB_DEPTH; ++address) step(true, address, 0.5, false, 0);
        while (stats_.reads < options_.beats) {
            bool hot = rng_() % 3 == 0;      // confine this phase to a few addresses
            int base = static_cast<int>(rng_() % TB_DEPTH);
            int span = 1 + static_cast<int>(rng_() % 4);
            double p_write = (rng_() % 4) / 3.0, p_read = 0.25 + (rng_() % 4) / 4.0;
            int cycles = 1 + static_cast<int>(rng_() % 2000);
            for (int cycle = 0; cycle < cycles; ++cycle) {
                std::uniform_real_distribution<double> uniform(0.0, 1.0);
                bool write = uniform(rng_) < p_write;
                int address = hot ? (base + static_cast<int>(rng_() % span)) % TB_DEPTH : random_address();
                step(write, address, p_read, hot, base);
            }
        }
        return stats_;
    }

  private:
    int random_address() { return static_cast<int>(rng_() % TB_DEPTH); }
    void fail(const std::string& what) { throw tb::Failure("cycle " + std::to_string(stats_.cycles) + ": " + what); }

    void step(bool write, int write_address, double p_read, bool hot, int base) {
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        bool read = uniform(rng_) < p_read;
        int read_address;
        if (rng_() % 4 == 0) read_address = write_address;
        else if (hot) read_address = (base + static_cast<int>(rng_() % 4)) % TB_DEPTH;
        else read_address = random_address();
        tb::Bits data = tb::Bits::random(TB_WIDTH, rng_);

        top_->clk_i = 0;
        top_->we_i = write;
        top_->waddr_i = write_address;
        tb::put(top_->wdata_i, data);
        top_->re_i = read;
        top_->raddr_i = read_address;
        top_->eval();

        tb::Bits rdata = tb::get(top_->rdata_o, TB_WIDTH);
        if (expected_known_) {
            if (rdata != expected_) fail("rdata_o " + rdata.hex() + ", expected " + expected_.hex());
            if (!last_read_) ++stats_.hold_checks;
        }
        // scramble every input with the clock low: rdata_o must not move
        top_->we_i = rng_() & 1;
        top_->waddr_i = random_address();
        tb::put(top_->wdata_i, tb::Bits::random(TB_WIDTH, rng_));
        top_->re_i = rng_() & 1;
        top_->raddr_i = random_address();
        top_->eval();
        if (tb::get(top_->rdata_o, TB_WIDTH) != rdata) fail("rdata_o depends combinationally on an input");
        top_->we_i = write;
        top_->waddr_i = write_address;
        tb::put(top_->wdata_i, data);
        top_->re_i = read;
        top_->raddr_i = read_address;
        top_->eval();

        top_->clk_i = 1;
        top_->eval();
        ++stats_.cycles;

        if (read) {
            ++stats_.reads;
            bool collision = write && read_address == write_address;
            if (collision) ++stats_.collisions;
            expected_known_ = known_[read_address] && (!collision || TB_RDW_OLD == 1);
            expected_ = memory_[read_address];  // the word before this cycle's write
            if (expected_known_) ++stats_.reads_checked;
            if (expected_known_ && collision) ++stats_.collisions_checked;
            if (last_written_ == read_address && !collision) ++stats_.read_after_write;
        }
        last_read_ = read;
        last_written_ = -1;
        if (write) {
            ++stats_.writes;
            memory_[write_address] = data;
            known_[write_address] = true;
            last_written_ = write_address;
        }
    }

    tb::Options options_;
    std::mt19937_64 rng_;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdut> top_;
    std::vector<tb::Bits> memory_;
    std::vector<bool> known_;
    tb::Bits expected_{TB_WIDTH};
    bool expected_known_ = false;
    bool last_read_ = false;
    int last_written_ = -1;
    Stats stats_;
};

}  // namespace

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    std::string params = "WIDTH=" + std::to_string(TB_WIDTH) + " DEPTH=" + std::to_string(TB_DEPTH) +
                         " RDW_OLD=" + std::to_string(TB_RDW_OLD);
    tb::Options options;
    try {
        options = tb::parse_options(argc, argv);
        RamTest test(options);
        Stats stats = test.run();
        std::printf("PASS fwmac_ram_sdp %s seed %llu: %ld cycles, %ld writes, %ld reads (%ld checked, %ld read the "
                    "word written the cycle before), %ld same-address read-during-write (%ld checked), "
                    "%ld hold cycles checked\n",
                    params.c_str(), static_cast<unsigned long long>(options.seed), stats.cycles, stats.writes,
                    stats.reads, stats.reads_checked, stats.read_after_write, stats.collisions,
                    stats.collisions_checked, stats.hold_checks);
        return 0;
    } catch (const std::exception& error) {
        std::printf("FAIL fwmac_ram_sdp %s seed %llu: %s\n", params.c_str(),
                    static_cast<unsigned long long>(options.seed), error.what());
        return 1;
    }
}
