// fwmac_ram_sdp: simple dual-port RAM of DEPTH words of WIDTH bits, inferred block RAM.
//
// One synchronous write port and one synchronous read port on the same clock:
//   write: we_i high at a rising edge stores wdata_i at waddr_i.
//   read:  re_i high at a rising edge reads raddr_i; rdata_o shows the word from the
//          next cycle on and holds it while re_i is low (the output register has an
//          enable, so it maps onto the block RAM's own output latch with read enable).
// Latency: 1 cycle (re_i in cycle t, rdata_o valid in cycle t + 1).
// Read during write of the same address in the same cycle:
//   RDW_OLD = 0 (default): rdata_o is undefined (X in simulation). No block RAM
//     family has to emulate a collision mode, so yosys maps the array onto
//     SB_RAM40_4K (synth_ice40) and RAMB18E1/RAMB36E1 (synth_xilinx -family xc7)
//     without extra logic. The written word is stored either way.
//   RDW_OLD = 1: rdata_o is the word stored before the write (read first). Native on
//     xc7; on iCE40, which has no defined collision mode, yosys adds a bypass
//     register and multiplexer of WIDTH bits.
// Addresses >= DEPTH (DEPTH need not be a power of two) must not be used.
// No reset: neither the array nor rdata_o (undefined until the first read) has one,
// and there is no initial content.
`default_nettype none

module fwmac_ram_sdp #(
  parameter integer WIDTH   = 32,
  parameter integer DEPTH   = 512,
  parameter integer RDW_OLD = 0   // read during write of the same address: 0 undefined, 1 old data
) (
  input  wire                     clk_i,
  input  wire                     we_i,
  input  wire [$clog2(DEPTH)-1:0] waddr_i,
  input  wire [WIDTH-1:0]         wdata_i,
  input  wire                     re_i,
  input  wire [$clog2(DEPTH)-1:0] raddr_i,
  output wire [WIDTH-1:0]         rdata_o
);
  generate
    if (WIDTH < 1) begin : g_bad_width
`ifdef __ICARUS__
      fwmac_param_error_ram_sdp_width_out_of_range u_param_error ();
`else
      $error("fwmac_ram_sdp: WIDTH = %0d must be >= 1", WIDTH);
`endif
    end
    if (DEPTH < 2 || DEPTH > 16777216) begin : g_bad_depth
`ifdef __ICARUS__
      fwmac_param_error_ram_sdp_depth_out_of_range u_param_error ();
`else
      $error("fwmac_ram_sdp: DEPTH = %0d outside 2..2^24", DEPTH);
`endif
    end
    if (RDW_OLD < 0 || RDW_OLD > 1) begin : g_bad_rdw_old
`ifdef __ICARUS__
      fwmac_param_error_ram_sdp_rdw_old_out_of_range u_param_error ();
`else
      $error("fwmac_ram_sdp: RDW_OLD = %0d must be 0 or 1", RDW_OLD);
`endif
    end
  endgenerate

  reg [WIDTH-1:0] mem_q [0:DEPTH-1];
  reg [WIDTH-1:0] rdata_q;

  // The X on a collision tells yosys that the read port needs no collision mode.
  wire             collision = (RDW_OLD == 0) & we_i & (waddr_i == raddr_i);
  wire [WIDTH-1:0] rdata_d   = collision ? {WIDTH{1'bx}} : mem_q[raddr_i];

  always @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
    if (re_i) rdata_q <= rdata_d;
  end

  assign rdata_o = rdata_q;
endmodule

`default_nettype wire
