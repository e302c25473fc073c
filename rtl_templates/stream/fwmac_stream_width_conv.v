// fwmac_stream_width_conv: width converter of a valid/ready stream with a last flag.
//
// Upsizer, OUT_W = K * IN_W (K >= 1): packs K input beats into one output word, the
// first beat in the low bits. An input beat with in_last_i set closes the word early:
// the unused upper parts are zero, out_keep_o has one bit per IN_W part (bit i: part
// i holds a beat; the valid parts are always the low ones) and out_last_o is set.
// A word is also closed, without last, after K beats.
//   Storage: the partial word (which also holds a finished word while the output
//   register stalls) and the output register. in_ready_o = no finished word waiting
//   (a flop); out_* are the output register.
//   Latency: 1 cycle from the beat that finishes a word to out_valid_o.
//   K = 1: every beat is a word, and the converter is a two-entry register slice with
//   the timing of fwmac_stream_reg (latency 1, one beat per cycle, out_keep_o = 1).
// Downsizer, IN_W = K * OUT_W (K >= 2): emits every input word as K output beats, the
// low part first; out_last_o is set on the K-th beat of a word that had in_last_i.
// out_keep_o is one bit, always 1.
//   Storage: a shift register holding the word being emitted (its current part in the
//   low bits, so out_data_o comes from flops) and a pending-word register that takes
//   the next input word while the shift register is busy. in_ready_o = pending
//   register empty (a flop); out_valid_o = shift register busy (a flop).
//   Latency: 1 cycle from an input word to its first output beat.
// Both directions: no combinational path between the input and output sides (valid
// never depends on ready, ready depends on no input of this cycle), full throughput
// on the narrow side (one narrow beat per cycle under continuous flow; the upsizer
// keeps it with in_last_i on every beat if the output is always ready).
// Handshake: a beat moves when valid and ready are both high at a rising edge; the
// output beat stays stable while out_valid_o && !out_ready_i. Data registers have no
// reset (qualified by the valid flags).
`default_nettype none

module fwmac_stream_width_conv #(
  parameter integer IN_W  = 8,
  parameter integer OUT_W = 32
) (
  input  wire                                             clk_i,
  input  wire                                             rst_ni,
  input  wire                                             in_valid_i,
  output wire                                             in_ready_o,
  input  wire [IN_W-1:0]                                  in_data_i,
  input  wire                                             in_last_i,
  output wire                                             out_valid_o,
  input  wire                                             out_ready_i,
  output wire [OUT_W-1:0]                                 out_data_o,
  output wire                                             out_last_o,
  output wire [((OUT_W >= IN_W) ? OUT_W / IN_W : 1)-1:0] out_keep_o   // upsizer: valid IN_W parts
);
  generate
    if (IN_W < 1 || OUT_W < 1 || (OUT_W % IN_W != 0 && IN_W % OUT_W != 0)) begin : g_bad_widths
`ifdef __ICARUS__
      fwmac_param_error_stream_width_conv_widths_not_multiples u_param_error ();
