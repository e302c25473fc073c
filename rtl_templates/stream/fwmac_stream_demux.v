// fwmac_stream_demux: routes one valid/ready stream to one of N output streams.
//
// The input beat goes to output in_sel_i: out_valid_o[in_sel_i] = in_valid_i and
// in_ready_o = out_ready_i[in_sel_i]; out_data_o and out_last_o are shared by all
// outputs (only the selected one sees valid). A beat with in_sel_i >= N is consumed
// and dropped (in_ready_o = 1, no output valid), so a bad select cannot stall the
// input.
// in_sel_i belongs to the beat: like the data it must stay stable while
// in_valid_i && !in_ready_o. Keeping it constant within a packet (routing whole
// packets) is the sender's choice; the demux itself holds no state and routes every
// beat on its own.
// Combinational, no clock: latency 0. Paths: out_valid_o from in_valid_i and in_sel_i
// (never from any ready), in_ready_o from out_ready_i and in_sel_i (never from
// in_valid_i). Put a fwmac_stream_reg before or after it to cut the paths.
`default_nettype none

module fwmac_stream_demux #(
  parameter integer WIDTH = 8,
  parameter integer N     = 2
) (
  input  wire                                 in_valid_i,
  output wire                                 in_ready_o,
  input  wire [WIDTH-1:0]                     in_data_i,
  input  wire                                 in_last_i,
  input  wire [((N > 1) ? $clog2(N) : 1)-1:0] in_sel_i,
  output wire [N-1:0]                         out_valid_o,
  input  wire [N-1:0]                         out_ready_i,
  output wire [WIDTH-1:0]                     out_data_o,
  output wire                                 out_last_o
);
  generate
    if (WIDTH < 1) begin : g_bad_width
`ifdef __ICARUS__
      fwmac_param_error_stream_demux_width_out_of_range u_param_error ();
`else
      $error("fwmac_stream_demux: WIDTH = %0d must be >= 1", WIDTH);
`endif
    end
    if (N < 1 || N > 256) begin : g_bad_n
`ifdef __ICARUS__
      fwmac_param_error_stream_demux_n_out_of_range u_param_error ();
`else
      $error("fwmac_stream_demux: N = %0d outside 1..256", N);
`endif
    end
  endgenerate

  localparam integer SEL_W = (N > 1) ? $clog2(N) : 1;

  wire [N-1:0] selected;  // one-hot of in_sel_i, zero when in_sel_i >= N
  genvar out;
  generate
    for (out = 0; out < N; out = out + 1) begin : g_out
      localparam [SEL_W-1:0] OUT_IDX = out;
      assign selected[out] = (in_sel_i == OUT_IDX);
    end
  endgenerate

  assign out_valid_o = selected & {N{in_valid_i}};
  assign in_ready_o  = ((selected & out_ready_i) != {N{1'b0}}) | (selected == {N{1'b0}});
  assign out_data_o  = in_data_i;
  assign out_last_o  = in_last_i;
endmodule

`default_nettype wire
