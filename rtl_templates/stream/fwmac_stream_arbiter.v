// fwmac_stream_arbiter: merges N valid/ready streams into one, packet by packet,
// round robin.
//
// Input i's data is in_data_i[i*WIDTH +: WIDTH]. While no packet is open the
// arbiter selects, among the inputs with valid high, the first one after the input
// that sent the last finished packet (round robin; after reset input 0 comes first).
// The selection is then locked until the beat with last set has moved, so packets
// never interleave; it is also locked while the output beat stalls, so the output
// stays stable while out_valid_o && !out_ready_i (inputs must keep valid and data
// stable while stalled, as the handshake rule requires). out_sel_o names the
// selected input.
// Data path combinational: latency 0. Paths: out_valid_o, out_data_o, out_last_o and
// out_sel_o from the in_valid_i / data / last inputs and flops (never from
// out_ready_i); in_ready_o[i] = out_ready_i && i is selected, so it depends on
// out_ready_i and, while no packet is open, on the in_valid_i of all inputs.
// N = 1 passes the stream through.
`default_nettype none

module fwmac_stream_arbiter #(
  parameter integer WIDTH = 8,
  parameter integer N     = 2
) (
  input  wire                                 clk_i,
  input  wire                                 rst_ni,
  input  wire [N-1:0]                         in_valid_i,
  output wire [N-1:0]                         in_ready_o,
  input  wire [N*WIDTH-1:0]                   in_data_i,
  input  wire [N-1:0]                         in_last_i,
  output wire                                 out_valid_o,
  input  wire                                 out_ready_i,
  output wire [WIDTH-1:0]                     out_data_o,
  output wire                                 out_last_o,
  output wire [((N > 1) ? $clog2(N) : 1)-1:0] out_sel_o
);
  generate
    if (WIDTH < 1) begin : g_bad_width
`ifdef __ICARUS__
      fwmac_param_error_stream_arbiter_width_out_of_range u_param_error ();
`else
      $error("fwmac_stream_arbiter: WIDTH = %0d must be >= 1", WIDTH);
`endif
    end
    if (N < 1 || N > 256) begin : g_bad_n
`ifdef __ICARUS__
      fwmac_param_error_stream_arbiter_n_out_of_range u_param_error ();
`else
      $error("fwmac_stream_arbiter: N = %0d outside 1..256", N);
`endif
    end
  endgenerate

  localparam integer SEL_W = (N > 1) ? $clog2(N) : 1;
  localparam integer LAST_IN = N - 1;
  localparam [SEL_W-1:0] LAST_INPUT = LAST_IN[SEL_W-1:0];

  reg             lock_q, lock_d;          // a packet is open or its beat stalls
  reg [SEL_W-1:0] lock_sel_q, lock_sel_d;  // the input selected while locked
  reg [SEL_W-1:0] prev_q, prev_d;          // input of the last finished packet

  // Round robin: the lowest valid input above prev_q, else the lowest valid input.
  wire [N-1:0]       above;        // input index > prev_q
  wire [N*SEL_W-1:0] index_table;  // input i's index at bits i*SEL_W
  genvar in;
  generate
    for (in = 0; in < N; in = in + 1) begin : g_in
      localparam [SEL_W-1:0] IN_IDX = in;
      assign index_table[in*SEL_W +: SEL_W] = IN_IDX;
      if (in == 0) begin : g_first
        assign above[in] = 1'b0;
      end else begin : g_later
        assign above[in] = (IN_IDX > prev_q);
      end
    end
  endgenerate

  wire [N-1:0] high_req = in_valid_i & above;

  reg [SEL_W-1:0] pick_high, pick_any, pick;
  integer term;
  always @* begin
    pick_high = {SEL_W{1'b0}};
    pick_any  = {SEL_W{1'b0}};
    // downwards, so the lowest requesting index is assigned last
    for (term = N - 1; term >= 0; term = term - 1) begin
      if (high_req[term]) pick_high = index_table[term*SEL_W +: SEL_W];
      if (in_valid_i[term]) pick_any = index_table[term*SEL_W +: SEL_W];
    end
    pick = (high_req != {N{1'b0}}) ? pick_high : pick_any;
  end

  wire [SEL_W-1:0] sel      = lock_q ? lock_sel_q : pick;
  wire             valid    = in_valid_i[sel];  // sel < N by construction
  wire             last     = in_last_i[sel];
  wire             out_fire = valid & out_ready_i;

  always @* begin
    lock_d     = lock_q;
    lock_sel_d = lock_sel_q;
    prev_d     = prev_q;
    if (valid) begin
      lock_d     = ~(out_fire & last);
      lock_sel_d = sel;
    end
    if (out_fire && last) prev_d = sel;
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      lock_q     <= 1'b0;
      lock_sel_q <= {SEL_W{1'b0}};
      prev_q     <= LAST_INPUT;
    end else begin
      lock_q     <= lock_d;
      lock_sel_q <= lock_sel_d;
      prev_q     <= prev_d;
    end
  end

  wire [N-1:0] sel_onehot;
  generate
    for (in = 0; in < N; in = in + 1) begin : g_ready
      localparam [SEL_W-1:0] IN_IDX = in;
      assign sel_onehot[in] = (sel == IN_IDX);
    end
  endgenerate

  assign in_ready_o  = sel_onehot & {N{out_ready_i}};
  assign out_valid_o = valid;
  assign out_data_o  = in_data_i[sel*WIDTH +: WIDTH];
  assign out_last_o  = last;
  assign out_sel_o   = sel;
endmodule

`default_nettype wire
