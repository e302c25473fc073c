// Testbench of fwmac_stream_reg (WIDTH from the build): a two-entry buffer with
// latency 1 and one beat per cycle, checked by tb::StreamTest.
#include "Vdut.h"
#include "tb_buffer_adapter.hpp"

#ifndef TB_WIDTH
#error "build with -DTB_WIDTH=<the DUT's WIDTH>"
#endif

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    using Adapter = BufferAdapter<Vdut, TB_WIDTH, 2, false>;
    return tb::run_main<Adapter>("fwmac_stream_reg", "WIDTH=" + std::to_string(TB_WIDTH), argc, argv);
}
