// fwmac_ctrl: tile sequencer and pipeline control of the bit-serial array.
//
// Takes one tile command {chunks, planes} at a time and issues chunks x planes
// bit-plane cycles, MSB (sign) plane first within each chunk. One weight beat is
// consumed per issued plane; one activation beat at the first plane of every chunk.
// The next command is accepted together with the last plane of the current tile,
// so tiles issue back to back.
//
// Every issued plane carries a tag {tile_end, first_chunk, last_plane, sign_plane,
// valid} down a (1 + TREE_LATENCY + COMMIT_STAGE)-stage shift register that runs in
// step with the operand registers and the adder-tree pipeline. The tag at stage
// TREE_LATENCY (plane_*_o) drives the PEs' per-plane partial sums; the tag at the last
// stage (commit_*_o) commits a finished chunk into the accumulators: with
// COMMIT_STAGE = 1 (bit-serial) one cycle after its last plane, so the partial-sum adder
// and the accumulator adder are never chained; with COMMIT_STAGE = 0 (bit-parallel, one
// plane per chunk) in the same stage. When a tile's final commit reaches the
// accumulators while the drain chain is not free, the whole pipeline (issue included)
// holds: advance_o = 0. advance_o depends on registers only (drain_ready_i must too).
//
// Handshakes: ready may depend on valid of other streams (never the reverse).
// Latency: a plane issued in cycle t updates the partial sums in cycle
// t + 1 + TREE_LATENCY and commits in cycle t + 1 + TREE_LATENCY + COMMIT_STAGE.
`default_nettype none

module fwmac_ctrl #(
  parameter integer CHUNK_W      = 1,  // width of cmd_chunks_i
  parameter integer PLANE_W      = 1,  // width of cmd_planes_i
  parameter integer TREE_LATENCY = 0,  // register stages inside the adder trees
  parameter integer COMMIT_STAGE = 1   // 1: commit one stage after the partial sum (bit-serial)
) (
  input  wire               clk_i,
  input  wire               rst_ni,
  // tile command stream; chunks >= 1, 1 <= planes <= Bmax x row_slots
  input  wire               cmd_valid_i,
  output wire               cmd_ready_o,
  input  wire [CHUNK_W-1:0] cmd_chunks_i,
  input  wire [PLANE_W-1:0] cmd_planes_i,
  // operand stream handshakes (the data go to fwmac_operand_regs)
  input  wire               w_valid_i,
  output wire               w_ready_o,
  input  wire               a_valid_i,
  output wire               a_ready_o,
  // drain side
  input  wire               drain_ready_i,  // drain chain free (from registers)
  output wire               drain_load_o,   // tile result moves into the drain chain
  // pipeline control
  output wire               advance_o,      // enable of every pipeline register
  output wire               load_weights_o, // capture the weight plane into the operand regs
  output wire               load_acts_o,    // capture the activation chunk into the operand regs
  output wire               plane_valid_o,  // partial-sum stage: a plane arrives
  output wire               plane_sign_o,   //   ... and it is its chunk's sign (first) plane
  output wire               commit_o,       // commit stage: a chunk's last plane is finished
  output wire               commit_first_chunk_o,  // ... of the tile's first chunk (clear the sum)
  output wire [PLANE_W-1:0] issue_plane_o   // plane being issued (for fwmac_row_slots)
);
  generate
    if (CHUNK_W < 1 || CHUNK_W > 31) begin : g_bad_chunk_w
`ifdef __ICARUS__
      fwmac_param_error_ctrl_chunk_w_out_of_range u_param_error ();
`else
      $error("fwmac_ctrl: CHUNK_W = %0d outside 1..31", CHUNK_W);
`endif
    end
    if (PLANE_W < 1 || PLANE_W > 6) begin : g_bad_plane_w
`ifdef __ICARUS__
      fwmac_param_error_ctrl_plane_w_out_of_range u_param_error ();
`else
      $error("fwmac_ctrl: PLANE_W = %0d outside 1..6", PLANE_W);
`endif
    end
    if (TREE_LATENCY < 0 || TREE_LATENCY > 16) begin : g_bad_tree_latency
`ifdef __ICARUS__
      fwmac_param_error_ctrl_tree_latency_out_of_range u_param_error ();
`else
      $error("fwmac_ctrl: TREE_LATENCY = %0d outside 0..16", TREE_LATENCY);
`endif
    end
    if (COMMIT_STAGE < 0 || COMMIT_STAGE > 1) begin : g_bad_commit_stage
`ifdef __ICARUS__
      fwmac_param_error_ctrl_commit_stage_out_of_range u_param_error ();
`else
      $error("fwmac_ctrl: COMMIT_STAGE = %0d outside 0..1", COMMIT_STAGE);
