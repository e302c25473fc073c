// fwmac_loader: splits a run's AXI4-Stream input packet into its sections and routes
// the containers: group headers, parameter and weight words into bank g mod 2 of
// fwmac_group_buffer, activation words to the act stream.
//
// Packet of a run (start_i, descriptor groups_i = G, chunks_i, act_words_i held until
// done_o): group 0 {HEADER, PARAMS (V_0), WEIGHTS (N_0 = chunks * planes_0)}, ACT
// (act_words), groups 1 .. G-1; every section starts on a new beat (containers: see
// fwmac_container_select). A section of zero containers (V = 0, planes = 0, chunks = 0,
// act_words = 0; G = 0 leaves only ACT) takes no beat and no cycle.
//
// Timing (the contract a cycle model reproduces; cycle t is the cycle before edge t):
//   A run consists of steps: a container narrower than or as wide as the bus is one
//   step, one wider than the bus is one step per beat (M = CW / BUS_W). Step j may happen
//   in cycle t iff s_axis_tvalid_i and its gate hold and start_i is low:
//     header steps: bank_free_i[g mod 2]; act steps: fewer than 2 act words delivered
//     and not yet taken by act_ready_i at the start of cycle t (the act output is a
//     fwmac_stream_reg); all other steps: always.
//   s_axis_tready_o = gate & (the step ends its beat) & ~start_i, where a narrow step
//   ends its beat iff its container is the last one of the beat or of the section, and
//   a wide step always ends its beat. So at most one container per cycle, one beat per
//   cycle for wide containers, no dead cycle between sections, groups or runs other
//   than a closed gate.
//   start_i in cycle s: nothing is taken in cycle s; the first step may happen in s+1.
//   A container delivered (its last step) in cycle t is written in cycle t+1 (hdr_we_o,
//   prm_we_o, wgt_we_o and the data/address outputs are registers), shown on the act
//   stream from cycle t+1 on, pulses group_loaded_o[g mod 2] in cycle t+1 if it is the
//   group's last container, and pulses done_o in cycle t+1 if it is the run's last.
//   busy_o is high from cycle s+1 until the run's last step (inclusive).
// After the last expected beat: with tlast the loader is idle (tready low); without
//   tlast (error bit 1) it takes every following beat (tready high, error bit 2 on each)
//   up to and including the next beat with tlast, then idles. start_i aborts any state.
// error_o, sticky until start_i: bit 0 tlast on a beat that is not the packet's last
//   (the beat is used as data; the run goes on), bit 1 no tlast on the last expected
//   beat, bit 2 beats after the last expected one were taken, bit 3 bad header or
//   descriptor (V = 0 or V > R x SLOTS, planes = 0, chunks = 0, or more weight words
//   than WBUF_WORDS; words past the buffer's capacity are not written).
// Handshakes: s_axis_tready_o depends on start_i, bank_free_i and registers, never on
//   s_axis_tvalid_i; act_valid_o is a register (fwmac_stream_reg); act_ready_i reaches
//   nothing combinationally.
`default_nettype none

module fwmac_loader #(
  parameter integer BUS_W      = 64,   // 32, 64, 128, 256 or 512
  parameter integer ROWS       = 4,    // R
  parameter integer SLOTS      = 1,    // filters per PE row (1 or 2); VMAX = R x SLOTS
  parameter integer PLANE_W    = 4,    // header field planes
  parameter integer VROW_W     = 3,    // header field drain_rows V; holds VMAX
  parameter integer SPAN_W     = 3,    // header field spans: R x SPAN_W bits if SLOTS = 2
  parameter integer PARAM_W    = 53,
  parameter integer WGT_W      = 128,
  parameter integer ACT_W      = 42,
  parameter integer WBUF_WORDS = 64,   // weight words per bank
  parameter integer GROUP_W    = 8,    // width of groups_i
  parameter integer CHUNK_W    = 8,    // width of chunks_i
  parameter integer ACTN_W     = 16    // width of act_words_i
) (
  input  wire                  clk_i,
  input  wire                  rst_ni,
  // run control
  input  wire                  start_i,
  input  wire [GROUP_W-1:0]    groups_i,
  input  wire [CHUNK_W-1:0]    chunks_i,
  input  wire [ACTN_W-1:0]     act_words_i,
  output wire                  busy_o,
  output wire                  done_o,
  output wire [3:0]            error_o,
  // AXI4-Stream slave
  input  wire [BUS_W-1:0]      s_axis_tdata_i,
  input  wire                  s_axis_tvalid_i,
  output wire                  s_axis_tready_o,
  input  wire                  s_axis_tlast_i,
  // group buffer write side
  input  wire [1:0]            bank_free_i,
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
  // activation words
  output wire                  act_valid_o,
  input  wire                  act_ready_i,
  output wire [ACT_W-1:0]      act_data_o,
  output wire                  act_last_o     // the run's last activation word
);
  localparam integer VMAX    = ROWS * SLOTS;
  localparam integer SPANS_W = (SLOTS == 2) ? ROWS * SPAN_W : 0;
  localparam integer HDR_W   = PLANE_W + VROW_W + SPANS_W + VMAX;
  localparam integer PRM_AW  = (VMAX > 1) ? $clog2(VMAX) : 1;
  localparam integer WGT_AW  = (WBUF_WORDS > 1) ? $clog2(WBUF_WORDS) : 1;

  generate
    if (BUS_W != 32 && BUS_W != 64 && BUS_W != 128 && BUS_W != 256 && BUS_W != 512) begin : g_bad_bus
`ifdef __ICARUS__
      fwmac_param_error_loader_bus_w_not_supported u_param_error ();
