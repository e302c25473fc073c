#include "generator/rtl/formal_emit.hpp"

#include <fmt/format.h>

#include "generator/common/banner.hpp"

namespace fwmac {
namespace {

constexpr int kChunks = 2;

// Most issue cycles per chunk: Bmax bit-planes (two spans of up to Bmax with two
// slots), or one cycle with whole weights.
int planes_per_chunk(const ArrayShape& shape) {
    return is_bit_parallel(shape) ? 1 : shape.max_weight_bits * shape.row_slots;
}

// Stages from issue to the accumulator commit beyond the tree: 1 for the bit-serial PE
// (partial sum, then commit), 0 for the bit-parallel one.
int commit_stage(const ArrayShape& shape) { return is_bit_parallel(shape) ? 0 : 1; }

// Cycles of one proof: capture, chunks * planes, the tree and commit latency, the check.
int proof_steps(const ArrayShape& shape) {
    return 1 + kChunks * planes_per_chunk(shape) + tree_latency(shape) + commit_stage(shape) + 2;
}

// How the wrapper issues the two chunks, and the PE modules it drives.
struct FormalPe {
    std::string issue;       // issue logic: issuing, chunk and the tree's operands
    const char* tree;        // fwmac_dot_tree / fwmac_mult_tree, instance u_<tree>
    const char* weights;     // the tree's weight connection
    const char* issue_tag;   // {tile_end, first_chunk, last_plane, sign_plane, valid}
    const char* acc;         // fwmac_pe_acc / fwmac_pe_mac, instance u_<acc>
    std::string acc_params;
    const char* plane_tags;  // accumulator ports only the bit-serial PE has
};

FormalPe formal_pe(const ArrayShape& shape) {
    const std::string operands =
        "  wire [LANES*A-1:0] operands = chunk ? acts_q[LANES*A +: LANES*A] : acts_q[0 +: LANES*A];\n";
    if (is_bit_parallel(shape)) {
        return {"  // issue: step 1 chunk 0, step 2 chunk 1, whole weights (each cycle is its chunk's only plane)\n"
                "  wire issuing = step_q >= 8'd1 && step_q <= ISSUE;\n"
                "  wire chunk = step_q == 8'd2;\n" + operands +
                    "  wire [LANES*B-1:0] weights = chunk ? weights_q[LANES*B +: LANES*B] : weights_q[0 +: LANES*B];\n",
                "mult_tree", ".weights_i (weights)", "issuing && chunk, issuing && !chunk, issuing, issuing, issuing",
                "pe_mac", fmt::format("    .DOT_W({}),\n    .ACC_W(ACC_W)\n", dot_width(shape)),
                "    .commit_i      (commit_tag[0]),\n"};
    }
    return {"  // issue: steps 1..ISSUE; chunk = (step-1)/B, plane = B-1 - (step-1)%B\n"
            "  wire issuing = step_q >= 8'd1 && step_q <= ISSUE;\n"
            "  wire [7:0] index = step_q - 8'd1;\n"
            "  wire chunk = index >= B;\n"
            "  wire [7:0] plane = (B - 1) - (chunk ? index - B : index);\n"
            "  reg [LANES-1:0] mask;\n"
            "  integer lane;\n"
            "  always @* begin\n"
            "    for (lane = 0; lane < LANES; lane = lane + 1)\n"
            "      mask[lane] = weights_q[(chunk * LANES + lane) * B + plane];\n"
            "  end\n" + operands,
            "dot_tree", ".mask_i    (mask)",
            "issuing && chunk && plane == 0, issuing && !chunk, issuing && plane == 0,\n"
            "                          issuing && plane == B - 1, issuing",
            "pe_acc",
            fmt::format("    .DOT_W    ({}),\n    .PARTIAL_W({}),\n    .ACC_W    (ACC_W)\n", dot_width(shape),
                        partial_width(shape)),
            "    .plane_valid_i (plane_tag[0]),\n    .plane_sign_i  (plane_tag[1]),\n    .split_i       (1'b0),\n"
            "    .commit_i      (commit_tag[0] && commit_tag[2]),\n    .first_end_i   (1'b0),\n"
            "    .second_i      (1'b0),\n    .result_skip_i (1'b0),\n"};  // one slot
}

// The issue logic, the PE's tree and accumulator, and the tag pipeline between them.
std::string formal_pe_section(const ArrayShape& shape, const std::string& tree_clock, const std::string& tag_delay) {
    const FormalPe pe = formal_pe(shape);
    return fmt::format(R"({issue}
  wire [{dot_msb}:0] dot;
  fwmac_{tree} u_{tree} (
{tree_clock}    .operands_i(operands),
    {weights},
    .sum_o     (dot)
  );

  // tags {{tile_end, first_chunk, last_plane, sign_plane, valid}}, delayed by the tree
  // latency (plane_tag) and by the commit stage after it (commit_tag)
  wire [4:0] issue_tag = {{{issue_tag}}};
{tag_delay}
  wire [ACC_W-1:0] result;
  fwmac_{acc} #(
{acc_params}  ) u_{acc} (
    .clk_i         (clk_i),
    .advance_i     (1'b1),
    .dot_i         (dot),
{plane_tags}    .first_chunk_i (commit_tag[3]),
    .result_load_i (commit_tag[0] && commit_tag[4]),
    .result_shift_i(1'b0),
    .result_i      ({{ACC_W{{1'b0}}}}),
    .result_o      (result)
  );
)",
                       fmt::arg("issue", pe.issue), fmt::arg("dot_msb", dot_width(shape) - 1),
                       fmt::arg("tree", pe.tree), fmt::arg("tree_clock", tree_clock), fmt::arg("weights", pe.weights),
                       fmt::arg("issue_tag", pe.issue_tag), fmt::arg("tag_delay", tag_delay), fmt::arg("acc", pe.acc),
                       fmt::arg("acc_params", pe.acc_params), fmt::arg("plane_tags", pe.plane_tags));
}

}  // namespace

std::string formal_tree_clock(const ArrayShape& shape) {
    return tree_latency(shape) > 0 ? "    .clk_i     (clk_i),\n    .en_i      (1'b1),\n" : "";
}

std::string formal_tag_delay(const ArrayShape& shape, int tag_width) {
    const int latency = tree_latency(shape);
    const int depth = latency + commit_stage(shape);
    const std::string tag_msb = std::to_string(tag_width - 1);
    // the tag issued `delay` cycles ago: issue_tag itself, or stage delay - 1 of tags_q
    auto tap = [&](int delay) {
        return delay == 0 ? std::string("issue_tag") : fmt::format("tags_q[{} +: {}]", tag_width * (delay - 1), tag_width);
    };
    std::string text;
    if (depth > 0) {
        const std::string shifted =
            depth == 1 ? "issue_tag" : fmt::format("{{tags_q[{}:0], issue_tag}}", tag_width * (depth - 1) - 1);
        text += fmt::format(
            "  reg [{0}:0] tags_q = 0;  // bits {1}i..{1}i+{2}: the tag issued i + 1 cycles ago\n"
            "  always @(posedge clk_i) tags_q <= {3};\n",
            tag_width * depth - 1, tag_width, tag_msb, shifted);
    }
    return text + fmt::format("  wire [{0}:0] plane_tag = {1};\n  wire [{0}:0] commit_tag = {2};\n", tag_msb,
                              tap(latency), tap(depth));
}

std::string emit_pe_formal_wrapper(const GeneratorConfig& config) {
    const ArrayShape& shape = config.shape;
    if (shape.row_slots == 2) return emit_two_slot_pe_formal_wrapper(config);
    const int latency = tree_latency(shape);
    const bool parallel = is_bit_parallel(shape);
    const std::string pe = formal_pe_section(shape, formal_tree_clock(shape), formal_tag_delay(shape, 5));
    return file_banner(config, "fwmac_pe_formal: PE == bit-parallel dot product (formal)") +
           fmt::format(R"(// Captures 2 x L activations (A bits, unsigned) and 2 x L weights (Bmax bits, two's
// complement) in step 0, feeds the PE {feed}, chunk by chunk, as
// fwmac_ctrl would (tags delayed by the tree latency), and asserts that the result the
// PE loads into its drain register equals sum_l a[l] * w[l] computed by a plain reference.
// Verification only: uses an initial block and an immediate assertion (yosys -formal).
module fwmac_pe_formal (
  input wire              clk_i,
  input wire [{a_msb}:0]  acts_i,     // chunk c lane l at bits (c*L + l)*A
  input wire [{w_msb}:0]  weights_i   // chunk c lane l at bits (c*L + l)*B
);
  localparam integer LANES = {lanes};
  localparam integer A     = {act_bits};
  localparam integer B     = {bmax};
  localparam integer ACC_W = {acc_w};
  localparam integer LATENCY = {latency};  // tree register stages + the commit stage
  localparam integer ISSUE = {issue};  // two chunks of {issue_per_chunk}

  reg [7:0] step_q = 8'd0;
  reg [2*LANES*A-1:0] acts_q;
  reg [2*LANES*B-1:0] weights_q;
  always @(posedge clk_i) begin
    if (step_q == 8'd0) begin
      acts_q    <= acts_i;
      weights_q <= weights_i;
    end
    if (step_q != 8'd255) step_q <= step_q + 8'd1;
  end

{pe}
  // the bit-parallel reference; each product at its natural width A + B + 1
  wire signed [A+B:0] products [0:2*LANES-1];
  genvar g;
  generate
    for (g = 0; g < 2 * LANES; g = g + 1) begin : g_product
      assign products[g] = $signed({{1'b0, acts_q[g*A +: A]}}) * $signed(weights_q[g*B +: B]);
    end
  endgenerate
  reg signed [ACC_W-1:0] reference;
  integer k;
  always @* begin
    reference = 0;
    for (k = 0; k < 2 * LANES; k = k + 1)
      reference = reference + {{{{(ACC_W-A-B-1){{products[k][A+B]}}}}, products[k]}};
  end

  // combinational immediate assertion: checked in the very step the condition holds
  always @* begin
    if (step_q == ISSUE + LATENCY + 2) assert (result == reference);
  end
endmodule
)",
                       fmt::arg("a_msb", 2 * shape.lanes * shape.act_bits - 1),
                       fmt::arg("w_msb", 2 * shape.lanes * shape.max_weight_bits - 1),
                       fmt::arg("lanes", shape.lanes), fmt::arg("act_bits", shape.act_bits),
                       fmt::arg("bmax", shape.max_weight_bits), fmt::arg("acc_w", acc_width(shape)),
                       fmt::arg("latency", latency + commit_stage(shape)), fmt::arg("pe", pe),
                       fmt::arg("feed", parallel ? "the whole weights, one chunk per cycle" : "their bit-planes MSB first"),
                       fmt::arg("issue", parallel ? "2" : "2 * B"),
                       fmt::arg("issue_per_chunk", parallel ? "one cycle (whole weights)" : "B planes"));
}

std::string emit_pe_formal_script(const GeneratorConfig& config) {
    return fmt::format(
        "# fwmac PE equivalence proof for '{}' (run from the output directory):\n"
        "#   yosys -q -s formal/pe_equiv.ys && yosys-abc -c \"read_aiger formal/pe.aig; fold; frames -F {} -i; "
        "fraig; iprove\"\n"
        "# The assertion is checked in exactly one step, so unrolling that many frames is a complete proof;\n"
        "# iprove prints UNSATISFIABLE when the PE (tree + accumulator) == sum a*w for all inputs.\n"
        "read_verilog -formal formal/fwmac_pe_formal.v {}\n"
        "prep -top fwmac_pe_formal\n"
        "flatten\n"
        "async2sync\n"
        "opt_clean\n"
        "techmap\n"
        "opt -fast\n"
        "dffunmap\n"
        "abc -g AND\n"
        "opt_clean\n"
        "write_aiger -zinit formal/pe.aig\n",
        config.name, proof_steps(config.shape) + 2,
        is_bit_parallel(config.shape) ? "rtl/fwmac_mult_tree.v rtl/fwmac_pe_mac.v"
                                      : "rtl/fwmac_dot_tree.v rtl/fwmac_pe_acc.v");
}

}  // namespace fwmac
