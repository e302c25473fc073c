// fwmac_drain: moves finished tiles out of the array through UNITS shared requantizers.
//
// When fwmac_ctrl hands over a finished tile (load_i), the PEs capture their sums into
// the column drain chains. The drain then requantizes the chains' head row (row 0 of
// every column, head_i) GROUPS = ceil(COLS / UNITS) columns-groups at a time: in each
// cycle one group of UNITS values enters the UNITS pipelined fwmac_requant units with
// the row's parameters (one p beat per drained row, taken with the row's last group),
// and after the row's last group the chains shift (shift_o) to bring up the next row.
// The requantized groups are collected into the output register; a row leaves as one y
// beat of COLS values, rows in chain order, y_last_o on the tile's last row.
// SLOTS = 2 (ROWS = 2R virtual rows, slot 0 and slot 1 of every PE row in turn): a
// tile loaded with load_skip_i (no row holds a second filter) drains only the R slot-0
// rows (skip_o makes the chains shift past the slot-1 values) and takes R p beats.
//
// Timing: a tile of V drained rows occupies the chains for V*GROUPS cycles; ready_o
// (chains free) rises the cycle after its last group is taken and depends on registers
// only. With y always ready, a row whose last group is taken in cycle t is valid on y_*
// in cycle t + REQUANT_STAGES + 1.
// Handshakes: p_ready_o depends on p_valid_i and y_ready_i; y_valid_o is a register.
// The requant pipeline, the group counter and the chains hold while the output register
// holds a row that is not taken.
`default_nettype none

module fwmac_drain #(
  parameter integer ROWS           = 1,  // virtual rows per tile: R x SLOTS
  parameter integer COLS           = 1,
  parameter integer ACC_W          = 20,
  parameter integer ACT_BITS       = 8,
  parameter integer SLOTS          = 1,  // virtual rows per PE row (ROWS is a multiple)
  parameter integer UNITS          = 1,  // shared requantizers, 1..COLS
  parameter integer REQUANT_STAGES = 2,  // register stages inside each requantizer
  parameter integer RAW            = 0   // 1: raw mode (y = accumulator), y values ACC_W bits
) (
  input  wire                  clk_i,
  input  wire                  rst_ni,
  // tile hand-over from fwmac_ctrl
  output wire                  ready_o,
  input  wire                  load_i,
  input  wire                  load_skip_i,  // SLOTS = 2: the tile drains slot 0 only
  // requant parameter stream, one beat per drained row: {shift[5:0], mult[15:0], bias}
  input  wire                  p_valid_i,
  output wire                  p_ready_o,
  input  wire [ACC_W+21:0]     p_data_i,
  input  wire                  p_relu_i,
  input  wire                  p_raw_i,      // RAW = 1 only
  // column drain chains
  input  wire [COLS*ACC_W-1:0] head_i,
  output wire                  shift_o,
  output wire                  skip_o,       // SLOTS = 2: shift past the slot-1 values
  // output stream: one row of COLS values per beat
  output wire                  y_valid_o,
  input  wire                  y_ready_i,
  output wire [COLS*(RAW != 0 ? ACC_W : ACT_BITS)-1:0] y_data_o,  // OUT_W bits per value
  output wire                  y_last_o
);
  generate
    if (ROWS < 1 || ROWS > 1024 || COLS < 1 || SLOTS < 1 || SLOTS > 2 || ROWS % SLOTS != 0) begin : g_bad_rows
`ifdef __ICARUS__
      fwmac_param_error_drain_rows_out_of_range u_param_error ();
`else
      $error("fwmac_drain: ROWS must be 1..1024 and a multiple of SLOTS (1..2), COLS >= 1");
`endif
    end
    if (UNITS < 1 || UNITS > COLS || RAW < 0 || RAW > 1) begin : g_bad_units