`endif
    end
  endgenerate

  localparam integer TAG_W   = 5;
  localparam integer STAGES  = TREE_LATENCY + 1 + COMMIT_STAGE;
  localparam [CHUNK_W-1:0] CHUNK_ONE = 1;
  localparam [PLANE_W-1:0] PLANE_ONE = 1;

  // issue state
  reg               busy_q, busy_d;
  reg [CHUNK_W-1:0] chunks_q, chunks_d;   // chunks of the current tile
  reg [PLANE_W-1:0] planes_q, planes_d;   // planes of the current tile
  reg [CHUNK_W-1:0] chunk_q, chunk_d;     // chunk being issued
  reg [PLANE_W-1:0] plane_q, plane_d;     // plane being issued, counts down to 0

  // tag pipeline, stage 0 in the low bits
  reg [STAGES*TAG_W-1:0] tags_q, tags_d;

  wire [TAG_W-1:0] plane_tag  = tags_q[(TREE_LATENCY+1)*TAG_W-1 -: TAG_W];
  wire [TAG_W-1:0] commit_tag = tags_q[STAGES*TAG_W-1 -: TAG_W];
  wire unused_tag_bits = ^{plane_tag[4:2], commit_tag[1]};  // not needed at these stages
  wire stall = commit_tag[0] & commit_tag[4] & ~drain_ready_i;
  wire advance = ~stall;

  wire sign_plane  = (plane_q == planes_q - PLANE_ONE);  // first plane of the chunk
  wire last_plane  = (plane_q == {PLANE_W{1'b0}});
  wire first_chunk = (chunk_q == {CHUNK_W{1'b0}});
  wire last_chunk  = (chunk_q == chunks_q - CHUNK_ONE);

  wire operands_ok = w_valid_i & (~sign_plane | a_valid_i);
  wire issue       = busy_q & advance & operands_ok;
  wire last_issue  = issue & last_plane & last_chunk;
  wire cmd_fire    = cmd_valid_i & cmd_ready_o;

  wire [TAG_W-1:0] issue_tag = {last_plane & last_chunk, first_chunk, last_plane, sign_plane, issue};

  assign cmd_ready_o       = ~busy_q | last_issue;
  assign w_ready_o         = busy_q & advance & (~sign_plane | a_valid_i);
  assign a_ready_o         = busy_q & advance & sign_plane & w_valid_i;
  assign advance_o         = advance;
  assign load_weights_o    = issue;
  assign load_acts_o       = issue & sign_plane;
  assign drain_load_o      = commit_tag[0] & commit_tag[4] & drain_ready_i;
  assign plane_valid_o     = plane_tag[0];
  assign plane_sign_o      = plane_tag[1];
  assign commit_o          = commit_tag[0] & commit_tag[2];
  assign commit_first_chunk_o = commit_tag[3];
  assign issue_plane_o     = plane_q;

  always @* begin
    busy_d   = busy_q;
    chunks_d = chunks_q;
    planes_d = planes_q;
    chunk_d  = chunk_q;
    plane_d  = plane_q;
    if (cmd_fire) begin
      busy_d   = 1'b1;
      chunks_d = cmd_chunks_i;
      planes_d = cmd_planes_i;
      chunk_d  = {CHUNK_W{1'b0}};
      plane_d  = cmd_planes_i - PLANE_ONE;
    end else if (last_issue) begin
      busy_d = 1'b0;
    end else if (issue) begin
      if (last_plane) begin
        plane_d = planes_q - PLANE_ONE;
        chunk_d = chunk_q + CHUNK_ONE;
      end else begin
        plane_d = plane_q - PLANE_ONE;
      end
    end
  end

  // the tag pipeline shifted by one stage, with the newly issued tag entering stage 0
  wire [STAGES*TAG_W-1:0] tags_shifted;
  generate
    if (STAGES == 1) begin : g_single_stage
      assign tags_shifted = issue_tag;
    end else begin : g_multi_stage
      assign tags_shifted = {tags_q[(STAGES-1)*TAG_W-1:0], issue_tag};
    end
  endgenerate

  always @* begin
    tags_d = tags_q;
    if (advance) begin
      tags_d = tags_shifted;
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q   <= 1'b0;
      chunks_q <= {CHUNK_W{1'b0}};
      planes_q <= {PLANE_W{1'b0}};
      chunk_q  <= {CHUNK_W{1'b0}};
      plane_q  <= {PLANE_W{1'b0}};
      tags_q   <= {(STAGES*TAG_W){1'b0}};
    end else begin
      busy_q   <= busy_d;
      chunks_q <= chunks_d;
      planes_q <= planes_d;
      chunk_q  <= chunk_d;
      plane_q  <= plane_d;
      tags_q   <= tags_d;
    end
  end
endmodule

`default_nettype wire
