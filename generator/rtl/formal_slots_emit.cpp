#include <fmt/format.h>

#include "generator/rtl/formal_emit.hpp"
#include "generator/common/banner.hpp"

namespace fwmac {

// The two-slot PE (row_slots = 2): filters A and B share every chunk's planes, A in
// the first span_a planes, B in the last span_b; both spans are free inputs (clamped
// to the hardware's ranges), so the proof covers every split position.
std::string emit_two_slot_pe_formal_wrapper(const GeneratorConfig& config) {
    const ArrayShape& shape = config.shape;
    const int latency = tree_latency(shape);
    const std::string tree_clock = formal_tree_clock(shape);
    const std::string tag_delay = formal_tag_delay(shape, 8);
    return file_banner(config, "fwmac_pe_formal: two-slot PE == two bit-parallel dot products (formal)") +
           fmt::format(R"(// Captures 2 x L activations (A bits, unsigned), 2 x L weights of two filters A and B
// (Bmax-bit fields; filter A's weight is the low span_a bits, sign-extended, B's the
// low span_b bits) and the two spans (span_a clamped to 1..Bmax, span_b to 2..Bmax) in
// step 0. It feeds the PE both chunks as fwmac_ctrl and fwmac_row_slots would: per
// chunk span_a planes of A then span_b planes of B, MSB first, with the split/second
// tags, delayed by the tree latency and the commit stage. It asserts that the drain register holds
// sum_l a[l] * wA[l] after the tile and, one shift later, sum_l a[l] * wB[l].
// Verification only: uses initial values and immediate assertions (yosys -formal).
module fwmac_pe_formal (
  input wire              clk_i,
  input wire [{a_msb}:0]  acts_i,       // chunk c lane l at bits (c*L + l)*A
  input wire [{w_msb}:0]  weights_a_i,  // chunk c lane l at bits (c*L + l)*B
  input wire [{w_msb}:0]  weights_b_i,
  input wire [7:0]        span_a_i,
  input wire [7:0]        span_b_i
);
  localparam integer LANES   = {lanes};
  localparam integer A       = {act_bits};
  localparam integer B       = {bmax};
  localparam integer ACC_W   = {acc_w};
  localparam integer LATENCY = {latency};

  reg [7:0] step_q = 8'd0;
  reg [2*LANES*A-1:0] acts_q;
  reg [2*LANES*B-1:0] weights_a_q, weights_b_q;
  reg [7:0] span_a_q, span_b_q;
  always @(posedge clk_i) begin
    if (step_q == 8'd0) begin
      acts_q      <= acts_i;
      weights_a_q <= weights_a_i;
      weights_b_q <= weights_b_i;
      span_a_q    <= span_a_i < 8'd1 ? 8'd1 : (span_a_i > B ? B : span_a_i);
      span_b_q    <= span_b_i < 8'd2 ? 8'd2 : (span_b_i > B ? B : span_b_i);
    end
    if (step_q != 8'd255) step_q <= step_q + 8'd1;
  end

  // issue: steps 1..2T, T = span_a + span_b planes per chunk
  wire [7:0] planes = span_a_q + span_b_q;
  wire [7:0] issue_steps = planes + planes;
  wire issuing = step_q >= 8'd1 && step_q <= issue_steps;
  wire [7:0] index = step_q - 8'd1;
  wire chunk = index >= planes;
  wire [7:0] position = chunk ? index - planes : index;  // plane position in the chunk
  wire second = position >= span_a_q;
  wire split = position == span_a_q;
  wire [7:0] bit_a = span_a_q - 8'd1 - position;
  wire [7:0] bit_b = planes - 8'd1 - position;
  reg [LANES-1:0] mask;
  integer lane;
  always @* begin
    for (lane = 0; lane < LANES; lane = lane + 1)
      mask[lane] = second ? weights_b_q[(chunk * LANES + lane) * B + bit_b]
                          : weights_a_q[(chunk * LANES + lane) * B + bit_a];
  end
  wire [LANES*A-1:0] operands = chunk ? acts_q[LANES*A +: LANES*A] : acts_q[0 +: LANES*A];

  wire [{dot_msb}:0] dot;
  fwmac_dot_tree u_dot_tree (
{tree_clock}    .operands_i(operands),
    .mask_i    (mask),
    .sum_o     (dot)
  );

  // tags {{first_end, second, split, tile_end, first_chunk, last_plane, sign_plane, valid}}
  wire last = position == planes - 8'd1;
  wire first_end = position == span_a_q - 8'd1;
  wire [7:0] issue_tag = {{issuing && first_end, issuing && second, issuing && split, issuing && chunk && last,
                          issuing && !chunk, issuing && last, issuing && position == 8'd0, issuing}};
{tag_delay}
  wire [7:0] check_a = issue_steps + LATENCY + 2;  // slot 0 in the drain register
  wire [ACC_W-1:0] result;
  fwmac_pe_acc #(
    .DOT_W    ({dot_w}),
    .PARTIAL_W({partial_w}),
    .ACC_W    (ACC_W),
    .SLOTS    (2)
  ) u_pe_acc (
    .clk_i         (clk_i),
    .advance_i     (1'b1),
    .dot_i         (dot),
    .plane_valid_i (plane_tag[0]),
    .plane_sign_i  (plane_tag[1]),
    .split_i       (plane_tag[5]),
    .commit_i      (commit_tag[0] && commit_tag[2]),
    .first_end_i   (commit_tag[7]),
    .second_i      (commit_tag[6]),
    .first_chunk_i (commit_tag[3]),
    .result_load_i (commit_tag[0] && commit_tag[4]),
    .result_shift_i(step_q == check_a),
    .result_skip_i (1'b0),
    .result_i      ({{ACC_W{{1'b0}}}}),
    .result_o      (result)
  );

  // the bit-parallel references; each product at its natural width A + B + 1
  wire [7:0] drop_a = B - span_a_q;
  wire [7:0] drop_b = B - span_b_q;
  wire signed [B-1:0] weight_a [0:2*LANES-1];
  wire signed [B-1:0] weight_b [0:2*LANES-1];
  wire signed [A+B:0] product_a [0:2*LANES-1];
  wire signed [A+B:0] product_b [0:2*LANES-1];
  genvar g;
  generate
    for (g = 0; g < 2 * LANES; g = g + 1) begin : g_product
      assign weight_a[g]  = $signed(weights_a_q[g*B +: B] << drop_a) >>> drop_a;
      assign weight_b[g]  = $signed(weights_b_q[g*B +: B] << drop_b) >>> drop_b;
      assign product_a[g] = $signed({{1'b0, acts_q[g*A +: A]}}) * weight_a[g];
      assign product_b[g] = $signed({{1'b0, acts_q[g*A +: A]}}) * weight_b[g];
    end
  endgenerate
  reg signed [ACC_W-1:0] reference_a, reference_b;
  integer k;
  always @* begin
    reference_a = 0;
    reference_b = 0;
    for (k = 0; k < 2 * LANES; k = k + 1) begin
      reference_a = reference_a + {{{{(ACC_W-A-B-1){{product_a[k][A+B]}}}}, product_a[k]}};
      reference_b = reference_b + {{{{(ACC_W-A-B-1){{product_b[k][A+B]}}}}, product_b[k]}};
    end
  end

  // combinational immediate assertions: each checked in exactly one step, after the
  // spans were captured (the AIGER export gives registers without an initial value a
  // free one, so check_a is meaningless in step 0)
  always @* begin
    if (step_q != 8'd0 && step_q == check_a) assert (result == reference_a);
    if (step_q != 8'd0 && step_q == check_a + 8'd1) assert (result == reference_b);
  end
endmodule
)",
                       fmt::arg("a_msb", 2 * shape.lanes * shape.act_bits - 1),
                       fmt::arg("w_msb", 2 * shape.lanes * shape.max_weight_bits - 1),
                       fmt::arg("lanes", shape.lanes), fmt::arg("act_bits", shape.act_bits),
                       fmt::arg("bmax", shape.max_weight_bits), fmt::arg("acc_w", acc_width(shape)),
                       fmt::arg("latency", latency), fmt::arg("dot_msb", dot_width(shape) - 1),
                       fmt::arg("dot_w", dot_width(shape)), fmt::arg("partial_w", partial_width(shape)),
                       fmt::arg("tree_clock", tree_clock), fmt::arg("tag_delay", tag_delay));
}

}  // namespace fwmac
