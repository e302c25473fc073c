// fwmac_container_select: the word of the current container of an input-stream section.
//
// A container of a WORD_W-bit word is CW = max(8, next power of two >= WORD_W) bits; the
// word sits in its low bits. Narrow containers (CW <= BUS_W): a beat holds BUS_W / CW of
// them, container part_i of the beat sits at bit offset part_i * CW (part_i must be less
// than BUS_W / CW). Wide containers (CW > BUS_W): a container spans M = CW / BUS_W beats,
// low part first; the M - 1 earlier beats are the top (M - 1) * BUS_W bits of asm_i
// (the oldest one lowest, as fwmac_loader's assembly shift register holds them) and the
// current beat tdata_i is the container's top part; part_i is not used.
// Combinational, latency 0, no handshake: word_o depends on part_i, tdata_i and asm_i.
`default_nettype none

module fwmac_container_select #(
  parameter integer BUS_W  = 64,
  parameter integer WORD_W = 8,
  parameter integer ASM_W  = 1,  // width of asm_i; >= CW - BUS_W for wide containers
  parameter integer PART_W = 1   // width of part_i
) (
  input  wire [PART_W-1:0] part_i,
  input  wire [BUS_W-1:0]  tdata_i,
  input  wire [ASM_W-1:0]  asm_i,
  output wire [WORD_W-1:0] word_o
);
  localparam integer CW     = (WORD_W <= 8) ? 8 : (1 << $clog2(WORD_W));
  localparam integer LOG2_C = $clog2(CW);

  generate
    if (BUS_W < 8 || WORD_W < 1 || WORD_W > 65536 || PART_W < 1 || ASM_W < 1 ||
        (CW > BUS_W && (CW % BUS_W != 0 || ASM_W < CW - BUS_W)) ||
        (CW <= BUS_W && BUS_W % CW != 0)) begin : g_bad_params
`ifdef __ICARUS__
      fwmac_param_error_container_select_params_out_of_range u_param_error ();
`else
      $error("fwmac_container_select: BUS_W = %0d, WORD_W = %0d, ASM_W = %0d, PART_W = %0d inconsistent",
             BUS_W, WORD_W, ASM_W, PART_W);
`endif
    end
  endgenerate

  generate
    if (CW <= BUS_W) begin : g_narrow
      // a shift by part_i * CW (CW is a power of two, so the amount is a concatenation)
      wire [BUS_W-1:0] shifted = tdata_i >> {part_i, {LOG2_C{1'b0}}};
      assign word_o = shifted[WORD_W-1:0];
      if (WORD_W < BUS_W) begin : g_unused_high
        wire unused_shifted = ^shifted[BUS_W-1:WORD_W];
      end
      wire unused_asm = ^asm_i;
    end else begin : g_wide
      localparam integer LOW_W = CW - BUS_W;  // the earlier beats
      wire [CW-1:0] container = {tdata_i, asm_i[ASM_W-1 -: LOW_W]};
      assign word_o = container[WORD_W-1:0];
      if (WORD_W < CW) begin : g_unused_high
        wire unused_container = ^container[CW-1:WORD_W];
      end
      if (ASM_W > LOW_W) begin : g_unused_asm
        wire unused_asm = ^asm_i[ASM_W-LOW_W-1:0];
      end
      wire unused_part = ^part_i;
    end
  endgenerate
endmodule

`default_nettype wire
