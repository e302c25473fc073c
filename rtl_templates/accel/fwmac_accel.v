// fwmac_accel: the accelerator shell around the core: an AXI4-Lite control port (the
// generated CSR module fwmac_csr of the register map generator/system/accel_regmap), an
// AXI4-Stream input (one packet per run: group headers, parameters, weights and the
// activations, see docs/accelerator.md) and an AXI4-Stream output (the requantized values,
// packed), the datapath fwmac_accel_datapath (loader, buffers, sequencer, im2col, the
// generated core fwmac_top, packer), status, interrupt and performance counters.
//
// A run: the host writes the descriptor registers, then CTRL.start (ignored while busy).
// STATUS.busy is high from the cycle after the start pulse until the output beat with
// tlast has been taken; in that cycle STATUS.done is set (sticky, write 1 to clear) and
// irq_o = STATUS.done & CTRL.irq_enable. A loader or packer error during the run sets
// STATUS.error (sticky) and STATUS.error_code = {2'b0, packer error[1:0], loader
// error[3:0]} (kept until the next start). Counters (64 bits, cleared at start): busy
// cycles; compute cycles (the core took a weight plane); busy cycles waiting for the
// input stream (the loader ready, no beat), for a weight plane (the core ready for one,
// none there), for activation rows (the core ready for an activation beat, none there),
// stalled by the output (a beat shown, tready low).
// Handshakes: those of the CSR module and the datapath; no input reaches an output in the
// same cycle except through the blocks' documented paths. Needs the generated core and
// CSR module, so it lints with a generated design (tb/accel_units), not on its own.
`default_nettype none

module fwmac_accel #(
  parameter integer ADDR_W     = 9,   // the CSR module's byte address bits
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
  parameter integer PARAM_W    = 38,
  parameter integer REQ_W      = 37,
  parameter integer WGT_W      = 8,
  parameter integer WBUF_WORDS = 72,
  parameter integer BANKS      = 4,
  parameter integer DEPTH      = 256,
  parameter integer DIM_W      = 8,
  parameter integer SEQ_DIM_W  = 16,
  parameter integer FIFO_DEPTH = 4,
  parameter integer OUT_W      = 4
) (
  input  wire              clk_i,
  input  wire              rst_ni,
  // AXI4-Lite control port
  input  wire              s_axil_awvalid_i,
  output wire              s_axil_awready_o,
  input  wire [ADDR_W-1:0] s_axil_awaddr_i,
  input  wire [2:0]        s_axil_awprot_i,
  input  wire              s_axil_wvalid_i,
  output wire              s_axil_wready_o,
  input  wire [31:0]       s_axil_wdata_i,
  input  wire [3:0]        s_axil_wstrb_i,
  output wire              s_axil_bvalid_o,
  input  wire              s_axil_bready_i,
  output wire [1:0]        s_axil_bresp_o,
  input  wire              s_axil_arvalid_i,
  output wire              s_axil_arready_o,
  input  wire [ADDR_W-1:0] s_axil_araddr_i,
  input  wire [2:0]        s_axil_arprot_i,
  output wire              s_axil_rvalid_o,
  input  wire              s_axil_rready_i,
  output wire [31:0]       s_axil_rdata_o,
  output wire [1:0]        s_axil_rresp_o,
  // AXI4-Stream input
  input  wire [BUS_W-1:0]  s_axis_tdata_i,
  input  wire              s_axis_tvalid_i,
  output wire              s_axis_tready_o,
  input  wire              s_axis_tlast_i,
  // AXI4-Stream output
  output wire [BUS_W-1:0]   m_axis_tdata_o,
  output wire [BUS_W/8-1:0] m_axis_tkeep_o,
  output wire               m_axis_tvalid_o,
  input  wire               m_axis_tready_i,
  output wire               m_axis_tlast_o,
  output wire               irq_o
);
  localparam integer Q_W = $clog2(DEPTH) + $clog2(BANKS);

  // ---------------------------------------------------------------- registers
  wire        ctrl_start, ctrl_irq_enable, status_done, status_error;
  wire [15:0] in_height, in_width, out_height, out_width, kernel_h, kernel_w, pad_top, pad_left;
  wire [15:0] stride, in_groups, tile_step_x, tile_step_y, groups, chunks, pitch;
  wire [31:0] plane, act_words, pixels, tile_q, plane_y;
  wire [15:0] out_width_s, tile_x, tile_y, tiles, last_pixels;
  reg         busy_q;
  reg         done_set_q;
  reg         error_set_q;
  reg  [7:0]  error_code_q;
  reg  [63:0] busy_cycles_q, compute_cycles_q, wait_input_q, wait_weights_q, wait_rows_q, wait_output_q;

  fwmac_csr #(.ADDR_W(ADDR_W)) u_csr (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .s_axil_awvalid_i(s_axil_awvalid_i), .s_axil_awready_o(s_axil_awready_o), .s_axil_awaddr_i(s_axil_awaddr_i),
    .s_axil_awprot_i(s_axil_awprot_i), .s_axil_wvalid_i(s_axil_wvalid_i), .s_axil_wready_o(s_axil_wready_o),
    .s_axil_wdata_i(s_axil_wdata_i), .s_axil_wstrb_i(s_axil_wstrb_i), .s_axil_bvalid_o(s_axil_bvalid_o),
    .s_axil_bready_i(s_axil_bready_i), .s_axil_bresp_o(s_axil_bresp_o), .s_axil_arvalid_i(s_axil_arvalid_i),
    .s_axil_arready_o(s_axil_arready_o), .s_axil_araddr_i(s_axil_araddr_i), .s_axil_arprot_i(s_axil_arprot_i),
    .s_axil_rvalid_o(s_axil_rvalid_o), .s_axil_rready_i(s_axil_rready_i), .s_axil_rdata_o(s_axil_rdata_o),
    .s_axil_rresp_o(s_axil_rresp_o),
    .ctrl_start_o(ctrl_start), .ctrl_irq_enable_o(ctrl_irq_enable),
    .status_busy_i(busy_q), .status_done_set_i(done_set_q), .status_done_o(status_done),
    .status_error_set_i(error_set_q), .status_error_o(status_error), .status_error_code_i(error_code_q),
    .in_size_height_o(in_height), .in_size_width_o(in_width), .out_size_height_o(out_height),
    .out_size_width_o(out_width), .kernel_height_o(kernel_h), .kernel_width_o(kernel_w), .pad_top_o(pad_top),
    .pad_left_o(pad_left), .conv_stride_o(stride), .conv_in_groups_o(in_groups), .tile_step_x_o(tile_step_x),
    .tile_step_y_o(tile_step_y), .schedule_groups_o(groups), .schedule_chunks_o(chunks), .pitch_words_o(pitch),
    .plane_words_o(plane), .act_words_count_o(act_words), .pixels_count_o(pixels),
    .im2col_x_out_width_s_o(out_width_s), .im2col_x_tile_x_o(tile_x), .im2col_y_tile_y_o(tile_y),
    .tile_q_words_o(tile_q), .plane_y_words_o(plane_y), .tiles_count_o(tiles), .tiles_last_pixels_o(last_pixels),
    .busy_cycles_i(busy_cycles_q), .compute_cycles_i(compute_cycles_q), .wait_input_cycles_i(wait_input_q),
    .wait_weights_cycles_i(wait_weights_q), .wait_rows_cycles_i(wait_rows_q), .wait_output_cycles_i(wait_output_q)
  );

  // ---------------------------------------------------------------- datapath
  wire       start = ctrl_start & ~busy_q;
  wire [3:0] loader_error;
  wire [1:0] packer_error;
  wire       sequencer_done, core_w_fire, core_w_starved, core_a_starved;

  fwmac_accel_datapath #(
    .BUS_W(BUS_W), .ROWS(ROWS), .SLOTS(SLOTS), .COLS(COLS), .LANES(LANES), .ACT_BITS(ACT_BITS),
    .PLANE_W(PLANE_W), .VROW_W(VROW_W), .SPAN_W(SPAN_W), .CHUNK_W(CHUNK_W), .PARAM_W(PARAM_W), .REQ_W(REQ_W),
    .WGT_W(WGT_W), .WBUF_WORDS(WBUF_WORDS), .BANKS(BANKS), .DEPTH(DEPTH), .DIM_W(DIM_W), .SEQ_DIM_W(SEQ_DIM_W),
    .FIFO_DEPTH(FIFO_DEPTH), .OUT_W(OUT_W)
  ) u_datapath (
    .clk_i(clk_i), .rst_ni(rst_ni), .start_i(start),
    .groups_i(groups[SEQ_DIM_W-1:0]), .chunks_i(chunks[SEQ_DIM_W-1:0]), .act_words_i(act_words[SEQ_DIM_W-1:0]),
    .tiles_i(tiles[SEQ_DIM_W-1:0]), .last_tile_pixels_i(last_pixels[SEQ_DIM_W-1:0]),
    .in_height_i(in_height[DIM_W-1:0]), .in_width_i(in_width[DIM_W-1:0]), .in_groups_i(in_groups[DIM_W-1:0]),
    .stride_i(stride[2:0]), .pad_top_i(pad_top[2:0]), .pad_left_i(pad_left[2:0]), .kernel_h_i(kernel_h[2:0]),
    .kernel_w_i(kernel_w[2:0]), .out_width_i(out_width[DIM_W-1:0]), .pixels_i(pixels[2*DIM_W-1:0]),
    .pitch_i(pitch[Q_W-1:0]), .plane_i(plane[Q_W-1:0]), .out_width_s_i(out_width_s[DIM_W:0]),
    .tile_x_step_i(tile_x[DIM_W:0]), .tile_y_step_i(tile_y[DIM_W:0]), .tile_q_step_i(tile_q[Q_W-1:0]),
    .plane_y_step_i(plane_y[Q_W-1:0]),
    .loader_error_o(loader_error), .packer_error_o(packer_error), .sequencer_done_o(sequencer_done),
    .s_axis_tdata_i(s_axis_tdata_i), .s_axis_tvalid_i(s_axis_tvalid_i), .s_axis_tready_o(s_axis_tready_o),
    .s_axis_tlast_i(s_axis_tlast_i),
    .m_axis_tdata_o(m_axis_tdata_o), .m_axis_tkeep_o(m_axis_tkeep_o), .m_axis_tvalid_o(m_axis_tvalid_o),
    .m_axis_tready_i(m_axis_tready_i), .m_axis_tlast_o(m_axis_tlast_o),
    .core_w_fire_o(core_w_fire), .core_w_starved_o(core_w_starved), .core_a_starved_o(core_a_starved)
  );

  // ---------------------------------------------------------------- status and counters
  wire       last_out   = m_axis_tvalid_o & m_axis_tready_i & m_axis_tlast_o;
  wire [7:0] error_now  = {2'b00, packer_error, loader_error};
  wire       error_new  = busy_q & (error_now != 8'd0) & (error_code_q == 8'd0);
  wire       wait_input = s_axis_tready_o & ~s_axis_tvalid_i;
  wire       wait_out   = m_axis_tvalid_o & ~m_axis_tready_i;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q           <= 1'b0;
      done_set_q       <= 1'b0;
      error_set_q      <= 1'b0;
      error_code_q     <= 8'd0;
      busy_cycles_q    <= 64'd0;
      compute_cycles_q <= 64'd0;
      wait_input_q     <= 64'd0;
      wait_weights_q   <= 64'd0;
      wait_rows_q      <= 64'd0;
      wait_output_q    <= 64'd0;
    end else begin
      done_set_q  <= busy_q & last_out;
      error_set_q <= error_new;
      if (start) begin
        busy_q           <= 1'b1;
        error_code_q     <= 8'd0;
        busy_cycles_q    <= 64'd0;
        compute_cycles_q <= 64'd0;
        wait_input_q     <= 64'd0;
        wait_weights_q   <= 64'd0;
        wait_rows_q      <= 64'd0;
        wait_output_q    <= 64'd0;
      end else if (busy_q) begin
        if (last_out) busy_q <= 1'b0;
        if (error_new) error_code_q <= error_now;
        busy_cycles_q <= busy_cycles_q + 64'd1;
        if (core_w_fire) compute_cycles_q <= compute_cycles_q + 64'd1;
        if (wait_input) wait_input_q <= wait_input_q + 64'd1;
        if (core_w_starved) wait_weights_q <= wait_weights_q + 64'd1;
        if (core_a_starved) wait_rows_q <= wait_rows_q + 64'd1;
        if (wait_out) wait_output_q <= wait_output_q + 64'd1;
      end
    end
  end

  assign irq_o = status_done & ctrl_irq_enable;

  // the descriptor's 16/32-bit fields carry more bits than these sizes use
  wire unused_descriptor = ^{in_height, in_width, out_height, out_width, kernel_h, kernel_w, pad_top, pad_left,
                             stride, in_groups, tile_step_x, tile_step_y, groups, chunks, pitch, plane, act_words,
                             pixels, tile_q, plane_y, out_width_s, tile_x, tile_y, tiles, last_pixels,
                             status_error, sequencer_done};
endmodule

`default_nettype wire