`else
      $error("fwmac_loader: BUS_W = %0d must be 32, 64, 128, 256 or 512", BUS_W);
`endif
    end
    if (ROWS < 1 || ROWS > 64 || SLOTS < 1 || SLOTS > 2 || PLANE_W < 1 || PLANE_W > 8 || SPAN_W < 1 ||
        VROW_W < $clog2(VMAX + 1) || VROW_W > 16) begin : g_bad_header
`ifdef __ICARUS__
      fwmac_param_error_loader_header_fields_out_of_range u_param_error ();
`else
      $error("fwmac_loader: need ROWS 1..64, SLOTS 1..2, PLANE_W 1..8, SPAN_W >= 1, VROW_W %0d..16 (got %0d)",
             $clog2(VMAX + 1), VROW_W);
`endif
    end
    if (PARAM_W < 1 || PARAM_W > 4096 || WGT_W < 1 || WGT_W > 4096 || ACT_W < 1 || ACT_W > 4096 ||
        HDR_W > 4096) begin : g_bad_words
`ifdef __ICARUS__
      fwmac_param_error_loader_word_widths_out_of_range u_param_error ();
`else
      $error("fwmac_loader: PARAM_W, WGT_W, ACT_W and the header width must be 1..4096");
`endif
    end
    if (WBUF_WORDS < 2 || WBUF_WORDS > 1048576 || GROUP_W < 1 || GROUP_W > 24 || CHUNK_W < 1 ||
        CHUNK_W > 24 || ACTN_W < 1 || ACTN_W > 30) begin : g_bad_counts
`ifdef __ICARUS__
      fwmac_param_error_loader_counts_out_of_range u_param_error ();
`else
      $error("fwmac_loader: need WBUF_WORDS 2..2^20, GROUP_W 1..24, CHUNK_W 1..24, ACTN_W 1..30");
