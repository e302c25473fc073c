// tb_loader_top: test harness of fwmac_loader and fwmac_group_buffer connected as in the
// accelerator; the loader's write port is also brought out for the testbench's checks.
// Combinational wiring only, no logic of its own.
`default_nettype none

module tb_loader_top #(
  parameter integer BUS_W      = 64,
  parameter integer ROWS       = 4,
  parameter integer SLOTS      = 1,
  parameter integer PLANE_W    = 4,
  parameter integer VROW_W     = 3,
  parameter integer SPAN_W     = 3,
  parameter integer PARAM_W    = 53,
  parameter integer WGT_W      = 128,
  parameter integer ACT_W      = 42,
  parameter integer WBUF_WORDS = 64,
  parameter integer GROUP_W    = 8,
  parameter integer CHUNK_W    = 8,
  parameter integer ACTN_W     = 16
) (
  input  wire                  clk_i,
  input  wire                  rst_ni,
  input  wire                  start_i,
  input  wire [GROUP_W-1:0]    groups_i,
  input  wire [CHUNK_W-1:0]    chunks_i,
  input  wire [ACTN_W-1:0]     act_words_i,
  output wire                  busy_o,
  output wire                  done_o,
  output wire [3:0]            error_o,
  input  wire [BUS_W-1:0]      s_axis_tdata_i,
  input  wire                  s_axis_tvalid_i,
  output wire                  s_axis_tready_o,
  input  wire                  s_axis_tlast_i,
  output wire                  act_valid_o,
  input  wire                  act_ready_i,
  output wire [ACT_W-1:0]      act_data_o,
  output wire                  act_last_o,
  // the loader's write port
  output wire                  wr_bank_o,
  output wire                  hdr_we_o,
  output wire [PLANE_W+VROW_W+(SLOTS == 2 ? ROWS*SPAN_W : 0)+ROWS*SLOTS-1:0] hdr_wdata_o,
  output wire                  prm_we_o,
  output wire [(ROWS*SLOTS > 1 ? $clog2(ROWS*SLOTS) : 1)-1:0] prm_waddr_o,
  output wire [PARAM_W-1:0]    prm_wdata_o,
  output wire                  wgt_we_o,
  output wire [(WBUF_WORDS > 1 ? $clog2(WBUF_WORDS) : 1)-1:0] wgt_waddr_o,
  output wire [WGT_W-1:0]      wgt_wdata_o,
  output wire [1:0]            group_loaded_o,
  // the group buffer's read side
  output wire [1:0]            bank_free_o,
  output wire [1:0]            full_o,
  output wire [2*PLANE_W-1:0]  planes_o,
  output wire [2*VROW_W-1:0]   drain_rows_o,
  output wire [2*(SLOTS == 2 ? ROWS*SPAN_W : 1)-1:0] spans_o,
  output wire [2*ROWS*SLOTS-1:0] real_rows_o,
  input  wire                  wgt_re_i,
  input  wire                  wgt_rbank_i,
  input  wire [(WBUF_WORDS > 1 ? $clog2(WBUF_WORDS) : 1)-1:0] wgt_raddr_i,
  output wire [WGT_W-1:0]      wgt_rdata_o,
  input  wire                  prm_re_i,
  input  wire                  prm_rbank_i,
  input  wire [(ROWS*SLOTS > 1 ? $clog2(ROWS*SLOTS) : 1)-1:0] prm_raddr_i,
  output wire [PARAM_W-1:0]    prm_rdata_o,
  input  wire [1:0]            release_i
);
  fwmac_loader #(
    .BUS_W(BUS_W), .ROWS(ROWS), .SLOTS(SLOTS), .PLANE_W(PLANE_W), .VROW_W(VROW_W), .SPAN_W(SPAN_W),
    .PARAM_W(PARAM_W), .WGT_W(WGT_W), .ACT_W(ACT_W), .WBUF_WORDS(WBUF_WORDS), .GROUP_W(GROUP_W),
    .CHUNK_W(CHUNK_W), .ACTN_W(ACTN_W)
  ) u_loader (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .start_i(start_i), .groups_i(groups_i), .chunks_i(chunks_i), .act_words_i(act_words_i),
    .busy_o(busy_o), .done_o(done_o), .error_o(error_o),
    .s_axis_tdata_i(s_axis_tdata_i), .s_axis_tvalid_i(s_axis_tvalid_i), .s_axis_tready_o(s_axis_tready_o),
    .s_axis_tlast_i(s_axis_tlast_i),
    .bank_free_i(bank_free_o),
    .wr_bank_o(wr_bank_o), .hdr_we_o(hdr_we_o), .hdr_wdata_o(hdr_wdata_o),
    .prm_we_o(prm_we_o), .prm_waddr_o(prm_waddr_o), .prm_wdata_o(prm_wdata_o),
    .wgt_we_o(wgt_we_o), .wgt_waddr_o(wgt_waddr_o), .wgt_wdata_o(wgt_wdata_o),
    .group_loaded_o(group_loaded_o),
    .act_valid_o(act_valid_o), .act_ready_i(act_ready_i), .act_data_o(act_data_o), .act_last_o(act_last_o)
  );

  fwmac_group_buffer #(
    .ROWS(ROWS), .SLOTS(SLOTS), .PLANE_W(PLANE_W), .VROW_W(VROW_W), .SPAN_W(SPAN_W),
    .PARAM_W(PARAM_W), .WGT_W(WGT_W), .WBUF_WORDS(WBUF_WORDS)
  ) u_buffer (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .wr_bank_i(wr_bank_o), .hdr_we_i(hdr_we_o), .hdr_wdata_i(hdr_wdata_o),
    .prm_we_i(prm_we_o), .prm_waddr_i(prm_waddr_o), .prm_wdata_i(prm_wdata_o),
    .wgt_we_i(wgt_we_o), .wgt_waddr_i(wgt_waddr_o), .wgt_wdata_i(wgt_wdata_o),
    .group_loaded_i(group_loaded_o), .bank_free_o(bank_free_o),
    .full_o(full_o), .planes_o(planes_o), .drain_rows_o(drain_rows_o), .spans_o(spans_o),
    .real_rows_o(real_rows_o),
    .wgt_re_i(wgt_re_i), .wgt_rbank_i(wgt_rbank_i), .wgt_raddr_i(wgt_raddr_i), .wgt_rdata_o(wgt_rdata_o),
    .prm_re_i(prm_re_i), .prm_rbank_i(prm_rbank_i), .prm_raddr_i(prm_raddr_i), .prm_rdata_o(prm_rdata_o),
    .release_i(release_i)
  );
endmodule

`default_nettype wire
