// fwmac_sequencer: feeds the core from the group buffer, one run at a time.
//
// For every row group g (bank g mod 2 of fwmac_group_buffer) and pixel tile t of the
// run, four independent streamers walk the same (g, t) order:
//   cmd   one command {chunks, planes, spans} per tile, from the group's header;
//   w     the group's CHUNKS x planes weight words per tile, read from the bank's weight
//         RAM (one read per cycle) into a FIFO that feeds the core's w port;
//   p     the group's V parameter words per tile (one per drained row), read from the
//         bank's parameter RAM into a FIFO that feeds the core's p port;
//   tile  one tile-info beat per tile for the packer: pixel_count = min(C, P - t*C), the
//         tile's V y beats, the header's real-beat mask, last tile of the run.
// A streamer enters group g when bank g mod 2 is full with it (the loader has written it,
// and the streamer has not finished that fill already: a streamer one group ahead of the
// others waits for the bank's next group) and leaves it after its last item of the
// group's last tile; when all four have left it, the bank is released (release_o) for the
// loader's group g + 2. The activation chunks
// come from fwmac_im2col, which walks the same order on its own.
// Timing: the weight and parameter RAMs answer one cycle after the read; each FIFO is
// FIFO_DEPTH deep and a read is started only when the FIFO has room for it and for the
// reads in flight, so with the core always ready both ports deliver one beat per cycle
// (FIFO_DEPTH >= 3; two beats every three cycles with FIFO_DEPTH = 2: a read, its word in
// the FIFO, its pop and the freed slot take three cycles), the first beat at most three
// cycles after start when the bank is already full. Handshakes: every valid output comes from a
// register (the FIFOs) or from registered state (cmd, tile), never from a ready input.
`default_nettype none

module fwmac_sequencer #(
  parameter integer COLS       = 1,   // C: pixels per tile
  parameter integer VMAX       = 1,   // drained virtual rows per tile at most: R x row_slots
  parameter integer CHUNK_W    = 1,   // width of the core's cmd_chunks
  parameter integer PLANE_W    = 1,   // width of the core's cmd_planes
  parameter integer SPANS_W    = 1,   // width of the core's cmd_spans (1 and unused with one slot)
  parameter integer WGT_W      = 1,   // weight word (the core's w beat)
  parameter integer PARAM_W    = 1,   // parameter word (the core's p beat with relu/raw above it)
  parameter integer WADDR_W    = 1,   // weight RAM address
  parameter integer DIM_W      = 16,  // widths of the descriptor's counts
  parameter integer FIFO_DEPTH = 4
) (
  input  wire                   clk_i,
  input  wire                   rst_ni,
  input  wire                   start_i,        // a run begins; the descriptor is stable until done_o
  input  wire [DIM_W-1:0]       groups_i,       // G >= 1
  input  wire [DIM_W-1:0]       tiles_i,        // T = ceil(P / C) >= 1
  input  wire [DIM_W-1:0]       chunks_i,       // CHUNKS >= 1
  input  wire [DIM_W-1:0]       last_tile_pixels_i,  // pixels of the last tile: P - (T-1) * C
  output wire                   done_o,         // every streamer has finished the run
  // group buffer: headers and full flags of both banks, read ports, release
  input  wire [1:0]             bank_full_i,
  input  wire [2*PLANE_W-1:0]   hdr_planes_i,   // bank b at bits b*PLANE_W
  input  wire [2*DIM_W-1:0]     hdr_drain_rows_i,
  input  wire [2*SPANS_W-1:0]   hdr_spans_i,
  input  wire [2*VMAX-1:0]      hdr_real_beats_i,
  output wire                   w_re_o,
  output wire                   w_bank_o,
  output wire [WADDR_W-1:0]     w_addr_o,
  input  wire [WGT_W-1:0]       w_rdata_i,
  output wire                   p_re_o,
  output wire                   p_bank_o,
  output wire [$clog2(VMAX+1)-1:0] p_index_o,
  input  wire [PARAM_W-1:0]     p_rdata_i,
  output wire [1:0]             release_o,
  // the core
  output wire                   cmd_valid_o,
  input  wire                   cmd_ready_i,
  output wire [CHUNK_W-1:0]     cmd_chunks_o,
  output wire [PLANE_W-1:0]     cmd_planes_o,
  output wire [SPANS_W-1:0]     cmd_spans_o,
  output wire                   w_valid_o,
  input  wire                   w_ready_i,
  output wire [WGT_W-1:0]       w_data_o,
  output wire                   p_valid_o,
  input  wire                   p_ready_i,
  output wire [PARAM_W-1:0]     p_data_o,
  // tile info for the packer
  output wire                   ti_valid_o,
  input  wire                   ti_ready_i,
  output wire [$clog2(COLS+1)-1:0] ti_pixels_o,
  output wire [DIM_W-1:0]       ti_beats_o,
  output wire [VMAX-1:0]        ti_real_o,
  output wire                   ti_last_o
);
  generate
    if (COLS < 1 || VMAX < 1 || FIFO_DEPTH < 2 || FIFO_DEPTH > 16 || DIM_W < 2 || DIM_W > 32)
    begin : g_bad_params
`ifdef __ICARUS__
      fwmac_param_error_sequencer_params_out_of_range u_param_error ();