`endif
    end
  endgenerate

  // containers: width, and parts (containers per beat, or beats per container)
  localparam integer HDR_C = (HDR_W <= 8) ? 8 : (1 << $clog2(HDR_W));
  localparam integer PRM_C = (PARAM_W <= 8) ? 8 : (1 << $clog2(PARAM_W));
  localparam integer WGT_C = (WGT_W <= 8) ? 8 : (1 << $clog2(WGT_W));
  localparam integer ACT_C = (ACT_W <= 8) ? 8 : (1 << $clog2(ACT_W));
  localparam integer HDR_PARTS = (HDR_C > BUS_W) ? HDR_C / BUS_W : BUS_W / HDR_C;
  localparam integer PRM_PARTS = (PRM_C > BUS_W) ? PRM_C / BUS_W : BUS_W / PRM_C;
  localparam integer WGT_PARTS = (WGT_C > BUS_W) ? WGT_C / BUS_W : BUS_W / WGT_C;
  localparam integer ACT_PARTS = (ACT_C > BUS_W) ? ACT_C / BUS_W : BUS_W / ACT_C;
  localparam integer MAX_PARTS_HP = (HDR_PARTS > PRM_PARTS) ? HDR_PARTS : PRM_PARTS;
  localparam integer MAX_PARTS_WA = (WGT_PARTS > ACT_PARTS) ? WGT_PARTS : ACT_PARTS;
  localparam integer MAX_PARTS    = (MAX_PARTS_HP > MAX_PARTS_WA) ? MAX_PARTS_HP : MAX_PARTS_WA;
  localparam integer PART_W       = (MAX_PARTS > 1) ? $clog2(MAX_PARTS) : 1;
  // assembly register of wide containers: the earlier beats of the widest one
  localparam integer HDR_LOW = (HDR_C > BUS_W) ? HDR_C - BUS_W : 0;
  localparam integer PRM_LOW = (PRM_C > BUS_W) ? PRM_C - BUS_W : 0;
  localparam integer WGT_LOW = (WGT_C > BUS_W) ? WGT_C - BUS_W : 0;
  localparam integer ACT_LOW = (ACT_C > BUS_W) ? ACT_C - BUS_W : 0;
  localparam integer LOW_HP  = (HDR_LOW > PRM_LOW) ? HDR_LOW : PRM_LOW;
  localparam integer LOW_WA  = (WGT_LOW > ACT_LOW) ? WGT_LOW : ACT_LOW;
  localparam integer ASM_LOW = (LOW_HP > LOW_WA) ? LOW_HP : LOW_WA;
  localparam integer ASM_W   = (ASM_LOW > 0) ? ASM_LOW : 1;
  // counters
  localparam integer IDX_W = (VROW_W > ACTN_W) ? VROW_W : ACTN_W;
  localparam integer WA_W  = WGT_AW + 1;  // weight index, saturating at WBUF_WORDS
  localparam integer WD_HP = (HDR_W > PARAM_W) ? HDR_W : PARAM_W;
  localparam integer WD_W  = (WD_HP > WGT_W) ? WD_HP : WGT_W;

  localparam [PART_W-1:0] PART_ONE      = 1;
  localparam integer      HDR_LAST_INT  = HDR_PARTS - 1;
  localparam integer      PRM_LAST_INT  = PRM_PARTS - 1;
  localparam integer      WGT_LAST_INT  = WGT_PARTS - 1;
  localparam integer      ACT_LAST_INT  = ACT_PARTS - 1;
  localparam [PART_W-1:0] HDR_LAST_PART = HDR_LAST_INT[PART_W-1:0];
  localparam [PART_W-1:0] PRM_LAST_PART = PRM_LAST_INT[PART_W-1:0];
  localparam [PART_W-1:0] WGT_LAST_PART = WGT_LAST_INT[PART_W-1:0];
  localparam [PART_W-1:0] ACT_LAST_PART = ACT_LAST_INT[PART_W-1:0];
  localparam [IDX_W-1:0]   IDX_ONE    = 1;
  localparam [IDX_W-1:0]   IDX_VMAX   = VMAX[IDX_W-1:0];
  localparam [VROW_W-1:0]  VROW_ONE   = 1;
  localparam [VROW_W-1:0]  VROW_VMAX  = VMAX[VROW_W-1:0];
  localparam [ACTN_W-1:0]  ACTN_ONE   = 1;
  localparam [PLANE_W-1:0] PLANE_ONE  = 1;
  localparam [CHUNK_W-1:0] CHUNK_ONE  = 1;
  localparam [GROUP_W:0]   GROUP_ONE  = 1;
  localparam [WA_W-1:0]    WA_ONE     = 1;
  localparam [WA_W-1:0]    WA_CAP     = WBUF_WORDS[WA_W-1:0];

  localparam [2:0] S_IDLE  = 3'd0;
  localparam [2:0] S_HDR   = 3'd1;
  localparam [2:0] S_PRM   = 3'd2;
  localparam [2:0] S_WGT   = 3'd3;
  localparam [2:0] S_ACT   = 3'd4;
  localparam [2:0] S_FLUSH = 3'd5;  // taking the beats after a missing tlast

  reg [2:0]         sec_q, sec_d;
  reg [GROUP_W-1:0] group_q, group_d;
  reg               bank_q, bank_d;          // group_q mod 2
  reg               act_done_q, act_done_d;  // the ACT section is behind us
  reg [PART_W-1:0]  part_q, part_d;          // container of the beat / beat of the container
  reg [IDX_W-1:0]   idx_q, idx_d;            // param or act word index
  reg [PLANE_W-1:0] plane_q, plane_d;
  reg [CHUNK_W-1:0] chunk_q, chunk_d;
  reg [WA_W-1:0]    waddr_q, waddr_d;        // weight word index
  reg [VROW_W-1:0]  rows_q, rows_d;          // V of the current group
  reg [PLANE_W-1:0] planes_q, planes_d;      // planes of the current group
  reg [3:0]         error_q, error_d;
  reg               done_q, done_d;
  reg [1:0]         loaded_q, loaded_d;
  reg [ASM_W-1:0]   asm_q, asm_d;
  // write stage
  reg               hdr_we_q, hdr_we_d;
  reg               prm_we_q, prm_we_d;
  reg               wgt_we_q, wgt_we_d;
  reg               wr_bank_q, wr_bank_d;
  reg [PRM_AW-1:0]  prm_waddr_q, prm_waddr_d;
  reg [WGT_AW-1:0]  wgt_waddr_q, wgt_waddr_d;
  reg [WD_W-1:0]    wdata_q, wdata_d;

  // ---------------------------------------------------------------- container words
  wire [HDR_W-1:0]   hdr_word;
  wire [PARAM_W-1:0] prm_word;
  wire [WGT_W-1:0]   wgt_word;
  wire [ACT_W-1:0]   act_word;
  fwmac_container_select #(.BUS_W(BUS_W), .WORD_W(HDR_W), .ASM_W(ASM_W), .PART_W(PART_W)) u_hdr_select (
    .part_i(part_q), .tdata_i(s_axis_tdata_i), .asm_i(asm_q), .word_o(hdr_word));
  fwmac_container_select #(.BUS_W(BUS_W), .WORD_W(PARAM_W), .ASM_W(ASM_W), .PART_W(PART_W)) u_prm_select (
    .part_i(part_q), .tdata_i(s_axis_tdata_i), .asm_i(asm_q), .word_o(prm_word));
  fwmac_container_select #(.BUS_W(BUS_W), .WORD_W(WGT_W), .ASM_W(ASM_W), .PART_W(PART_W)) u_wgt_select (
    .part_i(part_q), .tdata_i(s_axis_tdata_i), .asm_i(asm_q), .word_o(wgt_word));
  fwmac_container_select #(.BUS_W(BUS_W), .WORD_W(ACT_W), .ASM_W(ASM_W), .PART_W(PART_W)) u_act_select (
    .part_i(part_q), .tdata_i(s_axis_tdata_i), .asm_i(asm_q), .word_o(act_word));

  wire [PLANE_W-1:0] hdr_planes = hdr_word[PLANE_W-1:0];
  wire [VROW_W-1:0]  hdr_rows   = hdr_word[PLANE_W +: VROW_W];

  // ---------------------------------------------------------------- the current step
  wire act_in_ready;
  reg              in_section;  // HDR, PRM, WGT or ACT
  reg              cur_wide;    // the section's containers are wider than the bus
  reg [PART_W-1:0] last_part;
  reg              sec_last;    // the current container is the section's last
  reg              gate;
  always @* begin
    in_section = 1'b0;
    cur_wide   = 1'b0;
    last_part  = {PART_W{1'b0}};
    sec_last   = 1'b0;
    gate       = 1'b0;
    case (sec_q)
      S_HDR: begin
        in_section = 1'b1;
        cur_wide   = (HDR_C > BUS_W);
        last_part  = HDR_LAST_PART;
        sec_last   = 1'b1;
        gate       = bank_q ? bank_free_i[1] : bank_free_i[0];
      end
      S_PRM: begin
        in_section = 1'b1;
        cur_wide   = (PRM_C > BUS_W);
        last_part  = PRM_LAST_PART;
        sec_last   = (idx_q[VROW_W-1:0] == rows_q - VROW_ONE);
        gate       = 1'b1;
      end
      S_WGT: begin
        in_section = 1'b1;
        cur_wide   = (WGT_C > BUS_W);
        last_part  = WGT_LAST_PART;
        sec_last   = (plane_q == planes_q - PLANE_ONE) && (chunk_q == chunks_i - CHUNK_ONE);
        gate       = 1'b1;
      end
      S_ACT: begin
        in_section = 1'b1;
        cur_wide   = (ACT_C > BUS_W);
        last_part  = ACT_LAST_PART;
        sec_last   = (idx_q[ACTN_W-1:0] == act_words_i - ACTN_ONE);
        gate       = act_in_ready;
      end
      S_FLUSH: gate = 1'b1;
      default: ;
    endcase
  end

  wire part_end = (part_q == last_part);
  wire step     = s_axis_tvalid_i & gate & in_section & ~start_i;
  wire deliver  = step & (~cur_wide | part_end);  // a container is complete
  wire beat_end = (sec_q == S_FLUSH) | cur_wide | part_end | sec_last;
  wire tready   = gate & beat_end & ~start_i;
  wire take     = s_axis_tvalid_i & tready;

  // ---------------------------------------------------------------- what comes next
  wire [PLANE_W-1:0] planes_now  = (sec_q == S_HDR) ? hdr_planes : planes_q;
  wire [VROW_W-1:0]  rows_now    = (sec_q == S_HDR) ? hdr_rows : rows_q;
  wire               has_prm     = (rows_now != {VROW_W{1'b0}});
  wire               has_wgt     = (planes_now != {PLANE_W{1'b0}}) && (chunks_i != {CHUNK_W{1'b0}});
  wire               has_act     = (act_words_i != {ACTN_W{1'b0}});
  wire               more_groups = ({1'b0, group_q} + GROUP_ONE) < {1'b0, groups_i};
  // the current section is its group's last one
  wire group_end = ((sec_q == S_HDR) & ~has_prm & ~has_wgt) | ((sec_q == S_PRM) & ~has_wgt) | (sec_q == S_WGT);
  reg  [2:0] next_sec;  // S_IDLE: the run ends
  always @* begin
    next_sec = S_IDLE;
    if (sec_q == S_HDR && has_prm) next_sec = S_PRM;
    else if ((sec_q == S_HDR || sec_q == S_PRM) && has_wgt) next_sec = S_WGT;
    else if (group_end && !act_done_q && has_act) next_sec = S_ACT;
    else if (more_groups) next_sec = S_HDR;
  end
  wire section_end = deliver & sec_last;
  wire run_end     = section_end & (next_sec == S_IDLE);
  wire rows_over;  // V > VMAX (impossible when VROW_W holds nothing larger)
  generate
    if (VMAX >= (1 << VROW_W) - 1) begin : g_rows_fit
      assign rows_over = 1'b0;
    end else begin : g_rows_check
      assign rows_over = (hdr_rows > VROW_VMAX);
    end
  endgenerate
  wire header_bad  = (hdr_rows == {VROW_W{1'b0}}) | rows_over |
                     (hdr_planes == {PLANE_W{1'b0}}) | (chunks_i == {CHUNK_W{1'b0}});

  always @* begin
    sec_d      = sec_q;
    group_d    = group_q;
    bank_d     = bank_q;
    act_done_d = act_done_q;
    part_d     = part_q;
    idx_d      = idx_q;
    plane_d    = plane_q;
    chunk_d    = chunk_q;
    waddr_d    = waddr_q;
    rows_d     = rows_q;
    planes_d   = planes_q;
    error_d    = error_q;
    done_d     = 1'b0;
    loaded_d   = 2'b00;

    if (step) part_d = (part_end | section_end) ? {PART_W{1'b0}} : part_q + PART_ONE;
    if (deliver && sec_q == S_HDR) begin
      rows_d   = hdr_rows;
      planes_d = hdr_planes;
    end
    if (section_end) begin
      idx_d   = {IDX_W{1'b0}};
      plane_d = {PLANE_W{1'b0}};
      chunk_d = {CHUNK_W{1'b0}};
      waddr_d = {WA_W{1'b0}};
      sec_d   = next_sec;
      if (group_end) begin
        loaded_d   = bank_q ? 2'b10 : 2'b01;
        act_done_d = 1'b1;
      end
      if (next_sec == S_HDR) begin
        group_d = group_q + GROUP_ONE[GROUP_W-1:0];
        bank_d  = ~bank_q;
      end
      if (run_end) begin
        done_d = 1'b1;
        if (!s_axis_tlast_i) sec_d = S_FLUSH;
      end
    end else if (deliver) begin
      if (sec_q == S_PRM || sec_q == S_ACT) idx_d = idx_q + IDX_ONE;
      if (sec_q == S_WGT) begin
        if (plane_q == planes_q - PLANE_ONE) begin
          plane_d = {PLANE_W{1'b0}};
          chunk_d = chunk_q + CHUNK_ONE;
        end else begin
          plane_d = plane_q + PLANE_ONE;
        end
        if (waddr_q != WA_CAP) waddr_d = waddr_q + WA_ONE;
      end
    end
    if (sec_q == S_FLUSH && take && s_axis_tlast_i) sec_d = S_IDLE;

    // errors
    if (take && s_axis_tlast_i && in_section && !run_end) error_d[0] = 1'b1;
    if (run_end && !s_axis_tlast_i) error_d[1] = 1'b1;
    if (take && sec_q == S_FLUSH) error_d[2] = 1'b1;
    if (deliver && ((sec_q == S_HDR && header_bad) || (sec_q == S_PRM && idx_q >= IDX_VMAX) ||
                    (sec_q == S_WGT && waddr_q == WA_CAP))) error_d[3] = 1'b1;

    // start_i: a new run, whatever was going on
    if (start_i) begin
      group_d    = {GROUP_W{1'b0}};
      bank_d     = 1'b0;
      part_d     = {PART_W{1'b0}};
      idx_d      = {IDX_W{1'b0}};
      plane_d    = {PLANE_W{1'b0}};
      chunk_d    = {CHUNK_W{1'b0}};
      waddr_d    = {WA_W{1'b0}};
      error_d    = 4'b0000;
      act_done_d = (groups_i == {GROUP_W{1'b0}});
      if (groups_i != {GROUP_W{1'b0}}) sec_d = S_HDR;
      else if (has_act) sec_d = S_ACT;
      else begin
        sec_d  = S_IDLE;
        done_d = 1'b1;  // an empty run
      end
    end
  end

  // assembly shift register of wide containers: each beat enters at the top
  generate
    if (ASM_LOW == 0) begin : g_no_assembly
      always @* asm_d = asm_q;
    end else if (ASM_W == BUS_W) begin : g_one_beat_assembly
      always @* asm_d = s_axis_tdata_i;
    end else begin : g_assembly
      always @* asm_d = {s_axis_tdata_i, asm_q[ASM_W-1:BUS_W]};
    end
  endgenerate

  // ---------------------------------------------------------------- write stage
  always @* begin
    hdr_we_d    = deliver & (sec_q == S_HDR);
    prm_we_d    = deliver & (sec_q == S_PRM) & (idx_q < IDX_VMAX);
    wgt_we_d    = deliver & (sec_q == S_WGT) & (waddr_q != WA_CAP);
    wr_bank_d   = bank_q;
    prm_waddr_d = idx_q[PRM_AW-1:0];
    wgt_waddr_d = waddr_q[WGT_AW-1:0];
    wdata_d     = {WD_W{1'b0}};
    case (sec_q)
      S_HDR:   wdata_d[HDR_W-1:0] = hdr_word;
      S_PRM:   wdata_d[PARAM_W-1:0] = prm_word;
      default: wdata_d[WGT_W-1:0] = wgt_word;
    endcase
  end
  wire write_load = deliver & (sec_q != S_ACT);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      sec_q      <= S_IDLE;
      group_q    <= {GROUP_W{1'b0}};
      bank_q     <= 1'b0;
      act_done_q <= 1'b0;
      part_q     <= {PART_W{1'b0}};
      idx_q      <= {IDX_W{1'b0}};
      plane_q    <= {PLANE_W{1'b0}};
      chunk_q    <= {CHUNK_W{1'b0}};
      waddr_q    <= {WA_W{1'b0}};
      error_q    <= 4'b0000;
      done_q     <= 1'b0;
      loaded_q   <= 2'b00;
      hdr_we_q   <= 1'b0;
      prm_we_q   <= 1'b0;
      wgt_we_q   <= 1'b0;
    end else begin
      sec_q      <= sec_d;
      group_q    <= group_d;
      bank_q     <= bank_d;
      act_done_q <= act_done_d;
      part_q     <= part_d;
      idx_q      <= idx_d;
      plane_q    <= plane_d;
      chunk_q    <= chunk_d;
      waddr_q    <= waddr_d;
      error_q    <= error_d;
      done_q     <= done_d;
      loaded_q   <= loaded_d;
      hdr_we_q   <= hdr_we_d;
      prm_we_q   <= prm_we_d;
      wgt_we_q   <= wgt_we_d;
    end
    if (deliver && sec_q == S_HDR) begin
      rows_q   <= rows_d;
      planes_q <= planes_d;
    end
    if (step && cur_wide) asm_q <= asm_d;
    if (write_load) begin
      wr_bank_q   <= wr_bank_d;
      prm_waddr_q <= prm_waddr_d;
      wgt_waddr_q <= wgt_waddr_d;
      wdata_q     <= wdata_d;
    end
  end

  // ---------------------------------------------------------------- activation words
  wire [ACT_W:0] act_out;
  fwmac_stream_reg #(.WIDTH(ACT_W + 1)) u_act_reg (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .in_valid_i (deliver & (sec_q == S_ACT)),
    .in_ready_o (act_in_ready),
    .in_data_i  ({sec_last, act_word}),
    .out_valid_o(act_valid_o),
    .out_ready_i(act_ready_i),
    .out_data_o (act_out)
  );

  assign s_axis_tready_o = tready;
  assign busy_o          = in_section;
  assign done_o          = done_q;
  assign error_o         = error_q;
  assign wr_bank_o       = wr_bank_q;
  assign hdr_we_o        = hdr_we_q;
  assign hdr_wdata_o     = wdata_q[HDR_W-1:0];
  assign prm_we_o        = prm_we_q;
  assign prm_waddr_o     = prm_waddr_q;
  assign prm_wdata_o     = wdata_q[PARAM_W-1:0];
  assign wgt_we_o        = wgt_we_q;
  assign wgt_waddr_o     = wgt_waddr_q;
  assign wgt_wdata_o     = wdata_q[WGT_W-1:0];
  assign group_loaded_o  = loaded_q;
  assign act_data_o      = act_out[ACT_W-1:0];
  assign act_last_o      = act_out[ACT_W];
endmodule

`default_nettype wire
