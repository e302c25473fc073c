// fwmac_pe_acc: bit-serial accumulator of one processing element.
//
// Per issued plane it receives dot_i = sum_l (wbit_l ? a_l : 0) from its adder tree
// and, MSB plane first, forms a filter's chunk partial sum
//     p = -dot                 on a sign plane (the first plane of the filter's span)
//     p = 2p + dot             on every following plane
// and adds the finished p to that filter's accumulator (cleared by the first chunk
// of a tile). On the tile's last plane the finished sums go straight into the PE's
// slots of the column drain chain; while the drain shifts, the chain moves one slot
// towards row 0 and the row-0 PE's result_o feeds the requantizer.
//
// SLOTS = 2: the row holds up to two filters. Every chunk's planes are two spans: the
// first filter's, then from split_i on the second filter's (second_i high). On the
// split plane the first filter's p is committed to accumulator 0 and p restarts; the
// chunk's last plane commits to accumulator 1. The chain order is slot 0, slot 1 of
// row 0, then row 1, ... A row without a second filter drains 0 from slot 1; a tile
// without any second filter drains slot 0 only (result_skip_i: each shift moves the
// slot-0 value of the PE below straight into this PE's slot 0). The
// control never splits on the last plane (a second span has >= 2 planes), so one
// accumulator adder serves both commits.
// Latency: the accumulators and results update in the cycle the tag arrives.
`default_nettype none

module fwmac_pe_acc #(
  parameter integer DOT_W     = 4,   // width of the unsigned dot product
  parameter integer PARTIAL_W = 12,  // DOT_W + Bmax: signed partial sum
  parameter integer ACC_W     = 20,  // signed accumulator, > PARTIAL_W
  parameter integer SLOTS     = 1    // filters (accumulators) per PE: 1 or 2
) (
  input  wire             clk_i,
  input  wire             advance_i,
  input  wire [DOT_W-1:0] dot_i,
  input  wire             acc_valid_i,
  input  wire             sign_plane_i,
  input  wire             last_plane_i,
  input  wire             first_chunk_i,
  input  wire             split_i,         // SLOTS = 2: this plane starts the second filter
  input  wire             second_i,        // SLOTS = 2: this plane belongs to the second filter
  input  wire             result_load_i,   // tile finished: capture the final sums
  input  wire             result_shift_i,  // drain: move the chain one slot towards row 0
  input  wire             result_skip_i,   // SLOTS = 2: shift past the slot-1 values
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
    if (SLOTS < 1 || SLOTS > 2) begin : g_bad_slots
`ifdef __ICARUS__
      fwmac_param_error_pe_acc_slots_out_of_range u_param_error ();
`else
      $error("fwmac_pe_acc: SLOTS = %0d outside 1..2", SLOTS);
`endif
    end
  endgenerate

  reg [PARTIAL_W-1:0] partial_q, partial_d;
  reg [ACC_W-1:0]     acc_q, acc_d;
  reg [ACC_W-1:0]     result_q, result_d;
  wire [ACC_W-1:0]    acc_second;     // accumulator 1 (0 with one slot)
  wire [ACC_W-1:0]    result_second;  // chain slot 1 (result_i with one slot: no slot between rows)

  wire split  = (SLOTS == 2) & split_i;
  wire second = (SLOTS == 2) & second_i;
  wire restart = sign_plane_i | split;

  // One add/subtract: sign plane -> 0 + ~dot + 1 = -dot; other planes -> 2p + dot.
  wire [PARTIAL_W-1:0] dot_ext  = {{(PARTIAL_W-DOT_W){1'b0}}, dot_i};
  wire [PARTIAL_W-1:0] doubled  = restart ? {PARTIAL_W{1'b0}} : {partial_q[PARTIAL_W-2:0], 1'b0};
  wire [PARTIAL_W-1:0] addend   = dot_ext ^ {PARTIAL_W{restart}};
  wire [PARTIAL_W-1:0] term     = doubled + addend + {{(PARTIAL_W-1){1'b0}}, restart};
  // One accumulator adder: the split plane commits the first filter's finished p,
  // the last plane commits the term into the accumulator of the plane's filter.
  wire to_second = second & ~split;
  wire [PARTIAL_W-1:0] commit   = split ? partial_q : term;
  wire [ACC_W-1:0] commit_ext = {{(ACC_W-PARTIAL_W){commit[PARTIAL_W-1]}}, commit};
  wire [ACC_W-1:0] acc_base = first_chunk_i ? {ACC_W{1'b0}} : (to_second ? acc_second : acc_q);
  wire [ACC_W-1:0] acc_sum  = acc_base + commit_ext;
  // Next state from the plane tag alone; advance_i (the pipeline enable, which depends
  // on the stream handshakes) only gates the flops, so simulators evaluate this logic
  // once per clock edge rather than again whenever an input port changes.
  always @* begin
    partial_d = partial_q;
    acc_d     = acc_q;
    if (acc_valid_i) begin
      if (split) begin
        acc_d     = acc_sum;
        partial_d = term;
      end else if (last_plane_i) begin
        if (!to_second) acc_d = acc_sum;
      end else begin
        partial_d = term;
      end
    end
  end
  // the drain chain: the finished sum on result_load_i, else (shifting) the next slot
  always @* begin
    result_d = ((SLOTS == 2) & result_skip_i) ? result_i : result_second;
    if (result_load_i) result_d = to_second ? acc_q : acc_sum;
  end

  always @(posedge clk_i) begin
    if (advance_i) begin
      partial_q <= partial_d;
      acc_q     <= acc_d;
    end
    if (result_load_i || result_shift_i) result_q <= result_d;
  end

  generate
    if (SLOTS == 2) begin : g_two_slots
      reg [ACC_W-1:0] acc1_q, acc1_d;
      reg [ACC_W-1:0] result1_q, result1_d;
      always @* begin
        acc1_d    = acc1_q;
        result1_d = result_i;
        if (acc_valid_i && last_plane_i && to_second) acc1_d = acc_sum;
        if (result_load_i) result1_d = to_second ? acc_sum : {ACC_W{1'b0}};
      end
      always @(posedge clk_i) begin
        if (advance_i) acc1_q <= acc1_d;
        if (result_load_i || result_shift_i) result1_q <= result1_d;
      end
      assign acc_second    = acc1_q;
      assign result_second = result1_q;
    end else begin : g_one_slot
      wire unused_slot_inputs = split_i | second_i | result_skip_i;
      assign acc_second    = {ACC_W{1'b0}};
      assign result_second = result_i;
    end
  endgenerate

  assign result_o = result_q;
endmodule

`default_nettype wire
