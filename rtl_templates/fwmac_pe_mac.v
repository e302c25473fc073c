// fwmac_pe_mac: accumulator of one processing element of the bit-parallel baseline.
//
// Per issued chunk it receives dot_i = sum_l a_l * w_l (signed, two's complement, from
// the PE's fwmac_mult_tree: whole Bmax-bit weights, no bit-planes) and adds it to the
// accumulator, which the first chunk of a tile clears:
//     acc = (first_chunk ? 0 : acc) + dot
// On the tile's last chunk the finished sum goes straight into result_q, the PE's slot
// of the column drain chain; while the drain shifts, result_q takes the value of the
// PE below (result_i) and the row-0 PE's result_o feeds the requantizer. The drain
// side is the same as fwmac_pe_acc's, so fwmac_ctrl and fwmac_drain are shared.
// Latency: the accumulator and result update in the cycle the tag arrives.
`default_nettype none

module fwmac_pe_mac #(
  parameter integer DOT_W = 8,   // width of the signed dot product
  parameter integer ACC_W = 20   // signed accumulator (exact for K_max), >= DOT_W
) (
  input  wire             clk_i,
  input  wire             advance_i,
  input  wire [DOT_W-1:0] dot_i,
  input  wire             commit_i,        // a chunk's dot product arrives
  input  wire             first_chunk_i,
  input  wire             result_load_i,   // tile finished: capture the final sum
  input  wire             result_shift_i,  // drain: take the value of the PE below
  input  wire [ACC_W-1:0] result_i,
  output wire [ACC_W-1:0] result_o
);
  generate
    if (DOT_W < 1 || ACC_W < DOT_W || ACC_W > 62) begin : g_bad_widths
`ifdef __ICARUS__
      fwmac_param_error_pe_mac_widths_inconsistent u_param_error ();
`else
      $error("fwmac_pe_mac: need 1 <= DOT_W <= ACC_W <= 62 (got %0d, %0d)", DOT_W, ACC_W);
`endif
    end
  endgenerate

  reg [ACC_W-1:0] acc_q, acc_d;
  reg [ACC_W-1:0] result_q, result_d;

  wire [ACC_W-1:0] dot_ext;
  generate
    if (ACC_W > DOT_W) begin : g_extend
      assign dot_ext = {{(ACC_W-DOT_W){dot_i[DOT_W-1]}}, dot_i};
    end else begin : g_same_width
      assign dot_ext = dot_i;
    end
  endgenerate
  wire [ACC_W-1:0] acc_base = first_chunk_i ? {ACC_W{1'b0}} : acc_q;
  wire [ACC_W-1:0] acc_sum  = acc_base + dot_ext;

  // advance_i and the drain strobes act as flop enables, so the data paths do not
  // depend on the stream handshakes (simulators evaluate them once per edge).
  always @* begin
    acc_d    = acc_sum;
    result_d = result_load_i ? acc_sum : result_i;
  end

  always @(posedge clk_i) begin
    if (advance_i && commit_i) acc_q <= acc_d;
    if (result_load_i || result_shift_i) result_q <= result_d;
  end

  assign result_o = result_q;
endmodule

`default_nettype wire
