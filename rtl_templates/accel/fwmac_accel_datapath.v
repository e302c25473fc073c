// fwmac_accel_datapath: the accelerator's datapath without its control port: the input
// side (fwmac_accel_front: loader, group buffer, sequencer, activation writer, buffer,
// im2col) feeds the generated core fwmac_top, whose y beats and the sequencer's tile infos
// go into fwmac_packer: AXI4-Stream packet in, AXI4-Stream packet of requantized values
// out. The parameters must be the core's widths (the generator passes them). Status
// outputs for the performance counters: a weight plane taken by the core, the core
// waiting for a weight plane, for an activation beat. Needs the generated core, so it
// does not lint on its own; tb/accel_units/tb_datapath.cpp checks it bit for bit.
`default_nettype none

module fwmac_accel_datapath #(
  parameter integer BUS_W      = 32,
  parameter integer ROWS       = 2,
  parameter integer SLOTS      = 1,
  parameter integer COLS       = 4,
  parameter integer LANES      = 4,
  parameter integer ACT_BITS   = 4,
  parameter integer PLANE_W    = 3,
  parameter integer VROW_W     = 2,
  parameter integer SPAN_W     = 3,
  parameter integer CHUNK_W    = 5,
  parameter integer PARAM_W    = 38,  // {raw (raw outputs only), relu, shift, mult, bias}
  parameter integer REQ_W      = 37,  // the core's p_data_i: {shift, mult, bias}
  parameter integer WGT_W      = 8,
  parameter integer WBUF_WORDS = 72,
  parameter integer BANKS      = 4,
  parameter integer DEPTH      = 256,
  parameter integer DIM_W      = 8,
  parameter integer SEQ_DIM_W  = 16,
  parameter integer FIFO_DEPTH = 4,
  parameter integer OUT_W      = 4    // bits per output value (A, or ACC_W raw)
) (
  input  wire                   clk_i,
  input  wire                   rst_ni,
  input  wire                   start_i,
  input  wire [SEQ_DIM_W-1:0]   groups_i,
  input  wire [SEQ_DIM_W-1:0]   chunks_i,
  input  wire [SEQ_DIM_W-1:0]   act_words_i,
  input  wire [SEQ_DIM_W-1:0]   tiles_i,
  input  wire [SEQ_DIM_W-1:0]   last_tile_pixels_i,
  input  wire [DIM_W-1:0]       in_height_i,
  input  wire [DIM_W-1:0]       in_width_i,
  input  wire [DIM_W-1:0]       in_groups_i,
  input  wire [2:0]             stride_i,
  input  wire [2:0]             pad_top_i,
  input  wire [2:0]             pad_left_i,
  input  wire [2:0]             kernel_h_i,
  input  wire [2:0]             kernel_w_i,
  input  wire [DIM_W-1:0]       out_width_i,
  input  wire [2*DIM_W-1:0]     pixels_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] pitch_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] plane_i,
  input  wire [DIM_W:0]         out_width_s_i,
  input  wire [DIM_W:0]         tile_x_step_i,
  input  wire [DIM_W:0]         tile_y_step_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] tile_q_step_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] plane_y_step_i,
  output wire [3:0]             loader_error_o,
  output wire [1:0]             packer_error_o,
  output wire                   sequencer_done_o,
  input  wire [BUS_W-1:0]       s_axis_tdata_i,
  input  wire                   s_axis_tvalid_i,
  output wire                   s_axis_tready_o,
  input  wire                   s_axis_tlast_i,
  output wire [BUS_W-1:0]       m_axis_tdata_o,
  output wire [BUS_W/8-1:0]     m_axis_tkeep_o,
  output wire                   m_axis_tvalid_o,
  input  wire                   m_axis_tready_i,
  output wire                   m_axis_tlast_o,
  // for the performance counters
  output wire                   core_w_fire_o,     // the core took a weight plane
  output wire                   core_w_starved_o,  // the core is ready for a weight plane, none is there
  output wire                   core_a_starved_o   // the core is ready for an activation beat, none is there
);
  localparam integer WORD_W  = LANES * ACT_BITS;
  localparam integer VMAX    = ROWS * SLOTS;
  localparam integer SPANS_W = SLOTS == 2 ? ROWS * SPAN_W : 1;

  wire                     cmd_valid, cmd_ready, w_valid, w_ready, p_valid, p_ready, a_valid, a_ready;
  wire [CHUNK_W-1:0]       cmd_chunks;
  wire [PLANE_W-1:0]       cmd_planes;
  wire [SPANS_W-1:0]       cmd_spans;
  wire [WGT_W-1:0]         w_data;
  wire [PARAM_W-1:0]       p_data;
  wire [COLS*WORD_W-1:0]   a_data;
  wire                     ti_valid, ti_ready, ti_last;
  wire [$clog2(COLS+1)-1:0] ti_pixels;
  wire [SEQ_DIM_W-1:0]     ti_beats;
  wire [VMAX-1:0]          ti_real;
  wire                     loader_done, im2col_done;

  fwmac_accel_front #(
    .BUS_W(BUS_W), .ROWS(ROWS), .SLOTS(SLOTS), .COLS(COLS), .LANES(LANES), .ACT_BITS(ACT_BITS),
    .PLANE_W(PLANE_W), .VROW_W(VROW_W), .SPAN_W(SPAN_W), .CHUNK_W(CHUNK_W), .PARAM_W(PARAM_W),
    .WGT_W(WGT_W), .WBUF_WORDS(WBUF_WORDS), .BANKS(BANKS), .DEPTH(DEPTH), .DIM_W(DIM_W),
    .SEQ_DIM_W(SEQ_DIM_W), .FIFO_DEPTH(FIFO_DEPTH)
  ) u_front (
    .clk_i(clk_i), .rst_ni(rst_ni), .start_i(start_i),
    .groups_i(groups_i), .chunks_i(chunks_i), .act_words_i(act_words_i), .tiles_i(tiles_i),
    .last_tile_pixels_i(last_tile_pixels_i), .in_height_i(in_height_i), .in_width_i(in_width_i),
    .in_groups_i(in_groups_i), .stride_i(stride_i), .pad_top_i(pad_top_i), .pad_left_i(pad_left_i),
    .kernel_h_i(kernel_h_i), .kernel_w_i(kernel_w_i), .out_width_i(out_width_i), .pixels_i(pixels_i),
    .pitch_i(pitch_i), .plane_i(plane_i), .out_width_s_i(out_width_s_i), .tile_x_step_i(tile_x_step_i),
    .tile_y_step_i(tile_y_step_i), .tile_q_step_i(tile_q_step_i), .plane_y_step_i(plane_y_step_i),
    .loader_done_o(loader_done), .loader_error_o(loader_error_o), .sequencer_done_o(sequencer_done_o),
    .im2col_done_o(im2col_done),
    .s_axis_tdata_i(s_axis_tdata_i), .s_axis_tvalid_i(s_axis_tvalid_i), .s_axis_tready_o(s_axis_tready_o),
    .s_axis_tlast_i(s_axis_tlast_i),
    .cmd_valid_o(cmd_valid), .cmd_ready_i(cmd_ready), .cmd_chunks_o(cmd_chunks), .cmd_planes_o(cmd_planes),
    .cmd_spans_o(cmd_spans), .w_valid_o(w_valid), .w_ready_i(w_ready), .w_data_o(w_data),
    .p_valid_o(p_valid), .p_ready_i(p_ready), .p_data_o(p_data),
    .a_valid_o(a_valid), .a_ready_i(a_ready), .a_data_o(a_data),
    .ti_valid_o(ti_valid), .ti_ready_i(ti_ready), .ti_pixels_o(ti_pixels), .ti_beats_o(ti_beats),
    .ti_real_o(ti_real), .ti_last_o(ti_last)
  );

  wire                  y_valid, y_ready, y_last;
  wire [COLS*OUT_W-1:0] y_data;

  // The core's ports are the design's: with two slots per row fwmac generate replaces the
  // marker line below by the connection of the core's cmd_spans_i to cmd_spans (the header's
  // spans field); a one-slot core (this template as written) has no such port.
  fwmac_top u_core (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .cmd_valid_i(cmd_valid), .cmd_ready_o(cmd_ready), .cmd_chunks_i(cmd_chunks), .cmd_planes_i(cmd_planes),
    // fwmac generate: two-slot cmd_spans_i
    .w_valid_i(w_valid), .w_ready_o(w_ready), .w_plane_i(w_data),
    .a_valid_i(a_valid), .a_ready_o(a_ready), .a_data_i(a_data),
    .p_valid_i(p_valid), .p_ready_o(p_ready), .p_data_i(p_data[REQ_W-1:0]), .p_relu_i(p_data[REQ_W]),
    .y_valid_o(y_valid), .y_ready_i(y_ready), .y_data_o(y_data), .y_last_o(y_last)
  );

  fwmac_packer #(
    .COLS(COLS), .OUT_W(OUT_W), .BUS_W(BUS_W), .VMAX(VMAX), .VROW_W(VROW_W), .TILE_DEPTH(2)
  ) u_packer (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(start_i),
    .y_valid_i(y_valid), .y_ready_o(y_ready), .y_data_i(y_data), .y_last_i(y_last),
    .tile_valid_i(ti_valid), .tile_ready_o(ti_ready), .tile_pixels_i(ti_pixels),
    .tile_beats_i(ti_beats[VROW_W-1:0]), .tile_real_i(ti_real), .tile_last_i(ti_last),
    .m_axis_tdata_o(m_axis_tdata_o), .m_axis_tkeep_o(m_axis_tkeep_o), .m_axis_tvalid_o(m_axis_tvalid_o),
    .m_axis_tready_i(m_axis_tready_i), .m_axis_tlast_o(m_axis_tlast_o), .error_o(packer_error_o)
  );

  assign core_w_fire_o    = w_valid & w_ready;
  assign core_w_starved_o = w_ready & ~w_valid;
  assign core_a_starved_o = a_ready & ~a_valid;

  wire unused_datapath = ^{cmd_spans, ti_beats, loader_done, im2col_done, p_data};
endmodule

`default_nettype wire
