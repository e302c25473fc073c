#include "generator/rtl/rtl_emit.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <vector>

#include "generator/common/banner.hpp"

namespace fwmac {
namespace {

struct TreeNode {
    std::string name;
    int width;
    std::int64_t min_value;
    std::int64_t max_value;
};

// Exact width of a node holding min_value..max_value.
int node_width(std::int64_t min_value, std::int64_t max_value, bool is_signed) {
    return is_signed ? signed_bits_for(min_value, max_value) : bits_for(static_cast<std::uint64_t>(max_value));
}

// `name` (of `from` bits) extended to `width` bits: zero-extended, or sign-extended.
std::string extend(const std::string& name, int from, int width, bool is_signed) {
    if (from == width) return name;
    if (is_signed) return fmt::format("{{{{{}{{{}[{}]}}}}, {}}}", width - from, name, from - 1, name);
    return fmt::format("{{{}'b0, {}}}", width - from, name);
}

bool level_registered(const ArrayShape& shape, int level) {
    return shape.tree_register_every > 0 && level % shape.tree_register_every == 0;
}

// A balanced binary adder tree over `nodes` (the leaves, declared by the caller) with
// exact node widths and a register after every `tree_register_every` levels; appends
// the Verilog to `body` and returns the root.
TreeNode emit_adder_tree(const ArrayShape& shape, std::vector<TreeNode> nodes, bool is_signed, std::string& body) {
    for (int level = 1; nodes.size() > 1; ++level) {
        const bool registered = level_registered(shape, level);
        body += fmt::format("\n  // level {}{}\n", level, registered ? " (registered)" : "");
        std::vector<TreeNode> next;
        for (std::size_t i = 0; i < nodes.size(); i += 2) {
            const std::size_t index = i / 2;
            TreeNode node;
            node.name = fmt::format("level{}_node{}{}", level, index, registered ? "_d" : "");
            if (i + 1 < nodes.size()) {
                node.min_value = nodes[i].min_value + nodes[i + 1].min_value;
                node.max_value = nodes[i].max_value + nodes[i + 1].max_value;
                node.width = node_width(node.min_value, node.max_value, is_signed);
                body += fmt::format("  wire [{}:0] {} = {} + {};\n", node.width - 1, node.name,
                                    extend(nodes[i].name, nodes[i].width, node.width, is_signed),
                                    extend(nodes[i + 1].name, nodes[i + 1].width, node.width, is_signed));
            } else {
                node.min_value = nodes[i].min_value;
                node.max_value = nodes[i].max_value;
                node.width = nodes[i].width;
                body += fmt::format("  wire [{}:0] {} = {};  // odd node passes through\n", node.width - 1,
                                    node.name, nodes[i].name);
            }
            if (registered) {
                const std::string q_name = fmt::format("level{}_node{}_q", level, index);
                body += fmt::format("  reg  [{}:0] {};\n", node.width - 1, q_name);
                body += fmt::format("  always @(posedge clk_i) if (en_i) {} <= {};\n", q_name, node.name);
                node.name = q_name;
            }
            next.push_back(node);
        }
        nodes = std::move(next);
    }
    if (nodes.front().width != dot_width(shape)) {
        throw std::logic_error(fmt::format("adder tree root is {} bits, dot_width says {}", nodes.front().width,
                                           dot_width(shape)));
    }
    return nodes.front();
}

std::string tree_clock_ports(const ArrayShape& shape) {
    return tree_latency(shape) > 0 ? "  input  wire clk_i,\n  input  wire en_i,  // pipeline advance\n" : "";
}

}  // namespace

namespace {

// A PE's tree module: `body` declares the leaves (one per lane), the adder tree is
// appended; ports operands_i (L x A bits), `weight_port` and sum_o (DOT_W bits).
std::string emit_tree_module(const GeneratorConfig& config, const std::string& what, const std::string& description,
                             const char* module, const char* weight_port, int weight_bits, std::string body,
                             std::vector<TreeNode> leaves, bool is_signed) {
    const ArrayShape& shape = config.shape;
    const TreeNode root = emit_adder_tree(shape, std::move(leaves), is_signed, body);
    body += fmt::format("\n  assign sum_o = {};\n", root.name);
    return file_banner(config, what) + description +
           fmt::format("`default_nettype none\n\n"
                       "module {} (\n{}"
                       "  input  wire [{}:0] operands_i,\n"
                       "  input  wire [{}:0] {},\n"
                       "  output wire [{}:0] sum_o\n"
                       ");\n{}endmodule\n\n`default_nettype wire\n",
                       module, tree_clock_ports(shape), shape.lanes * shape.act_bits - 1, weight_bits - 1,
                       weight_port, dot_width(shape) - 1, body);
}

}  // namespace

std::string emit_dot_tree(const GeneratorConfig& config) {
    const ArrayShape& shape = config.shape;
    const int a_bits = shape.act_bits;
    const std::int64_t leaf_max = (std::int64_t{1} << a_bits) - 1;
    std::string body;
    std::vector<TreeNode> leaves;
    for (int lane = 0; lane < shape.lanes; ++lane) {
        TreeNode leaf{fmt::format("leaf{}", lane), a_bits, 0, leaf_max};
        body += fmt::format("  wire [{}:0] {} = operands_i[{} +: {}] & {{{}{{mask_i[{}]}}}};\n", a_bits - 1,
                            leaf.name, lane * a_bits, a_bits, a_bits, lane);
        leaves.push_back(leaf);
    }
    const std::string description = fmt::format(
        "// sum_o = sum over {} lanes of (mask_i[l] ? operands_i[l] : 0), operands {} bits unsigned.\n"
        "// Balanced binary tree, {} levels, node widths exact for the worst case;\n"
        "// latency {} cycle(s) (a register after every {} level(s); 0 = combinational).\n",
        shape.lanes, a_bits, tree_levels(shape), tree_latency(shape), shape.tree_register_every);
    return emit_tree_module(config, "fwmac_dot_tree: AND + adder tree of one PE", description, "fwmac_dot_tree",
                            "mask_i", shape.lanes, std::move(body), std::move(leaves), false);
}

std::string emit_mult_tree(const GeneratorConfig& config) {
    const ArrayShape& shape = config.shape;
    const int a_bits = shape.act_bits;
    const int w_bits = shape.max_weight_bits;
    const int product_bits = lane_term_width(shape);
    const ValueRange product_range = lane_term_range(shape);
    std::string body;
    std::vector<TreeNode> leaves;
    for (int lane = 0; lane < shape.lanes; ++lane) {
        TreeNode leaf{fmt::format("product{}", lane), product_bits, product_range.min_value,
                      product_range.max_value};
        const std::string act = fmt::format("act{}", lane);
        const std::string weight = fmt::format("weight{}", lane);
        body += fmt::format("  wire [{}:0] {} = operands_i[{} +: {}];\n", a_bits - 1, act, lane * a_bits, a_bits);
        body += fmt::format("  wire [{}:0] {} = weights_i[{} +: {}];\n", w_bits - 1, weight, lane * w_bits, w_bits);
        body += fmt::format("  wire [{}:0] {} = $signed({}) * $signed({});\n", product_bits - 1, leaf.name,
                            extend(act, a_bits, product_bits, false), extend(weight, w_bits, product_bits, true));
        leaves.push_back(leaf);
    }
    const std::string description = fmt::format(
        "// sum_o = sum over {lanes} lanes of operands_i[l] * weights_i[l], two's complement:\n"
        "// operands {a} bits unsigned, weights {b} bits signed, products exact in {p} bits\n"
        "// (both factors extended to {p} bits, so the truncated product is exact).\n"
        "// Balanced binary tree, {levels} levels, node widths exact for the worst case;\n"
        "// latency {latency} cycle(s) (a register after every {every} adder level(s); 0 = combinational;\n"
        "// the multipliers themselves are not registered).\n",
        fmt::arg("lanes", shape.lanes), fmt::arg("a", a_bits), fmt::arg("b", w_bits), fmt::arg("p", product_bits),
        fmt::arg("levels", tree_levels(shape)), fmt::arg("latency", tree_latency(shape)),
        fmt::arg("every", shape.tree_register_every));
    return emit_tree_module(config, "fwmac_mult_tree: multipliers + signed adder tree of one bit-parallel PE",
                            description, "fwmac_mult_tree", "weights_i", shape.lanes * w_bits, std::move(body),
                            std::move(leaves), true);
}

namespace {

// The value PE(row, col) takes while its column drains: the result of the PE below.
std::string result_below(const ArrayShape& shape, int row, int col) {
    return row + 1 < shape.rows ? fmt::format("result_r{}_c{}", row + 1, col) : std::string("{ACC_W{1'b0}}");
}

std::string tree_clock_connections(const ArrayShape& shape) {
    return tree_latency(shape) > 0 ? "    .clk_i     (clk_i),\n    .en_i      (advance_i),\n" : "";
}

// The parts of a PE that differ between the architectures: the tree and accumulator
// modules (fwmac_<name>, instances u_<name>_r<row>_c<col>) and their connections.
struct PeParts {
    const char* tree;
    const char* weight_port;  // the tree's weight input, padded to the port column
    int weight_bits;          // weight bits per row: L (a bit-plane) or L x Bmax
    const char* acc;
    const char* acc_params;
    const char* plane_tags;  // accumulator ports only the bit-serial PE has
};

PeParts pe_parts(const ArrayShape& shape) {
    if (is_bit_parallel(shape)) {
        return {"mult_tree", ".weights_i ", shape.lanes * shape.max_weight_bits, "pe_mac",
                "    .DOT_W(DOT_W),\n    .ACC_W(ACC_W)\n", ""};
    }
    return {"dot_tree", ".mask_i    ", shape.lanes, "pe_acc",
            shape.row_slots == 1
                ? "    .DOT_W    (DOT_W),\n    .PARTIAL_W(PARTIAL_W),\n    .ACC_W    (ACC_W)\n"
                : "    .DOT_W    (DOT_W),\n    .PARTIAL_W(PARTIAL_W),\n    .ACC_W    (ACC_W),\n    .SLOTS    (2)\n",
            "    .plane_valid_i (plane_valid_i),\n    .plane_sign_i  (plane_sign_i),\n"};
}

// The bit-serial accumulator's slot inputs: row r's span tags (row_slots = 2), else tied off.
std::string slot_connections(const ArrayShape& shape, int row) {
    if (is_bit_parallel(shape)) return "";
    if (shape.row_slots == 1) {
        return "    .split_i       (1'b0),\n    .first_end_i   (1'b0),\n    .second_i      (1'b0),\n"
               "    .result_skip_i (1'b0),\n";
    }
    return fmt::format("    .split_i       (row_split_i[{0}]),\n    .first_end_i   (row_first_end_i[{0}]),\n"
                       "    .second_i      (row_second_i[{0}]),\n    .result_skip_i (result_skip_i),\n",
                       row);
}

// One PE: its tree and accumulator, wired into its column's drain chain.
std::string emit_pe(const ArrayShape& shape, const PeParts& parts, int row, int col) {
    const int operand_bits = shape.lanes * shape.act_bits;
    return fmt::format(R"(
  // PE({row}, {col})
  wire [DOT_W-1:0] dot_r{row}_c{col};
  fwmac_{tree} u_{tree}_r{row}_c{col} (
{tree_clock}    .operands_i(a_data_i[{a_low} +: {a_bits}]),
    {weight_port}(w_plane_i[{w_low} +: {w_bits}]),
    .sum_o     (dot_r{row}_c{col})
  );
  fwmac_{acc} #(
{acc_params}  ) u_{acc}_r{row}_c{col} (
    .clk_i         (clk_i),
    .advance_i     (advance_i),
    .dot_i         (dot_r{row}_c{col}),
{plane_tags}    .commit_i      (commit_i),
    .first_chunk_i (commit_first_chunk_i),
{slot_tags}    .result_load_i (result_load_i),
    .result_shift_i(result_shift_i),
    .result_i      ({below}),
    .result_o      (result_r{row}_c{col})
  );
)",
                       fmt::arg("row", row), fmt::arg("col", col), fmt::arg("tree", parts.tree),
                       fmt::arg("tree_clock", tree_clock_connections(shape)), fmt::arg("a_low", col * operand_bits),
                       fmt::arg("a_bits", operand_bits), fmt::arg("weight_port", parts.weight_port),
                       fmt::arg("w_low", row * parts.weight_bits), fmt::arg("w_bits", parts.weight_bits),
                       fmt::arg("acc", parts.acc), fmt::arg("acc_params", parts.acc_params),
                       fmt::arg("plane_tags", parts.plane_tags), fmt::arg("slot_tags", slot_connections(shape, row)),
                       fmt::arg("below", result_below(shape, row, col)));
}

}  // namespace

