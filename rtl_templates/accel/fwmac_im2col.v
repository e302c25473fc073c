// fwmac_im2col: hardware im2col, the activation beats of the array read from the buffer.
//
// Produces, for g in 0..G-1, for tile t in 0..T-1 (T = ceil(P/C)), for chunk
// j = (ky*KW + kx)*CG + cg in 0..KH*KW*CG-1, one beat of COLS = C words: column c holds
// the word (iy, ix, cg) of output pixel p = t*C + c, (oy, ox) = (p div OW, p mod OW),
// iy = oy*s + ky - pad_top, ix = ox*s + kx - pad_left, or zero if p >= P or the pixel is
// outside 0..H-1 x 0..W-1. Column c at a_data_o[c*WORD_W +: WORD_W].
//
// Buffer layout (written by fwmac_act_writer): word (iy, ix, cg) at global index
//     q = plane*((py*s + px)*CG + cg) + ry*pitch + rx,   (py, px) = (jy mod s, jx mod s),
//     (ry, rx) = (jy div s, jx div s), jy = iy + pad_top, jx = ix + pad_left,
// in bank q mod NB, row q div NB, with pitch = OW (mod NB) and plane a multiple of NB.
// Conflict-free reads. Tap (ky, kx) of output pixel (oy, ox) has jy = oy*s + ky and
// jx = ox*s + kx, so it lies in phase (ky mod s, kx mod s) at plane coordinates
// (oy + ky div s, ox + kx div s):
//     q(oy, ox) = T(ky, kx, cg) + oy*pitch + ox,
//     T = plane*(((ky mod s)*s + kx mod s)*CG + cg) + (ky div s)*pitch + kx div s.
// Column c of a tile holds pixel p0 + c. With w_c = (ox_0 + c) div OW the row wraps
// between columns 0 and c (w_c >= 0, several when OW < C): ox_c = ox_0 + c - w_c*OW and
// oy_c = oy_0 + w_c, hence
//     q_c = q_0 + w_c*pitch + c - w_c*OW = q_0 + c + w_c*(pitch - OW).
// pitch - OW = 0 (mod NB), so q_c = q_0 + c (mod NB): the C columns read banks
// (q_0 + 0) .. (q_0 + C-1) mod NB, which are distinct because C <= NB. Every beat reads
// each bank at most once (a rotation by q_0 mod NB); padding and pixels >= P read nothing.
// The identity holds in modular arithmetic too, so it does not need pitch >= OW.
//
// How: per column, registers hold the tile's pixel as s*ox (xs), s*oy + KH - pad_top
// (ysn) and oy*pitch + ox (ro), whether its row wraps on the way to the next tile
// (ox + C mod OW >= OW) and, one tile ahead, dx = s*ox + s*(C mod OW) - s*OW (the next
// wrap is dx >= 0); one add per value with a constant picked by the wrap flags moves
// all columns to the next tile, no division. The start columns (tile 0, for the first
// tile and every group restart) are computed after start_i by a walker that steps one
// pixel per cycle. The tap offset T and the padding thresholds follow the chunk
// counters with adds. Stage 1 registers q_c = T + ro_c and the column masks, stage 2
// presents the rotated rows to the banks (the RAM registers them), and the words are
// rotated back, zeroed where masked and pushed into a 4-beat output FIFO, whose credit
// (issued - taken < 4) covers the 3 beats in flight.
//
// Row gating: tile t's first chunk issues only if, in the previous cycle,
//     rows_ready_i >= rows_needed(t) = min(H, max(0, oy_last*s + KH - pad_top)),
// oy_last the output row of the tile's last pixel < P (the compare is registered; the
// need of the tile after the next one is kept ahead, so it is never on a long path).
// rows_ready_i must only grow during a run.
//
// Timing (start_i in cycle S, accepted while busy_o is low; descriptor stable from S
// until done_o). "Issue" of a beat in cycle X means: its words are read in X+1 and it
// is on a_valid_o/a_data_o from cycle X+3 until it is taken.
//   S+1 .. S+C+1  set-up (start columns, constants); nothing issues.
//   A beat issues in cycle X >= S+C+2 iff beats remain, the credit allows it (beats
//   issued before X minus beats taken before X is < 4) and, if it is the first chunk
//   of tile t, rows_ready_i in cycle X-1 was >= rows_needed(t). Beats issue in order,
//   at most one per cycle.
//   Always ready (a_ready_i = 1) the credit never blocks, so: the first beat issues in
//   the first cycle X >= S+C+2 with rows_ready_i(X-1) >= rows_needed(0); every other
//   beat in the cycle after the previous one, except a tile's first beat, which issues
//   in the first cycle X > (previous issue) with rows_ready_i(X-1) >= rows_needed(t).
//   a_valid_o is high in X+3 for the beat issued in X: one beat per cycle across chunk,
//   tile and group boundaries while the rows are there; the first beat is valid at
//   S+C+5 if the rows are already in the buffer.
//   Back-pressure: a_ready_i may drop in any cycle; nothing is lost or repeated.
//   done_o: one-cycle pulse in the cycle after the last beat is taken; busy_o falls
//   with it.
// Handshake: a_valid_o and a_data_o are flops (the FIFO's output register) and do not
// depend on a_ready_i; rd_en_o and rd_row_o come from flops through the rotation only.
`default_nettype none

module fwmac_im2col #(
  parameter integer WORD_W = 64,    // L x A bits
  parameter integer COLS   = 16,    // C: array columns = output pixels per beat
  parameter integer BANKS  = 16,    // NB: buffer banks, a power of two >= COLS
  parameter integer DEPTH  = 2048,  // rows per bank
  parameter integer DIM_W  = 10,    // width of sizes and coordinates
  parameter integer GRP_W  = 8      // width of groups_i
) (
  input  wire                                   clk_i,
  input  wire                                   rst_ni,
  input  wire                                   start_i,
  output wire                                   busy_o,
  output wire                                   done_o,
  // descriptor, stable from start_i until done_o (formulas in the README)
  input  wire [DIM_W-1:0]                       in_height_i,     // H
  input  wire [DIM_W-1:0]                       in_width_i,      // W
  input  wire [DIM_W-1:0]                       in_groups_i,     // CG
  input  wire [2:0]                             stride_i,        // s, 1..4
  input  wire [2:0]                             pad_top_i,       // 0..6
  input  wire [2:0]                             pad_left_i,      // 0..6
  input  wire [2:0]                             kernel_h_i,      // KH, 1..7
  input  wire [2:0]                             kernel_w_i,      // KW, 1..7
  input  wire [DIM_W-1:0]                       out_width_i,     // OW
  input  wire [2*DIM_W-1:0]                     pixels_i,        // P = OH*OW
  input  wire [GRP_W-1:0]                       groups_i,        // G >= 1
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] pitch_i,         // PITCH
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] plane_i,         // PLANE
  input  wire [DIM_W:0]                         out_width_s_i,   // s*OW
  input  wire [DIM_W:0]                         tile_x_step_i,   // s*(C mod OW)
  input  wire [DIM_W:0]                         tile_y_step_i,   // s*(C div OW)
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] tile_q_step_i,   // (C div OW)*PITCH + C mod OW
  input  wire [$clog2(DEPTH)+$clog2(BANKS)-1:0] plane_y_step_i,  // s*CG*PLANE
  // progress of the writer
  input  wire [DIM_W-1:0]                       rows_ready_i,
  // buffer read ports, bank b at rd_row_o[b*ROW_W +: ROW_W], rd_data_i[b*WORD_W +: WORD_W]
  output wire [BANKS-1:0]                       rd_en_o,
  output wire [BANKS*$clog2(DEPTH)-1:0]         rd_row_o,
  input  wire [BANKS*WORD_W-1:0]                rd_data_i,
  // activation beats to the array
  output wire                                   a_valid_o,
  input  wire                                   a_ready_i,
  output wire [COLS*WORD_W-1:0]                 a_data_o
);
  generate
    if (WORD_W < 1) begin : g_bad_word_w
`ifdef __ICARUS__
      fwmac_param_error_im2col_word_w_out_of_range u_param_error ();
