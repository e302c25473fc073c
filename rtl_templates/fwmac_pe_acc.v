// fwmac_pe_acc: bit-serial accumulator of one processing element.
//
// Two pipeline stages per issued plane (both enabled by advance_i):
//  - partial-sum stage: from dot_i = sum_l (wbit_l ? a_l : 0) of its adder tree, MSB
//    plane first, it forms the current filter's chunk partial sum
//        p = -dot             on a sign plane (the first plane of the filter's span)
//        p = 2p + dot         on every following plane
//  - commit stage, one cycle later: when the plane just finished was the last of its
//    span, the finished p (partial_q) is added to that filter's accumulator (cleared by
//    the tile's first chunk). The two adders are never chained in one cycle, and the
//    accumulator adder's operands are held at 0 between commits (operand isolation), so
//    it switches once per chunk, not once per plane.
// On the tile's final commit the finished sums go straight into the PE's slots of the
// column drain chain (result_load_i); while the drain shifts, the chain moves one slot
// towards row 0 and the row-0 PE's result_o feeds the requantizers.
//
// SLOTS = 2: the row holds up to two filters. Every chunk's planes are two spans: the
// first filter's, then from split_i on the second filter's. The first span's last plane
// commits to accumulator 0 (first_end_i), the chunk's last plane to accumulator 1 when
// it belonged to the second filter (second_i). The chain order is slot 0, slot 1 of
// row 0, then row 1, ... A row without a second filter drains 0 from slot 1; a tile
// without any second filter drains slot 0 only (result_skip_i: each shift moves the
// slot-0 value of the PE below straight into this PE's slot 0).
// Registers written once per chunk or tile (accumulators, drain chain) load under
// enables only (clock-gating friendly).
// Latency: partial_q updates in the cycle its plane tag arrives; the accumulators and
// results in the cycle the commit tag arrives.
`default_nettype none

module fwmac_pe_acc #(
  parameter integer DOT_W     = 4,   // width of the unsigned dot product
  parameter integer PARTIAL_W = 12,  // signed partial sum over up to Bmax planes (exact)
  parameter integer ACC_W     = 20,  // signed accumulator (exact for K_max), >= PARTIAL_W
  parameter integer SLOTS     = 1    // filters (accumulators) per PE: 1 or 2
) (
  input  wire             clk_i,
  input  wire             advance_i,
  input  wire [DOT_W-1:0] dot_i,
  // partial-sum stage
  input  wire             plane_valid_i,
  input  wire             plane_sign_i,    // the chunk's first plane
  input  wire             split_i,         // SLOTS = 2: this plane starts the second filter
  // commit stage
  input  wire             commit_i,        // the chunk's last plane is finished
  input  wire             first_end_i,     // SLOTS = 2: the first filter's span is finished
  input  wire             second_i,        // SLOTS = 2: the finished plane was the second filter's
  input  wire             first_chunk_i,   // the commit belongs to the tile's first chunk
  input  wire             result_load_i,   // tile finished: capture the final sums
  input  wire             result_shift_i,  // drain: move the chain one slot towards row 0
  input  wire             result_skip_i,   // SLOTS = 2: shift past the slot-1 values
  input  wire [ACC_W-1:0] result_i,
  output wire [ACC_W-1:0] result_o
);
  generate
    if (DOT_W < 1 || PARTIAL_W <= DOT_W || ACC_W < PARTIAL_W || ACC_W > 62) begin : g_bad_widths
`ifdef __ICARUS__
      fwmac_param_error_pe_acc_widths_inconsistent u_param_error ();
`else
      $error("fwmac_pe_acc: need 1 <= DOT_W < PARTIAL_W <= ACC_W <= 62 (got %0d, %0d, %0d)",
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

  wire split     = (SLOTS == 2) & split_i;
  wire first_end = (SLOTS == 2) & first_end_i;
  wire to_second = (SLOTS == 2) & second_i;
  wire restart   = plane_sign_i | split;

  // partial-sum stage, one add/subtract: sign plane -> 0 + ~dot + 1 = -dot; else 2p + dot
  wire [PARTIAL_W-1:0] dot_ext = {{(PARTIAL_W-DOT_W){1'b0}}, dot_i};
  wire [PARTIAL_W-1:0] doubled = restart ? {PARTIAL_W{1'b0}} : {partial_q[PARTIAL_W-2:0], 1'b0};
  wire [PARTIAL_W-1:0] addend  = dot_ext ^ {PARTIAL_W{restart}};
  wire [PARTIAL_W-1:0] term    = doubled + addend + {{(PARTIAL_W-1){1'b0}}, restart};

  // commit stage: both operands of the accumulator adder are 0 unless a span commits
  wire commit = commit_i | first_end;
  wire [PARTIAL_W-1:0] operand = partial_q & {PARTIAL_W{commit}};
  wire [ACC_W-1:0] operand_ext;
  generate
    if (ACC_W > PARTIAL_W) begin : g_extend
      assign operand_ext = {{(ACC_W-PARTIAL_W){operand[PARTIAL_W-1]}}, operand};
    end else begin : g_same_width
      assign operand_ext = operand;
    end
  endgenerate
  wire [ACC_W-1:0] acc_base = (to_second ? acc_second : acc_q) & {ACC_W{commit & ~first_chunk_i}};
  wire [ACC_W-1:0] acc_sum  = acc_base + operand_ext;

  // Next state from the tags alone; advance_i (the pipeline enable) and the tags gate
  // the flops, so simulators evaluate this logic once per clock edge.
  always @* begin
    partial_d = term;
    acc_d     = acc_sum;
  end
  // the drain chain: the finished sum on result_load_i, else (shifting) the next slot
  always @* begin
    result_d = ((SLOTS == 2) & result_skip_i) ? result_i : result_second;
    if (result_load_i) result_d = to_second ? acc_q : acc_sum;
  end

  always @(posedge clk_i) begin
    if (advance_i && plane_valid_i) partial_q <= partial_d;
    if (advance_i && commit && !to_second) acc_q <= acc_d;
    if (result_load_i || result_shift_i) result_q <= result_d;
  end

  generate
    if (SLOTS == 2) begin : g_two_slots
      reg [ACC_W-1:0] acc1_q, acc1_d;
      reg [ACC_W-1:0] result1_q, result1_d;
      always @* begin
        acc1_d    = acc_sum;
        result1_d = result_i;
        if (result_load_i) result1_d = to_second ? acc_sum : {ACC_W{1'b0}};
      end
      always @(posedge clk_i) begin
        if (advance_i && commit && to_second) acc1_q <= acc1_d;
        if (result_load_i || result_shift_i) result1_q <= result1_d;
      end
      assign acc_second    = acc1_q;
      assign result_second = result1_q;
    end else begin : g_one_slot
      wire unused_slot_inputs = split_i | first_end_i | second_i | result_skip_i;
      assign acc_second    = {ACC_W{1'b0}};
      assign result_second = result_i;
    end
  endgenerate

  assign result_o = result_q;
endmodule

`default_nettype wire