`else
      $error("fwmac_stream_width_conv: need IN_W, OUT_W >= 1, one a multiple of the other (got %0d, %0d)",
             IN_W, OUT_W);
`endif
    end
  endgenerate

  generate
    if (OUT_W >= IN_W) begin : g_upsize
      localparam integer K        = OUT_W / IN_W;
      localparam integer IDX_W    = (K > 1) ? $clog2(K) : 1;
      localparam integer LAST_IDX = K - 1;
      localparam [IDX_W-1:0] IDX_ONE  = 1;
      localparam [IDX_W-1:0] IDX_LAST = LAST_IDX[IDX_W-1:0];

      reg [IDX_W-1:0] idx_q, idx_d;            // parts of the partial word filled so far
      reg [OUT_W-1:0] acc_data_q, acc_data_d;  // partial word, or a finished one waiting
      reg [K-1:0]     acc_keep_q, acc_keep_d;
      reg             acc_last_q, acc_last_d;
      reg             in_ready_q, in_ready_d;  // acc_* hold no finished word
      reg             out_valid_q, out_valid_d;
      reg [OUT_W-1:0] out_data_q, out_data_d;
      reg [K-1:0]     out_keep_q, out_keep_d;
      reg             out_last_q, out_last_d;

      wire waiting  = ~in_ready_q;  // acc_* hold a finished word
      wire in_fire  = in_valid_i & in_ready_q;
      wire out_free = ~out_valid_q | out_ready_i;  // the output register may take a word
      wire word_end = (idx_q == IDX_LAST) | in_last_i;
      wire finish   = in_fire & word_end;

      // the partial word with the input beat in part idx_q and zeros above it
      wire [OUT_W-1:0] merged_data;
      wire [K-1:0]     merged_keep;
      genvar part;
      for (part = 0; part < K; part = part + 1) begin : g_part
        localparam [IDX_W-1:0] PART_IDX = part;
        if (part == 0) begin : g_first
          assign merged_keep[part] = 1'b1;
          assign merged_data[0 +: IN_W] = (idx_q == PART_IDX) ? in_data_i : acc_data_q[0 +: IN_W];
        end else if (part == K - 1) begin : g_last
          // a partial word never holds the last part (the beat put there finishes it)
          assign merged_keep[part] = (idx_q == PART_IDX);
          assign merged_data[part*IN_W +: IN_W] = (idx_q == PART_IDX) ? in_data_i : {IN_W{1'b0}};
        end else begin : g_middle
          assign merged_keep[part] = (idx_q >= PART_IDX);
          assign merged_data[part*IN_W +: IN_W] =
              (idx_q == PART_IDX) ? in_data_i :
              (idx_q > PART_IDX)  ? acc_data_q[part*IN_W +: IN_W] : {IN_W{1'b0}};
        end
      end

      // flop enables of the data registers: the data paths do not depend on the handshakes
      wire out_load = out_free & (waiting | (in_valid_i & word_end));
      wire acc_load = in_fire & ~(word_end & out_free);  // partial progress or a word that waits

      always @* begin
        idx_d       = idx_q;
        in_ready_d  = in_ready_q;
        out_valid_d = out_valid_q;
        if (in_fire) idx_d = word_end ? {IDX_W{1'b0}} : idx_q + IDX_ONE;
        if (waiting) begin
          in_ready_d = out_free;  // no beat is accepted while a finished word waits
        end else if (finish && !out_free) begin
          in_ready_d = 1'b0;
        end
        if (out_free) out_valid_d = waiting | finish;
      end

      always @* begin
        acc_data_d = merged_data;
        acc_keep_d = merged_keep;
        acc_last_d = in_last_i;
        out_data_d = waiting ? acc_data_q : merged_data;
        out_keep_d = waiting ? acc_keep_q : merged_keep;
        out_last_d = waiting ? acc_last_q : in_last_i;
      end

      always @(posedge clk_i) begin
        if (!rst_ni) begin
          idx_q       <= {IDX_W{1'b0}};
          in_ready_q  <= 1'b1;
          out_valid_q <= 1'b0;
        end else begin
          idx_q       <= idx_d;
          in_ready_q  <= in_ready_d;
          out_valid_q <= out_valid_d;
        end
        if (acc_load) begin
          acc_data_q <= acc_data_d;
          acc_keep_q <= acc_keep_d;
          acc_last_q <= acc_last_d;
        end
        if (out_load) begin
          out_data_q <= out_data_d;
          out_keep_q <= out_keep_d;
          out_last_q <= out_last_d;
        end
      end

      assign in_ready_o  = in_ready_q;
      assign out_valid_o = out_valid_q;
      assign out_data_o  = out_data_q;
      assign out_keep_o  = out_keep_q;
      assign out_last_o  = out_last_q;
    end else begin : g_downsize
      localparam integer K        = IN_W / OUT_W;
      localparam integer IDX_W    = $clog2(K);
      localparam integer LAST_IDX = K - 1;
      localparam [IDX_W-1:0] IDX_ONE  = 1;
      localparam [IDX_W-1:0] IDX_LAST = LAST_IDX[IDX_W-1:0];

      reg [IN_W-1:0]  shift_q, shift_d;      // parts still to emit, the current one low
      reg [IDX_W-1:0] idx_q, idx_d;          // part on out_data_o
      reg             shift_last_q, shift_last_d;
      reg             busy_q, busy_d;        // out_valid_o
      reg [IN_W-1:0]  pend_data_q, pend_data_d;
      reg             pend_last_q, pend_last_d;
      reg             in_ready_q, in_ready_d;  // pend_* hold no word

      wire pend       = ~in_ready_q;           // pend_* hold the next input word
      wire in_fire    = in_valid_i & in_ready_q;
      wire out_fire   = busy_q & out_ready_i;
      wire final_part = (idx_q == IDX_LAST);
      wire shift_free = ~busy_q | (out_ready_i & final_part);  // may take the next word

      // flop enables of the data registers: the data paths do not depend on the handshakes
      wire shift_load = shift_free & (pend | in_valid_i);
      wire shift_move = shift_load | out_fire;
      wire pend_load  = in_fire & ~shift_free;

      always @* begin
        idx_d      = idx_q;
        busy_d     = busy_q;
        in_ready_d = in_ready_q;
        if (out_fire) idx_d = idx_q + IDX_ONE;
        if (shift_free) begin
          idx_d      = {IDX_W{1'b0}};
          busy_d     = pend | in_fire;
          in_ready_d = 1'b1;  // the pending word moves on (no beat is accepted meanwhile)
        end else if (in_fire) begin
          in_ready_d = 1'b0;
        end
      end

      always @* begin
        shift_d      = {{OUT_W{1'b0}}, shift_q[IN_W-1:OUT_W]};
        shift_last_d = pend ? pend_last_q : in_last_i;
        if (shift_load) shift_d = pend ? pend_data_q : in_data_i;
        pend_data_d = in_data_i;
        pend_last_d = in_last_i;
      end

      always @(posedge clk_i) begin
        if (!rst_ni) begin
          idx_q      <= {IDX_W{1'b0}};
          busy_q     <= 1'b0;
          in_ready_q <= 1'b1;
        end else begin
          idx_q      <= idx_d;
          busy_q     <= busy_d;
          in_ready_q <= in_ready_d;
        end
        if (shift_move) shift_q <= shift_d;
        if (shift_load) shift_last_q <= shift_last_d;
        if (pend_load) begin
          pend_data_q <= pend_data_d;
          pend_last_q <= pend_last_d;
        end
      end

      assign in_ready_o  = in_ready_q;
      assign out_valid_o = busy_q;
      assign out_data_o  = shift_q[OUT_W-1:0];
      assign out_last_o  = shift_last_q & final_part;
      assign out_keep_o  = 1'b1;
    end
  endgenerate
endmodule

`default_nettype wire
