// fwmac_packer: the accelerator's output stage. Drops the padding of the array's y beats
// and packs the remaining values densely into AXI4-Stream beats.
//
// Input: the y stream (one beat per drained virtual row, COLS values of OUT_W bits, value
// c at bits c*OUT_W, y_last_i on a tile's last beat) and the tile stream (one beat per
// tile, before or with its first y beat: pixel_count 1..COLS, beats V 1..VMAX, real mask
// (bit i: the tile's i-th y beat holds a filter), last = the run's last tile).
// Output: of the real beats only, the first pixel_count values, each in a container of
// VAL_C = max(8, next power of two >= OUT_W) bits, packed low value first across beats
// and tiles into BUS_W-bit beats; tlast on the beat with the run's last value, tkeep of
// that beat marks the bytes holding values (all ones on every other beat). A run whose
// last tile holds no real beat ends with its buffered values; a null beat (tkeep = 0,
// tdata = 0, tlast) closes it if none are left.
//
// Buffer: VPB = BUS_W / VAL_C values make a beat; a y beat is taken in pieces of up to
// CH = min(COLS, VPB) values (so COLS*VAL_C <= BUS_W: a whole beat per cycle); the buffer
// holds CAP = VPB + 2*CH - 1 values, lvl of them at the start of a cycle, the oldest in
// the low bits of m_axis_tdata_o. The tile stream goes through a fwmac_stream_fifo of
// TILE_DEPTH entries: a tile accepted in cycle t is usable from cycle t+1 on.
// Timing (the contract a cycle model reproduces), cycle t:
//   m_axis_tvalid_o = lvl >= VPB or fin (fin: the run's last value is buffered);
//   m_axis_tlast_o  = fin and lvl <= VPB; the beat leaves with m_axis_tready_i and takes
//   min(lvl, VPB) values.
//   A piece of the current y beat (values pos .. pos+n-1, n = min(CH, pixels - pos) for a
//   real beat, n = 0 and one piece for a beat that is not real) is taken iff a tile is
//   available, y_valid_i, not fin, lvl + CH <= CAP, and not (the piece closes the run
//   with n = 0 while lvl >= VPB). y_ready_o is that condition without y_valid_i, and the
//   piece being its beat's last. The values enter the buffer at the end of cycle t, so
//   lvl(t+1) = lvl(t) - (beat out ? min(lvl, VPB) : 0) + n; fin rises in t+1 if the piece
//   holds the run's last value (the last piece of the last real beat of the last tile;
//   of a last tile without real beats: its last beat's piece) and falls after the
//   tlast beat leaves.
//   With m_axis_tready_i always 1 the room condition always holds: a y beat (common case)
//   is taken in every cycle in which a tile is available and no final beat is pending,
//   an output beat leaves in every cycle with >= VPB values buffered, and the final
//   partial beat in the cycle after the run's last value entered the buffer (after the
//   full beats before it).
// error_o (sticky; clear_i clears it, errors of the same cycle are kept): bit 0 y_last_i
//   differs from "this is the tile's V-th beat" (the tile info governs the beat count),
//   bit 1 tile info out of range (V = 0 is taken as one beat that is not real, V > VMAX beats past VMAX are not
//   real, pixel_count = 0 keeps no value, pixel_count > COLS is taken as COLS).
// Handshakes: y_ready_o, tile_ready_o, m_axis_tvalid_o, tdata, tkeep and tlast depend on
// registers only; m_axis_tready_i, y_valid_i and tile_valid_i reach no output.
`default_nettype none

module fwmac_packer #(
  parameter integer COLS       = 8,
  parameter integer OUT_W      = 8,
  parameter integer BUS_W      = 64,   // 32, 64, 128, 256 or 512
  parameter integer VMAX       = 8,    // y beats per tile at most (R x SLOTS)
  parameter integer VROW_W     = 4,    // width of tile_beats_i, holds VMAX
  parameter integer TILE_DEPTH = 2     // tile info FIFO entries
) (
  input  wire                        clk_i,
  input  wire                        rst_ni,
  input  wire                        clear_i,
  // y stream from the array's drain
  input  wire                        y_valid_i,
  output wire                        y_ready_o,
  input  wire [COLS*OUT_W-1:0]       y_data_i,
  input  wire                        y_last_i,
  // tile stream
  input  wire                        tile_valid_i,
  output wire                        tile_ready_o,
  input  wire [$clog2(COLS+1)-1:0]   tile_pixels_i,
  input  wire [VROW_W-1:0]           tile_beats_i,
  input  wire [VMAX-1:0]             tile_real_i,
  input  wire                        tile_last_i,
  // AXI4-Stream master
  output wire [BUS_W-1:0]            m_axis_tdata_o,
  output wire [BUS_W/8-1:0]          m_axis_tkeep_o,
  output wire                        m_axis_tvalid_o,
  input  wire                        m_axis_tready_i,
  output wire                        m_axis_tlast_o,
  output wire [1:0]                  error_o
);
  localparam integer VAL_C   = (OUT_W <= 8) ? 8 : (1 << $clog2(OUT_W));
  localparam integer LOG2_VC = $clog2(VAL_C);
  localparam integer VPB     = BUS_W / VAL_C;
  localparam integer CH      = (COLS < VPB) ? COLS : VPB;
  localparam integer NPC     = (COLS + CH - 1) / CH;  // pieces of a full y beat
  localparam integer CAP     = VPB + 2 * CH - 1;
  localparam integer ACC_W   = CAP * VAL_C;
  localparam integer PIX_W   = $clog2(COLS + 1);
  localparam integer LVL_W   = $clog2(CAP + 1);
  localparam integer CNT_W   = (LVL_W > PIX_W) ? LVL_W : PIX_W;
  localparam integer BPV     = VAL_C / 8;  // bytes per value
  localparam integer TILE_W  = PIX_W + VROW_W + VMAX + 1;

  generate
    if (BUS_W != 32 && BUS_W != 64 && BUS_W != 128 && BUS_W != 256 && BUS_W != 512) begin : g_bad_bus
`ifdef __ICARUS__
      fwmac_param_error_packer_bus_w_not_supported u_param_error ();
