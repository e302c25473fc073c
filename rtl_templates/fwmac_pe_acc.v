// fwmac_pe_acc: bit-serial accumulator of one processing element.
//
// Per issued plane it receives dot_i = sum_l (wbit_l ? a_l : 0) from its adder tree
// and, MSB plane first, forms the chunk's partial sum
//     p = -dot                 on the sign plane (the first plane of a chunk)
//     p = 2p + dot             on every following plane
// and on the chunk's last plane adds p to the accumulator (cleared by the first chunk
// of a tile). On the tile's last plane the finished sum goes straight into result_q,
// the PE's slot of the column drain chain; while the drain shifts, result_q takes the
// value of the PE below (result_i) and the row-0 PE's result_o feeds the requantizer.
// Latency: the accumulator and result update in the cycle the tag arrives.
`default_nettype none

module fwmac_pe_acc #(
  parameter integer DOT_W     = 4,   // width of the unsigned dot product
  parameter integer PARTIAL_W = 12,  // DOT_W + Bmax: signed partial sum
  parameter integer ACC_W     = 20   // signed accumulator, > PARTIAL_W
) (
  input  wire             clk_i,
  input  wire             advance_i,
  input  wire [DOT_W-1:0] dot_i,
  input  wire             acc_valid_i,
  input  wire             sign_plane_i,
  input  wire             last_plane_i,
  input  wire             first_chunk_i,
  input  wire             result_load_i,   // tile finished: capture the final sum
  input  wire             result_shift_i,  // drain: take the value of the PE below
  input  wire [ACC_W-1:0] result_i,
  output wire [ACC_W-1:0] result_o
);
  generate
    if (DOT_W < 1 || PARTIAL_W <= DOT_W || ACC_W <= PARTIAL_W || ACC_W > 62) begin : g_bad_widths
`ifdef __ICARUS__
      fwmac_param_error_pe_acc_widths_inconsistent u_param_error ();
`else
      $error("fwmac_pe_acc: need 1 <= DOT_W < PARTIAL_W < ACC_W <= 62 (got %0d, %0d, %0d)",
             DOT_W, PARTIAL_W, ACC_W);
`endif
    end
  endgenerate

  reg [PARTIAL_W-1:0] partial_q, partial_d;
  reg [ACC_W-1:0]     acc_q, acc_d;
  reg [ACC_W-1:0]     result_q, result_d;

  // One add/subtract: sign plane -> 0 + ~dot + 1 = -dot; other planes -> 2p + dot.
  wire [PARTIAL_W-1:0] dot_ext  = {{(PARTIAL_W-DOT_W){1'b0}}, dot_i};
  wire [PARTIAL_W-1:0] doubled  = sign_plane_i ? {PARTIAL_W{1'b0}} : {partial_q[PARTIAL_W-2:0], 1'b0};
  wire [PARTIAL_W-1:0] addend   = dot_ext ^ {PARTIAL_W{sign_plane_i}};
  wire [PARTIAL_W-1:0] term     = doubled + addend + {{(PARTIAL_W-1){1'b0}}, sign_plane_i};
  wire [ACC_W-1:0] term_ext = {{(ACC_W-PARTIAL_W){term[PARTIAL_W-1]}}, term};
  wire [ACC_W-1:0] acc_base = first_chunk_i ? {ACC_W{1'b0}} : acc_q;
  wire [ACC_W-1:0] acc_sum  = acc_base + term_ext;

  always @* begin
    partial_d = partial_q;
    acc_d     = acc_q;
    result_d  = result_q;
    if (advance_i && acc_valid_i) begin
      if (last_plane_i) acc_d = acc_sum;
      else partial_d = term;
    end
    if (result_load_i) result_d = acc_sum;
    else if (result_shift_i) result_d = result_i;
  end

  always @(posedge clk_i) begin
    partial_q <= partial_d;
    acc_q     <= acc_d;
    result_q  <= result_d;
  end

  assign result_o = result_q;
endmodule

`default_nettype wire