`else
      $error("fwmac_im2col: WORD_W = %0d must be >= 1", WORD_W);
`endif
    end
    if (COLS < 1 || COLS > 64 || BANKS < COLS || BANKS > 64 || (BANKS & (BANKS - 1)) != 0) begin : g_bad_banks
`ifdef __ICARUS__
      fwmac_param_error_im2col_banks_not_a_power_of_two_ge_cols u_param_error ();
`else
      $error("fwmac_im2col: need 1 <= COLS <= BANKS <= 64, BANKS a power of two (COLS = %0d, BANKS = %0d)",
             COLS, BANKS);
`endif
    end
    if (DIM_W < 4 || DIM_W > 15 || GRP_W < 1 || GRP_W > 16) begin : g_bad_dim_w
`ifdef __ICARUS__
      fwmac_param_error_im2col_dim_w_out_of_range u_param_error ();
`else
      $error("fwmac_im2col: DIM_W = %0d outside 4..15 or GRP_W = %0d outside 1..16", DIM_W, GRP_W);
`endif
    end
    if (DEPTH < 2 || $clog2(DEPTH) + $clog2(BANKS) < DIM_W || $clog2(DEPTH) + $clog2(BANKS) > 30) begin : g_bad_depth
`ifdef __ICARUS__
      fwmac_param_error_im2col_depth_out_of_range u_param_error ();
`else
      $error("fwmac_im2col: DEPTH = %0d: need DEPTH >= 2 and DIM_W <= log2(BANKS*DEPTH) <= 30", DEPTH);