std::string emit_array(const GeneratorConfig& config) {
    const ArrayShape& shape = config.shape;
    const bool parallel = is_bit_parallel(shape);
    std::string body = "\n  // drain chain: PE(r, c) result, shifted towards row 0\n";
    for (int row = 0; row < shape.rows; ++row) {
        for (int col = 0; col < shape.cols; ++col) body += fmt::format("  wire [ACC_W-1:0] result_r{}_c{};\n", row, col);
    }
    const PeParts parts = pe_parts(shape);
    for (int row = 0; row < shape.rows; ++row) {
        for (int col = 0; col < shape.cols; ++col) body += emit_pe(shape, parts, row, col);
    }
    std::string head;
    for (int col = shape.cols - 1; col >= 0; --col) {
        head += fmt::format("{}result_r0_c{}", head.empty() ? "" : ", ", col);
    }
    const std::string intro =
        parallel ? "// Bit-parallel baseline: PE(r, c) multiplies row r's whole weights with column c's\n"
                   "// activation chunk, sums the lanes in its fwmac_mult_tree and accumulates one chunk per\n"
                   "// cycle in fwmac_pe_mac."
                 : "// PE(r, c) ANDs row r's weight bit-plane with column c's activation chunk, sums the\n"
                   "// lanes in its fwmac_dot_tree and accumulates bit-serially in fwmac_pe_acc.";
    const std::string w_layout = parallel ? fmt::format("row r lane l at bits (r*{} + l)*{}, signed", shape.lanes,
                                                        shape.max_weight_bits)
                                          : fmt::format("row r lane l at bit r*{} + l", shape.lanes);
    std::string plane_tag_ports =
        parallel ? "" : "  input  wire         plane_valid_i,   // partial-sum stage\n  input  wire         plane_sign_i,\n";
    if (shape.row_slots == 2) {
        plane_tag_ports += fmt::format("  input  wire [{0}:0] row_split_i,     // row r: this plane starts its second filter\n"
                                       "  input  wire [{0}:0] row_first_end_i, // commit stage: row r's first filter finished\n"
                                       "  input  wire [{0}:0] row_second_i,    // commit stage: the plane was row r's second filter's\n"
                                       "  input  wire         result_skip_i,   // drain slot 0 only: shift past slot 1\n",
                                       shape.rows - 1);
    }
    const std::string localparams =
        parallel ? fmt::format("  localparam integer DOT_W = {};\n  localparam integer ACC_W = {};\n",
                               dot_width(shape), acc_width(shape))
                 : fmt::format("  localparam integer DOT_W     = {};\n  localparam integer PARTIAL_W = {};\n"
                               "  localparam integer ACC_W     = {};\n",
                               dot_width(shape), partial_width(shape), acc_width(shape));
    return file_banner(config, "fwmac_array: R x C processing elements") +
           fmt::format(R"({intro} The PE
// results of each column form a drain chain towards row 0 (head_o). Unrolled (one
// block per PE) so that simulators see plain nets instead of one wide vector.
`default_nettype none

module fwmac_array (
  input  wire         clk_i,
  input  wire         advance_i,
  input  wire [{w_msb}:0] w_plane_i,  // {w_layout}
  input  wire [{a_msb}:0] a_data_i,   // column c lane l at bits (c*{lanes} + l)*{act_bits}
{plane_tag_ports}  input  wire         commit_i,              // commit stage: a chunk is finished
  input  wire         commit_first_chunk_i,  // ... the tile's first chunk
  input  wire         result_load_i,
  input  wire         result_shift_i,
  output wire [{head_msb}:0] head_o      // row-0 result of column c at bits c*{acc_w}
);
{localparams}{body}
  assign head_o = {{{head}}};
endmodule

`default_nettype wire
)",
                       fmt::arg("intro", intro), fmt::arg("w_msb", weight_beat_width(shape) - 1),
                       fmt::arg("w_layout", w_layout),
                       fmt::arg("a_msb", shape.cols * shape.lanes * shape.act_bits - 1),
                       fmt::arg("head_msb", shape.cols * acc_width(shape) - 1), fmt::arg("lanes", shape.lanes),
                       fmt::arg("act_bits", shape.act_bits), fmt::arg("plane_tag_ports", plane_tag_ports),
                       fmt::arg("acc_w", acc_width(shape)), fmt::arg("localparams", localparams),
                       fmt::arg("body", body), fmt::arg("head", head));
}

