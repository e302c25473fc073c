// fwmac_group_buffer: the two (ping-pong) banks of row-group data between fwmac_loader
// and the sequencer.
//
// Each bank holds a group's header word (a register, decoded onto planes_o,
// drain_rows_o, spans_o and real_rows_o), its parameter words (VMAX = ROWS x SLOTS of
// PARAM_W bits), its weight words (WBUF_WORDS of WGT_W bits) and a full flag. The
// parameter words of both banks share one fwmac_ram_sdp of 2 x 2^ceil(log2 VMAX) words
// (address {bank, index}); the weight words share one of 2 x WBUF_WORDS words (address
// bank x WBUF_WORDS + index). Both are inferred block RAM with one write and one read
// port, so the loader can fill one bank while the sequencer reads the other.
// Header word fields, low bit first: planes (PLANE_W), drain_rows (VROW_W), spans (ROWS
// x SPAN_W, only if SLOTS = 2), real_rows (VMAX bits, bit v = virtual row v holds a
// filter). With SLOTS = 1 spans_o is one zero bit per bank.
// Timing:
//   writes (hdr_we_i, prm_we_i, wgt_we_i with wr_bank_i) in cycle t land at the end of
//   cycle t; the decoded header fields show a new header from cycle t+1 on.
//   group_loaded_i[b] in cycle t sets full_o[b] from cycle t+1 on; release_i[b] in cycle t
//   clears it from cycle t+1 on (group_loaded_i wins if both hit the same bank).
//   bank_free_o = ~full_o (registers).
//   reads: wgt_re_i / prm_re_i in cycle t with bank and address -> the word on
//   wgt_rdata_o / prm_rdata_o from cycle t+1 on, held while re is low. A read of the
//   address written in the same cycle returns an undefined word.
// Writes must only go to a bank that is not full (not checked here: the loader waits
// for bank_free_o before a group's header). No handshake; no combinational path from
// any input to any output.
`default_nettype none

module fwmac_group_buffer #(
  parameter integer ROWS       = 4,
  parameter integer SLOTS      = 1,
  parameter integer PLANE_W    = 4,
  parameter integer VROW_W     = 3,
  parameter integer SPAN_W     = 3,
  parameter integer PARAM_W    = 53,
  parameter integer WGT_W      = 128,
  parameter integer WBUF_WORDS = 64
) (
  input  wire                  clk_i,
  input  wire                  rst_ni,
  // write side (fwmac_loader)
  input  wire                  wr_bank_i,
  input  wire                  hdr_we_i,
  input  wire [PLANE_W+VROW_W+(SLOTS == 2 ? ROWS*SPAN_W : 0)+ROWS*SLOTS-1:0] hdr_wdata_i,
  input  wire                  prm_we_i,
  input  wire [(ROWS*SLOTS > 1 ? $clog2(ROWS*SLOTS) : 1)-1:0] prm_waddr_i,
  input  wire [PARAM_W-1:0]    prm_wdata_i,
  input  wire                  wgt_we_i,
  input  wire [(WBUF_WORDS > 1 ? $clog2(WBUF_WORDS) : 1)-1:0] wgt_waddr_i,
  input  wire [WGT_W-1:0]      wgt_wdata_i,
  input  wire [1:0]            group_loaded_i,
  output wire [1:0]            bank_free_o,
  // read side (sequencer): bank b's fields at [b*width +: width]
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
  localparam integer VMAX    = ROWS * SLOTS;
  localparam integer SPANS_W = (SLOTS == 2) ? ROWS * SPAN_W : 0;
  localparam integer HDR_W   = PLANE_W + VROW_W + SPANS_W + VMAX;
  localparam integer PRM_AW  = (VMAX > 1) ? $clog2(VMAX) : 1;

  generate
    if (ROWS < 1 || ROWS > 64 || SLOTS < 1 || SLOTS > 2 || PLANE_W < 1 || PLANE_W > 8 || SPAN_W < 1 ||
        VROW_W < $clog2(VMAX + 1) || VROW_W > 16) begin : g_bad_header
`ifdef __ICARUS__
      fwmac_param_error_group_buffer_header_fields_out_of_range u_param_error ();
