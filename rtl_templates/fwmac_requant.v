// fwmac_requant: pipelined per-filter requantization of one accumulator.
//
//   t = acc + bias                                         (T_W = ACC_W + 1 bits, signed)
//   x = t * mult                                           (P_W = ACC_W + 17 bits, signed, exact)
//   u = (x + (shift > 0 ? 2^(shift-1) : 0)) >>> shift      (round half up)
//   y = relu ? clamp(u, 0, 2^A - 1) : clamp(u, -2^(A-1), 2^(A-1) - 1)      (A = ACT_BITS)
// RAW = 0: y_o = y[A-1:0] (OUT_W = A). RAW = 1: y_o = raw_i ? acc : y sign-extended from
// A + 1 bits (relu values are zero-extended), OUT_W = ACC_W. shift_i is 0..47.
//
// Latency: STAGES cycles of en_i (0: combinational). All inputs are taken in the cycle
// they are presented; every internal register loads only when en_i = 1, so the module is
// a plain en_i-advanced pipeline (a valid bit travels outside). No reset: data only.
//
// Datapath (every width exact, derived from ACC_W):
//   raw mode (RAW = 1, raw_i = 1) forces bias = 0, mult = 1, shift = 0 at the input, so
//   x = acc; the low A + 1 bits of acc then come out of the shift window below and the
//   bits above are taken from x, bypassing the clamp at the end.
//   multiply: mult is split into eight 2-bit digits d_k; with 3t formed once,
//     q_k = t * d_k is a 4:1 select of {0, t, 2t, 3t}                 (T_W + 2 bits)
//     r_j = q_2j + 4 q_2j+1     = t * mult[4j+3:4j]                    (T_W + 4 bits)
//     s_i = r_2i + 16 r_2i+1    = t * mult[8i+7:8i]                    (T_W + 8 bits)
//     x   = s_0 + 256 s_1       = t * mult                             (T_W + 16 bits)
//   Each sum is exact in its width: t times an unsigned k-bit value lies in
//   [-2^(T_W-1) (2^k - 1), (2^(T_W-1) - 1)(2^k - 1)], which fits T_W + k signed bits. The
//   low bits of the unshifted operand pass by the adder; only the overlap is added.
//   rounding shift: for s >= 1,
//     (x + 2^(s-1)) >>> s == ((x >>> (s-1)) + 1) >>> 1.
//     Proof: write x = q 2^(s-1) + r with q = x >>> (s-1), 0 <= r < 2^(s-1). Then
//     (x + 2^(s-1)) / 2^s = ((q + 1) + r / 2^(s-1)) / 2 with 0 <= r / 2^(s-1) < 1; for an
//     integer n and 0 <= f < 1, floor((n + f) / 2) = floor(n / 2) (n even: n/2 is an integer
//     <= the value < n/2 + 1/2; n odd: the value < (n+1)/2, an integer). So the left side
//     is floor((q + 1) / 2) = (q + 1) >>> 1.
//   With z = (2x) >>> s this reads u = (z + 1) >>> 1 for every s >= 0 (s = 0: (2x + 1) >>> 1
//   = x), and (z + 1) >>> 1 = (z >>> 1) + z[0]: no 2^(s-1) decoder, no s = 0 case, and the
//   rounding increment is added only to the few bits that survive the clamp.
//   shift >= P_W gives u = 0: x lies in [-2^(P_W-1), 2^(P_W-1) - 1] and 2^(s-1) >= 2^(P_W-1),
//   so 0 <= x + 2^(s-1) <= 2^(s-1) + 2^(P_W-1) - 1 <= 2^s - 1. The shifter needs no special
//   case for it: z is then all copies of the sign, and (z >>> 1) + z[0] is -1 + 1 or 0 + 0.
//   The shifter keeps only a window: coarse step by 8 * shift[5:3] (A + 9 bits kept), fine
//   step by shift[2:0] (A + 2 bits kept: v = z >>> 1 in A + 1 bits and the round bit z[0]).
//   Next to it travels fits = "z has equal bits at every position >= A + 1", i.e. v fits
//   A + 1 signed bits, formed from the bits each step drops off the top of its window.
//   clamp: if fits, u = v + z[0] lies in [-2^A, 2^A] and is computed and clamped in A + 2
//   bits. If not, |v| is beyond that range and u saturates by the sign of x alone:
//   v >= 2^A gives u > high, v <= -2^A - 1 gives u <= -2^A < low.
//
// Pipeline cuts (register positions, in data-flow order):
//   C0 after the bias add (t)          C4 after the product x
//   C1 after 3t                        C5 after the coarse shift step
//   C2 after q and the r sums          C6 after the fine shift step (+ fits)
//   C3 after the s sums                C7 after the round and clamp (registered y_o)
// STAGES -> cuts: see CUT_TABLE below (chosen from iCE40 HX8K reg-to-reg timing so that
// the longest segment shrinks as STAGES grows):
//   0: -    1: C3    2: C2 C5    3: C1 C3 C5    4: C1 C3 C4 C6    5: C1 C2 C3 C5 C6
//   6: C1 C2 C3 C4 C5 C6    7: C0 C1 C2 C3 C4 C5 C6    8: C0 .. C7
`default_nettype none

module fwmac_requant #(
  parameter integer ACC_W    = 30,  // 4..46, ACC_W >= ACT_BITS + 2
  parameter integer ACT_BITS = 8,   // 1..16
  parameter integer RAW      = 0,   // 1: raw mode supported (raw_i), output ACC_W bits wide
  parameter integer STAGES   = 2    // register stages inside, 0..MAX_STAGES (8)
) (
  input  wire                                         clk_i,
  input  wire                                         en_i,   // pipeline advance
  input  wire [ACC_W-1:0]                             acc_i,
  input  wire [ACC_W-1:0]                             bias_i,
  input  wire [15:0]                                  mult_i,
  input  wire [5:0]                                   shift_i,  // 0..47
  input  wire                                         relu_i,
  input  wire                                         raw_i,  // unused when RAW = 0
  output wire [((RAW != 0) ? ACC_W : ACT_BITS)-1:0]   y_o     // OUT_W bits
);
  localparam integer MAX_STAGES = 9;
  localparam integer N_CUTS     = 9;

  generate
    if (ACT_BITS < 1 || ACT_BITS > 16 || ACC_W < ACT_BITS + 2 || ACC_W > 46) begin : g_bad_params
`ifdef __ICARUS__
      fwmac_param_error_requant_params_out_of_range u_param_error ();
