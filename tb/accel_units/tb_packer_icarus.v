// tb_packer_icarus: directed Icarus test of fwmac_packer. COLS = 4, OUT_W = 8, BUS_W = 32
// (4 values per beat, a y beat per cycle). Tile 0: pixel_count 3, V 3, real 101; tile 1:
// pixel_count 4, V 2, real 11, last. Both tile infos and the y beats are offered from
// cycle 0, m_axis_tready always 1. Expected: 14 values in beats at cycles 4, 5, 6 (full)
// and 7 (2 values, tkeep 0011, tlast): tile 0 is usable from cycle 1 (the tile FIFO), its
// beats are taken in cycles 1..3, tile 1's in 4 and 5; a beat leaves whenever >= 4 values
// are buffered, the final partial one in the cycle after.
`default_nettype none

module tb_packer_icarus;
  reg clk = 1'b0;
  always #5 clk = ~clk;
  reg rst_n = 1'b0;

  wire        y_ready, tile_ready, tvalid, tlast;
  wire [31:0] tdata;
  wire [3:0]  tkeep;
  wire [1:0]  error;
  reg         running = 1'b0;

  // y beats: tile t beat b value c = {t, b, c} as 8'h(t*64 + b*16 + c)
  reg [31:0] y_beat [0:4];
  reg        y_last [0:4];
  integer    y_next = 0, tile_next = 0;
  initial begin
    y_beat[0] = 32'h03020100; y_last[0] = 1'b0;
    y_beat[1] = 32'h13121110; y_last[1] = 1'b0;
    y_beat[2] = 32'h23222120; y_last[2] = 1'b1;
    y_beat[3] = 32'h43424140; y_last[3] = 1'b0;
    y_beat[4] = 32'h53525150; y_last[4] = 1'b1;
  end
  wire       y_valid = running && (y_next < 5);
  wire       tile_valid = running && (tile_next < 2);
  wire [2:0] tile_pixels = (tile_next == 0) ? 3'd3 : 3'd4;
  wire [2:0] tile_beats = (tile_next == 0) ? 3'd3 : 3'd2;
  wire [3:0] tile_real = (tile_next == 0) ? 4'b0101 : 4'b0011;
  wire       tile_last = (tile_next != 0);

  fwmac_packer #(.COLS(4), .OUT_W(8), .BUS_W(32), .VMAX(4), .VROW_W(3), .TILE_DEPTH(2)) dut (
    .clk_i(clk), .rst_ni(rst_n), .clear_i(1'b0),
    .y_valid_i(y_valid), .y_ready_o(y_ready), .y_data_i(y_beat[y_next < 5 ? y_next : 0]),
    .y_last_i(y_last[y_next < 5 ? y_next : 0]),
    .tile_valid_i(tile_valid), .tile_ready_o(tile_ready), .tile_pixels_i(tile_pixels),
    .tile_beats_i(tile_beats), .tile_real_i(tile_real), .tile_last_i(tile_last),
    .m_axis_tdata_o(tdata), .m_axis_tkeep_o(tkeep), .m_axis_tvalid_o(tvalid), .m_axis_tready_i(1'b1),
    .m_axis_tlast_o(tlast), .error_o(error)
  );

  // expected output beats and their cycles
  reg [31:0] out_data [0:3];
  reg [3:0]  out_keep [0:3];
  reg        out_last [0:3];
  integer    out_cycle [0:3];
  initial begin
    out_data[0] = 32'h20020100; out_keep[0] = 4'hf; out_last[0] = 1'b0; out_cycle[0] = 4;
    out_data[1] = 32'h41402221; out_keep[1] = 4'hf; out_last[1] = 1'b0; out_cycle[1] = 5;
    out_data[2] = 32'h51504342; out_keep[2] = 4'hf; out_last[2] = 1'b0; out_cycle[2] = 6;
    out_data[3] = 32'h00005352; out_keep[3] = 4'h3; out_last[3] = 1'b1; out_cycle[3] = 7;
  end

  integer cycle = 0, outs = 0, errors = 0;
  always @(posedge clk) begin
    if (running) cycle <= cycle + 1;
    if (y_valid && y_ready) y_next <= y_next + 1;
    if (tile_valid && tile_ready) tile_next <= tile_next + 1;
    if (tvalid) begin
      if (outs >= 4 || tdata !== out_data[outs] || tkeep !== out_keep[outs] || tlast !== out_last[outs] ||
          cycle != out_cycle[outs]) begin
        $display("FAIL tb_packer_icarus: beat %0d in cycle %0d: tdata %h tkeep %b tlast %b", outs, cycle, tdata,
                 tkeep, tlast);
        errors = errors + 1;
      end
      outs <= outs + 1;
    end
  end

  initial begin
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    @(negedge clk);
    running = 1'b1;
    repeat (20) @(negedge clk);
    if (outs != 4 || error !== 2'b00 || y_next != 5 || tile_next != 2) begin
      $display("FAIL tb_packer_icarus: %0d beats, error %b, %0d y beats, %0d tiles taken", outs, error, y_next,
               tile_next);
      errors = errors + 1;
    end
    if (errors == 0) $display("PASS tb_packer_icarus: 14 values in 4 beats at the documented cycles");
    $finish;
  end
endmodule

`default_nettype wire
