// fwmac_act_writer: writes the input feature map into the activation buffer layout.
//
// Takes the activation words of one run as a valid/ready stream in the input order
// `for iy: for ix: for cg` (one word of L x A bits per beat; padding is not sent) and
// writes word (iy, ix, cg) at the global index of the bank-conflict-free layout
//     jy = iy + pad_top, jx = ix + pad_left         (padded coordinates)
//     py = jy mod s, px = jx mod s, ry = jy div s, rx = jx div s
//     q  = plane * ((py*s + px)*CG + cg) + ry*pitch + rx
// through the buffer's write port (we_o, waddr_o = q, wdata_o; bank = q mod NB is the
// buffer's business). No division and no multiplier: with step_x = CG*plane and
// step_y = s*CG*plane, q moves by +plane from one word to the next while px does not
// wrap (phase px+1 starts where phase px ends), restarts at the next rx when px wraps,
// and jumps to the next row's start, kept one row ahead by a phase/row counter, at the
// end of a row. step_x and step_y are computed after start_i by a shift-and-add over
// the bits of CG and s, and the start phases of pad_left and pad_top by stepping the
// same wrap counters pad_left and pad_top times.
//
// Timing (start_i in cycle S, accepted only while busy_o is low; the descriptor inputs
// must be stable from S until done_o):
//   S+1 .. S+INIT-1   set-up, INIT = DIM_W + pad_left + pad_top + 6; s_ready_o low
//   from S+INIT       s_ready_o high until the run's last word is accepted: one word per
//                     cycle (s_ready_o does not depend on s_valid_i)
//   word accepted in cycle A: written (we_o, waddr_o, wdata_o) in cycle A+1, so it is
//     in the RAM from cycle A+2 on
//   rows_ready_o: the number of input rows all of whose W*CG words are in the RAM; it
//     steps in cycle A+2 for a row whose last word is accepted in A, so a reader may
//     read every word of rows < rows_ready_o in any cycle it shows that value
//   done_o: one-cycle pulse in the cycle rows_ready_o reaches H; busy_o falls with it
// rows_ready_o is reset to 0 by start_i (from S+1) and only grows during a run.
// Handshake: a beat moves when s_valid_i and s_ready_o are both high at a rising edge.
// Descriptor ranges: 1 <= H, W, CG < 2^DIM_W; 1 <= s <= 4; pad_top, pad_left 0..6;
// pitch and plane from the driver (see README); all q < 2^Q_W.
`default_nettype none

module fwmac_act_writer #(
  parameter integer WORD_W = 64,  // L x A bits
  parameter integer DIM_W  = 10,  // width of in_height, in_width, in_groups, rows_ready_o
  parameter integer Q_W    = 15   // width of a global word index (log2 of NB x DEPTH)
) (
  input  wire              clk_i,
  input  wire              rst_ni,
  input  wire              start_i,
  output wire              busy_o,
  output wire              done_o,
  // descriptor, stable from start_i until done_o
  input  wire [DIM_W-1:0]  in_height_i,   // H
  input  wire [DIM_W-1:0]  in_width_i,    // W
  input  wire [DIM_W-1:0]  in_groups_i,   // CG
  input  wire [2:0]        stride_i,      // s
  input  wire [2:0]        pad_top_i,
  input  wire [2:0]        pad_left_i,
  input  wire [Q_W-1:0]    pitch_i,
  input  wire [Q_W-1:0]    plane_i,
  // activation words, input order
  input  wire              s_valid_i,
  output wire              s_ready_o,
  input  wire [WORD_W-1:0] s_data_i,
  // buffer write port
  output wire              we_o,
  output wire [Q_W-1:0]    waddr_o,
  output wire [WORD_W-1:0] wdata_o,
  // progress
  output wire [DIM_W-1:0]  rows_ready_o
);
  generate
    if (WORD_W < 1) begin : g_bad_word_w
`ifdef __ICARUS__
      fwmac_param_error_act_writer_word_w_out_of_range u_param_error ();
`else
      $error("fwmac_act_writer: WORD_W = %0d must be >= 1", WORD_W);
`endif
    end
    if (DIM_W < 4 || DIM_W > 15) begin : g_bad_dim_w
