// tb_accel_replay_icarus: replays in Icarus one run of a generated accelerator shell that the
// Verilator testbench wrote with `tb_accel --dump DIR` (tb/accel_units/accel_replay.hpp):
// compile with -I DIR, which holds replay_params.vh (the shell's module name `REPLAY_DUT,
// BUS_W, ADDR_W, counts, addresses, file paths) next to regs.hex, input.hex and output.hex.
//   1. reset (3 cycles), then every register write of regs.hex over AXI4-Lite in order (the
//      run's descriptor, then CTRL = start | irq_enable), each write's BRESP must be OKAY;
//   2. the input packet on s_axis (tlast on the last beat), tvalid with pseudo-random gaps
//      (held until taken), while m_axis_tready follows another pseudo-random pattern;
//   3. every output beat is compared with output.hex as it is taken: tdata, tkeep (all
//      bytes, `REPLAY_LAST_KEEP on the last beat) and tlast (the last beat only);
//   4. after the last beat: STATUS busy 0, done 1, error 0, irq_o high, the compute-cycle
//      counter equal to the run's weight planes.
// Plusargs: +no_gaps offers the input packet from before the start write on, every cycle,
// and takes every output beat at once (the always-ready environment), and then, if the dump
// holds the golden shell model's busy cycles (tb_accel --always-ready --dump), requires the
// busy-cycle counter to equal them; +vcd=FILE dumps the shell's signals.
// Prints one PASS line, or a FAIL line per difference (tb/units/icarus_run.sh).
`include "replay_params.vh"
`default_nettype none

