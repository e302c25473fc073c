// fwmac_row_slots: per-row span control of a two-slot array (row_slots = 2).
//
// Each tile command carries, per row, the span of its second filter: the number of
// planes at the end of every chunk that belong to the row's second filter (0: the
// row holds one filter for the whole chunk). For every issued plane (plane_i counts
// down to 0 within the chunk) this module derives, per row,
//     second    = span != 0 && plane_i <  span   (the plane belongs to the second filter)
//     split     = span != 0 && plane_i == span-1 (its first, sign plane)
//     first_end = span != 0 && plane_i == span   (the first filter's last plane)
// for planes actually issued (issue_i), and delays them through the same stages as fwmac_ctrl's plane tags, so they reach
// the PEs together with the plane they describe: split_o at the partial-sum stage
// (1 + TREE_LATENCY), first_end_o and second_o one stage later at the commit stage,
// with tile_second_o: some row of the plane's tile holds a second filter (the drain
// then emits both slots of every row, else slot 0 only).
// The spans are captured when the command is accepted (cmd_fire_i); planes issued in
// that cycle still belong to the previous tile and use its spans.
// Latency: 1 + TREE_LATENCY cycles from issue to split_o, one more to the commit tags.
`default_nettype none

module fwmac_row_slots #(
  parameter integer ROWS         = 1,
  parameter integer PLANE_W      = 1,  // width of the issue plane counter
  parameter integer SPAN_W       = 1,  // width of one row's span
  parameter integer TREE_LATENCY = 0
) (
  input  wire                   clk_i,
  input  wire                   rst_ni,
  input  wire                   cmd_fire_i,
  input  wire [ROWS*SPAN_W-1:0] cmd_spans_i,   // row r at bits r*SPAN_W
  input  wire                   advance_i,
  input  wire                   issue_i,       // a plane is issued in this cycle
  input  wire [PLANE_W-1:0]     issue_plane_i, // plane being issued (counts down to 0)
  output wire [ROWS-1:0]        split_o,       // partial-sum stage
  output wire [ROWS-1:0]        first_end_o,   // commit stage: commit the first filter's sum
  output wire [ROWS-1:0]        second_o,      // commit stage: the plane was the second filter's
  output wire                   tile_second_o  // commit stage
);
  generate
    if (ROWS < 1 || ROWS > 1024 || SPAN_W < 1 || SPAN_W > PLANE_W || PLANE_W > 6) begin : g_bad_params
`ifdef __ICARUS__
      fwmac_param_error_row_slots_params_out_of_range u_param_error ();
`else
      $error("fwmac_row_slots: need 1 <= ROWS <= 1024 and 1 <= SPAN_W <= PLANE_W <= 6");
`endif
    end
    if (TREE_LATENCY < 0 || TREE_LATENCY > 16) begin : g_bad_tree_latency
`ifdef __ICARUS__
      fwmac_param_error_row_slots_tree_latency_out_of_range u_param_error ();
`else
      $error("fwmac_row_slots: TREE_LATENCY = %0d outside 0..16", TREE_LATENCY);
`endif
    end
  endgenerate

  localparam integer STAGES = TREE_LATENCY + 1;  // issue -> partial-sum stage
  localparam integer TAG_W  = 3 * ROWS + 1;  // {tile_second, first_end[ROWS-1:0], second[ROWS-1:0], split[ROWS-1:0]}
  localparam integer COMMIT_W = 2 * ROWS + 1;  // {tile_second, first_end, second} one stage later

  reg [ROWS*SPAN_W-1:0]  spans_q, spans_d;
  reg [STAGES*TAG_W-1:0] tags_q, tags_d;
  reg [COMMIT_W-1:0]     commit_q, commit_d;

  reg [ROWS-1:0] issue_split, issue_second, issue_first_end;
  reg [PLANE_W-1:0] span;
  integer row;
  always @* begin
    for (row = 0; row < ROWS; row = row + 1) begin
      span = {{(PLANE_W-SPAN_W){1'b0}}, spans_q[row*SPAN_W +: SPAN_W]};
      issue_second[row]    = issue_i && (span != {PLANE_W{1'b0}}) && (span > issue_plane_i);
      issue_split[row]     = issue_i && (span != {PLANE_W{1'b0}}) &&
                             (span == issue_plane_i + {{(PLANE_W-1){1'b0}}, 1'b1});
      issue_first_end[row] = issue_i && (span != {PLANE_W{1'b0}}) && (span == issue_plane_i);
    end
  end

  wire issue_tile_second = (spans_q != {(ROWS*SPAN_W){1'b0}});
  wire [TAG_W-1:0] issue_tag = {issue_tile_second, issue_first_end, issue_second, issue_split};
  wire [STAGES*TAG_W-1:0] tags_shifted;
  generate
    if (STAGES == 1) begin : g_single_stage
      assign tags_shifted = issue_tag;
    end else begin : g_multi_stage
      assign tags_shifted = {tags_q[(STAGES-1)*TAG_W-1:0], issue_tag};
    end
  endgenerate

  wire [TAG_W-1:0] plane_tag = tags_q[STAGES*TAG_W-1 -: TAG_W];

  // cmd_fire_i and advance_i are flop enables (the data do not depend on handshakes)
  always @* begin
    spans_d  = cmd_spans_i;
    tags_d   = tags_shifted;
    commit_d = plane_tag[TAG_W-1:ROWS];
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      spans_q  <= {(ROWS*SPAN_W){1'b0}};
      tags_q   <= {(STAGES*TAG_W){1'b0}};
      commit_q <= {COMMIT_W{1'b0}};
    end else begin
      if (cmd_fire_i) spans_q <= spans_d;
      if (advance_i) begin
        tags_q   <= tags_d;
        commit_q <= commit_d;
      end
    end
  end

  assign split_o       = plane_tag[ROWS-1:0];
  assign second_o      = commit_q[ROWS-1:0];
  assign first_end_o   = commit_q[2*ROWS-1:ROWS];
  assign tile_second_o = commit_q[COMMIT_W-1];
endmodule

`default_nettype wire