`else
      $error("fwmac_packer: BUS_W = %0d must be 32, 64, 128, 256 or 512", BUS_W);
`endif
    end
    if (COLS < 1 || COLS > 256 || OUT_W < 1 || VAL_C > BUS_W) begin : g_bad_values
`ifdef __ICARUS__
      fwmac_param_error_packer_values_out_of_range u_param_error ();
`else
      $error("fwmac_packer: need COLS 1..256 and a value container (%0d bits) no wider than BUS_W", VAL_C);
`endif
    end
    if (VMAX < 1 || VMAX > 1024 || VROW_W < $clog2(VMAX + 1) || VROW_W > 16 || TILE_DEPTH < 1 ||
        TILE_DEPTH > 64) begin : g_bad_tiles
`ifdef __ICARUS__
      fwmac_param_error_packer_tiles_out_of_range u_param_error ();
`else
      $error("fwmac_packer: need VMAX 1..1024, VROW_W %0d..16, TILE_DEPTH 1..64", $clog2(VMAX + 1));
`endif
    end
  endgenerate

  localparam [CNT_W-1:0]  CNT_ZERO  = {CNT_W{1'b0}};
  localparam [CNT_W-1:0]  CH_C      = CH[CNT_W-1:0];
  localparam [CNT_W-1:0]  COLS_C    = COLS[CNT_W-1:0];
  localparam [PIX_W-1:0]  COLS_P    = COLS[PIX_W-1:0];
  localparam [LVL_W-1:0]  VPB_L     = VPB[LVL_W-1:0];
  localparam integer      ROOM_INT  = CAP - CH;
  localparam [LVL_W-1:0]  ROOM_MAX  = ROOM_INT[LVL_W-1:0];
  localparam [VROW_W-1:0] VROW_ONE  = 1;
  localparam [VROW_W-1:0] VROW_VMAX = VMAX[VROW_W-1:0];

  // ---------------------------------------------------------------- tile info FIFO
  wire              tq_valid;
  wire [TILE_W-1:0] tq_data;
  wire              tile_pop;
  wire [$clog2(TILE_DEPTH+1)-1:0] tq_level;
  fwmac_stream_fifo #(.WIDTH(TILE_W), .DEPTH(TILE_DEPTH)) u_tile_fifo (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .in_valid_i (tile_valid_i),
    .in_ready_o (tile_ready_o),
    .in_data_i  ({tile_last_i, tile_real_i, tile_beats_i, tile_pixels_i}),
    .out_valid_o(tq_valid),
    .out_ready_i(tile_pop),
    .out_data_o (tq_data),
    .level_o    (tq_level)
  );
  wire unused_tq_level = ^tq_level;
  wire [PIX_W-1:0]  tq_pixels = tq_data[PIX_W-1:0];
  wire [VROW_W-1:0] tq_beats  = tq_data[PIX_W +: VROW_W];
  wire [VMAX-1:0]   tq_real   = tq_data[PIX_W+VROW_W +: VMAX];
  wire              tq_last   = tq_data[TILE_W-1];

  // ---------------------------------------------------------------- state
  reg [LVL_W-1:0]  lvl_q, lvl_d;     // values buffered
  reg              fin_q, fin_d;     // the run's last value is buffered
  reg [ACC_W-1:0]  acc_q, acc_d;     // the values, oldest in the low bits, zero above lvl
  reg [VROW_W-1:0] beat_q, beat_d;   // y beat of the current tile
  reg [CNT_W-1:0]  pos_q, pos_d;     // first value of the next piece of the current beat
  reg [1:0]        error_q, error_d;

  // ---------------------------------------------------------------- the current piece
  wire pixels_over;  // pixel_count > COLS
  wire beats_over;   // V > VMAX
  generate
    if (COLS >= (1 << PIX_W) - 1) begin : g_pixels_fit
      assign pixels_over = 1'b0;
    end else begin : g_pixels_check
      assign pixels_over = (tq_pixels > COLS_P);
    end
    if (VMAX >= (1 << VROW_W) - 1) begin : g_beats_fit
      assign beats_over = 1'b0;
    end else begin : g_beats_check
      assign beats_over = (tq_beats > VROW_VMAX);
    end
  endgenerate
  reg [CNT_W-1:0] pixels;  // pixel_count, at most COLS
  always @* begin
    pixels = CNT_ZERO;
    pixels[PIX_W-1:0] = tq_pixels;
    if (pixels_over) pixels = COLS_C;
  end

  wire [VMAX-1:0] beats_mask     = ~({VMAX{1'b1}} << tq_beats);  // the tile's V beats
  wire [VMAX-1:0] real_in_tile   = tq_real & beats_mask;
  wire [VMAX-1:0] real_from_here = real_in_tile >> beat_q;
  wire            beat_real      = real_from_here[0];
  wire            no_later_real  = ((real_from_here >> 1) == {VMAX{1'b0}});
  wire            tile_no_real   = (real_in_tile == {VMAX{1'b0}});
  wire            tile_last_beat = ({1'b0, beat_q} + {{VROW_W{1'b0}}, 1'b1}) >= {1'b0, tq_beats};
  wire [CNT_W-1:0] remaining     = pixels - pos_q;
  wire            fits           = (remaining <= CH_C);
  wire            last_piece     = ~beat_real | fits;
  wire [CNT_W-1:0] piece_values  = beat_real ? (fits ? remaining : CH_C) : CNT_ZERO;
  wire            final_piece    = last_piece & tq_last &
                                   ((beat_real & no_later_real) | (tile_no_real & tile_last_beat));
  wire            room           = (lvl_q <= ROOM_MAX);
  wire            hold_final     = final_piece & (piece_values == CNT_ZERO) & (lvl_q >= VPB_L);
  wire            can_take       = tq_valid & ~fin_q & room & ~hold_final;
  wire            take           = can_take & y_valid_i;
  wire [CNT_W-1:0] values_in     = take ? piece_values : CNT_ZERO;

  // ---------------------------------------------------------------- output beat
  wire out_valid = (lvl_q >= VPB_L) | fin_q;
  wire out_last  = fin_q & (lvl_q <= VPB_L);
  wire emit      = out_valid & m_axis_tready_i;

  // ---------------------------------------------------------------- piece data
  localparam integer PAD_W   = NPC * CH * VAL_C;
  localparam integer PIECE_W = CH * VAL_C;
  reg [PAD_W-1:0] y_containers;  // the y beat's values in containers, zero past COLS
  integer col;
  always @* begin
    y_containers = {PAD_W{1'b0}};
    for (col = 0; col < COLS; col = col + 1) y_containers[col*VAL_C +: OUT_W] = y_data_i[col*OUT_W +: OUT_W];
  end
  wire [PIECE_W-1:0] piece_raw;
  generate
    if (NPC == 1) begin : g_one_piece
      assign piece_raw = y_containers;
    end else begin : g_pieces
      wire [PAD_W-1:0] shifted = y_containers >> {pos_q, {LOG2_VC{1'b0}}};
      assign piece_raw = shifted[PIECE_W-1:0];
      wire unused_shifted = ^shifted[PAD_W-1:PIECE_W];
    end
  endgenerate
  reg [ACC_W-1:0] piece;  // the values taken this cycle, in the low bits
  integer value;
  always @* begin
    piece = {ACC_W{1'b0}};
    for (value = 0; value < CH; value = value + 1) begin
      if (value[CNT_W-1:0] < values_in) piece[value*VAL_C +: VAL_C] = piece_raw[value*VAL_C +: VAL_C];
    end
  end

  // ---------------------------------------------------------------- next state
  wire [ACC_W-1:0] appended = acc_q | (piece << {lvl_q, {LOG2_VC{1'b0}}});
  wire             run_final = take & final_piece;
  always @* begin
    acc_d   = emit ? (appended >> BUS_W) : appended;
    lvl_d   = lvl_q;
    if (emit) lvl_d = (lvl_q > VPB_L) ? lvl_q - VPB_L : {LVL_W{1'b0}};
    lvl_d   = lvl_d + values_in[LVL_W-1:0];
    fin_d   = (fin_q & ~(emit & out_last)) | run_final;
    beat_d  = beat_q;
    pos_d   = pos_q;
    if (take) begin
      if (last_piece) begin
        pos_d  = CNT_ZERO;
        beat_d = tile_last_beat ? {VROW_W{1'b0}} : beat_q + VROW_ONE;
      end else begin
        pos_d = pos_q + CH_C;
      end
    end
    error_d = clear_i ? 2'b00 : error_q;
    if (take && last_piece && (y_last_i != tile_last_beat)) error_d[0] = 1'b1;
    if (tile_pop && ((tq_beats == {VROW_W{1'b0}}) || beats_over || (tq_pixels == {PIX_W{1'b0}}) || pixels_over))
      error_d[1] = 1'b1;
  end
  assign tile_pop = take & last_piece & tile_last_beat;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      lvl_q   <= {LVL_W{1'b0}};
      fin_q   <= 1'b0;
      acc_q   <= {ACC_W{1'b0}};
      beat_q  <= {VROW_W{1'b0}};
      pos_q   <= CNT_ZERO;
      error_q <= 2'b00;
    end else begin
      lvl_q   <= lvl_d;
      fin_q   <= fin_d;
      acc_q   <= acc_d;
      beat_q  <= beat_d;
      pos_q   <= pos_d;
      error_q <= error_d;
    end
  end

  // tkeep of the last beat: the bytes of its lvl values
  wire [VPB-1:0] value_keep = ~({VPB{1'b1}} << lvl_q);
  wire [BUS_W/8-1:0] last_keep;
  genvar slot;
  generate
    for (slot = 0; slot < VPB; slot = slot + 1) begin : g_keep
      assign last_keep[slot*BPV +: BPV] = {BPV{value_keep[slot]}};
    end
  endgenerate

  assign y_ready_o       = can_take & last_piece;
  assign m_axis_tdata_o  = acc_q[BUS_W-1:0];
  assign m_axis_tkeep_o  = out_last ? last_keep : {(BUS_W/8){1'b1}};
  assign m_axis_tvalid_o = out_valid;
  assign m_axis_tlast_o  = out_last;
  assign error_o         = error_q;
endmodule

`default_nettype wire