module tb_accel_replay_icarus;
  localparam integer BusW     = `REPLAY_BUS_W;
  localparam integer AddrW    = `REPLAY_ADDR_W;
  localparam integer KeepW    = BusW / 8;
  localparam integer Regs     = `REPLAY_REGS;
  localparam integer InBeats  = `REPLAY_IN_BEATS;
  localparam integer OutBeats = `REPLAY_OUT_BEATS;

  reg clk = 1'b0;
  always #5 clk = ~clk;
  reg rst_n = 1'b0;

  reg [63:0]     reg_writes [0:Regs-1];
  reg [BusW-1:0] in_beats   [0:InBeats-1];
  reg [BusW-1:0] out_beats  [0:OutBeats-1];
  initial begin
    $readmemh(`REPLAY_REGS_FILE, reg_writes);
    $readmemh(`REPLAY_INPUT_FILE, in_beats);
    $readmemh(`REPLAY_OUTPUT_FILE, out_beats);
  end

  // AXI4-Lite master (driven by the tasks below, between clock edges)
  reg              awvalid = 1'b0, wvalid = 1'b0, bready = 1'b0, arvalid = 1'b0, rready = 1'b0;
  reg [AddrW-1:0]  awaddr = {AddrW{1'b0}}, araddr = {AddrW{1'b0}};
  reg [31:0]       wdata = 32'd0;
  wire             awready, wready, bvalid, arready, rvalid;
  wire [1:0]       bresp, rresp;
  wire [31:0]      rdata;

  // AXI4-Stream source and sink, with gaps from two 16-bit LFSRs
  reg              streaming = 1'b0;
  reg              no_gaps = 1'b0;
  reg [1023:0]     vcd_file;
  initial begin
    no_gaps = $test$plusargs("no_gaps");
    if ($value$plusargs("vcd=%s", vcd_file)) begin
      $dumpfile(vcd_file);
      $dumpvars(0, dut);
    end
  end
  reg [15:0]       source_lfsr = 16'hace1, sink_lfsr = 16'h1d2b;
  reg              s_tvalid = 1'b0, m_tready = 1'b0;
  integer          in_next = 0, out_next = 0;
  wire             s_tready;
  wire [BusW-1:0]  s_tdata = (in_next < InBeats) ? in_beats[in_next] : {BusW{1'b0}};
  wire             s_tlast = (in_next == InBeats - 1);
  wire [BusW-1:0]  m_tdata;
  wire [KeepW-1:0] m_tkeep;
  wire             m_tvalid, m_tlast, irq;

  `REPLAY_DUT dut (
    .clk_i(clk), .rst_ni(rst_n),
    .s_axil_awvalid_i(awvalid), .s_axil_awready_o(awready), .s_axil_awaddr_i(awaddr), .s_axil_awprot_i(3'b000),
    .s_axil_wvalid_i(wvalid), .s_axil_wready_o(wready), .s_axil_wdata_i(wdata), .s_axil_wstrb_i(4'hf),
    .s_axil_bvalid_o(bvalid), .s_axil_bready_i(bready), .s_axil_bresp_o(bresp),
    .s_axil_arvalid_i(arvalid), .s_axil_arready_o(arready), .s_axil_araddr_i(araddr), .s_axil_arprot_i(3'b000),
    .s_axil_rvalid_o(rvalid), .s_axil_rready_i(rready), .s_axil_rdata_o(rdata), .s_axil_rresp_o(rresp),
    .s_axis_tdata_i(s_tdata), .s_axis_tvalid_i(s_tvalid), .s_axis_tready_o(s_tready), .s_axis_tlast_i(s_tlast),
    .m_axis_tdata_o(m_tdata), .m_axis_tkeep_o(m_tkeep), .m_axis_tvalid_o(m_tvalid), .m_axis_tready_i(m_tready),
    .m_axis_tlast_o(m_tlast), .irq_o(irq)
  );

  integer errors = 0;
  integer cycle = 0;
  always @(posedge clk) cycle <= cycle + 1;

  // the streams: a shown input beat stays until taken; about 3 in 4 cycles offer one and
  // 2 in 3 take an output beat
  always @(posedge clk) begin
    source_lfsr <= {source_lfsr[14:0], source_lfsr[15] ^ source_lfsr[13] ^ source_lfsr[12] ^ source_lfsr[10]};
    sink_lfsr <= {sink_lfsr[14:0], sink_lfsr[15] ^ sink_lfsr[13] ^ sink_lfsr[12] ^ sink_lfsr[10]};
    if (s_tvalid && s_tready) in_next <= in_next + 1;
    if (!streaming) s_tvalid <= 1'b0;
    else if (!s_tvalid || s_tready) begin
      s_tvalid <= (in_next + (s_tvalid ? 1 : 0) < InBeats) && (no_gaps || source_lfsr[1:0] != 2'b00);
    end
    m_tready <= streaming && (no_gaps || sink_lfsr[2:0] > 3'd2);
    if (m_tvalid && m_tready) begin
      if (out_next >= OutBeats) begin
        $display("FAIL tb_accel_replay_icarus: output beat %0d in cycle %0d, only %0d expected", out_next, cycle,
                 OutBeats);
        errors = errors + 1;
      end else if (m_tdata !== out_beats[out_next] ||
                   m_tkeep !== ((out_next == OutBeats - 1) ? `REPLAY_LAST_KEEP : {KeepW{1'b1}}) ||
                   m_tlast !== (out_next == OutBeats - 1)) begin
        $display("FAIL tb_accel_replay_icarus: output beat %0d in cycle %0d: tdata %h tkeep %h tlast %b, expected %h",
                 out_next, cycle, m_tdata, m_tkeep, m_tlast, out_beats[out_next]);
        errors = errors + 1;
      end
      out_next <= out_next + 1;
    end
  end

  // One AXI4-Lite write: AW and W offered together, each dropped once taken, then B.
  task axil_write(input [AddrW-1:0] address, input [31:0] data);
    reg aw_done, w_done;
    integer waited;
    begin
      @(negedge clk);
      awvalid = 1'b1; awaddr = address; wvalid = 1'b1; wdata = data;
      aw_done = 1'b0; w_done = 1'b0; waited = 0;
      while (!(aw_done && w_done) && waited < 1000) begin
        @(posedge clk);
        if (awvalid && awready) aw_done = 1'b1;
        if (wvalid && wready) w_done = 1'b1;
        @(negedge clk);
        if (aw_done) awvalid = 1'b0;
        if (w_done) wvalid = 1'b0;
        waited = waited + 1;
      end
      bready = 1'b1;
      @(posedge clk);
      while (!bvalid && waited < 1000) begin
        @(posedge clk);
        waited = waited + 1;
      end
      if (waited >= 1000 || bresp !== 2'b00) begin
        $display("FAIL tb_accel_replay_icarus: write of %h to %h: bresp %b after %0d cycles", data, address, bresp,
                 waited);
        errors = errors + 1;
      end
      @(negedge clk);
      bready = 1'b0;
    end
  endtask

  task axil_read(input [AddrW-1:0] address, output [31:0] data);
    integer waited;
    begin
      @(negedge clk);
      arvalid = 1'b1; araddr = address; waited = 0;
      @(posedge clk);
      while (!arready && waited < 1000) begin
        @(posedge clk);
        waited = waited + 1;
      end
      @(negedge clk);
      arvalid = 1'b0;
      rready = 1'b1;
      @(posedge clk);
      while (!rvalid && waited < 1000) begin
        @(posedge clk);
        waited = waited + 1;
      end
      data = rdata;
      if (waited >= 1000 || rresp !== 2'b00) begin
        $display("FAIL tb_accel_replay_icarus: read of %h: rresp %b after %0d cycles", address, rresp, waited);
        errors = errors + 1;
      end
      @(negedge clk);
      rready = 1'b0;
    end
  endtask

  integer i, start_cycle;
  reg [31:0] status, compute_lo, compute_hi, busy_lo, busy_hi;
  initial begin
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    repeat (2) @(negedge clk);
    for (i = 0; i < Regs; i = i + 1) begin
      if (no_gaps && i == Regs - 1) streaming = 1'b1;  // the packet is there before the start
      axil_write(reg_writes[i][32 +: AddrW], reg_writes[i][31:0]);
    end
    start_cycle = cycle;
    streaming = 1'b1;
    while (out_next < OutBeats && cycle - start_cycle < `REPLAY_CYCLE_LIMIT) @(negedge clk);
    if (out_next < OutBeats) begin
      $display("FAIL tb_accel_replay_icarus: %0d of %0d input beats and %0d of %0d output beats after %0d cycles",
               in_next, InBeats, out_next, OutBeats, cycle - start_cycle);
      errors = errors + 1;
    end
    streaming = 1'b0;
    repeat (5) @(negedge clk);
    axil_read(`REPLAY_STATUS_ADDR, status);
    axil_read(`REPLAY_COMPUTE_LO_ADDR, compute_lo);
    axil_read(`REPLAY_COMPUTE_HI_ADDR, compute_hi);
    axil_read(`REPLAY_BUSY_LO_ADDR, busy_lo);
    axil_read(`REPLAY_BUSY_HI_ADDR, busy_hi);
    if (no_gaps && `REPLAY_BUSY_CYCLES != 0 && {busy_hi, busy_lo} !== `REPLAY_BUSY_CYCLES) begin
      $display("FAIL tb_accel_replay_icarus: busy_cycles %0d, the golden shell model predicts %0d",
               {busy_hi, busy_lo}, `REPLAY_BUSY_CYCLES);
      errors = errors + 1;
    end
    if (status[`REPLAY_BUSY_BIT] !== 1'b0 || status[`REPLAY_DONE_BIT] !== 1'b1 ||
        status[`REPLAY_ERROR_BIT] !== 1'b0) begin
      $display("FAIL tb_accel_replay_icarus: STATUS %h after the last output beat (busy 0, done 1, error 0 expected)",
               status);
      errors = errors + 1;
    end
    if (irq !== 1'b1) begin
      $display("FAIL tb_accel_replay_icarus: irq_o %b after done with irq_enable", irq);
      errors = errors + 1;
    end
    if ({compute_hi, compute_lo} !== `REPLAY_COMPUTE_CYCLES) begin
      $display("FAIL tb_accel_replay_icarus: compute_cycles %0d, expected the run's %0d weight planes",
               {compute_hi, compute_lo}, `REPLAY_COMPUTE_CYCLES);
      errors = errors + 1;
    end
    if (in_next != InBeats) begin
      $display("FAIL tb_accel_replay_icarus: %0d of %0d input beats taken", in_next, InBeats);
      errors = errors + 1;
    end
    if (errors == 0) begin
      $write("PASS tb_accel_replay_icarus: %0d register writes, %0d input beats, %0d output beats equal to the ",
             Regs, InBeats, OutBeats);
      $write("dump, STATUS done, irq_o, %0d compute cycles; %0d cycles from the start write",
             {compute_hi, compute_lo}, cycle - start_cycle);
      if (no_gaps && `REPLAY_BUSY_CYCLES != 0) $display("; no gaps: %0d busy cycles as the golden shell model predicts",
                                                        {busy_hi, busy_lo});
      else $display("");
    end
    $finish;
  end
endmodule

`default_nettype wire