`ifdef __ICARUS__
      fwmac_param_error_act_writer_dim_w_out_of_range u_param_error ();
`else
      $error("fwmac_act_writer: DIM_W = %0d outside 4..15", DIM_W);
`endif
    end
    if (Q_W < 4 || Q_W > 30) begin : g_bad_q_w
`ifdef __ICARUS__
      fwmac_param_error_act_writer_q_w_out_of_range u_param_error ();
`else
      $error("fwmac_act_writer: Q_W = %0d outside 4..30", Q_W);
`endif
    end
  endgenerate

  localparam integer MCNT_W = $clog2(DIM_W);
  localparam [2:0] ST_IDLE  = 3'd0;
  localparam [2:0] ST_MUL_X = 3'd1;  // step_x = CG * plane, DIM_W cycles, MSB of CG first
  localparam [2:0] ST_MUL_Y = 3'd2;  // step_y = s * step_x, 3 cycles
  localparam [2:0] ST_PAD_X = 3'd3;  // pad_left x steps, then the row start offset
  localparam [2:0] ST_PAD_Y = 3'd4;  // pad_top y steps, then the first row
  localparam [2:0] ST_RUN   = 3'd5;  // words accepted
  localparam [2:0] ST_DRAIN = 3'd6;  // last word accepted, its write not yet counted
  localparam [DIM_W-1:0] DIM_ONE = 1;
  localparam [Q_W-1:0]   Q_ONE   = 1;
  localparam integer MCNT_TOP_INT = DIM_W - 1;
  localparam [MCNT_W-1:0] MCNT_TOP = MCNT_TOP_INT[MCNT_W-1:0];
  localparam [MCNT_W-1:0] MCNT_STRIDE_TOP = 2;

  reg [2:0]        state_q, state_d;
  reg              done_q, done_d;
  reg [MCNT_W-1:0] mul_cnt_q, mul_cnt_d;
  reg [Q_W-1:0]    acc_q, acc_d;         // shift-and-add accumulator
  reg [Q_W-1:0]    step_x_q, step_x_d;   // CG * plane
  reg [Q_W-1:0]    step_y_q, step_y_d;   // s * CG * plane
  reg [2:0]        pad_cnt_q, pad_cnt_d;
  reg [2:0]        s_m1_q, s_m1_d;       // s - 1
  // start of every row in x: phase px0, plane column rx0, phase offset xq0 = px0*step_x
  reg [2:0]        px0_q, px0_d;
  reg [2:0]        rx0_q, rx0_d;
  reg [Q_W-1:0]    xq0_q, xq0_d;
  // the next row, one ahead: its y phase, its q at (px0, cg 0, rx0), and that of phase 0
  reg [2:0]        py_n_q, py_n_d;
  reg [Q_W-1:0]    yq_n_q, yq_n_d;       // py*step_y + ry*pitch + xq0 + rx0
  reg [Q_W-1:0]    rq_n_q, rq_n_d;       //          ry*pitch + xq0 + rx0
  // the word to be accepted next
  reg [Q_W-1:0]    q_q, q_d;
  reg [Q_W-1:0]    xrun_q, xrun_d;       // q of (px 0, cg 0) at the current rx
  reg [2:0]        px_q, px_d;
  reg [DIM_W-1:0]  cg_cnt_q, cg_cnt_d;   // groups left after this word in the pixel
  reg              cg_last_q, cg_last_d;
  reg [DIM_W-1:0]  ix_cnt_q, ix_cnt_d;   // pixels left after this one in the row
  reg              ix_last_q, ix_last_d;
  reg [DIM_W-1:0]  rows_cnt_q, rows_cnt_d;  // rows left after this one
  reg              row_last_q, row_last_d;
  // write port and progress
  reg              we_q;
  reg [Q_W-1:0]    waddr_q;
  reg [WORD_W-1:0] wdata_q;
  reg              row_end_q;            // the word being written ends a row
  reg              run_end_q;            // ... and the run
  reg [DIM_W-1:0]  rows_ready_q, rows_ready_d;

  wire start  = start_i & (state_q == ST_IDLE);
  wire accept = s_valid_i & (state_q == ST_RUN);
  wire pixel_end = cg_last_q;
  wire row_end   = cg_last_q & ix_last_q;

  wire mul_bit_x = in_groups_i[mul_cnt_q];
  wire mul_bit_y = stride_i[mul_cnt_q[1:0]];
  wire [Q_W-1:0] acc_shift = {acc_q[Q_W-2:0], 1'b0};

  // the row-to-row step of (py, yq, rq): also used pad_top times to find row 0
  reg         y_step;
  reg [2:0]   py_step;
  reg [Q_W-1:0] yq_step, rq_step;
  always @* begin
    if (py_n_q == s_m1_q) begin
      py_step = 3'd0;
      rq_step = rq_n_q + pitch_i;
      yq_step = rq_n_q + pitch_i;
    end else begin
      py_step = py_n_q + 3'd1;
      rq_step = rq_n_q;
      yq_step = yq_n_q + step_y_q;
    end
  end

  always @* begin
    state_d    = state_q;
    done_d     = 1'b0;
    mul_cnt_d  = mul_cnt_q;
    acc_d      = acc_q;
    step_x_d   = step_x_q;
    step_y_d   = step_y_q;
    pad_cnt_d  = pad_cnt_q;
    s_m1_d     = s_m1_q;
    px0_d      = px0_q;
    rx0_d      = rx0_q;
    xq0_d      = xq0_q;
    py_n_d     = py_n_q;
    yq_n_d     = yq_n_q;
    rq_n_d     = rq_n_q;
    q_d        = q_q;
    xrun_d     = xrun_q;
    px_d       = px_q;
    cg_cnt_d   = cg_cnt_q;
    cg_last_d  = cg_last_q;
    ix_cnt_d   = ix_cnt_q;
    ix_last_d  = ix_last_q;
    rows_cnt_d = rows_cnt_q;
    row_last_d = row_last_q;
    rows_ready_d = rows_ready_q;
    y_step     = 1'b0;
    if (row_end_q) rows_ready_d = rows_ready_q + DIM_ONE;
    case (state_q)
      ST_IDLE: begin
        if (start) begin
          state_d      = ST_MUL_X;
          mul_cnt_d    = MCNT_TOP;
          acc_d        = {Q_W{1'b0}};
          s_m1_d       = stride_i - 3'd1;
          px0_d        = 3'd0;
          rx0_d        = 3'd0;
          xq0_d        = {Q_W{1'b0}};
          rows_ready_d = {DIM_W{1'b0}};
        end
      end
      ST_MUL_X: begin
        acc_d = acc_shift + (mul_bit_x ? plane_i : {Q_W{1'b0}});
        mul_cnt_d = mul_cnt_q - 1'b1;
        if (mul_cnt_q == {MCNT_W{1'b0}}) begin
          state_d   = ST_MUL_Y;
          step_x_d  = acc_d;
          acc_d     = {Q_W{1'b0}};
          mul_cnt_d = MCNT_STRIDE_TOP;
        end
      end
      ST_MUL_Y: begin
        acc_d = acc_shift + (mul_bit_y ? step_x_q : {Q_W{1'b0}});
        mul_cnt_d = mul_cnt_q - 1'b1;
        if (mul_cnt_q == {MCNT_W{1'b0}}) begin
          state_d   = ST_PAD_X;
          step_y_d  = acc_d;
          pad_cnt_d = pad_left_i;
        end
      end
      ST_PAD_X: begin
        if (pad_cnt_q != 3'd0) begin
          pad_cnt_d = pad_cnt_q - 3'd1;
          if (px0_q == s_m1_q) begin
            px0_d = 3'd0;
            rx0_d = rx0_q + 3'd1;
            xq0_d = {Q_W{1'b0}};
          end else begin
            px0_d = px0_q + 3'd1;
            xq0_d = xq0_q + step_x_q;
          end
        end else begin
          state_d   = ST_PAD_Y;
          pad_cnt_d = pad_top_i;
          py_n_d    = 3'd0;
          yq_n_d    = xq0_q + {{(Q_W-3){1'b0}}, rx0_q};
          rq_n_d    = yq_n_d;
        end
      end
      ST_PAD_Y: begin
        y_step = 1'b1;
        if (pad_cnt_q != 3'd0) begin
          pad_cnt_d = pad_cnt_q - 3'd1;
        end else begin
          state_d = ST_RUN;
        end
      end
      ST_RUN: begin
        if (accept) begin
          if (!pixel_end) begin
            cg_cnt_d  = cg_cnt_q - DIM_ONE;
            cg_last_d = (cg_cnt_q == DIM_ONE);
            q_d       = q_q + plane_i;
          end else if (!row_end) begin
            cg_cnt_d  = in_groups_i - DIM_ONE;
            cg_last_d = (in_groups_i == DIM_ONE);
            ix_cnt_d  = ix_cnt_q - DIM_ONE;
            ix_last_d = (ix_cnt_q == DIM_ONE);
            if (px_q == s_m1_q) begin
              px_d   = 3'd0;
              q_d    = xrun_q + Q_ONE;
              xrun_d = xrun_q + Q_ONE;
            end else begin
              px_d = px_q + 3'd1;
              q_d  = q_q + plane_i;
            end
          end else if (row_last_q) begin
            state_d = ST_DRAIN;
          end else begin
            y_step     = 1'b1;
            rows_cnt_d = rows_cnt_q - DIM_ONE;
            row_last_d = (rows_cnt_q == DIM_ONE);
          end
        end
      end
      ST_DRAIN: begin
        if (run_end_q) begin
          state_d = ST_IDLE;
          done_d  = 1'b1;
        end
      end
      default: state_d = ST_IDLE;
    endcase
    // entering a row (the first one at the end of ST_PAD_Y, then at every row end)
    if (y_step && (state_q == ST_RUN || pad_cnt_q == 3'd0)) begin
      q_d       = yq_n_q;
      xrun_d    = yq_n_q - xq0_q;
      px_d      = px0_q;
      cg_cnt_d  = in_groups_i - DIM_ONE;
      cg_last_d = (in_groups_i == DIM_ONE);
      ix_cnt_d  = in_width_i - DIM_ONE;
      ix_last_d = (in_width_i == DIM_ONE);
      if (state_q == ST_PAD_Y) begin
        rows_cnt_d = in_height_i - DIM_ONE;
        row_last_d = (in_height_i == DIM_ONE);
      end
    end
    if (y_step) begin
      py_n_d = py_step;
      yq_n_d = yq_step;
      rq_n_d = rq_step;
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q      <= ST_IDLE;
      done_q       <= 1'b0;
      we_q         <= 1'b0;
      row_end_q    <= 1'b0;
      run_end_q    <= 1'b0;
      rows_ready_q <= {DIM_W{1'b0}};
    end else begin
      state_q      <= state_d;
      done_q       <= done_d;
      we_q         <= accept;
      row_end_q    <= accept & row_end;
      run_end_q    <= accept & row_end & row_last_q;
      rows_ready_q <= rows_ready_d;
    end
    mul_cnt_q  <= mul_cnt_d;
    acc_q      <= acc_d;
    step_x_q   <= step_x_d;
    step_y_q   <= step_y_d;
    pad_cnt_q  <= pad_cnt_d;
    s_m1_q     <= s_m1_d;
    px0_q      <= px0_d;
    rx0_q      <= rx0_d;
    xq0_q      <= xq0_d;
    py_n_q     <= py_n_d;
    yq_n_q     <= yq_n_d;
    rq_n_q     <= rq_n_d;
    q_q        <= q_d;
    xrun_q     <= xrun_d;
    px_q       <= px_d;
    cg_cnt_q   <= cg_cnt_d;
    cg_last_q  <= cg_last_d;
    ix_cnt_q   <= ix_cnt_d;
    ix_last_q  <= ix_last_d;
    rows_cnt_q <= rows_cnt_d;
    row_last_q <= row_last_d;
    if (accept) begin
      waddr_q <= q_q;
      wdata_q <= s_data_i;
    end
  end

  assign busy_o       = (state_q != ST_IDLE);
  assign done_o       = done_q;
  assign s_ready_o    = (state_q == ST_RUN);
  assign we_o         = we_q;
  assign waddr_o      = waddr_q;
  assign wdata_o      = wdata_q;
  assign rows_ready_o = rows_ready_q;
endmodule

`default_nettype wire