`else
      $error("fwmac_sequencer: need COLS, VMAX >= 1, 2 <= FIFO_DEPTH <= 16, 2 <= DIM_W <= 32");
`endif
    end
  endgenerate

  localparam integer PIX_W = $clog2(COLS + 1);
  localparam integer PIDX_W = $clog2(VMAX + 1);
  localparam [DIM_W-1:0] ONE = 1;
  localparam [PIX_W-1:0] COLS_PIX = COLS[PIX_W-1:0];

  // ---------------------------------------------------------------- streamer positions
  // Each streamer: its group g (and bank g[0]), tile t, item i within the tile, and
  // `active` while the run has items left for it.
  reg [DIM_W-1:0] cmd_g_q, cmd_t_q;
  reg             cmd_active_q;
  reg [DIM_W-1:0] ti_g_q, ti_t_q;
  reg             ti_active_q;
  reg [DIM_W-1:0] w_g_q, w_t_q;
  reg [WADDR_W-1:0] w_i_q;
  reg             w_active_q;
  reg [DIM_W-1:0] p_g_q, p_t_q;
  reg [PIDX_W-1:0] p_i_q;
  reg             p_active_q;

  // the descriptor counts are DIM_W wide; only their low bits reach the narrower fields
  wire unused_descriptor_bits = ^{chunks_i, last_tile_pixels_i, hdr_drain_rows_i};

  wire [DIM_W-1:0] groups_last = groups_i - ONE;
  wire [DIM_W-1:0] tiles_last  = tiles_i - ONE;

  // the header fields of each bank
  wire [PLANE_W-1:0] planes0 = hdr_planes_i[0 +: PLANE_W];
  wire [PLANE_W-1:0] planes1 = hdr_planes_i[PLANE_W +: PLANE_W];
  wire [DIM_W-1:0]   rows0   = hdr_drain_rows_i[0 +: DIM_W];
  wire [DIM_W-1:0]   rows1   = hdr_drain_rows_i[DIM_W +: DIM_W];

  // users0/users1[k]: streamer k (0 cmd, 1 tile, 2 w, 3 p) may use bank 0/1: the bank is
  // full and the streamer has not yet left the group it holds. A streamer that finished
  // the group in bank b waits for b's next group (release, then full again) even while b
  // still shows full with the old one.
  wire [3:0] users0, users1;

  // ---------------------------------------------------------------- cmd
  wire cmd_bank = cmd_g_q[0];
  wire cmd_usable = cmd_bank ? users1[0] : users0[0];
  assign cmd_valid_o  = cmd_active_q & cmd_usable;
  assign cmd_chunks_o = chunks_i[CHUNK_W-1:0];
  assign cmd_planes_o = cmd_bank ? planes1 : planes0;
  assign cmd_spans_o  = hdr_spans_i[cmd_bank*SPANS_W +: SPANS_W];
  wire cmd_fire = cmd_valid_o & cmd_ready_i;
  wire cmd_group_end = cmd_fire & (cmd_t_q == tiles_last);

  // ---------------------------------------------------------------- tile info
  wire ti_bank = ti_g_q[0];
  wire ti_last_tile = (ti_t_q == tiles_last);
  wire ti_usable = ti_bank ? users1[1] : users0[1];
  assign ti_valid_o  = ti_active_q & ti_usable;
  assign ti_pixels_o = ti_last_tile ? last_tile_pixels_i[PIX_W-1:0] : COLS_PIX;
  assign ti_beats_o  = ti_bank ? rows1 : rows0;
  assign ti_real_o   = hdr_real_beats_i[ti_bank*VMAX +: VMAX];
  assign ti_last_o   = ti_last_tile & (ti_g_q == groups_last);
  wire ti_fire = ti_valid_o & ti_ready_i;
  wire ti_group_end = ti_fire & ti_last_tile;

  // ---------------------------------------------------------------- w: RAM reads into a FIFO
  localparam integer CREDIT_W = $clog2(FIFO_DEPTH + 1);
  localparam [CREDIT_W-1:0] CREDIT_ONE = 1;
  localparam [CREDIT_W-1:0] CREDIT_FULL = FIFO_DEPTH[CREDIT_W-1:0];
  reg  [CREDIT_W-1:0] w_credit_q, w_credit_d;  // FIFO slots not yet claimed by a read
  reg                 w_inflight_q;             // a read answers in this cycle
  wire w_bank = w_g_q[0];
  wire [PLANE_W-1:0] w_planes = w_bank ? planes1 : planes0;
  // the tile's weight words CHUNKS x planes, computed wide enough for any WADDR_W and
  // PLANE_W (the loader keeps it <= WBUF_WORDS <= 2^WADDR_W, so its low WADDR_W bits count)
  localparam integer WPROD_W = (DIM_W > WADDR_W ? DIM_W : WADDR_W) + PLANE_W;
  wire [WPROD_W-1:0] w_words = {{(WPROD_W-DIM_W){1'b0}}, chunks_i} * {{(WPROD_W-PLANE_W){1'b0}}, w_planes};
  wire [WADDR_W-1:0] w_words_last = w_words[WADDR_W-1:0] - {{(WADDR_W-1){1'b0}}, 1'b1};
  wire unused_w_words = ^w_words[WPROD_W-1:WADDR_W];
  wire w_usable = w_bank ? users1[2] : users0[2];
  assign w_re_o   = w_active_q & w_usable & (w_credit_q != {CREDIT_W{1'b0}});
  assign w_bank_o = w_bank;
  assign w_addr_o = w_i_q;
  wire w_tile_end  = w_re_o & (w_i_q == w_words_last);
  wire w_group_end = w_tile_end & (w_t_q == tiles_last);
  wire w_fifo_in_ready, w_fifo_out_valid;
  wire [$clog2(FIFO_DEPTH+1)-1:0] unused_w_level;
  wire w_pop = w_fifo_out_valid & w_ready_i;
  fwmac_stream_fifo #(
    .WIDTH(WGT_W),
    .DEPTH(FIFO_DEPTH)
  ) u_w_fifo (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .in_valid_i (w_inflight_q),
    .in_ready_o (w_fifo_in_ready),
    .in_data_i  (w_rdata_i),
    .out_valid_o(w_fifo_out_valid),
    .out_ready_i(w_ready_i),
    .out_data_o (w_data_o),
    .level_o    (unused_w_level)
  );
  wire unused_w_fifo_ready = w_fifo_in_ready;  // never full: reads claim a slot first
  assign w_valid_o = w_fifo_out_valid;
  always @* begin
    w_credit_d = w_credit_q;
    if (w_re_o) w_credit_d = w_credit_d - CREDIT_ONE;
    if (w_pop) w_credit_d = w_credit_d + CREDIT_ONE;
  end

  // ---------------------------------------------------------------- p: RAM reads into a FIFO
  reg  [CREDIT_W-1:0] p_credit_q, p_credit_d;
  reg                 p_inflight_q;
  wire p_bank = p_g_q[0];
  wire [PIDX_W-1:0] p_rows = p_bank ? rows1[PIDX_W-1:0] : rows0[PIDX_W-1:0];
  wire [PIDX_W-1:0] p_rows_last = p_rows - {{(PIDX_W-1){1'b0}}, 1'b1};
  wire p_usable = p_bank ? users1[3] : users0[3];
  assign p_re_o    = p_active_q & p_usable & (p_credit_q != {CREDIT_W{1'b0}});
  assign p_bank_o  = p_bank;
  assign p_index_o = p_i_q;
  wire p_tile_end  = p_re_o & (p_i_q == p_rows_last);
  wire p_group_end = p_tile_end & (p_t_q == tiles_last);
  wire p_fifo_in_ready, p_fifo_out_valid;
  wire [$clog2(FIFO_DEPTH+1)-1:0] unused_p_level;
  wire p_pop = p_fifo_out_valid & p_ready_i;
  fwmac_stream_fifo #(
    .WIDTH(PARAM_W),
    .DEPTH(FIFO_DEPTH)
  ) u_p_fifo (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .in_valid_i (p_inflight_q),
    .in_ready_o (p_fifo_in_ready),
    .in_data_i  (p_rdata_i),
    .out_valid_o(p_fifo_out_valid),
    .out_ready_i(p_ready_i),
    .out_data_o (p_data_o),
    .level_o    (unused_p_level)
  );
  wire unused_p_fifo_ready = p_fifo_in_ready;
  assign p_valid_o = p_fifo_out_valid;
  always @* begin
    p_credit_d = p_credit_q;
    if (p_re_o) p_credit_d = p_credit_d - CREDIT_ONE;
    if (p_pop) p_credit_d = p_credit_d + CREDIT_ONE;
  end

  // ---------------------------------------------------------------- bank release
  // users_q[b][k]: streamer k (cmd, tile, w, p) has not yet left the group in bank b
  reg [3:0] users0_q, users0_d, users1_q, users1_d;
  wire [3:0] leaves0 = {p_group_end & ~p_bank, w_group_end & ~w_bank, ti_group_end & ~ti_bank,
                        cmd_group_end & ~cmd_bank};
  wire [3:0] leaves1 = {p_group_end & p_bank, w_group_end & w_bank, ti_group_end & ti_bank,
                        cmd_group_end & cmd_bank};
  reg [1:0] full_seen_q;  // the bank's current fill has been counted in users
  // in the first cycle a bank is full all four streamers use it (one may leave at once)
  assign users0 = (bank_full_i[0] & ~full_seen_q[0]) ? 4'hf : users0_q;
  assign users1 = (bank_full_i[1] & ~full_seen_q[1]) ? 4'hf : users1_q;
  always @* begin
    users0_d = users0 & ~leaves0;
    users1_d = users1 & ~leaves1;
  end
  wire release0 = bank_full_i[0] & (users0 != 4'd0) & (users0_d == 4'd0);
  wire release1 = bank_full_i[1] & (users1 != 4'd0) & (users1_d == 4'd0);
  assign release_o = {release1, release0};

  assign done_o = ~(cmd_active_q | ti_active_q | w_active_q | p_active_q | w_inflight_q | p_inflight_q |
                    w_fifo_out_valid | p_fifo_out_valid);

  // ---------------------------------------------------------------- positions
  always @(posedge clk_i) begin
    if (!rst_ni) begin
      cmd_active_q <= 1'b0;
      ti_active_q  <= 1'b0;
      w_active_q   <= 1'b0;
      p_active_q   <= 1'b0;
      w_inflight_q <= 1'b0;
      p_inflight_q <= 1'b0;
      w_credit_q   <= CREDIT_FULL;
      p_credit_q   <= CREDIT_FULL;
      users0_q     <= 4'd0;
      users1_q     <= 4'd0;
      full_seen_q  <= 2'b00;
      cmd_g_q <= {DIM_W{1'b0}};
      cmd_t_q <= {DIM_W{1'b0}};
      ti_g_q  <= {DIM_W{1'b0}};
      ti_t_q  <= {DIM_W{1'b0}};
      w_g_q   <= {DIM_W{1'b0}};
      w_t_q   <= {DIM_W{1'b0}};
      w_i_q   <= {WADDR_W{1'b0}};
      p_g_q   <= {DIM_W{1'b0}};
      p_t_q   <= {DIM_W{1'b0}};
      p_i_q   <= {PIDX_W{1'b0}};
    end else begin
      w_inflight_q <= w_re_o;
      p_inflight_q <= p_re_o;
      w_credit_q   <= w_credit_d;
      p_credit_q   <= p_credit_d;
      users0_q     <= users0_d;
      users1_q     <= users1_d;
      full_seen_q  <= (full_seen_q | bank_full_i) & ~release_o;
      if (start_i) begin
        cmd_active_q <= 1'b1;
        ti_active_q  <= 1'b1;
        w_active_q   <= 1'b1;
        p_active_q   <= 1'b1;
        cmd_g_q <= {DIM_W{1'b0}};
        cmd_t_q <= {DIM_W{1'b0}};
        ti_g_q  <= {DIM_W{1'b0}};
        ti_t_q  <= {DIM_W{1'b0}};
        w_g_q   <= {DIM_W{1'b0}};
        w_t_q   <= {DIM_W{1'b0}};
        w_i_q   <= {WADDR_W{1'b0}};
        p_g_q   <= {DIM_W{1'b0}};
        p_t_q   <= {DIM_W{1'b0}};
        p_i_q   <= {PIDX_W{1'b0}};
      end else begin
        if (cmd_fire) begin
          cmd_t_q <= cmd_group_end ? {DIM_W{1'b0}} : cmd_t_q + ONE;
          if (cmd_group_end) begin
            cmd_g_q <= cmd_g_q + ONE;
            if (cmd_g_q == groups_last) cmd_active_q <= 1'b0;
          end
        end
        if (ti_fire) begin
          ti_t_q <= ti_group_end ? {DIM_W{1'b0}} : ti_t_q + ONE;
          if (ti_group_end) begin
            ti_g_q <= ti_g_q + ONE;
            if (ti_g_q == groups_last) ti_active_q <= 1'b0;
          end
        end
        if (w_re_o) begin
          w_i_q <= w_tile_end ? {WADDR_W{1'b0}} : w_i_q + {{(WADDR_W-1){1'b0}}, 1'b1};
          if (w_tile_end) w_t_q <= w_group_end ? {DIM_W{1'b0}} : w_t_q + ONE;
          if (w_group_end) begin
            w_g_q <= w_g_q + ONE;
            if (w_g_q == groups_last) w_active_q <= 1'b0;
          end
        end
        if (p_re_o) begin
          p_i_q <= p_tile_end ? {PIDX_W{1'b0}} : p_i_q + {{(PIDX_W-1){1'b0}}, 1'b1};
          if (p_tile_end) p_t_q <= p_group_end ? {DIM_W{1'b0}} : p_t_q + ONE;
          if (p_group_end) begin
            p_g_q <= p_g_q + ONE;
            if (p_g_q == groups_last) p_active_q <= 1'b0;
          end
        end
      end
    end
  end
endmodule

`default_nettype wire