std::string emit_top(const GeneratorConfig& config) {
    const ArrayShape& shape = config.shape;
    const bool parallel = is_bit_parallel(shape);
    const bool two_slots = shape.row_slots == 2;
    const bool raw = shape.raw_outputs;
    const std::string what = parallel ? "fwmac_top: bit-parallel baseline MAC array (same streams as bit-serial)"
                                      : "fwmac_top: filter-wise variable-precision MAC array";
    const std::string cmd_w_streams =
        parallel ? fmt::format(
                       "//   cmd  one per tile: {{chunks, planes}}; chunks = ceil(K/L) >= 1, planes = 1 (the\n"
                       "//        bit-parallel array reads no planes field: every chunk takes one cycle)\n"
                       "//   w    one per chunk: R x L whole weights of {} bits, two's complement (row r\n"
                       "//        lane l at bits (r*L + l)*{}); narrower filters' weights sign-extended\n",
                       shape.max_weight_bits, shape.max_weight_bits)
                 : fmt::format(
                       "//   cmd  one per tile: {{chunks, planes}}; chunks = ceil(K/L) >= 1, planes = b_g in 1..{}\n"
                       "//   w    one per issued plane: R x L weight bits of bit-plane k of chunk j, planes MSB\n"
                       "//        (sign) first; rows narrower than b_g carry their sign bit in the upper planes\n",
                       shape.max_weight_bits);
    const std::string slot_streams =
        two_slots ? fmt::format("//   cmd  with row_slots = 2 also cmd_spans_i: per row r (bits r*{0}) the span of its second\n"
                                "//        filter, the last `span` planes of every chunk (0: one filter; else 2..{1});\n"
                                "//        planes = b_g then runs up to {2}; the first span holds the first filter\n",
                                span_width(shape), shape.max_weight_bits, max_tile_planes(shape))
                  : std::string();
    const std::string y_values =
        raw ? fmt::format("{} bits (raw accumulators, or requantized values sign-extended)", acc_width(shape))
            : fmt::format("{} bits (relu: unsigned 0..2^A-1; signed: two's complement)", shape.act_bits);
    const std::string span_port =
        two_slots ? fmt::format("  input  wire [{}:0] cmd_spans_i,\n", shape.rows * span_width(shape) - 1) : std::string();
    const std::string raw_port = raw ? "  input  wire         p_raw_i,\n" : "";
    const std::string slot_wires =
        two_slots ? "  wire [ROWS-1:0] row_first_end /* verilator public_flat_rd */;\n"
                    "  wire [ROWS-1:0] row_split, row_second;\n  wire [PLANE_W-1:0] issue_plane;\n"
                    "  wire tile_second, drain_skip;\n"
                  : "  wire [PLANE_W-1:0] unused_issue_plane;  // only fwmac_row_slots needs it\n";
    const std::string slot_params = two_slots ? fmt::format("  localparam integer SPAN_W       = {};\n", span_width(shape))
                                              : std::string();
    const std::string row_slots_instance = two_slots ? R"(
  fwmac_row_slots #(
    .ROWS        (ROWS),
    .PLANE_W     (PLANE_W),
    .SPAN_W      (SPAN_W),
    .TREE_LATENCY(TREE_LATENCY)
  ) u_row_slots (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .cmd_fire_i   (cmd_valid_i & cmd_ready_o),
    .cmd_spans_i  (cmd_spans_i),
    .advance_i    (advance),
    .issue_i      (load_weights),
    .issue_plane_i(issue_plane),
    .split_o      (row_split),
    .first_end_o  (row_first_end),
    .second_o     (row_second),
    .tile_second_o(tile_second)
  );
)" : "";
    const std::string array_slot_tags =
        two_slots ? "    .row_split_i         (row_split),\n    .row_first_end_i     (row_first_end),\n"
                    "    .row_second_i        (row_second),\n    .result_skip_i       (drain_skip),\n"
                  : "";
    const std::string drain_slot_ports =
        two_slots ? "    .load_skip_i(~tile_second),\n    .skip_o     (drain_skip),\n"
                  : "    .load_skip_i(1'b0),\n    .skip_o     (unused_drain_skip),\n";
    const std::string drain_skip_wire = two_slots ? "" : "  wire unused_drain_skip;  // one slot: nothing to skip\n";
    // The bit-parallel PE adds its dot product at the commit stage directly (COMMIT_STAGE 0,
    // planes = 1): the partial-sum tags carry nothing.
    const std::string tag_wires =
        parallel ? "  wire commit /* verilator public_flat_rd */;\n  wire commit_first_chunk;\n"
                   "  wire unused_plane_valid, unused_plane_sign;  // no partial-sum stage\n"
                   "  wire unused_cmd_planes = cmd_planes_i;  // the array always runs one plane per chunk\n"
                 : "  wire plane_valid /* verilator public_flat_rd */;\n"
                   "  wire commit /* verilator public_flat_rd */;\n  wire plane_sign, commit_first_chunk;\n";
    const std::string planes_source = parallel ? "1'b1" : "cmd_planes_i";
    const std::string tag_prefix = parallel ? "unused_" : "";
    const std::string array_plane_tags = parallel ? ""
                                                  : "    .plane_valid_i       (plane_valid),\n"
                                                    "    .plane_sign_i        (plane_sign),\n";
    const int groups = drain_groups(shape);
    return file_banner(config, what) +
           fmt::format(R"(// Streams (valid/ready; a beat moves when both are high at a rising clk_i edge):
{cmd_w_streams}{slot_streams}//   a    one per chunk: C x L unsigned activations of {act_bits} bits
//   p    one per drained row, in y order: {{shift[5:0], mult[15:0], bias[{acc_msb}:0]}} + relu{raw_mode}
//   y    {y_beats}: C values of {y_values};
//        y_last_o on {y_last}
// Drain: {units} shared requantizer(s), {groups} cycle(s) per row, {stages} requant stage(s).
// Reset: synchronous, active low (rst_ni). Cycle model: golden/schedule.hpp.
`default_nettype none

module fwmac_top (
  input  wire         clk_i,
  input  wire         rst_ni,
  input  wire         cmd_valid_i,
  output wire         cmd_ready_o,
  input  wire [{chunk_msb}:0] cmd_chunks_i,
  input  wire [{plane_msb}:0] cmd_planes_i,
{span_port}  input  wire         w_valid_i,
  output wire         w_ready_o,
  input  wire [{w_msb}:0] w_plane_i,
  input  wire         a_valid_i,
  output wire         a_ready_o,
  input  wire [{a_msb}:0] a_data_i,
  input  wire         p_valid_i,
  output wire         p_ready_o,
  input  wire [{p_msb}:0] p_data_i,
  input  wire         p_relu_i,
{raw_port}  output wire         y_valid_o,
  input  wire         y_ready_i,
  output wire [{y_msb}:0] y_data_o,
  output wire         y_last_o
);
  localparam integer ROWS           = {rows};
  localparam integer COLS           = {cols};
  localparam integer LANES          = {lanes};
  localparam integer ACT_BITS       = {act_bits};
  localparam integer ACC_W          = {acc_w};
  localparam integer CHUNK_W        = {chunk_w};
  localparam integer PLANE_W        = {plane_w};
  localparam integer WEIGHT_BITS    = {weight_lane_bits};
  localparam integer TREE_LATENCY   = {tree_latency};
  localparam integer SLOTS          = {row_slots};
  localparam integer REQUANT_UNITS  = {units};
  localparam integer REQUANT_STAGES = {stages};
  localparam integer RAW            = {raw};
{slot_params}
  // the testbench counts the enables marked public (fwmac_tb --activity); tools ignore the mark
  wire advance /* verilator public_flat_rd */;
  wire load_weights /* verilator public_flat_rd */;
  wire load_acts /* verilator public_flat_rd */;
{tag_wires}{slot_wires}{drain_skip_wire}  wire drain_load /* verilator public_flat_rd */;
  wire drain_shift /* verilator public_flat_rd */;
  wire drain_ready;
  wire [ROWS*LANES*WEIGHT_BITS-1:0] w_plane_q;
  wire [COLS*LANES*ACT_BITS-1:0] a_data_q;
  wire [COLS*ACC_W-1:0]          head;

  fwmac_ctrl #(
    .CHUNK_W     (CHUNK_W),
    .PLANE_W     (PLANE_W),
    .TREE_LATENCY(TREE_LATENCY),
    .COMMIT_STAGE({commit_stage})
  ) u_ctrl (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .cmd_valid_i         (cmd_valid_i),
    .cmd_ready_o         (cmd_ready_o),
    .cmd_chunks_i        (cmd_chunks_i),
    .cmd_planes_i        ({planes_source}),
    .w_valid_i           (w_valid_i),
    .w_ready_o           (w_ready_o),
    .a_valid_i           (a_valid_i),
    .a_ready_o           (a_ready_o),
    .drain_ready_i       (drain_ready),
    .drain_load_o        (drain_load),
    .advance_o           (advance),
    .load_weights_o      (load_weights),
    .load_acts_o         (load_acts),
    .plane_valid_o       ({tag_prefix}plane_valid),
    .plane_sign_o        ({tag_prefix}plane_sign),
    .commit_o            (commit),
    .commit_first_chunk_o(commit_first_chunk),
    .issue_plane_o       ({issue_plane})
  );
{row_slots_instance}
  fwmac_operand_regs #(
    .ROWS       (ROWS),
    .COLS       (COLS),
    .LANES      (LANES),
    .ACT_BITS   (ACT_BITS),
    .WEIGHT_BITS(WEIGHT_BITS)
  ) u_operand_regs (
    .clk_i         (clk_i),
    .advance_i     (advance),
    .load_weights_i(load_weights),
    .load_acts_i   (load_acts),
    .w_plane_i     (w_plane_i),
    .a_data_i      (a_data_i),
    .w_plane_o     (w_plane_q),
    .a_data_o      (a_data_q)
  );

  fwmac_array u_array (
    .clk_i               (clk_i),
    .advance_i           (advance),
    .w_plane_i           (w_plane_q),
    .a_data_i            (a_data_q),
{array_plane_tags}{array_slot_tags}    .commit_i            (commit),
    .commit_first_chunk_i(commit_first_chunk),
    .result_load_i       (drain_load),
    .result_shift_i      (drain_shift),
    .head_o              (head)
  );

  fwmac_drain #(
    .ROWS          (ROWS*SLOTS),
    .COLS          (COLS),
    .ACC_W         (ACC_W),
    .ACT_BITS      (ACT_BITS),
    .SLOTS         (SLOTS),
    .UNITS         (REQUANT_UNITS),
    .REQUANT_STAGES(REQUANT_STAGES),
    .RAW           (RAW)
  ) u_drain (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .ready_o  (drain_ready),
    .load_i   (drain_load),
{drain_slot_ports}    .p_valid_i(p_valid_i),
    .p_ready_o(p_ready_o),
    .p_data_i (p_data_i),
    .p_relu_i (p_relu_i),
    .p_raw_i  ({raw_source}),
    .head_i   (head),
    .shift_o  (drain_shift),
    .y_valid_o(y_valid_o),
    .y_ready_i(y_ready_i),
    .y_data_o (y_data_o),
    .y_last_o (y_last_o)
  );
endmodule

`default_nettype wire
)",
                       fmt::arg("cmd_w_streams", cmd_w_streams), fmt::arg("act_bits", shape.act_bits),
                       fmt::arg("acc_msb", acc_width(shape) - 1), fmt::arg("acc_w", acc_width(shape)),
                       fmt::arg("raw_mode", raw ? "/raw mode" : " mode"), fmt::arg("y_values", y_values),
                       fmt::arg("chunk_msb", chunk_count_width(shape) - 1),
                       fmt::arg("plane_msb", plane_count_width(shape) - 1),
                       fmt::arg("w_msb", weight_beat_width(shape) - 1),
                       fmt::arg("a_msb", shape.cols * shape.lanes * shape.act_bits - 1),
                       fmt::arg("p_msb", param_width(shape) - 1),
                       fmt::arg("y_beats", two_slots ? "2R beats per tile (row 0 slot 0, row 0 slot 1, row 1 slot 0, ...),\n"
                                                       "//        or the R slot-0 rows of a tile whose rows hold no second filter"
                                                     : "R beats per tile, row 0 first"),
                       fmt::arg("y_last", two_slots ? "the tile's last beat" : "row R-1"),
                       fmt::arg("units", requant_unit_count(shape)), fmt::arg("groups", groups),
                       fmt::arg("stages", shape.requant_stages), fmt::arg("raw", raw ? 1 : 0),
                       fmt::arg("raw_port", raw_port), fmt::arg("raw_source", raw ? "p_raw_i" : "1'b0"),
                       fmt::arg("commit_stage", parallel ? 0 : 1),
                       fmt::arg("slot_streams", slot_streams), fmt::arg("span_port", span_port),
                       fmt::arg("row_slots", shape.row_slots), fmt::arg("slot_params", slot_params),
                       fmt::arg("slot_wires", slot_wires), fmt::arg("row_slots_instance", row_slots_instance),
                       fmt::arg("array_slot_tags", array_slot_tags),
                       fmt::arg("drain_slot_ports", drain_slot_ports), fmt::arg("drain_skip_wire", drain_skip_wire),
                       fmt::arg("issue_plane", two_slots ? "issue_plane" : "unused_issue_plane"),
                       fmt::arg("y_msb", shape.cols * output_width(shape) - 1), fmt::arg("rows", shape.rows),
                       fmt::arg("cols", shape.cols), fmt::arg("lanes", shape.lanes),
                       fmt::arg("chunk_w", chunk_count_width(shape)),
                       fmt::arg("plane_w", plane_count_width(shape)),
                       fmt::arg("tree_latency", tree_latency(shape)), fmt::arg("tag_wires", tag_wires),
                       fmt::arg("weight_lane_bits", weight_lane_bits(shape)),
                       fmt::arg("planes_source", planes_source), fmt::arg("tag_prefix", tag_prefix),
                       fmt::arg("array_plane_tags", array_plane_tags));
}

}  // namespace fwmac
