// fwmac_operand_regs: input registers of the array.
//
// Captures the weight beat (one slice of L x WEIGHT_BITS bits per row: a bit-plane,
// or whole weights in the bit-parallel baseline) every issued cycle and the activation
// chunk (L values of A bits per column) at the first plane of every chunk; the
// activations then stay in place while the chunk's remaining planes are issued.
// Both registers hold while the pipeline is stalled (advance_i = 0).
// Latency: 1 cycle. Data registers need no reset: fwmac_ctrl's tags qualify them.
`default_nettype none

module fwmac_operand_regs #(
  parameter integer ROWS        = 1,
  parameter integer COLS        = 1,
  parameter integer LANES       = 1,
  parameter integer ACT_BITS    = 8,
  parameter integer WEIGHT_BITS = 1  // weight bits per lane: 1 (a bit-plane) or Bmax (bit-parallel)
) (
  input  wire                              clk_i,
  input  wire                              advance_i,
  input  wire                              load_weights_i,
  input  wire                              load_acts_i,
  input  wire [ROWS*LANES*WEIGHT_BITS-1:0] w_plane_i,  // row r lane l at bits (r*LANES + l)*WEIGHT_BITS
  input  wire [COLS*LANES*ACT_BITS-1:0]    a_data_i,   // column c lane l at bits (c*LANES + l)*ACT_BITS
  output wire [ROWS*LANES*WEIGHT_BITS-1:0] w_plane_o,
  output wire [COLS*LANES*ACT_BITS-1:0]    a_data_o
);
  generate
    if (ROWS < 1 || COLS < 1 || LANES < 1 || ACT_BITS < 1 || ACT_BITS > 16 || WEIGHT_BITS < 1 ||
        WEIGHT_BITS > 16) begin : g_bad_params
`ifdef __ICARUS__
      fwmac_param_error_operand_regs_params_out_of_range u_param_error ();
`else
      $error("fwmac_operand_regs: ROWS/COLS/LANES must be >= 1, ACT_BITS and WEIGHT_BITS 1..16");
`endif
    end
  endgenerate

  reg [ROWS*LANES*WEIGHT_BITS-1:0] w_plane_q, w_plane_d;
  reg [COLS*LANES*ACT_BITS-1:0]    a_data_q, a_data_d;

  // The loads act as flop enables, so the wide operand vectors are not re-copied
  // whenever a handshake input changes.
  always @* begin
    w_plane_d = w_plane_i;
    a_data_d  = a_data_i;
  end

  always @(posedge clk_i) begin
    if (advance_i && load_weights_i) w_plane_q <= w_plane_d;
    if (advance_i && load_acts_i) a_data_q <= a_data_d;
  end

  assign w_plane_o = w_plane_q;
  assign a_data_o  = a_data_q;
endmodule

`default_nettype wire
