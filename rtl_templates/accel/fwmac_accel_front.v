// fwmac_accel_front: the accelerator's input side, the core's four input streams out: the
// AXI4-Stream packet goes through fwmac_loader into fwmac_group_buffer (header,
// parameter and weight words) and fwmac_act_writer -> fwmac_act_buffer (activations);
// fwmac_sequencer reads the group buffer out as cmd, w and p beats and the packer's tile
// info, fwmac_im2col reads the activation buffer out as a beats. One start_i starts the
// loader, the writer, the im2col and the sequencer together; the descriptor is stable
// until the run is over. Latencies and handshakes: those of the blocks
// (rtl_templates/accel/README.md); every output valid comes from a block's registers.
// Tested against the golden core streams by tb/accel_units/tb_front.cpp.
`default_nettype none

module fwmac_accel_front #(
  parameter integer BUS_W      = 32,
  parameter integer ROWS       = 2,
  parameter integer SLOTS      = 1,
  parameter integer COLS       = 4,
  parameter integer LANES      = 4,
  parameter integer ACT_BITS   = 4,
  parameter integer PLANE_W    = 3,   // cmd planes / header planes
  parameter integer VROW_W     = 2,   // header drain rows
  parameter integer SPAN_W     = 3,
  parameter integer CHUNK_W    = 5,   // the core's cmd_chunks width
  parameter integer PARAM_W    = 38,  // a parameter word {raw, relu, shift, mult, bias}
  parameter integer WGT_W      = 8,   // R x L x weight_lane_bits
  parameter integer WBUF_WORDS = 72,
  parameter integer BANKS      = 4,
  parameter integer DEPTH      = 256,
  parameter integer DIM_W      = 8,   // activation side sizes
  parameter integer SEQ_DIM_W  = 16,  // sequencer and loader counts
  parameter integer FIFO_DEPTH = 4
) (
  input  wire                   clk_i,
  input  wire                   rst_ni,
  input  wire                   start_i,
  // the run descriptor
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
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0]         pitch_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0]         plane_i,
  input  wire [DIM_W:0]         out_width_s_i,
  input  wire [DIM_W:0]         tile_x_step_i,
  input  wire [DIM_W:0]         tile_y_step_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0]         tile_q_step_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0]         plane_y_step_i,
  output wire                   loader_done_o,
  output wire [3:0]             loader_error_o,
  output wire                   sequencer_done_o,
  output wire                   im2col_done_o,
  // the input packet
  input  wire [BUS_W-1:0]       s_axis_tdata_i,
  input  wire                   s_axis_tvalid_i,
  output wire                   s_axis_tready_o,
  input  wire                   s_axis_tlast_i,
  // the core's input streams
  output wire                   cmd_valid_o,
  input  wire                   cmd_ready_i,
  output wire [CHUNK_W-1:0]     cmd_chunks_o,
  output wire [PLANE_W-1:0]     cmd_planes_o,
  output wire [(SLOTS == 2 ? ROWS*SPAN_W : 1)-1:0]     cmd_spans_o,
  output wire                   w_valid_o,
  input  wire                   w_ready_i,
  output wire [WGT_W-1:0]       w_data_o,
  output wire                   p_valid_o,
  input  wire                   p_ready_i,
  output wire [PARAM_W-1:0]     p_data_o,
  output wire                   a_valid_o,
  input  wire                   a_ready_i,
  output wire [COLS*LANES*ACT_BITS-1:0] a_data_o,
  // the packer's tile info
  output wire                   ti_valid_o,
  input  wire                   ti_ready_i,
  output wire [$clog2(COLS+1)-1:0] ti_pixels_o,
  output wire [SEQ_DIM_W-1:0]   ti_beats_o,
  output wire [ROWS*SLOTS-1:0]        ti_real_o,
  output wire                   ti_last_o
);
  localparam integer WORD_W  = LANES * ACT_BITS;
  localparam integer VMAX    = ROWS * SLOTS;
  localparam integer SPANS_W = SLOTS == 2 ? ROWS * SPAN_W : 1;
  localparam integer Q_W     = $clog2(DEPTH) + $clog2(BANKS);
  localparam integer WADDR_W = WBUF_WORDS > 1 ? $clog2(WBUF_WORDS) : 1;
  localparam integer PIDX_W  = VMAX > 1 ? $clog2(VMAX) : 1;

  // ---------------------------------------------------------------- loader + group buffer
  wire                 act_valid, act_ready, act_last;
  wire [WORD_W-1:0]    act_data;
  wire                 wr_bank, hdr_we, prm_we, wgt_we;
  wire [PLANE_W+VROW_W+(SLOTS == 2 ? ROWS*SPAN_W : 0)+VMAX-1:0] hdr_wdata;
  wire [PIDX_W-1:0]    prm_waddr;
  wire [PARAM_W-1:0]   prm_wdata;
  wire [WADDR_W-1:0]   wgt_waddr;
  wire [WGT_W-1:0]     wgt_wdata;
  wire [1:0]           group_loaded, bank_free, full, release_banks;
  wire [2*PLANE_W-1:0] planes;
  wire [2*VROW_W-1:0]  drain_rows;
  wire [2*SPANS_W-1:0] spans;
  wire [2*VMAX-1:0]    real_rows;
  wire                 wgt_re, wgt_rbank, prm_re, prm_rbank;
  wire [WADDR_W-1:0]   wgt_raddr;
  wire [WGT_W-1:0]     wgt_rdata;
  wire [$clog2(VMAX+1)-1:0] prm_index;
  wire [PARAM_W-1:0]   prm_rdata;
  wire                 loader_busy;

  fwmac_loader #(
    .BUS_W(BUS_W), .ROWS(ROWS), .SLOTS(SLOTS), .PLANE_W(PLANE_W), .VROW_W(VROW_W), .SPAN_W(SPAN_W),
    .PARAM_W(PARAM_W), .WGT_W(WGT_W), .ACT_W(WORD_W), .WBUF_WORDS(WBUF_WORDS), .GROUP_W(SEQ_DIM_W),
    .CHUNK_W(SEQ_DIM_W), .ACTN_W(SEQ_DIM_W)
  ) u_loader (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .start_i(start_i), .groups_i(groups_i), .chunks_i(chunks_i), .act_words_i(act_words_i),
    .busy_o(loader_busy), .done_o(loader_done_o), .error_o(loader_error_o),
    .s_axis_tdata_i(s_axis_tdata_i), .s_axis_tvalid_i(s_axis_tvalid_i), .s_axis_tready_o(s_axis_tready_o),
    .s_axis_tlast_i(s_axis_tlast_i),
    .bank_free_i(bank_free),
    .wr_bank_o(wr_bank), .hdr_we_o(hdr_we), .hdr_wdata_o(hdr_wdata),
    .prm_we_o(prm_we), .prm_waddr_o(prm_waddr), .prm_wdata_o(prm_wdata),
    .wgt_we_o(wgt_we), .wgt_waddr_o(wgt_waddr), .wgt_wdata_o(wgt_wdata),
    .group_loaded_o(group_loaded),
    .act_valid_o(act_valid), .act_ready_i(act_ready), .act_data_o(act_data), .act_last_o(act_last)
  );

  fwmac_group_buffer #(
    .ROWS(ROWS), .SLOTS(SLOTS), .PLANE_W(PLANE_W), .VROW_W(VROW_W), .SPAN_W(SPAN_W),
    .PARAM_W(PARAM_W), .WGT_W(WGT_W), .WBUF_WORDS(WBUF_WORDS)
  ) u_group_buffer (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .wr_bank_i(wr_bank), .hdr_we_i(hdr_we), .hdr_wdata_i(hdr_wdata),
    .prm_we_i(prm_we), .prm_waddr_i(prm_waddr), .prm_wdata_i(prm_wdata),
    .wgt_we_i(wgt_we), .wgt_waddr_i(wgt_waddr), .wgt_wdata_i(wgt_wdata),
    .group_loaded_i(group_loaded), .bank_free_o(bank_free),
    .full_o(full), .planes_o(planes), .drain_rows_o(drain_rows), .spans_o(spans), .real_rows_o(real_rows),
    .wgt_re_i(wgt_re), .wgt_rbank_i(wgt_rbank), .wgt_raddr_i(wgt_raddr), .wgt_rdata_o(wgt_rdata),
    .prm_re_i(prm_re), .prm_rbank_i(prm_rbank), .prm_raddr_i(prm_index[PIDX_W-1:0]), .prm_rdata_o(prm_rdata),
    .release_i(release_banks)
  );

  // ---------------------------------------------------------------- sequencer
  wire [2*SEQ_DIM_W-1:0] drain_rows_wide = {{(SEQ_DIM_W-VROW_W){1'b0}}, drain_rows[VROW_W +: VROW_W],
                                            {(SEQ_DIM_W-VROW_W){1'b0}}, drain_rows[0 +: VROW_W]};
  fwmac_sequencer #(
    .COLS(COLS), .VMAX(VMAX), .CHUNK_W(CHUNK_W), .PLANE_W(PLANE_W), .SPANS_W(SPANS_W), .WGT_W(WGT_W),
    .PARAM_W(PARAM_W), .WADDR_W(WADDR_W), .DIM_W(SEQ_DIM_W), .FIFO_DEPTH(FIFO_DEPTH)
  ) u_sequencer (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .start_i(start_i), .groups_i(groups_i), .tiles_i(tiles_i), .chunks_i(chunks_i),
    .last_tile_pixels_i(last_tile_pixels_i), .done_o(sequencer_done_o),
    .bank_full_i(full), .hdr_planes_i(planes), .hdr_drain_rows_i(drain_rows_wide), .hdr_spans_i(spans),
    .hdr_real_beats_i(real_rows),
    .w_re_o(wgt_re), .w_bank_o(wgt_rbank), .w_addr_o(wgt_raddr), .w_rdata_i(wgt_rdata),
    .p_re_o(prm_re), .p_bank_o(prm_rbank), .p_index_o(prm_index), .p_rdata_i(prm_rdata),
    .release_o(release_banks),
    .cmd_valid_o(cmd_valid_o), .cmd_ready_i(cmd_ready_i), .cmd_chunks_o(cmd_chunks_o),
    .cmd_planes_o(cmd_planes_o), .cmd_spans_o(cmd_spans_o),
    .w_valid_o(w_valid_o), .w_ready_i(w_ready_i), .w_data_o(w_data_o),
    .p_valid_o(p_valid_o), .p_ready_i(p_ready_i), .p_data_o(p_data_o),
    .ti_valid_o(ti_valid_o), .ti_ready_i(ti_ready_i), .ti_pixels_o(ti_pixels_o), .ti_beats_o(ti_beats_o),
    .ti_real_o(ti_real_o), .ti_last_o(ti_last_o)
  );

  // ---------------------------------------------------------------- activation side
  wire              act_we;
  wire [Q_W-1:0]    act_waddr;
  wire [WORD_W-1:0] act_wdata;
  wire [DIM_W-1:0]  rows_ready;
  wire [BANKS-1:0]  rd_en;
  wire [BANKS*$clog2(DEPTH)-1:0] rd_row;
  wire [BANKS*WORD_W-1:0] rd_data;
  wire writer_busy, writer_done, im2col_busy;

  fwmac_act_writer #(.WORD_W(WORD_W), .DIM_W(DIM_W), .Q_W(Q_W)) u_writer (
    .clk_i(clk_i), .rst_ni(rst_ni), .start_i(start_i), .busy_o(writer_busy), .done_o(writer_done),
    .in_height_i(in_height_i), .in_width_i(in_width_i), .in_groups_i(in_groups_i), .stride_i(stride_i),
    .pad_top_i(pad_top_i), .pad_left_i(pad_left_i), .pitch_i(pitch_i), .plane_i(plane_i),
    .s_valid_i(act_valid), .s_ready_o(act_ready), .s_data_i(act_data),
    .we_o(act_we), .waddr_o(act_waddr), .wdata_o(act_wdata), .rows_ready_o(rows_ready)
  );

  fwmac_act_buffer #(.WORD_W(WORD_W), .BANKS(BANKS), .DEPTH(DEPTH)) u_act_buffer (
    .clk_i(clk_i), .we_i(act_we), .waddr_i(act_waddr), .wdata_i(act_wdata),
    .rd_en_i(rd_en), .rd_row_i(rd_row), .rd_data_o(rd_data)
  );

  fwmac_im2col #(
    .WORD_W(WORD_W), .COLS(COLS), .BANKS(BANKS), .DEPTH(DEPTH), .DIM_W(DIM_W), .GRP_W(SEQ_DIM_W)
  ) u_im2col (
    .clk_i(clk_i), .rst_ni(rst_ni), .start_i(start_i), .busy_o(im2col_busy), .done_o(im2col_done_o),
    .in_height_i(in_height_i), .in_width_i(in_width_i), .in_groups_i(in_groups_i), .stride_i(stride_i),
    .pad_top_i(pad_top_i), .pad_left_i(pad_left_i), .kernel_h_i(kernel_h_i), .kernel_w_i(kernel_w_i),
    .out_width_i(out_width_i), .pixels_i(pixels_i), .groups_i(groups_i), .pitch_i(pitch_i), .plane_i(plane_i),
    .out_width_s_i(out_width_s_i), .tile_x_step_i(tile_x_step_i), .tile_y_step_i(tile_y_step_i),
    .tile_q_step_i(tile_q_step_i), .plane_y_step_i(plane_y_step_i), .rows_ready_i(rows_ready),
    .rd_en_o(rd_en), .rd_row_o(rd_row), .rd_data_i(rd_data),
    .a_valid_o(a_valid_o), .a_ready_i(a_ready_i), .a_data_o(a_data_o)
  );

  wire unused_status = ^{act_last, loader_busy, writer_busy, writer_done, im2col_busy, prm_index};
endmodule

`default_nettype wire
