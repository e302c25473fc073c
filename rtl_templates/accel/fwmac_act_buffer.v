// fwmac_act_buffer: the activation buffer, BANKS banks of DEPTH words of WORD_W bits.
//
// One fwmac_ram_sdp (inferred block RAM) per bank. A word has a global index
// q = row * BANKS + bank (bank = the low log2(BANKS) bits of q, row = the rest):
//   write port: we_i stores wdata_i at global index waddr_i (one word per cycle);
//   read ports: one per bank, bank b reads row rd_row_i[b] when rd_en_i[b] is high,
//               rd_data_o[b] shows that word from the next cycle on and holds it while
//               rd_en_i[b] is low.
// Latency: 1 cycle for reads; a write in cycle t is read back by a read in t+1 or later.
// A read of the word written in the same cycle returns an undefined value (the RAM's
// RDW_OLD = 0 mode, so every bank maps onto block RAM without collision logic): the
// writer's rows_ready_o and the im2col row gating guarantee it never happens.
// No reset (no state besides the RAM contents and the read registers).
`default_nettype none

module fwmac_act_buffer #(
  parameter integer WORD_W = 64,    // L x A bits
  parameter integer BANKS  = 16,    // NB: a power of two >= the array's columns C
  parameter integer DEPTH  = 2048   // rows per bank (need not be a power of two)
) (
  input  wire                                  clk_i,
  // write port, by global index
  input  wire                                  we_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] waddr_i,
  input  wire [WORD_W-1:0]                     wdata_i,
  // read ports, bank b at rd_row_i[b*ROW_W +: ROW_W], rd_data_o[b*WORD_W +: WORD_W]
  input  wire [BANKS-1:0]                      rd_en_i,
  input  wire [BANKS*$clog2(DEPTH)-1:0]        rd_row_i,
  output wire [BANKS*WORD_W-1:0]               rd_data_o
);
  generate
    if (WORD_W < 1) begin : g_bad_word_w
`ifdef __ICARUS__
      fwmac_param_error_act_buffer_word_w_out_of_range u_param_error ();
`else
      $error("fwmac_act_buffer: WORD_W = %0d must be >= 1", WORD_W);
`endif
    end
    if (BANKS < 1 || BANKS > 64 || (BANKS & (BANKS - 1)) != 0) begin : g_bad_banks
`ifdef __ICARUS__
      fwmac_param_error_act_buffer_banks_not_a_power_of_two u_param_error ();
`else
      $error("fwmac_act_buffer: BANKS = %0d must be a power of two in 1..64", BANKS);
`endif
    end
    if (DEPTH < 2 || DEPTH > 16777216) begin : g_bad_depth
`ifdef __ICARUS__
      fwmac_param_error_act_buffer_depth_out_of_range u_param_error ();
`else
      $error("fwmac_act_buffer: DEPTH = %0d outside 2..2^24", DEPTH);
`endif
    end
  endgenerate

  localparam integer ROW_W  = $clog2(DEPTH);
  localparam integer BANK_W = $clog2(BANKS);

  wire [ROW_W-1:0] write_row = waddr_i[BANK_W +: ROW_W];

  genvar bank;
  generate
    for (bank = 0; bank < BANKS; bank = bank + 1) begin : g_bank
      wire write_here;
      if (BANKS == 1) begin : g_single
        assign write_here = we_i;
      end else begin : g_select
        assign write_here = we_i & (waddr_i[BANK_W-1:0] == bank);
      end
      fwmac_ram_sdp #(
        .WIDTH  (WORD_W),
        .DEPTH  (DEPTH),
        .RDW_OLD(0)
      ) u_ram (
        .clk_i  (clk_i),
        .we_i   (write_here),
        .waddr_i(write_row),
        .wdata_i(wdata_i),
        .re_i   (rd_en_i[bank]),
        .raddr_i(rd_row_i[bank*ROW_W +: ROW_W]),
        .rdata_o(rd_data_o[bank*WORD_W +: WORD_W])
      );
    end
  endgenerate
endmodule

`default_nettype wire
