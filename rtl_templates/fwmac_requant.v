// fwmac_requant: per-filter requantization of one accumulator (combinational).
//
//   t = acc + bias                                   (ACC_W + 1 bits, signed)
//   u = (t * mult + (shift > 0 ? 2^(shift-1) : 0)) >>> shift   (round half up)
//   y = relu ? clamp(u, 0, 2^A - 1) : clamp(u, -2^(A-1), 2^(A-1) - 1)
//   raw mode: y = acc
// y_o is sign-extended to ACC_W bits. shift must be 0..47 (48..63 are reserved).
`default_nettype none

module fwmac_requant #(
  parameter integer ACC_W    = 20,
  parameter integer ACT_BITS = 8
) (
  input  wire [ACC_W-1:0] acc_i,
  input  wire [ACC_W-1:0] bias_i,
  input  wire [15:0]      mult_i,
  input  wire [5:0]       shift_i,
  input  wire             relu_i,
  input  wire             raw_i,
  output wire [ACC_W-1:0] y_o
);
  generate
    if (ACT_BITS < 1 || ACT_BITS > 16 || ACC_W < ACT_BITS + 2 || ACC_W > 46) begin : g_bad_params
`ifdef __ICARUS__
      fwmac_param_error_requant_params_out_of_range u_param_error ();
`else
      $error("fwmac_requant: need 1 <= ACT_BITS <= 16 and ACT_BITS + 2 <= ACC_W <= 46");
`endif
    end
  endgenerate

  localparam integer T_W    = ACC_W + 1;
  localparam integer PROD_W = T_W + 17;
  localparam integer SUM_W  = (PROD_W > 48 ? PROD_W : 48) + 1;
  localparam integer Y_W    = ACT_BITS + 1;  // the clamped value as a signed number

  wire signed [T_W-1:0] biased = $signed({acc_i[ACC_W-1], acc_i}) + $signed({bias_i[ACC_W-1], bias_i});
  wire signed [PROD_W-1:0] biased_ext = {{(PROD_W-T_W){biased[T_W-1]}}, biased};
  wire signed [PROD_W-1:0] mult_ext   = $signed({{(PROD_W-16){1'b0}}, mult_i});
  wire signed [PROD_W-1:0] product    = biased_ext * mult_ext;

  wire [SUM_W-1:0] round_one = {{(SUM_W-1){1'b0}}, 1'b1};
  wire [SUM_W-1:0] rounding  = (shift_i == 6'd0) ? {SUM_W{1'b0}} : (round_one << (shift_i - 6'd1));
  wire signed [SUM_W-1:0] rounded = $signed({{(SUM_W-PROD_W){product[PROD_W-1]}}, product})
                                    + $signed(rounding);
  wire signed [SUM_W-1:0] shifted = rounded >>> shift_i;

  wire signed [SUM_W-1:0] high = relu_i ? $signed((round_one << ACT_BITS) - round_one)
                                        : $signed((round_one << (ACT_BITS - 1)) - round_one);
  wire signed [SUM_W-1:0] low  = relu_i ? $signed({SUM_W{1'b0}})
                                        : $signed(~((round_one << (ACT_BITS - 1)) - round_one));

  reg [Y_W-1:0] clamped;
  always @* begin
    clamped = shifted[Y_W-1:0];
    if (shifted > high) clamped = high[Y_W-1:0];
    if (shifted < low) clamped = low[Y_W-1:0];
  end

  assign y_o = raw_i ? acc_i : {{(ACC_W-Y_W){clamped[Y_W-1]}}, clamped};
endmodule

`default_nettype wire