`else
      $error("fwmac_requant: need 1 <= ACT_BITS <= 16 and ACT_BITS + 2 <= ACC_W <= 46");
`endif
    end
    if (RAW < 0 || RAW > 1) begin : g_bad_raw
`ifdef __ICARUS__
      fwmac_param_error_requant_raw_out_of_range u_param_error ();
`else
      $error("fwmac_requant: RAW = %0d outside 0..1", RAW);
`endif
    end
    if (STAGES < 0 || STAGES > MAX_STAGES) begin : g_bad_stages
`ifdef __ICARUS__
      fwmac_param_error_requant_stages_out_of_range u_param_error ();
`else
      $error("fwmac_requant: STAGES = %0d outside 0..%0d", STAGES, MAX_STAGES);
`endif
    end
  endgenerate

  localparam integer A      = ACT_BITS;
  localparam integer OUT_W  = (RAW != 0) ? ACC_W : ACT_BITS;
  localparam integer T_W    = ACC_W + 1;   // t = acc + bias
  localparam integer Q_W    = T_W + 2;     // t * 2-bit digit, and 3t
  localparam integer R_W    = T_W + 4;     // t * 4-bit digit
  localparam integer S_W    = T_W + 8;     // t * 8-bit digit
  localparam integer P_W    = T_W + 16;    // x = t * mult
  localparam integer Z_W    = P_W + 1;     // 2x
  localparam integer WC_W   = A + 9;       // window after the coarse shift step
  localparam integer WF_W   = A + 2;       // window after the fine shift step
  localparam integer HI_W   = ACC_W - A - 1;  // raw mode: bits of acc above the window

  // Cut positions per STAGES: entry STAGES, bit n = register at cut Cn.
  localparam [(MAX_STAGES+1)*N_CUTS-1:0] CUT_TABLE = {
    9'b1_1111_1111,  // 9
    9'b0_1111_1111,  // 8
    9'b0_1111_1110,  // 7
    9'b0_1110_1110,  // 6
    9'b0_1101_1010,  // 5
    9'b0_1010_1010,  // 4
    9'b0_0101_0010,  // 3
    9'b0_0100_1000,  // 2
    9'b0_0001_0000,  // 1
    9'b0_0000_0000   // 0
  };

  localparam integer STAGES_OK = (STAGES >= 0 && STAGES <= MAX_STAGES) ? STAGES : 0;
  localparam [N_CUTS-1:0] CUTS = CUT_TABLE[STAGES_OK*N_CUTS +: N_CUTS];

  localparam [A-1:0] ACT_ONES    = {A{1'b1}};
  localparam [A-1:0] SIGNED_HIGH = ACT_ONES >> 1;   //  2^(A-1) - 1
  localparam [A-1:0] SIGNED_LOW  = ~SIGNED_HIGH;    // -2^(A-1)

  integer k_q, k_r, k_s, k_c, k_f;

  // group of a bit position above the coarse window: 8 positions per group, the last
  // group (5) takes every position above
  function integer group_of;
    input integer offset;
    begin
      group_of = (offset / 8 > 5) ? 5 : offset / 8;
    end
  endfunction  // loop indices, one per always block

  // ---------------------------------------------------------------- input, bias add
  wire raw;
  generate
    if (RAW != 0) begin : g_raw_in
      assign raw = raw_i;
    end else begin : g_no_raw_in
      wire unused_raw = raw_i;
      assign raw = 1'b0;
    end
    if (STAGES == 0) begin : g_no_clock
      wire unused_clock = clk_i ^ en_i;
    end
  endgenerate

  wire [ACC_W-1:0] bias_in  = raw ? {ACC_W{1'b0}} : bias_i;
  wire [15:0]      mult_in  = raw ? 16'd1 : mult_i;
  wire [5:0]       shift_in = raw ? 6'd0 : shift_i;
  wire [T_W-1:0]   t_in     = {acc_i[ACC_W-1], acc_i} + {bias_in[ACC_W-1], bias_in};

  // ---------------------------------------------------------------- cut C0
  localparam integer C0_W = T_W + 16 + 6 + 2;
  wire [C0_W-1:0] cut0_d = {t_in, mult_in, shift_in, relu_i, raw};
  wire [C0_W-1:0] cut0;
  generate
    if (CUTS[0]) begin : g_cut0
      reg [C0_W-1:0] cut0_q;
      always @(posedge clk_i) begin
        if (en_i) cut0_q <= cut0_d;
      end
      assign cut0 = cut0_q;
    end else begin : g_pass0
      assign cut0 = cut0_d;
    end
  endgenerate
  wire [T_W-1:0] t0     = cut0[C0_W-1 -: T_W];
  wire [15:0]    mult0  = cut0[8 +: 16];
  wire [5:0]     shift0 = cut0[2 +: 6];
  wire [1:0]     mode0  = cut0[1:0];  // {relu, raw}

  // ---------------------------------------------------------------- 3t
  wire [Q_W-1:0] t0_ext = {{2{t0[T_W-1]}}, t0};
  wire [Q_W-1:0] t3_in  = t0_ext + {t0_ext[Q_W-2:0], 1'b0};

  // ---------------------------------------------------------------- cut C1
  localparam integer C1_W = T_W + Q_W + 16 + 6 + 2;
  wire [C1_W-1:0] cut1_d = {t0, t3_in, mult0, shift0, mode0};
  wire [C1_W-1:0] cut1;
  generate
    if (CUTS[1]) begin : g_cut1
      reg [C1_W-1:0] cut1_q;
      always @(posedge clk_i) begin
        if (en_i) cut1_q <= cut1_d;
      end
      assign cut1 = cut1_q;
    end else begin : g_pass1
      assign cut1 = cut1_d;
    end
  endgenerate
  wire [T_W-1:0] t1     = cut1[C1_W-1 -: T_W];
  wire [Q_W-1:0] t3_1   = cut1[24 +: Q_W];
  wire [15:0]    mult1  = cut1[8 +: 16];
  wire [5:0]     shift1 = cut1[2 +: 6];
  wire [1:0]     mode1  = cut1[1:0];

  // ---------------------------------------------------------------- digit products, r sums
  wire [Q_W-1:0] t1_ext = {{2{t1[T_W-1]}}, t1};
  reg  [8*Q_W-1:0] q;  // q_k = t * mult[2k+1:2k] at bits k*Q_W
  always @* begin
    q = {(8*Q_W){1'b0}};
    for (k_q = 0; k_q < 8; k_q = k_q + 1) begin
      case (mult1[2*k_q +: 2])
        2'd1:    q[k_q*Q_W +: Q_W] = t1_ext;
        2'd2:    q[k_q*Q_W +: Q_W] = {t1_ext[Q_W-2:0], 1'b0};
        2'd3:    q[k_q*Q_W +: Q_W] = t3_1;
        default: q[k_q*Q_W +: Q_W] = {Q_W{1'b0}};
      endcase
    end
  end
  // ---------------------------------------------------------------- cut C2
  localparam integer C2_W = 8 * Q_W + 6 + 2;
  wire [C2_W-1:0] cut2_d = {q, shift1, mode1};
  wire [C2_W-1:0] cut2;
  generate
    if (CUTS[2]) begin : g_cut2
      reg [C2_W-1:0] cut2_q;
      always @(posedge clk_i) begin
        if (en_i) cut2_q <= cut2_d;
      end
      assign cut2 = cut2_q;
    end else begin : g_pass2
      assign cut2 = cut2_d;
    end
  endgenerate
  wire [8*Q_W-1:0] q2     = cut2[C2_W-1 -: 8*Q_W];
  wire [5:0]       shift2 = cut2[2 +: 6];
  wire [1:0]       mode2  = cut2[1:0];

  // r_j = q_2j + 4 q_2j+1: the low 2 bits of q_2j pass by, the rest is a Q_W-bit add
  reg [4*R_W-1:0] r_in;
  always @* begin
    r_in = {(4*R_W){1'b0}};
    for (k_r = 0; k_r < 4; k_r = k_r + 1) begin
      r_in[k_r*R_W +: 2] = q2[2*k_r*Q_W +: 2];
      r_in[k_r*R_W+2 +: Q_W] = q2[(2*k_r+1)*Q_W +: Q_W] +
                             {{2{q2[2*k_r*Q_W+Q_W-1]}}, q2[2*k_r*Q_W+2 +: Q_W-2]};
    end
  end

  // ---------------------------------------------------------------- cut C3
  localparam integer C3_W = 4 * R_W + 6 + 2;
  wire [C3_W-1:0] cut3_d = {r_in, shift2, mode2};
  wire [C3_W-1:0] cut3;
  generate
    if (CUTS[3]) begin : g_cut3
      reg [C3_W-1:0] cut3_q;
      always @(posedge clk_i) begin
        if (en_i) cut3_q <= cut3_d;
      end
      assign cut3 = cut3_q;
    end else begin : g_pass3
      assign cut3 = cut3_d;
    end
  endgenerate
  wire [4*R_W-1:0] r3     = cut3[C3_W-1 -: 4*R_W];
  wire [5:0]       shift3 = cut3[2 +: 6];
  wire [1:0]       mode3  = cut3[1:0];

  // ---------------------------------------------------------------- s sums
  // s_i = r_2i + 16 r_2i+1: the low 4 bits of r_2i pass by, the rest is an R_W-bit add
  reg [2*S_W-1:0] s_in;
  always @* begin
    s_in = {(2*S_W){1'b0}};
    for (k_s = 0; k_s < 2; k_s = k_s + 1) begin
      s_in[k_s*S_W +: 4] = r3[2*k_s*R_W +: 4];
      s_in[k_s*S_W+4 +: R_W] = r3[(2*k_s+1)*R_W +: R_W] +
                             {{4{r3[2*k_s*R_W+R_W-1]}}, r3[2*k_s*R_W+4 +: R_W-4]};
    end
  end

  // ---------------------------------------------------------------- cut C4
  localparam integer C4_W = 2 * S_W + 6 + 2;
  wire [C4_W-1:0] cut4_d = {s_in, shift3, mode3};
  wire [C4_W-1:0] cut4;
  generate
    if (CUTS[4]) begin : g_cut4
      reg [C4_W-1:0] cut4_q;
      always @(posedge clk_i) begin
        if (en_i) cut4_q <= cut4_d;
      end
      assign cut4 = cut4_q;
    end else begin : g_pass4
      assign cut4 = cut4_d;
    end
  endgenerate
  wire [S_W-1:0] s0_4   = cut4[C4_W-1-S_W -: S_W];
  wire [S_W-1:0] s1_4   = cut4[C4_W-1 -: S_W];
  wire [5:0]     shift4 = cut4[2 +: 6];
  wire [1:0]     mode4  = cut4[1:0];

  // ---------------------------------------------------------------- product
  // x = s_0 + 256 s_1: the low 8 bits of s_0 pass by, the rest is an S_W-bit add
  wire [P_W-1:0] x_in = {s1_4 + {{8{s0_4[S_W-1]}}, s0_4[S_W-1:8]}, s0_4[7:0]};

  // the coarse step amount, decoded ahead of the step (in parallel with the x add):
  // coarse_sel one-hot (steps 0..5; shift 48..63 select none and give y = 0) and
  // coarse_skip[g] = step > g, the groups of 2x bits the step moves past the window top
  reg [5:0] coarse_sel_in, coarse_skip_in;
  always @* begin
    coarse_sel_in  = 6'd0;
    coarse_skip_in = 6'd0;
    for (k_c = 0; k_c < 6; k_c = k_c + 1) begin
      if ({29'd0, shift4[5:3]} == k_c) coarse_sel_in[k_c] = 1'b1;
      if ({29'd0, shift4[5:3]} > k_c) coarse_skip_in[k_c] = 1'b1;
    end
  end

  // ---------------------------------------------------------------- cut C5
  localparam integer C5_W = P_W + 12 + 3 + 2;
  wire [C5_W-1:0] cut5_d = {x_in, coarse_sel_in, coarse_skip_in, shift4[2:0], mode4};
  wire [C5_W-1:0] cut5;
  generate
    if (CUTS[5]) begin : g_cut5
      reg [C5_W-1:0] cut5_q;
      always @(posedge clk_i) begin
        if (en_i) cut5_q <= cut5_d;
      end
      assign cut5 = cut5_q;
    end else begin : g_pass5
      assign cut5 = cut5_d;
    end
  endgenerate
  wire [P_W-1:0] x5          = cut5[C5_W-1 -: P_W];
  wire [5:0]     coarse_sel  = cut5[11 +: 6];
  wire [5:0]     coarse_skip = cut5[5 +: 6];
  wire [2:0]     fine5       = cut5[4:2];
  wire [1:0]     mode5       = cut5[1:0];

  // ---------------------------------------------------------------- coarse shift step
  // zc = (2x) >>> 8c for the step c = shift[5:3], kept to WC_W bits (the fine step moves
  // at most 7 more into the final window), as an AND-OR of the one-hot select.
  // zx_ext: the WC_W + 40 bits of 2x the steps reach (sign-extended where 2x is shorter).
  // The fits test needs "the bits of 2x at positions >= WC_W - 1 + 8c are equal": group g
  // holds the equalities of neighbouring bits at positions WC_W - 1 + 8g .. + 7 (group 5:
  // to the top); coarse_term[g] = group g equal, or skipped by the step (g < c).
  wire [Z_W-1:0]   zx     = {x5, 1'b0};
  wire [WC_W+39:0] zx_ext;
  generate
    if (Z_W >= WC_W + 40) begin : g_zx_long
      assign zx_ext = zx[WC_W+39:0];
    end else begin : g_zx_short
      assign zx_ext = {{(WC_W+40-Z_W){x5[P_W-1]}}, zx};
    end
  endgenerate
  reg  [WC_W-1:0]  zc_in;
  reg  [5:0]       coarse_term_in;
  always @* begin
    zc_in = {WC_W{1'b0}};
    for (k_c = 0; k_c < 6; k_c = k_c + 1) begin
      zc_in = zc_in | (zx_ext[8*k_c +: WC_W] & {WC_W{coarse_sel[k_c]}});
    end
    coarse_term_in = 6'h3f;
    for (k_c = WC_W - 1; k_c < Z_W - 1; k_c = k_c + 1) begin
      if (zx[k_c] != zx[k_c+1]) begin
        coarse_term_in[group_of(k_c - (WC_W - 1))] = coarse_skip[group_of(k_c - (WC_W - 1))];
      end
    end
  end
  wire sign_in = x5[P_W-1];
  wire [HI_W-1:0] raw_hi_in = x5[ACC_W-1:A+1];

  // the fine step amount f = shift[2:0], decoded ahead of the step: fine_sel one-hot,
  // fine_skip[j] = f > j
  reg [7:0] fine_sel_in;
  reg [6:0] fine_skip_in;
  always @* begin
    fine_sel_in  = 8'd0;
    fine_skip_in = 7'd0;
    for (k_f = 0; k_f < 8; k_f = k_f + 1) begin
      if ({29'd0, fine5} == k_f) fine_sel_in[k_f] = 1'b1;
    end
    for (k_f = 0; k_f < 7; k_f = k_f + 1) begin
      if ({29'd0, fine5} > k_f) fine_skip_in[k_f] = 1'b1;
    end
  end

  // ---------------------------------------------------------------- cut C6
  localparam integer C6_W = WC_W + 6 + 1 + HI_W + 8 + 7 + 2;
  wire [C6_W-1:0] cut6_d = {zc_in, coarse_term_in, sign_in, raw_hi_in, fine_sel_in, fine_skip_in, mode5};
  wire [C6_W-1:0] cut6;
  generate
    if (CUTS[6]) begin : g_cut6
      reg [C6_W-1:0] cut6_q;
      always @(posedge clk_i) begin
        if (en_i) cut6_q <= cut6_d;
      end
      assign cut6 = cut6_q;
    end else begin : g_pass6
      assign cut6 = cut6_d;
    end
  endgenerate
  wire [WC_W-1:0] zc6         = cut6[C6_W-1 -: WC_W];
  wire [5:0]      coarse_term = cut6[HI_W+18 +: 6];
  wire            sign6       = cut6[HI_W+17];
  wire [HI_W-1:0] raw_hi6     = cut6[17 +: HI_W];
  wire [7:0]      fine_sel    = cut6[9 +: 8];
  wire [6:0]      fine_skip   = cut6[2 +: 7];
  wire [1:0]      mode6       = cut6[1:0];

  // ---------------------------------------------------------------- fine shift step
  // zf = zc >> f (in range: WF_W - 1 + 7 = WC_W - 1), kept to WF_W bits, AND-OR of the
  // one-hot select. fits: the coarse terms and "the bits of zc at positions
  // WF_W - 1 + f .. WC_W - 1 are equal" (fine_term[j]: bits WF_W - 1 + j, WF_W + j equal,
  // or skipped: j < f).
  reg  [WF_W-1:0] zf_in;
  reg  [6:0]      fine_term;
  always @* begin
    zf_in = {WF_W{1'b0}};
    for (k_f = 0; k_f < 8; k_f = k_f + 1) begin
      zf_in = zf_in | (zc6[k_f +: WF_W] & {WF_W{fine_sel[k_f]}});
    end
    fine_term = fine_skip;
    for (k_f = 0; k_f < 7; k_f = k_f + 1) begin
      if (zc6[WF_W-1+k_f] == zc6[WF_W+k_f]) fine_term[k_f] = 1'b1;
    end
  end
  wire fits_in = (&coarse_term) & (&fine_term);

  // ---------------------------------------------------------------- cut C7
  localparam integer C7_W = WF_W + 2 + HI_W + 2;
  wire [C7_W-1:0] cut7_d = {zf_in, fits_in, sign6, raw_hi6, mode6};
  wire [C7_W-1:0] cut7;
  generate
    if (CUTS[7]) begin : g_cut7
      reg [C7_W-1:0] cut7_q;
      always @(posedge clk_i) begin
        if (en_i) cut7_q <= cut7_d;
      end
      assign cut7 = cut7_q;
    end else begin : g_pass7
      assign cut7 = cut7_d;
    end
  endgenerate
  wire [WF_W-1:0] zf7     = cut7[C7_W-1 -: WF_W];
  wire            fits7   = cut7[HI_W+3];
  wire            sign7   = cut7[HI_W+2];
  wire [HI_W-1:0] raw_hi7 = cut7[2 +: HI_W];
  wire            relu7   = cut7[1];
  wire            raw7    = cut7[0];

  // ---------------------------------------------------------------- round and clamp
  // v = zf[WF_W-1:1] (A + 1 bits), u = v + zf[0] in A + 2 bits (exact when fits7)
  wire [A+1:0] u = {zf7[WF_W-1], zf7[WF_W-1:1]} + {{(A+1){1'b0}}, zf7[0]};
  reg          sat_high, sat_low;
  reg [A-1:0]  clamped;
  always @* begin
    sat_high = 1'b0;
    sat_low  = 1'b0;
    if (!fits7) begin
      sat_high = ~sign7;
      sat_low  = sign7;
    end else if (relu7) begin
      sat_high = ~u[A+1] & u[A];
      sat_low  = u[A+1];
    end else begin
      sat_high = ~u[A+1] & (u[A] | u[A-1]);
      sat_low  = u[A+1] & ~(u[A] & u[A-1]);
    end
    clamped = u[A-1:0];
    if (sat_high) clamped = relu7 ? ACT_ONES : SIGNED_HIGH;
    if (sat_low) clamped = relu7 ? {A{1'b0}} : SIGNED_LOW;
  end

  wire [OUT_W-1:0] y_in;
  generate
    if (RAW != 0) begin : g_raw_out
      wire y_ext = ~relu7 & clamped[A-1];  // bit A of the clamped value, and all above
      assign y_in = raw7 ? {raw_hi7, zf7[WF_W-1:1]} : {{HI_W{y_ext}}, y_ext, clamped};
    end else begin : g_act_out
      wire unused_raw_path = raw7 ^ (^raw_hi7);
      assign y_in = clamped;
    end
  endgenerate

  // ---------------------------------------------------------------- cut C8 (output)
  generate
    if (CUTS[8]) begin : g_cut8
      reg [OUT_W-1:0] y_q;
      always @(posedge clk_i) begin
        if (en_i) y_q <= y_in;
      end
      assign y_o = y_q;
    end else begin : g_pass8
      assign y_o = y_in;
    end
  endgenerate
endmodule

`default_nettype wire
