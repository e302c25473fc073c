// tb_fwmac_top: plain Verilog testbench of a generated fwmac_top for Icarus Verilog.
//
// Replays the beat files that `fwmac vectors` writes from the golden model (cmd.hex,
// w.hex, a.hex, p.hex as stimulus, y.hex as expected outputs; widths and counts in
// vectors.vh) with an always-ready environment, compares every output beat and the
// cycle count (first command cycle to last output beat, inclusive) with the golden
// cycle model. Prints "PASS ..." or "FAIL ..." and finishes. With +vcd=FILE it also
// writes the design's top-level ports as a VCD.
`timescale 1ns / 1ps
`include "vectors.vh"

module tb_fwmac_top;
  reg clk = 1'b0;
  reg rst_n = 1'b0;
  always #5 clk = ~clk;

  reg [`FWMAC_CMD_W-1:0] cmd_mem [0:`FWMAC_N_CMD-1];
  reg [`FWMAC_W_W-1:0]   w_mem   [0:`FWMAC_N_W-1];
  reg [`FWMAC_A_W-1:0]   a_mem   [0:`FWMAC_N_A-1];
  reg [`FWMAC_P_W+1:0]   p_mem   [0:`FWMAC_N_P-1];  // {raw, relu, data}, one per drained row
  reg [`FWMAC_Y_W:0]     y_mem   [0:`FWMAC_N_Y-1];  // {last, data}

  integer cmd_index = 0, w_index = 0, a_index = 0, p_index = 0, y_index = 0;
  integer cycle = 0;

  wire cmd_valid = cmd_index < `FWMAC_N_CMD;
  wire w_valid   = w_index < `FWMAC_N_W;
  wire a_valid   = a_index < `FWMAC_N_A;
  wire p_valid   = p_index < `FWMAC_N_P;
  wire [`FWMAC_CMD_W-1:0] cmd_beat = cmd_valid ? cmd_mem[cmd_index] : {`FWMAC_CMD_W{1'b0}};
  wire [`FWMAC_W_W-1:0]   w_beat   = w_valid ? w_mem[w_index] : {`FWMAC_W_W{1'b0}};
  wire [`FWMAC_A_W-1:0]   a_beat   = a_valid ? a_mem[a_index] : {`FWMAC_A_W{1'b0}};
  wire [`FWMAC_P_W+1:0]   p_beat   = p_valid ? p_mem[p_index] : {(`FWMAC_P_W+2){1'b0}};

  wire cmd_ready, w_ready, a_ready, p_ready, y_valid, y_last;
  wire [`FWMAC_Y_W-1:0] y_data;

`ifndef FWMAC_TOP
`define FWMAC_TOP fwmac_top
`endif
  `FWMAC_TOP u_dut (  // the design's top module: <config name>_top (tb/icarus_check.sh defines it)
    .clk_i       (clk),
    .rst_ni      (rst_n),
    .cmd_valid_i (cmd_valid),
    .cmd_ready_o (cmd_ready),
    .cmd_chunks_i(cmd_beat[`FWMAC_CHUNK_W-1:0]),
    .cmd_planes_i(cmd_beat[`FWMAC_CHUNK_W+`FWMAC_PLANE_W-1:`FWMAC_CHUNK_W]),
`ifdef FWMAC_SPANS_W
    .cmd_spans_i (cmd_beat[`FWMAC_CMD_W-1:`FWMAC_CHUNK_W+`FWMAC_PLANE_W]),  // row_slots = 2
`endif
    .w_valid_i   (w_valid),
    .w_ready_o   (w_ready),
    .w_plane_i   (w_beat),
    .a_valid_i   (a_valid),
    .a_ready_o   (a_ready),
    .a_data_i    (a_beat),
    .p_valid_i   (p_valid),
    .p_ready_o   (p_ready),
    .p_data_i    (p_beat[`FWMAC_P_W-1:0]),
    .p_relu_i    (p_beat[`FWMAC_P_W]),
`ifdef FWMAC_RAW_OUTPUTS
    .p_raw_i     (p_beat[`FWMAC_P_W+1]),  // raw_outputs designs only
`endif
    .y_valid_o   (y_valid),
    .y_ready_i   (1'b1),
    .y_data_o    (y_data),
    .y_last_o    (y_last)
  );

  // +vcd=FILE: dump the top-level ports of the design under test into FILE (a VCD; this is
  // how tools/timing_diagram.sh draws docs/img/streams_timing.svg).
  reg [8*256-1:0] vcd_file;
  initial begin
    if ($value$plusargs("vcd=%s", vcd_file)) begin
      $dumpfile(vcd_file);
      $dumpvars(1, u_dut);
    end
  end

  initial begin
    $readmemh("cmd.hex", cmd_mem);
    $readmemh("w.hex", w_mem);
    $readmemh("a.hex", a_mem);
    $readmemh("p.hex", p_mem);
    $readmemh("y.hex", y_mem);
    repeat (4) @(posedge clk);
    #1 rst_n = 1'b1;
  end

  always @(posedge clk) begin
    if (rst_n) begin
      if (cmd_valid && cmd_ready) cmd_index <= cmd_index + 1;
      if (w_valid && w_ready) w_index <= w_index + 1;
      if (a_valid && a_ready) a_index <= a_index + 1;
      if (p_valid && p_ready) p_index <= p_index + 1;
      if (y_valid) begin
        if (y_index >= `FWMAC_N_Y || {y_last, y_data} !== y_mem[y_index]) begin
          $display("FAIL beat %0d at cycle %0d: got last=%b data=%h, expected %h", y_index, cycle, y_last,
                   y_data, y_index < `FWMAC_N_Y ? y_mem[y_index] : 0);
          $finish;
        end
        y_index <= y_index + 1;
        if (y_index == `FWMAC_N_Y - 1) begin
          if (cycle + 1 != `FWMAC_CYCLES) begin
            $display("FAIL cycles: %0d, golden model %0d", cycle + 1, `FWMAC_CYCLES);
          end else begin
            $display("PASS %0d output beats bit-exact, cycles %0d == golden model", `FWMAC_N_Y, cycle + 1);
          end
          $finish;
        end
      end
      cycle <= cycle + 1;
      if (cycle > 4 * `FWMAC_CYCLES + 1000) begin
        $display("FAIL timeout after %0d cycles with %0d of %0d output beats", cycle, y_index, `FWMAC_N_Y);
        $finish;
      end
    end
  end
endmodule
