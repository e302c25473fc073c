// fwmac_drain: moves finished tiles out of the array, one filter row per beat.
//
// When fwmac_ctrl hands over a finished tile (load_i), the PEs capture their sums
// into the column drain chains and this module captures the tile's requant
// parameters (one param beat per tile). It then shifts the chains once per output
// beat: the row-0 results (head_i) pass through one fwmac_requant per column into
// the output register, rows 0..ROWS-1 in order; y_last_o marks row ROWS-1.
// The chain accepts the next tile once all ROWS rows have left (ready_o).
// SLOTS = 2 (ROWS = 2R virtual rows, slot 0 and slot 1 of every PE row in turn): a
// tile loaded with load_skip_i (no row holds a second filter) drains only the R
// slot-0 rows; skip_o makes the chains shift past the slot-1 values and the
// parameters advance two rows per beat.
// Latency: a row leaves the chain in cycle t and is valid on y_* in cycle t + 1.
`default_nettype none

module fwmac_drain #(
  parameter integer ROWS     = 1,
  parameter integer COLS     = 1,
  parameter integer ACC_W    = 20,
  parameter integer ACT_BITS = 8,
  parameter integer SLOTS    = 1   // virtual rows per PE row (ROWS is a multiple)
) (
  input  wire                      clk_i,
  input  wire                      rst_ni,
  // tile hand-over from fwmac_ctrl
  output wire                      ready_o,
  input  wire                      load_i,
  input  wire                      load_skip_i,  // SLOTS = 2: the tile drains slot 0 only
  // requant parameter stream: row r at bits r*PARAM_W, {shift[5:0], mult[15:0], bias}
  input  wire                      p_valid_i,
  output wire                      p_ready_o,
  input  wire [ROWS*(ACC_W+22)-1:0] p_data_i,
  input  wire                      p_relu_i,
  input  wire                      p_raw_i,
  // column drain chains
  input  wire [COLS*ACC_W-1:0]     head_i,
  output wire                      shift_o,
  output wire                      skip_o,     // SLOTS = 2: shift past the slot-1 values
  // output stream: one row of COLS values per beat
  output wire                      y_valid_o,
  input  wire                      y_ready_i,
  output wire [COLS*ACC_W-1:0]     y_data_o,
  output wire                      y_last_o
);
  generate
    if (ROWS < 1 || ROWS > 1024 || COLS < 1 || SLOTS < 1 || SLOTS > 2 || ROWS % SLOTS != 0) begin : g_bad_params
`ifdef __ICARUS__
      fwmac_param_error_drain_params_out_of_range u_param_error ();
`else
      $error("fwmac_drain: ROWS must be 1..1024 and a multiple of SLOTS (1..2), COLS >= 1");
`endif
    end
  endgenerate

  localparam integer PARAM_W = ACC_W + 22;
  localparam integer COUNT_W = $clog2(ROWS + 1);
  localparam [COUNT_W-1:0] COUNT_ONE = 1;
  localparam [COUNT_W-1:0] ROW_COUNT = ROWS[COUNT_W-1:0];
  localparam integer SLOT0_ROWS = ROWS / SLOTS;
  localparam [COUNT_W-1:0] SLOT0_COUNT = SLOT0_ROWS[COUNT_W-1:0];

  reg [COUNT_W-1:0]      rows_left_q, rows_left_d;
  reg [ROWS*PARAM_W-1:0] params_q, params_d;
  reg                    relu_q, relu_d;
  reg                    raw_q, raw_d;
  reg                    skip_q, skip_d;
  reg                    y_valid_q, y_valid_d;
  reg                    y_last_q, y_last_d;
  reg [COLS*ACC_W-1:0]   y_data_q, y_data_d;

  wire chain_empty = (rows_left_q == {COUNT_W{1'b0}});
  wire move = ~chain_empty & (~y_valid_q | y_ready_i);

  wire [COLS*ACC_W-1:0] requantized;
  wire [PARAM_W-1:0]    head_params = params_q[PARAM_W-1:0];
  genvar col;
  generate
    for (col = 0; col < COLS; col = col + 1) begin : g_col
      fwmac_requant #(
        .ACC_W   (ACC_W),
        .ACT_BITS(ACT_BITS)
      ) u_requant (
        .acc_i  (head_i[col*ACC_W +: ACC_W]),
        .bias_i (head_params[ACC_W-1:0]),
        .mult_i (head_params[ACC_W +: 16]),
        .shift_i(head_params[ACC_W+16 +: 6]),
        .relu_i (relu_q),
        .raw_i  (raw_q),
        .y_o    (requantized[col*ACC_W +: ACC_W])
      );
    end
  endgenerate

  // the parameter chain shifted by one row (two when skipping slot 1), in step with
  // the result chains
  wire [ROWS*PARAM_W-1:0] params_shifted;
  generate
    if (ROWS == 1) begin : g_single_row
      assign params_shifted = params_q;
      wire unused_skip = skip_q;
    end else if (SLOTS == 2) begin : g_two_slots
      wire [ROWS*PARAM_W-1:0] by_one = {{PARAM_W{1'b0}}, params_q[ROWS*PARAM_W-1:PARAM_W]};
      wire [ROWS*PARAM_W-1:0] by_two;
      if (ROWS == 2) begin : g_one_pe_row
        assign by_two = {(ROWS*PARAM_W){1'b0}};
      end else begin : g_pe_rows
        assign by_two = {{(2*PARAM_W){1'b0}}, params_q[ROWS*PARAM_W-1:2*PARAM_W]};
      end
      assign params_shifted = skip_q ? by_two : by_one;
    end else begin : g_multi_row
      assign params_shifted = {{PARAM_W{1'b0}}, params_q[ROWS*PARAM_W-1:PARAM_W]};
      wire unused_skip = skip_q;
    end
  endgenerate

  always @* begin
    rows_left_d = rows_left_q;
    y_valid_d   = y_valid_q;
    if (y_ready_i) y_valid_d = 1'b0;
    if (move) begin
      rows_left_d = rows_left_q - COUNT_ONE;
      y_valid_d   = 1'b1;
    end
    if (load_i) rows_left_d = (SLOTS == 2 && load_skip_i) ? SLOT0_COUNT : ROW_COUNT;
  end

  // The wide registers take their next value under an enable (load_i, move): their data
  // paths do not depend on the handshakes, so simulators evaluate them once per edge.
  always @* begin
    params_d = load_i ? p_data_i : params_shifted;
    relu_d   = p_relu_i;
    raw_d    = p_raw_i;
    skip_d   = (SLOTS == 2) & load_skip_i;
    y_last_d = (rows_left_q == COUNT_ONE);
    y_data_d = requantized;
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      rows_left_q <= {COUNT_W{1'b0}};
      y_valid_q   <= 1'b0;
    end else begin
      rows_left_q <= rows_left_d;
      y_valid_q   <= y_valid_d;
    end
    if (load_i || move) params_q <= params_d;
    if (load_i) begin
      relu_q <= relu_d;
      raw_q  <= raw_d;
      skip_q <= skip_d;
    end
    if (move) begin
      y_last_q <= y_last_d;
      y_data_q <= y_data_d;
    end
  end

  assign ready_o   = chain_empty & p_valid_i;
  assign p_ready_o = load_i;
  assign shift_o   = move;
  assign skip_o    = skip_q;
  assign y_valid_o = y_valid_q;
  assign y_data_o  = y_data_q;
  assign y_last_o  = y_last_q;
endmodule

`default_nettype wire