`endif
    end
  endgenerate

  localparam integer BANK_W  = $clog2(BANKS);
  localparam integer ROW_W   = $clog2(DEPTH);
  localparam integer Q_W     = ROW_W + BANK_W;
  localparam integer SC_W    = DIM_W + 2;           // signed coordinates
  localparam integer PIX_W   = 2 * DIM_W;
  localparam integer REM_W   = PIX_W + 1;           // signed pixel counts
  localparam integer BSEL_W  = BANK_W > 0 ? BANK_W : 1;
  localparam integer CIDX_W  = COLS > 1 ? $clog2(COLS) : 1;
  localparam integer CPAD    = 1 << CIDX_W;         // columns padded to a power of two
  localparam integer FIFO_DEPTH = 4;                // 3 beats in flight + 1: full rate
  localparam integer OCC_W   = 3;
  localparam integer      REM_2C_INT  = 2 * COLS;
  localparam integer      REM_3C_INT  = 3 * COLS;
  localparam integer      REM_C1_INT  = COLS + 1;
  localparam integer      REM_2C1_INT = 2 * COLS + 1;
  localparam [OCC_W-1:0]  OCC_FULL   = FIFO_DEPTH[OCC_W-1:0];
  localparam [OCC_W-1:0]  OCC_ONE    = 1;
  localparam [REM_W-1:0]  REM_C      = COLS[REM_W-1:0];
  localparam [REM_W-1:0]  REM_2C     = REM_2C_INT[REM_W-1:0];
  localparam [REM_W-1:0]  REM_3C     = REM_3C_INT[REM_W-1:0];
  localparam [REM_W-1:0]  REM_C1     = REM_C1_INT[REM_W-1:0];
  localparam [REM_W-1:0]  REM_2C1    = REM_2C1_INT[REM_W-1:0];
  localparam integer      COL_LAST_INT = COLS - 1;
  localparam [CIDX_W-1:0] COL_LAST   = COL_LAST_INT[CIDX_W-1:0];
  localparam [CIDX_W-1:0] CIDX_ONE   = 1;
  localparam [DIM_W-1:0]  DIM_ONE    = 1;
  localparam [GRP_W-1:0]  GRP_ONE    = 1;
  localparam [SC_W-1:0]   SC_ONE     = 1;
  localparam [Q_W-1:0]    Q_ONE      = 1;

  // ------------------------------------------------------------------ descriptor views
  wire [SC_W-1:0] s_sc     = {{(SC_W-3){1'b0}}, stride_i};
  wire [SC_W-1:0] pl_sc    = {{(SC_W-3){1'b0}}, pad_left_i};
  wire [SC_W-1:0] pt_sc    = {{(SC_W-3){1'b0}}, pad_top_i};
  wire [SC_W-1:0] kh_sc    = {{(SC_W-3){1'b0}}, kernel_h_i};
  wire [SC_W-1:0] h_sc     = {2'b00, in_height_i};
  wire [SC_W-1:0] w_sc     = {2'b00, in_width_i};
  wire [SC_W-1:0] ows_sc   = {1'b0, out_width_s_i};
  wire [SC_W-1:0] xa_sc    = {1'b0, tile_x_step_i};  // XA = s*(C mod OW)
  wire [SC_W-1:0] ya_sc    = {1'b0, tile_y_step_i};  // YA = s*(C div OW)
  wire [Q_W-1:0]  ow_q     = {{(Q_W-DIM_W){1'b0}}, out_width_i};
  wire [REM_W-1:0] p_rem   = {1'b0, pixels_i};

  // ------------------------------------------------------------------ run control
  reg               busy_q, busy_d;
  reg               walk_q, walk_d;      // set-up: the walker fills the start columns
  reg [CIDX_W-1:0]  walk_cnt_q, walk_cnt_d;
  reg               load_q, load_d;      // set-up: the first tile is loaded
  reg               active_q, active_d;  // beats remain to be issued
  reg               done_q, done_d;
  reg [OCC_W-1:0]   occ_q, occ_d;        // issued and not yet taken

  // constants, registered at start_i (rb one cycle later)
  reg [SC_W-1:0]    xb_q;                // XA - s*OW
  reg [SC_W-1:0]    xaab_q, xabb_q, xbbb_q;  // 2*XA + XB, XA + 2*XB, 3*XB
  reg [SC_W-1:0]    yb_q;                // YA + s
  reg [SC_W-1:0]    ya2_q, yab_q, yb2_q; // 2*YA, YA + YB, 2*YB: two tile steps at once
  reg [SC_W-1:0]    owsms_q;             // s*OW - s: walker wrap test
  reg [Q_W-1:0]     pw_q;                // PITCH - OW
  reg [Q_W-1:0]     rb_q;                // tile_q_step + PITCH - OW
  reg [2:0]         s_m1_q;
  reg [DIM_W-1:0]   cg_m1_q;
  reg               cg_is1_q;
  reg [2:0]         kw_m1_q, kh_m1_q;
  reg               kw_is1_q, kh_is1_q;
  reg [SC_W-1:0]    thx_hi0_q;           // pad_left + W
  reg [SC_W-1:0]    thy_hi0_q;           // H + KH
  reg [REM_W-1:0]   r3_0_q;              // P - 3C
  reg               last_tile0_q;        // P <= C
  reg               last_next0_q;        // P <= 2C
  reg [CIDX_W-1:0]  last_col0_q;         // min(P, C) - 1
  reg [CIDX_W-1:0]  lcn0_q;              // min(P - C, C) - 1 (if P > C)
  reg [CIDX_W-1:0]  lcn2_0_q;            // min(P - 2C, C) - 1 (if P > 2C)
  reg [GRP_W-1:0]   g_m1_q;
  reg               g_is1_q;
  reg [SC_W-1:0]    need0_q;             // need of tile 0 (ysn of its last column)
  reg [SC_W-1:0]    nn1_q;               // need of tile 1

  // walker: the start pixel c of column c, one column per set-up cycle
  reg [SC_W-1:0]    w_xs_q, w_dx_q, w_ysn_q;
  reg [Q_W-1:0]     w_ro_q, w_rs_q;
  // start columns (tile 0) and the current tile's columns
  reg [COLS*SC_W-1:0] i_xs_q, i_dx1_q, i_ysn_q;
  reg [COLS-1:0]      i_wrap_q;
  reg [COLS*Q_W-1:0]  i_ro_q;
  reg [COLS*SC_W-1:0] t_xs_q, t_dx1_q, t_ysn_q, t_xs_d, t_dx1_d, t_ysn_d;
  reg [COLS-1:0]      t_wrap_q, t_wrap_d;    // the column wraps from this tile to the next
  reg [COLS*Q_W-1:0]  t_ro_q, t_ro_d;
  // tiles
  reg [REM_W-1:0]   r3_q, r3_d;          // P - (t+3)*C
  reg               last_tile_q, last_tile_d;   // the current tile is the last
  reg               last_next_q, last_next_d;   // the next tile is the last
  reg [CIDX_W-1:0]  last_col_q, last_col_d;   // last column < P of the current tile
  reg [CIDX_W-1:0]  lcn_q, lcn_d;             // ... of the next tile
  reg [CIDX_W-1:0]  lcn2_q, lcn2_d;           // ... of the tile after the next
  reg [SC_W-1:0]    need_q, need_d;           // ysn of the current tile's last column
  reg [SC_W-1:0]    nn_q;                     // need of the tile pending after the next switch
  reg               gate_next_q, gate_hold_q, switched_q;
  reg [GRP_W-1:0]   g_cnt_q, g_cnt_d;
  reg               g_last_q, g_last_d;
  // chunks
  reg               first_q, first_d;    // the next beat is a tile's first chunk
  reg [DIM_W-1:0]   cg_cnt_q, cg_cnt_d;
  reg               cg_last_q, cg_last_d;
  reg [2:0]         kx_cnt_q, kx_cnt_d, ky_cnt_q, ky_cnt_d;
  reg               kx_last_q, kx_last_d, ky_last_q, ky_last_d;
  reg [2:0]         px_q, px_d, py_q, py_d;
  reg [Q_W-1:0]     toff_q, toff_d;      // T(ky, kx, cg)
  reg [Q_W-1:0]     xrun_q, xrun_d;      // T(ky, kx - kx mod s, 0)
  reg [Q_W-1:0]     ypart_q, ypart_d;    // T(ky, 0, 0)
  reg [Q_W-1:0]     rpart_q, rpart_d;    // T(ky - ky mod s, 0, 0) = (ky div s)*PITCH
  reg [SC_W-1:0]    thx_lo_q, thx_lo_d, thx_hi_q, thx_hi_d;  // pad_left - kx, pad_left + W - kx
  reg [SC_W-1:0]    thy_lo_q, thy_lo_d, thy_hi_q, thy_hi_d;  // KH - ky, H + KH - ky
  // read pipeline
  reg                 p1_valid_q, p2_valid_q;
  reg [COLS-1:0]      p1_live_q, p2_live_q;
  reg [COLS*ROW_W-1:0] p1_row_q;

  wire start  = start_i & ~busy_q;
  wire credit = (occ_q != OCC_FULL);
  wire [SC_W-1:0] rows_sc = {2'b00, rows_ready_i};
  // Row gate, registered: rows_ready >= min(H, max(0, need)) (0 <= rows_ready <= H) of
  // the previous cycle, for the tile that is pending now: right after a tile switch
  // (switched_q) the tile that has just become current (gate_next_q, from nn_q), else
  // the current tile (gate_hold_q, from need_q).
  wire rows_all = (rows_ready_i >= in_height_i);
  wire gate   = switched_q ? gate_next_q : gate_hold_q;
  wire issue  = active_q & credit & (~first_q | gate);
  wire chunk_end = cg_last_q & kx_last_q & ky_last_q;
  wire pop;

  // ------------------------------------------------------------------ per column
  wire [COLS*SC_W-1:0] f_xs, f_dx1, f_ysn;      // next tile
  wire [COLS-1:0]      f_wrap;
  wire [COLS*Q_W-1:0]  f_ro;
  wire [CPAD*SC_W-1:0] t_ysn_pad;
  wire [CPAD-1:0]      t_wrap_pad, f_wrap_pad;  // the column wraps from this / the next tile
  wire [COLS*ROW_W-1:0] q_row;                  // stage-1 inputs
  wire [COLS-1:0]       live;
  wire [BSEL_W-1:0]     b0_first;               // bank of column 0: q_0 mod NB
  genvar col;
  generate
    for (col = 0; col < COLS; col = col + 1) begin : g_col
      localparam integer COL_INT = col;
      localparam [CIDX_W-1:0] COL_IDX = COL_INT[CIDX_W-1:0];
      wire [SC_W-1:0] xs  = t_xs_q[col*SC_W +: SC_W];
      wire [SC_W-1:0] dx1 = t_dx1_q[col*SC_W +: SC_W];
      wire [SC_W-1:0] ysn = t_ysn_q[col*SC_W +: SC_W];
      wire [Q_W-1:0]  ro  = t_ro_q[col*Q_W +: Q_W];
      wire            wrap  = t_wrap_q[col];       // ox + (C mod OW) >= OW in this tile
      wire            wrap1 = ~dx1[SC_W-1];        // ... in the next tile
      // each value moves by one add of a constant chosen by the wrap flags
      assign f_xs[col*SC_W +: SC_W]  = xs + (wrap ? xb_q : xa_sc);
      assign f_dx1[col*SC_W +: SC_W] = xs + (wrap ? (wrap1 ? xbbb_q : xabb_q) : (wrap1 ? xabb_q : xaab_q));
      assign f_wrap[col]             = wrap1;
      assign f_ysn[col*SC_W +: SC_W] = ysn + (wrap ? yb_q : ya_sc);
      assign f_ro[col*Q_W +: Q_W]    = ro + (wrap ? rb_q : tile_q_step_i);
      // stage 1: the word index and the mask
      wire [Q_W-1:0] q = toff_q + ro;
      assign q_row[col*ROW_W +: ROW_W] = q[Q_W-1 -: ROW_W];
      if (col == 0 && BANK_W > 0) begin : g_first
        assign b0_first = q[BSEL_W-1:0];
      end else if (col == 0) begin : g_first_one_bank
        assign b0_first = 1'b0;
      end else if (BANK_W > 0) begin : g_unused_low
        wire unused_low = ^q[BSEL_W-1:0];
      end
      wire pixel_ok;
      if (col == 0) begin : g_pixel_first
        assign pixel_ok = 1'b1;                   // every tile has a pixel < P
      end else begin : g_pixel
        assign pixel_ok = (last_col_q >= COL_IDX);
      end
      wire row_ok   = ($signed(ysn) >= $signed(thy_lo_q)) & ($signed(ysn) < $signed(thy_hi_q));
      wire col_ok   = ($signed(xs) >= $signed(thx_lo_q)) & ($signed(xs) < $signed(thx_hi_q));
      assign live[col] = pixel_ok & row_ok & col_ok;
    end
    for (col = 0; col < CPAD; col = col + 1) begin : g_wrap
      if (col < COLS) begin : g_real
        assign t_wrap_pad[col] = t_wrap_q[col];
        assign f_wrap_pad[col] = f_wrap[col];
      end else begin : g_pad
        assign t_wrap_pad[col] = 1'b0;
        assign f_wrap_pad[col] = 1'b0;
      end
    end
    if (CPAD > COLS) begin : g_pad_cols
      assign t_ysn_pad = {{((CPAD-COLS)*SC_W){1'b0}}, t_ysn_q};
    end else begin : g_full_cols
      assign t_ysn_pad = t_ysn_q;
    end
  endgenerate

  // the walker's step to the next pixel (ox + 1, wrapping at OW); its column enters
  // the start columns with the wrap flag of tile 0 and dx of tile 1
  wire walk_wrap = (w_xs_q == owsms_q);
  wire            w_wrap = ~w_dx_q[SC_W-1];
  wire [SC_W-1:0] w_dx1  = w_dx_q + (w_wrap ? xb_q : xa_sc);

  // the needs of tiles 0 and 1 are captured as the walker passes their last columns
  // (tile 1's column lcn0 one tile step later)
  wire [CIDX_W-1:0] need0_step    = COL_LAST - last_col0_q;
  wire [CIDX_W-1:0] need1_step    = COL_LAST - lcn0_q;
  wire              need0_capture = walk_q & (walk_cnt_q == need0_step);
  wire              need1_capture = walk_q & (walk_cnt_q == need1_step);
  // Need lookahead. At a switch from tile t, nn_q gets need(t+2) = ysn_k(t+2) of
  // column k = lcn2 (the last column of tile t+2) from its ysn_k(t) with one add of
  // two tile steps: step(t) + step(t+1), each YB if the column wraps, else YA (2*YA,
  // YA + YB or 2*YB); both wrap flags are flops (t_wrap_q, the sign of t_dx1_q).
  wire [SC_W-1:0] nn_ysn    = t_ysn_pad[lcn2_q*SC_W +: SC_W];
  wire            nn_wrap0  = t_wrap_pad[lcn2_q];
  wire            nn_wrap1  = f_wrap_pad[lcn2_q];
  wire [SC_W-1:0] nn_no     = nn_ysn + (nn_wrap0 ? yab_q : ya2_q);  // no wrap at t+1
  wire [SC_W-1:0] nn_yes    = nn_ysn + (nn_wrap0 ? yb2_q : yab_q);  // wrap at t+1
  // with tile 0 current (after load and at every group restart): need(1), or need(0)
  // again if tile 0 is the only tile
  wire [SC_W-1:0] nn_restart = last_tile0_q ? need0_q : nn1_q;
  // nn_q: the add goes through the last multiplexer only
  wire            tile_switch = issue & chunk_end;
  wire            nn_add      = tile_switch & ~last_tile_q & ~last_next_q;
  wire [SC_W-1:0] nn_alt      = (load_q | (tile_switch & last_tile_q)) ? nn_restart :
                                (tile_switch & last_next_q)            ? need0_q :
                                need0_capture                          ? w_ysn_q : nn_q;
  wire [SC_W-1:0] nn_d        = nn_add ? (nn_wrap1 ? nn_yes : nn_no) : nn_alt;

  // ------------------------------------------------------------------ next state
  always @* begin
    busy_d      = busy_q;
    walk_d      = walk_q;
    walk_cnt_d  = walk_cnt_q;
    load_d      = 1'b0;
    active_d    = active_q;
    done_d      = 1'b0;
    occ_d       = occ_q + (issue ? OCC_ONE : {OCC_W{1'b0}}) - (pop ? OCC_ONE : {OCC_W{1'b0}});
    t_xs_d      = t_xs_q;
    t_dx1_d     = t_dx1_q;
    t_wrap_d    = t_wrap_q;
    t_ysn_d     = t_ysn_q;
    t_ro_d      = t_ro_q;
    r3_d        = r3_q;
    last_tile_d = last_tile_q;
    last_next_d = last_next_q;
    last_col_d  = last_col_q;
    lcn_d       = lcn_q;
    lcn2_d      = lcn2_q;
    need_d      = need_q;
    g_cnt_d     = g_cnt_q;
    g_last_d    = g_last_q;
    first_d     = first_q;
    cg_cnt_d    = cg_cnt_q;
    cg_last_d   = cg_last_q;
    kx_cnt_d    = kx_cnt_q;
    kx_last_d   = kx_last_q;
    ky_cnt_d    = ky_cnt_q;
    ky_last_d   = ky_last_q;
    px_d        = px_q;
    py_d        = py_q;
    toff_d      = toff_q;
    xrun_d      = xrun_q;
    ypart_d     = ypart_q;
    rpart_d     = rpart_q;
    thx_lo_d    = thx_lo_q;
    thx_hi_d    = thx_hi_q;
    thy_lo_d    = thy_lo_q;
    thy_hi_d    = thy_hi_q;

    if (start) begin
      busy_d     = 1'b1;
      walk_d     = 1'b1;
      walk_cnt_d = COL_LAST;
    end
    if (walk_q) begin
      walk_cnt_d = walk_cnt_q - CIDX_ONE;
      if (walk_cnt_q == {CIDX_W{1'b0}}) begin
        walk_d = 1'b0;
        load_d = 1'b1;
      end
    end
    // a run ends when its last beat has been taken
    if (busy_q && !walk_q && !load_q && !active_q && occ_q == OCC_ONE && pop) begin
      busy_d = 1'b0;
      done_d = 1'b1;
    end

    // chunk counters: next chunk of the tile, or back to chunk 0
    if (issue) begin
      first_d = 1'b0;
      if (!cg_last_q) begin
        cg_cnt_d  = cg_cnt_q - DIM_ONE;
        cg_last_d = (cg_cnt_q == DIM_ONE);
        toff_d    = toff_q + plane_i;
      end else begin
        cg_cnt_d  = cg_m1_q;
        cg_last_d = cg_is1_q;
        if (!kx_last_q) begin
          kx_cnt_d  = kx_cnt_q - 3'd1;
          kx_last_d = (kx_cnt_q == 3'd1);
          thx_lo_d  = thx_lo_q - SC_ONE;
          thx_hi_d  = thx_hi_q - SC_ONE;
          if (px_q == s_m1_q) begin
            px_d   = 3'd0;
            toff_d = xrun_q + Q_ONE;
            xrun_d = xrun_q + Q_ONE;
          end else begin
            px_d   = px_q + 3'd1;
            toff_d = toff_q + plane_i;
          end
        end else begin
          kx_cnt_d  = kw_m1_q;
          kx_last_d = kw_is1_q;
          px_d      = 3'd0;
          thx_lo_d  = pl_sc;
          thx_hi_d  = thx_hi0_q;
          if (!ky_last_q) begin
            ky_cnt_d  = ky_cnt_q - 3'd1;
            ky_last_d = (ky_cnt_q == 3'd1);
            thy_lo_d  = thy_lo_q - SC_ONE;
            thy_hi_d  = thy_hi_q - SC_ONE;
            if (py_q == s_m1_q) begin
              py_d    = 3'd0;
              rpart_d = rpart_q + pitch_i;
              ypart_d = rpart_q + pitch_i;
            end else begin
              py_d    = py_q + 3'd1;
              ypart_d = ypart_q + plane_y_step_i;
            end
            toff_d = ypart_d;
            xrun_d = ypart_d;
          end
        end
      end
    end
    if (load_q || (issue && chunk_end)) begin
      first_d   = 1'b1;
      cg_cnt_d  = cg_m1_q;
      cg_last_d = cg_is1_q;
      kx_cnt_d  = kw_m1_q;
      kx_last_d = kw_is1_q;
      ky_cnt_d  = kh_m1_q;
      ky_last_d = kh_is1_q;
      px_d      = 3'd0;
      py_d      = 3'd0;
      toff_d    = {Q_W{1'b0}};
      xrun_d    = {Q_W{1'b0}};
      ypart_d   = {Q_W{1'b0}};
      rpart_d   = {Q_W{1'b0}};
      thx_lo_d  = pl_sc;
      thx_hi_d  = thx_hi0_q;
      thy_lo_d  = kh_sc;
      thy_hi_d  = thy_hi0_q;
    end

    // tiles and groups
    if (load_q || (issue && chunk_end)) need_d = nn_q;
    if (issue && chunk_end && !last_tile_q) begin
      t_xs_d      = f_xs;
      t_dx1_d     = f_dx1;
      t_wrap_d    = f_wrap;
      t_ysn_d     = f_ysn;
      t_ro_d      = f_ro;
      last_col_d  = lcn_q;
      lcn_d       = lcn2_q;
      lcn2_d      = ($signed(r3_q) >= $signed(REM_C)) ? COL_LAST : r3_q[CIDX_W-1:0] - CIDX_ONE;
      last_tile_d = last_next_q;
      last_next_d = ($signed(r3_q) <= $signed({REM_W{1'b0}}));
      r3_d        = r3_q - REM_C;
    end
    if (load_q || (issue && chunk_end && last_tile_q && !g_last_q)) begin
      t_xs_d      = i_xs_q;
      t_dx1_d     = i_dx1_q;
      t_wrap_d    = i_wrap_q;
      t_ysn_d     = i_ysn_q;
      t_ro_d      = i_ro_q;
      last_col_d  = last_col0_q;
      lcn_d       = lcn0_q;
      lcn2_d      = lcn2_0_q;
      last_tile_d = last_tile0_q;
      last_next_d = last_next0_q;
      r3_d        = r3_0_q;
      g_cnt_d     = g_cnt_q - GRP_ONE;
      g_last_d    = (g_cnt_q == GRP_ONE);
    end
    if (load_q) begin
      active_d = 1'b1;
      g_cnt_d  = g_m1_q;
      g_last_d = g_is1_q;
    end
    if (issue && chunk_end && last_tile_q && g_last_q) active_d = 1'b0;
  end

  // ------------------------------------------------------------------ registers
  always @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q     <= 1'b0;
      walk_q     <= 1'b0;
      load_q     <= 1'b0;
      active_q   <= 1'b0;
      done_q     <= 1'b0;
      occ_q      <= {OCC_W{1'b0}};
      p1_valid_q <= 1'b0;
      p2_valid_q <= 1'b0;
      switched_q <= 1'b0;
    end else begin
      busy_q     <= busy_d;
      walk_q     <= walk_d;
      load_q     <= load_d;
      active_q   <= active_d;
      done_q     <= done_d;
      occ_q      <= occ_d;
      p1_valid_q <= issue;
      p2_valid_q <= p1_valid_q;
      switched_q <= load_q | (issue & chunk_end);
    end
    gate_next_q <= ($signed(nn_q) <= $signed(rows_sc)) | rows_all;
    gate_hold_q <= ($signed(need_q) <= $signed(rows_sc)) | rows_all;
    walk_cnt_q  <= walk_cnt_d;
    t_xs_q      <= t_xs_d;
    t_dx1_q     <= t_dx1_d;
    t_wrap_q    <= t_wrap_d;
    t_ysn_q     <= t_ysn_d;
    t_ro_q      <= t_ro_d;
    r3_q        <= r3_d;
    last_tile_q <= last_tile_d;
    last_next_q <= last_next_d;
    last_col_q  <= last_col_d;
    lcn_q       <= lcn_d;
    lcn2_q      <= lcn2_d;
    need_q      <= need_d;
    nn_q        <= nn_d;
    g_cnt_q     <= g_cnt_d;
    g_last_q    <= g_last_d;
    first_q     <= first_d;
    cg_cnt_q    <= cg_cnt_d;
    cg_last_q   <= cg_last_d;
    kx_cnt_q    <= kx_cnt_d;
    kx_last_q   <= kx_last_d;
    ky_cnt_q    <= ky_cnt_d;
    ky_last_q   <= ky_last_d;
    px_q        <= px_d;
    py_q        <= py_d;
    toff_q      <= toff_d;
    xrun_q      <= xrun_d;
    ypart_q     <= ypart_d;
    rpart_q     <= rpart_d;
    thx_lo_q    <= thx_lo_d;
    thx_hi_q    <= thx_hi_d;
    thy_lo_q    <= thy_lo_d;
    thy_hi_q    <= thy_hi_d;
    // constants of the run
    if (start) begin
      xb_q         <= xa_sc - ows_sc;
      yb_q         <= ya_sc + s_sc;
      ya2_q        <= {ya_sc[SC_W-2:0], 1'b0};
      yab_q        <= {ya_sc[SC_W-2:0], 1'b0} + s_sc;
      yb2_q        <= {ya_sc[SC_W-2:0], 1'b0} + {s_sc[SC_W-2:0], 1'b0};
      owsms_q      <= ows_sc - s_sc;
      pw_q         <= pitch_i - ow_q;
      s_m1_q       <= stride_i - 3'd1;
      cg_m1_q      <= in_groups_i - DIM_ONE;
      cg_is1_q     <= (in_groups_i == DIM_ONE);
      kw_m1_q      <= kernel_w_i - 3'd1;
      kw_is1_q     <= (kernel_w_i == 3'd1);
      kh_m1_q      <= kernel_h_i - 3'd1;
      kh_is1_q     <= (kernel_h_i == 3'd1);
      thx_hi0_q    <= pl_sc + w_sc;
      thy_hi0_q    <= h_sc + kh_sc;
      r3_0_q       <= p_rem - REM_3C;
      last_tile0_q <= (p_rem <= REM_C);
      last_next0_q <= (p_rem <= REM_2C);
      last_col0_q  <= (p_rem >= REM_C) ? COL_LAST : p_rem[CIDX_W-1:0] - CIDX_ONE;
      lcn0_q       <= (p_rem >= REM_2C) ? COL_LAST : p_rem[CIDX_W-1:0] - REM_C1[CIDX_W-1:0];
      lcn2_0_q     <= (p_rem >= REM_3C) ? COL_LAST : p_rem[CIDX_W-1:0] - REM_2C1[CIDX_W-1:0];
      g_m1_q       <= groups_i - GRP_ONE;
      g_is1_q      <= (groups_i == GRP_ONE);
      // walker at column 0: pixel (0, 0)
      w_xs_q  <= {SC_W{1'b0}};
      w_dx_q  <= xa_sc - ows_sc;
      w_ysn_q <= kh_sc - pt_sc;
      w_ro_q  <= {Q_W{1'b0}};
      w_rs_q  <= {Q_W{1'b0}};
    end
    rb_q   <= tile_q_step_i + pw_q;
    xaab_q <= {xa_sc[SC_W-2:0], 1'b0} + xb_q;
    xabb_q <= xa_sc + {xb_q[SC_W-2:0], 1'b0};
    xbbb_q <= {xb_q[SC_W-2:0], 1'b0} + xb_q;
    if (walk_q) begin
      w_xs_q  <= walk_wrap ? {SC_W{1'b0}} : w_xs_q + s_sc;
      w_dx_q  <= walk_wrap ? xb_q : w_dx_q + s_sc;
      w_ysn_q <= walk_wrap ? w_ysn_q + s_sc : w_ysn_q;
      w_rs_q  <= walk_wrap ? w_rs_q + pitch_i : w_rs_q;
      w_ro_q  <= walk_wrap ? w_rs_q + pitch_i : w_ro_q + Q_ONE;
    end
    if (need0_capture) need0_q <= w_ysn_q;
    if (need1_capture) nn1_q <= w_ysn_q + (w_wrap ? yb_q : ya_sc);
    // stage 1
    if (issue) begin
      p1_live_q <= live;
      p1_row_q  <= q_row;
    end
    // stage 2
    p2_live_q <= p1_live_q;
  end

  // start columns: a shift register fed by the walker, column 0 ends at the bottom
  generate
    if (COLS == 1) begin : g_one_col
      always @(posedge clk_i) begin
        if (walk_q) begin
          i_xs_q   <= w_xs_q;
          i_wrap_q <= w_wrap;
          i_dx1_q  <= w_dx1;
          i_ysn_q  <= w_ysn_q;
          i_ro_q   <= w_ro_q;
        end
      end
    end else begin : g_cols
      always @(posedge clk_i) begin
        if (walk_q) begin
          i_xs_q   <= {w_xs_q, i_xs_q[COLS*SC_W-1:SC_W]};
          i_wrap_q <= {w_wrap, i_wrap_q[COLS-1:1]};
          i_dx1_q  <= {w_dx1, i_dx1_q[COLS*SC_W-1:SC_W]};
          i_ysn_q  <= {w_ysn_q, i_ysn_q[COLS*SC_W-1:SC_W]};
          i_ro_q   <= {w_ro_q, i_ro_q[COLS*Q_W-1:Q_W]};
        end
      end
    end
  endgenerate

  // ------------------------------------------------------------------ bank rotation
  // stage 2 (the cycle after issue): bank b reads for column (b - q_0) mod NB
  wire [BANKS*ROW_W-1:0] rd_row;
  wire [BANKS-1:0]       rd_en;
  wire [COLS*WORD_W-1:0] words;      // rotated back, zero where masked
  genvar bank;
  generate
    if (BANKS == 1) begin : g_one_bank
      assign rd_en  = p1_valid_q & p1_live_q[0];
      assign rd_row = p1_row_q;
      assign words  = p2_live_q[0] ? rd_data_i : {WORD_W{1'b0}};
      wire unused_b0_first = b0_first;
    end else begin : g_banks
      reg  [BANK_W-1:0] p1_b0_q, p2_b0_q;
      always @(posedge clk_i) begin
        if (issue) p1_b0_q <= b0_first;
        p2_b0_q <= p1_b0_q;
      end
      wire [BANKS-1:0]       live_pad;
      wire [BANKS*ROW_W-1:0] row_pad;
      if (BANKS > COLS) begin : g_pad_banks
        assign live_pad = {{(BANKS-COLS){1'b0}}, p1_live_q};
        assign row_pad  = {{((BANKS-COLS)*ROW_W){1'b0}}, p1_row_q};
      end else begin : g_full_banks
        assign live_pad = p1_live_q;
        assign row_pad  = p1_row_q;
      end
      for (bank = 0; bank < BANKS; bank = bank + 1) begin : g_bank
        localparam integer BANK_INT = bank;
        localparam [BANK_W-1:0] BANK_IDX = BANK_INT[BANK_W-1:0];
        wire [BANK_W-1:0] column = BANK_IDX - p1_b0_q;
        assign rd_en[bank] = p1_valid_q & live_pad[column];
        assign rd_row[bank*ROW_W +: ROW_W] = row_pad[column*ROW_W +: ROW_W];
      end
      for (bank = 0; bank < COLS; bank = bank + 1) begin : g_word
        localparam integer COL_INT = bank;
        localparam [BANK_W-1:0] COL_IDX = COL_INT[BANK_W-1:0];
        wire [BANK_W-1:0] source = p2_b0_q + COL_IDX;
        assign words[bank*WORD_W +: WORD_W] = p2_live_q[bank] ? rd_data_i[source*WORD_W +: WORD_W]
                                                              : {WORD_W{1'b0}};
      end
    end
  endgenerate

  // ------------------------------------------------------------------ output FIFO
  wire fifo_in_ready;
  wire [$clog2(FIFO_DEPTH+1)-1:0] fifo_level;
  wire unused_fifo = ^{fifo_in_ready, fifo_level};  // the credit keeps it from overflowing
  fwmac_stream_fifo #(
    .WIDTH(COLS * WORD_W),
    .DEPTH(FIFO_DEPTH)
  ) u_out_fifo (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .in_valid_i (p2_valid_q),
    .in_ready_o (fifo_in_ready),
    .in_data_i  (words),
    .out_valid_o(a_valid_o),
    .out_ready_i(a_ready_i),
    .out_data_o (a_data_o),
    .level_o    (fifo_level)
  );
  assign pop = a_valid_o & a_ready_i;

  assign busy_o   = busy_q;
  assign done_o   = done_q;
  assign rd_en_o  = rd_en;
  assign rd_row_o = rd_row;
endmodule

`default_nettype wire
