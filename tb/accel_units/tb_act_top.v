// tb_act_top: test harness of the activation side: fwmac_act_writer -> fwmac_act_buffer
// -> fwmac_im2col, wired as in the accelerator, with the buffer ports brought out so the
// testbench can watch every write and every bank read. Each block has its own start.
`default_nettype none

module tb_act_top #(
  parameter integer WORD_W = 16,
  parameter integer COLS   = 2,
  parameter integer BANKS  = 2,
  parameter integer DEPTH  = 4096,
  parameter integer DIM_W  = 8,
  parameter integer GRP_W  = 2
) (
  input  wire                                   clk_i,
  input  wire                                   rst_ni,
  input  wire                                   w_start_i,
  input  wire                                   r_start_i,
  output wire                                   w_busy_o,
  output wire                                   w_done_o,
  output wire                                   r_busy_o,
  output wire                                   r_done_o,
  input  wire [DIM_W-1:0]                       in_height_i,
  input  wire [DIM_W-1:0]                       in_width_i,
  input  wire [DIM_W-1:0]                       in_groups_i,
  input  wire [2:0]                             stride_i,
  input  wire [2:0]                             pad_top_i,
  input  wire [2:0]                             pad_left_i,
  input  wire [2:0]                             kernel_h_i,
  input  wire [2:0]                             kernel_w_i,
  input  wire [DIM_W-1:0]                       out_width_i,
  input  wire [2*DIM_W-1:0]                     pixels_i,
  input  wire [GRP_W-1:0]                       groups_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] pitch_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] plane_i,
  input  wire [DIM_W:0]                         out_width_s_i,
  input  wire [DIM_W:0]                         tile_x_step_i,
  input  wire [DIM_W:0]                         tile_y_step_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] tile_q_step_i,
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] plane_y_step_i,
  input  wire                                   s_valid_i,
  output wire                                   s_ready_o,
  input  wire [WORD_W-1:0]                      s_data_i,
  output wire                                   we_o,
  output wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] waddr_o,
  output wire [WORD_W-1:0]                      wdata_o,
  output wire [DIM_W-1:0]                       rows_ready_o,
  output wire [BANKS-1:0]                       rd_en_o,
  output wire [BANKS*$clog2(DEPTH)-1:0]         rd_row_o,
  output wire                                   a_valid_o,
  input  wire                                   a_ready_i,
  output wire [COLS*WORD_W-1:0]                 a_data_o
);
  localparam integer Q_W = $clog2(DEPTH) + $clog2(BANKS);

  wire [BANKS*WORD_W-1:0] rd_data;

  fwmac_act_writer #(
    .WORD_W(WORD_W),
    .DIM_W (DIM_W),
    .Q_W   (Q_W)
  ) u_writer (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .start_i     (w_start_i),
    .busy_o      (w_busy_o),
    .done_o      (w_done_o),
    .in_height_i (in_height_i),
    .in_width_i  (in_width_i),
    .in_groups_i (in_groups_i),
    .stride_i    (stride_i),
    .pad_top_i   (pad_top_i),
    .pad_left_i  (pad_left_i),
    .pitch_i     (pitch_i),
    .plane_i     (plane_i),
    .s_valid_i   (s_valid_i),
    .s_ready_o   (s_ready_o),
    .s_data_i    (s_data_i),
    .we_o        (we_o),
    .waddr_o     (waddr_o),
    .wdata_o     (wdata_o),
    .rows_ready_o(rows_ready_o)
  );

  fwmac_act_buffer #(
    .WORD_W(WORD_W),
    .BANKS (BANKS),
    .DEPTH (DEPTH)
  ) u_buffer (
    .clk_i    (clk_i),
    .we_i     (we_o),
    .waddr_i  (waddr_o),
    .wdata_i  (wdata_o),
    .rd_en_i  (rd_en_o),
    .rd_row_i (rd_row_o),
    .rd_data_o(rd_data)
  );

  fwmac_im2col #(
    .WORD_W(WORD_W),
    .COLS  (COLS),
    .BANKS (BANKS),
    .DEPTH (DEPTH),
    .DIM_W (DIM_W),
    .GRP_W (GRP_W)
  ) u_im2col (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .start_i       (r_start_i),
    .busy_o        (r_busy_o),
    .done_o        (r_done_o),
    .in_height_i   (in_height_i),
    .in_width_i    (in_width_i),
    .in_groups_i   (in_groups_i),
    .stride_i      (stride_i),
    .pad_top_i     (pad_top_i),
    .pad_left_i    (pad_left_i),
    .kernel_h_i    (kernel_h_i),
    .kernel_w_i    (kernel_w_i),
    .out_width_i   (out_width_i),
    .pixels_i      (pixels_i),
    .groups_i      (groups_i),
    .pitch_i       (pitch_i),
    .plane_i       (plane_i),
    .out_width_s_i (out_width_s_i),
    .tile_x_step_i (tile_x_step_i),
    .tile_y_step_i (tile_y_step_i),
    .tile_q_step_i (tile_q_step_i),
    .plane_y_step_i(plane_y_step_i),
    .rows_ready_i  (rows_ready_o),
    .rd_en_o       (rd_en_o),
    .rd_row_o      (rd_row_o),
    .rd_data_i     (rd_data),
    .a_valid_o     (a_valid_o),
    .a_ready_i     (a_ready_i),
    .a_data_o      (a_data_o)
  );
endmodule

`default_nettype wire
