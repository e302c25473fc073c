// Testbench of fwmac_stream_fifo (WIDTH, DEPTH from the build): a DEPTH-entry buffer
// with latency 1, level_o = occupancy, full throughput for DEPTH >= 2 and one beat
// per two cycles for DEPTH = 1, checked by tb::StreamTest.
#include "Vdut.h"
#include "tb_buffer_adapter.hpp"

#if !defined(TB_WIDTH) || !defined(TB_DEPTH)
#error "build with -DTB_WIDTH=<WIDTH> -DTB_DEPTH=<DEPTH> of the DUT"
#endif

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    using Adapter = BufferAdapter<Vdut, TB_WIDTH, TB_DEPTH, true>;
    return tb::run_main<Adapter>("fwmac_stream_fifo", "WIDTH=" + std::to_string(TB_WIDTH) + " DEPTH=" + std::to_string(TB_DEPTH),
                                 argc, argv);
}