`else
      $error("fwmac_group_buffer: need ROWS 1..64, SLOTS 1..2, PLANE_W 1..8, SPAN_W >= 1, VROW_W %0d..16 (got %0d)",
             $clog2(VMAX + 1), VROW_W);
`endif
    end
    if (PARAM_W < 1 || PARAM_W > 4096 || WGT_W < 1 || WGT_W > 4096 || WBUF_WORDS < 2 ||
        WBUF_WORDS > 1048576) begin : g_bad_words
`ifdef __ICARUS__
      fwmac_param_error_group_buffer_words_out_of_range u_param_error ();
`else
      $error("fwmac_group_buffer: need PARAM_W and WGT_W 1..4096, WBUF_WORDS 2..2^20 (got %0d)", WBUF_WORDS);
`endif
    end
  endgenerate

  // ---------------------------------------------------------------- headers and flags
  reg [HDR_W-1:0] hdr0_q, hdr0_d;
  reg [HDR_W-1:0] hdr1_q, hdr1_d;
  reg [1:0]       full_q, full_d;

  always @* begin
    hdr0_d = hdr_wdata_i;
    hdr1_d = hdr_wdata_i;
    full_d = (full_q & ~release_i) | group_loaded_i;
  end

  always @(posedge clk_i) begin
    if (!rst_ni) full_q <= 2'b00;
    else full_q <= full_d;
    if (hdr_we_i && !wr_bank_i) hdr0_q <= hdr0_d;
    if (hdr_we_i && wr_bank_i) hdr1_q <= hdr1_d;
  end

  localparam integer V_LO    = PLANE_W;
  localparam integer SPAN_LO = PLANE_W + VROW_W;
  localparam integer REAL_LO = PLANE_W + VROW_W + SPANS_W;
  assign planes_o     = {hdr1_q[PLANE_W-1:0], hdr0_q[PLANE_W-1:0]};
  assign drain_rows_o = {hdr1_q[V_LO +: VROW_W], hdr0_q[V_LO +: VROW_W]};
  assign real_rows_o  = {hdr1_q[REAL_LO +: VMAX], hdr0_q[REAL_LO +: VMAX]};
  generate
    if (SLOTS == 2) begin : g_spans
      assign spans_o = {hdr1_q[SPAN_LO +: SPANS_W], hdr0_q[SPAN_LO +: SPANS_W]};
    end else begin : g_no_spans
      assign spans_o = 2'b00;
    end
  endgenerate

  // ---------------------------------------------------------------- parameter words
  localparam integer PRM_DEPTH = 2 << PRM_AW;  // {bank, index}
  fwmac_ram_sdp #(.WIDTH(PARAM_W), .DEPTH(PRM_DEPTH)) u_prm_ram (
    .clk_i  (clk_i),
    .we_i   (prm_we_i),
    .waddr_i({wr_bank_i, prm_waddr_i}),
    .wdata_i(prm_wdata_i),
    .re_i   (prm_re_i),
    .raddr_i({prm_rbank_i, prm_raddr_i}),
    .rdata_o(prm_rdata_o)
  );

  // ---------------------------------------------------------------- weight words
  localparam integer WGT_DEPTH = 2 * WBUF_WORDS;  // bank x WBUF_WORDS + index
  localparam integer WGT_RAW   = $clog2(WGT_DEPTH);  // = WGT_AW + 1 since WBUF_WORDS >= 2
  localparam [WGT_RAW-1:0] BANK1_BASE = WBUF_WORDS[WGT_RAW-1:0];
  wire [WGT_RAW-1:0] wgt_waddr = {1'b0, wgt_waddr_i} + (wr_bank_i ? BANK1_BASE : {WGT_RAW{1'b0}});
  wire [WGT_RAW-1:0] wgt_raddr = {1'b0, wgt_raddr_i} + (wgt_rbank_i ? BANK1_BASE : {WGT_RAW{1'b0}});
  fwmac_ram_sdp #(.WIDTH(WGT_W), .DEPTH(WGT_DEPTH)) u_wgt_ram (
    .clk_i  (clk_i),
    .we_i   (wgt_we_i),
    .waddr_i(wgt_waddr),
    .wdata_i(wgt_wdata_i),
    .re_i   (wgt_re_i),
    .raddr_i(wgt_raddr),
    .rdata_o(wgt_rdata_o)
  );

  assign full_o      = full_q;
  assign bank_free_o = ~full_q;
endmodule

`default_nettype wire