`ifdef __ICARUS__
      fwmac_param_error_drain_units_out_of_range u_param_error ();
`else
      $error("fwmac_drain: UNITS = %0d outside 1..COLS = %0d, or RAW = %0d outside 0..1", UNITS, COLS, RAW);
`endif
    end
  endgenerate

  localparam integer OUT_W      = RAW != 0 ? ACC_W : ACT_BITS;
  localparam integer GROUPS     = (COLS + UNITS - 1) / UNITS;
  localparam integer GROUP_W    = GROUPS > 1 ? $clog2(GROUPS) : 1;
  localparam integer COUNT_W    = $clog2(ROWS + 1);
  localparam integer SLOT0_ROWS = ROWS / SLOTS;
  localparam integer TAG_W      = GROUP_W + 3;  // {tile_last, last_group, group, valid}
  localparam integer PIPE_TAGS  = REQUANT_STAGES > 0 ? REQUANT_STAGES : 1;
  localparam [COUNT_W-1:0] COUNT_ONE   = 1;
  localparam [COUNT_W-1:0] ROW_COUNT   = ROWS[COUNT_W-1:0];
  localparam [COUNT_W-1:0] SLOT0_COUNT = SLOT0_ROWS[COUNT_W-1:0];
  localparam [GROUP_W-1:0] GROUP_ONE   = 1;
  localparam integer GROUP_LAST_INT   = GROUPS - 1;
  localparam [GROUP_W-1:0] GROUP_LAST  = GROUP_LAST_INT[GROUP_W-1:0];

  reg [COUNT_W-1:0] rows_left_q, rows_left_d;
  reg [GROUP_W-1:0] group_q, group_d;
  reg               skip_q, skip_d;
  reg               y_valid_q, y_valid_d;
  reg               y_last_q, y_last_d;

  wire chain_empty /* verilator public_flat_rd */ = (rows_left_q == {COUNT_W{1'b0}});
  wire advance     = ~y_valid_q | y_ready_i;  // the output register can take a group
  wire issue /* verilator public_flat_rd */ = ~chain_empty & p_valid_i & advance;  // a group enters the units
  wire last_group  = (group_q == GROUP_LAST);
  wire row_done    = issue & last_group;

  // select stage: the head row's group `group_q` (columns past COLS read 0)
  wire [GROUPS*UNITS*ACC_W-1:0] head_padded;
  generate
    if (GROUPS * UNITS > COLS) begin : g_pad_head
      assign head_padded = {{((GROUPS*UNITS-COLS)*ACC_W){1'b0}}, head_i};
    end else begin : g_full_head
      assign head_padded = head_i;
    end
  endgenerate
  // An AND-OR multiplexer: each bit is the OR of GROUPS terms gated by a decode of group_q
  // (a variable part-select would make synthesis build a barrel shifter over the whole row).
  reg [UNITS*ACC_W-1:0] selected;
  integer select_group;
  always @* begin
    selected = {(UNITS*ACC_W){1'b0}};
    for (select_group = 0; select_group < GROUPS; select_group = select_group + 1) begin
      selected = selected | ({(UNITS*ACC_W){group_q == select_group[GROUP_W-1:0]}} &
                             head_padded[select_group*UNITS*ACC_W +: UNITS*ACC_W]);
    end
  end

  // UNITS requantizers, pipelined, in step with the tags below
  wire [UNITS*OUT_W-1:0] requantized;
  genvar unit;
  generate
    for (unit = 0; unit < UNITS; unit = unit + 1) begin : g_unit
      fwmac_requant #(
        .ACC_W   (ACC_W),
        .ACT_BITS(ACT_BITS),
        .RAW     (RAW),
        .STAGES  (REQUANT_STAGES)
      ) u_requant (
        .clk_i  (clk_i),
        .en_i   (advance),
        .acc_i  (selected[unit*ACC_W +: ACC_W]),
        .bias_i (p_data_i[ACC_W-1:0]),
        .mult_i (p_data_i[ACC_W +: 16]),
        .shift_i(p_data_i[ACC_W+16 +: 6]),
        .relu_i (p_relu_i),
        .raw_i  (p_raw_i),
        .y_o    (requantized[unit*OUT_W +: OUT_W])
      );
    end
  endgenerate

  // tags of the groups in the requant pipeline; out_tag describes `requantized`
  wire [TAG_W-1:0] issue_tag = {rows_left_q == COUNT_ONE, last_group, group_q, issue};
  wire [TAG_W-1:0] out_tag;
  generate
    if (REQUANT_STAGES == 0) begin : g_no_stages
      assign out_tag = issue_tag;
      wire unused_pipe_tags = PIPE_TAGS[0];
    end else begin : g_stages
      reg [PIPE_TAGS*TAG_W-1:0] tags_q, tags_d;
      if (PIPE_TAGS == 1) begin : g_one_stage
        always @* tags_d = issue_tag;
      end else begin : g_more_stages
        always @* tags_d = {tags_q[(PIPE_TAGS-1)*TAG_W-1:0], issue_tag};
      end
      always @(posedge clk_i) begin
        if (!rst_ni) tags_q <= {(PIPE_TAGS*TAG_W){1'b0}};
        else if (advance) tags_q <= tags_d;
      end
      assign out_tag = tags_q[PIPE_TAGS*TAG_W-1 -: TAG_W];
    end
  endgenerate
  wire               out_valid      = out_tag[0];
  wire [GROUP_W-1:0] out_group      = out_tag[GROUP_W:1];
  wire               out_last_group = out_tag[GROUP_W+1];
  wire               out_tile_last  = out_tag[GROUP_W+2];
  wire               write          = advance & out_valid;

  always @* begin
    rows_left_d = rows_left_q;
    group_d     = group_q;
    y_valid_d   = y_valid_q;
    if (issue) group_d = last_group ? {GROUP_W{1'b0}} : group_q + GROUP_ONE;
    if (row_done) rows_left_d = rows_left_q - COUNT_ONE;
    if (load_i) rows_left_d = (SLOTS == 2 && load_skip_i) ? SLOT0_COUNT : ROW_COUNT;
    if (y_ready_i) y_valid_d = 1'b0;
    if (write && out_last_group) y_valid_d = 1'b1;
    skip_d   = (SLOTS == 2) & load_skip_i;
    y_last_d = out_tile_last;
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      rows_left_q <= {COUNT_W{1'b0}};
      group_q     <= {GROUP_W{1'b0}};
      y_valid_q   <= 1'b0;
    end else begin
      rows_left_q <= rows_left_d;
      group_q     <= group_d;
      y_valid_q   <= y_valid_d;
    end
    if (load_i) skip_q <= skip_d;
    if (write && out_last_group) y_last_q <= y_last_d;
  end

  // the output register, written one group of UNITS values at a time
  wire [GROUPS*UNITS*OUT_W-1:0] y_collected;
  genvar group;
  generate
    for (group = 0; group < GROUPS; group = group + 1) begin : g_group
      reg [UNITS*OUT_W-1:0] slice_q, slice_d;
      always @* slice_d = requantized;
      always @(posedge clk_i) begin
        if (write && out_group == group) slice_q <= slice_d;
      end
      assign y_collected[group*UNITS*OUT_W +: UNITS*OUT_W] = slice_q;
    end
    if (GROUPS * UNITS > COLS) begin : g_unused_columns
      wire unused_columns = ^y_collected[GROUPS*UNITS*OUT_W-1:COLS*OUT_W];
    end
  endgenerate

  assign ready_o   = chain_empty;
  assign p_ready_o = row_done;
  assign shift_o   = row_done;
  assign skip_o    = skip_q;
  assign y_valid_o = y_valid_q;
  assign y_data_o  = y_collected[COLS*OUT_W-1:0];
  assign y_last_o  = y_last_q;
endmodule

`default_nettype wire
