// tb_loader_icarus: directed Icarus test of fwmac_loader + fwmac_group_buffer
// (through tb_loader_top). BUS_W = 32, R = 2, SLOTS = 2: header 14 bits (16-bit container,
// narrower than the bus), params 20 bits (32: as wide as the bus), weights 40 bits (64:
// two beats each), act words 12 bits (16: two per beat). One run: G = 2, CHUNKS = 2,
// ACT_WORDS = 3; group 0 planes 2, V 3; group 1 planes 1, V 2. Always-valid source and
// always-ready act stream: done_o must come exactly EXPECTED_DONE = 1 + 22 steps = 23
// cycles after start_i. Then both banks are read back through the read ports and released.
`default_nettype none

module tb_loader_icarus;
  localparam integer BUS_W = 32, ROWS = 2, SLOTS = 2, PLANE_W = 3, VROW_W = 3, SPAN_W = 2;
  localparam integer PARAM_W = 20, WGT_W = 40, ACT_W = 12, WBUF_WORDS = 8;
  localparam integer HDR_W = PLANE_W + VROW_W + ROWS * SPAN_W + ROWS * SLOTS;  // 14
  // steps: header 1, params 3, weights 4 x 2, acts 3, header 1, params 2, weights 2 x 2
  localparam integer EXPECTED_DONE = 1 + 1 + 3 + 8 + 3 + 1 + 2 + 4;

  reg clk = 1'b0;
  always #5 clk = ~clk;
  reg rst_n = 1'b0;

  reg               start = 1'b0;
  wire [BUS_W-1:0]  tdata;
  wire              tvalid;
  wire              tlast;
  wire              tready;
  wire              busy, done;
  wire [3:0]        error;
  wire              act_valid, act_last;
  wire [ACT_W-1:0]  act_data;
  reg               wgt_re = 1'b0, wgt_rbank = 1'b0, prm_re = 1'b0, prm_rbank = 1'b0;
  reg  [2:0]        wgt_raddr = 3'd0;
  reg  [1:0]        prm_raddr = 2'd0;
  wire [WGT_W-1:0]  wgt_rdata;
  wire [PARAM_W-1:0] prm_rdata;
  reg  [1:0]        release_banks = 2'b00;
  wire [1:0]        full, bank_free, loaded;
  wire [2*PLANE_W-1:0] planes;
  wire [2*VROW_W-1:0]  rows;
  wire [2*ROWS*SPAN_W-1:0] spans;
  wire [2*ROWS*SLOTS-1:0]  real_rows;
  wire              wr_bank, hdr_we, prm_we, wgt_we;
  wire [HDR_W-1:0]  hdr_wdata;
  wire [1:0]        prm_waddr;
  wire [PARAM_W-1:0] prm_wdata;
  wire [2:0]        wgt_waddr;
  wire [WGT_W-1:0]  wgt_wdata;

  tb_loader_top #(
    .BUS_W(BUS_W), .ROWS(ROWS), .SLOTS(SLOTS), .PLANE_W(PLANE_W), .VROW_W(VROW_W), .SPAN_W(SPAN_W),
    .PARAM_W(PARAM_W), .WGT_W(WGT_W), .ACT_W(ACT_W), .WBUF_WORDS(WBUF_WORDS), .GROUP_W(4), .CHUNK_W(4),
    .ACTN_W(8)
  ) dut (
    .clk_i(clk), .rst_ni(rst_n), .start_i(start), .groups_i(4'd2), .chunks_i(4'd2), .act_words_i(8'd3),
    .busy_o(busy), .done_o(done), .error_o(error),
    .s_axis_tdata_i(tdata), .s_axis_tvalid_i(tvalid), .s_axis_tready_o(tready), .s_axis_tlast_i(tlast),
    .act_valid_o(act_valid), .act_ready_i(1'b1), .act_data_o(act_data), .act_last_o(act_last),
    .wr_bank_o(wr_bank), .hdr_we_o(hdr_we), .hdr_wdata_o(hdr_wdata), .prm_we_o(prm_we),
    .prm_waddr_o(prm_waddr), .prm_wdata_o(prm_wdata), .wgt_we_o(wgt_we), .wgt_waddr_o(wgt_waddr),
    .wgt_wdata_o(wgt_wdata), .group_loaded_o(loaded),
    .bank_free_o(bank_free), .full_o(full), .planes_o(planes), .drain_rows_o(rows), .spans_o(spans),
    .real_rows_o(real_rows),
    .wgt_re_i(wgt_re), .wgt_rbank_i(wgt_rbank), .wgt_raddr_i(wgt_raddr), .wgt_rdata_o(wgt_rdata),
    .prm_re_i(prm_re), .prm_rbank_i(prm_rbank), .prm_raddr_i(prm_raddr), .prm_rdata_o(prm_rdata),
    .release_i(release_banks)
  );

  // the packet
  reg [BUS_W-1:0] beat_data [0:63];
  reg             beat_last [0:63];
  integer beats = 0;
  task add_beat(input [BUS_W-1:0] data);
    begin
      beat_data[beats] = data;
      beat_last[beats] = 1'b0;
      beats = beats + 1;
    end
  endtask

  function [PARAM_W-1:0] param_word(input integer g, input integer i);
    param_word = 20'hA0000 + g * 256 + i;
  endfunction
  function [WGT_W-1:0] weight_word(input integer g, input integer i);
    weight_word = 40'hB0_1234_5600 + g * 40'h01_0000_0100 + i * 40'h00_0001_0001;
  endfunction
  function [ACT_W-1:0] act_word(input integer k);
    act_word = 12'hC00 + k[11:0];
  endfunction
  // header: planes | V | spans (2 x 2 bits) | real_rows (4 bits)
  function [HDR_W-1:0] header_word(input integer planes_g, input integer v, input [3:0] span_bits,
                                   input [3:0] real_bits);
    header_word = {real_bits, span_bits, v[2:0], planes_g[2:0]};
  endfunction

  integer g, i, n, errors, cycle, start_cycle, done_cycle, acts_seen;
  reg [HDR_W-1:0] hdr0, hdr1;
  initial begin
    hdr0 = header_word(2, 3, 4'b1001, 4'b1011);
    hdr1 = header_word(1, 2, 4'b0110, 4'b0101);
    add_beat({16'h0000, 2'b00, hdr0});
    for (i = 0; i < 3; i = i + 1) add_beat({12'h000, param_word(0, i)});
    for (i = 0; i < 4; i = i + 1) begin
      add_beat(weight_word(0, i) & 40'h00_ffff_ffff);
      add_beat({24'h000000, weight_word(0, i) >> 32});
    end
    add_beat({4'h0, act_word(1), 4'h0, act_word(0)});
    add_beat({16'h0000, 4'h0, act_word(2)});
    add_beat({16'h0000, 2'b00, hdr1});
    for (i = 0; i < 2; i = i + 1) add_beat({12'h000, param_word(1, i)});
    for (i = 0; i < 2; i = i + 1) begin
      add_beat(weight_word(1, i) & 40'h00_ffff_ffff);
      add_beat({24'h000000, weight_word(1, i) >> 32});
    end
    beat_last[beats-1] = 1'b1;
  end

  // cycle counter and act stream check
  initial begin
    cycle = 0;
    acts_seen = 0;
    done_cycle = -1;
  end
  always @(posedge clk) begin
    cycle <= cycle + 1;
    if (done) done_cycle <= cycle;
    if (act_valid) begin
      if (act_data !== act_word(acts_seen) || act_last !== (acts_seen == 2)) begin
        $display("FAIL tb_loader_icarus: act word %0d is %h last %b", acts_seen, act_data, act_last);
        errors = errors + 1;
      end
      acts_seen <= acts_seen + 1;
    end
  end

  // the source: always valid, a beat moves with tready
  integer next_beat;
  initial next_beat = 0;
  always @(posedge clk) begin
    if (tvalid && tready) next_beat <= next_beat + 1;
  end
  assign tvalid = rst_n && (start_cycle >= 0) && (next_beat < beats);
  assign tdata  = (next_beat < beats) ? beat_data[next_beat] : {BUS_W{1'b0}};
  assign tlast  = (next_beat < beats) ? beat_last[next_beat] : 1'b0;

  task check_bank(input integer b, input [HDR_W-1:0] hdr, input integer v, input integer n_words);
    integer k;
    begin
      if (full[b] !== 1'b1) begin
        $display("FAIL tb_loader_icarus: bank %0d not full", b);
        errors = errors + 1;
      end
      if (planes[b*3 +: 3] !== hdr[2:0] || rows[b*3 +: 3] !== hdr[5:3] || spans[b*4 +: 4] !== hdr[9:6] ||
          real_rows[b*4 +: 4] !== hdr[13:10]) begin
        $display("FAIL tb_loader_icarus: bank %0d header fields %h %h %h %h", b, planes, rows, spans, real_rows);
        errors = errors + 1;
      end
      for (k = 0; k < v; k = k + 1) begin
        @(negedge clk);
        prm_re = 1'b1; prm_rbank = b[0]; prm_raddr = k[1:0];
        @(negedge clk);
        prm_re = 1'b0;
        if (prm_rdata !== param_word(b, k)) begin
          $display("FAIL tb_loader_icarus: bank %0d param %0d = %h", b, k, prm_rdata);
          errors = errors + 1;
        end
      end
      for (k = 0; k < n_words; k = k + 1) begin
        @(negedge clk);
        wgt_re = 1'b1; wgt_rbank = b[0]; wgt_raddr = k[2:0];
        @(negedge clk);
        wgt_re = 1'b0;
        if (wgt_rdata !== weight_word(b, k)) begin
          $display("FAIL tb_loader_icarus: bank %0d weight %0d = %h", b, k, wgt_rdata);
          errors = errors + 1;
        end
      end
      @(negedge clk);
      release_banks = 2'b01 << b;
      @(negedge clk);
      release_banks = 2'b00;
      if (full[b] !== 1'b0) begin
        $display("FAIL tb_loader_icarus: bank %0d still full after release", b);
        errors = errors + 1;
      end
    end
  endtask

  initial begin
    errors = 0;
    start_cycle = -1;
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    @(negedge clk);
    start = 1'b1;
    start_cycle = cycle;
    @(negedge clk);
    start = 1'b0;
    wait (done_cycle >= 0);
    @(negedge clk);
    if (done_cycle - start_cycle != EXPECTED_DONE) begin
      $display("FAIL tb_loader_icarus: done %0d cycles after start_i, expected %0d", done_cycle - start_cycle,
               EXPECTED_DONE);
      errors = errors + 1;
    end
    repeat (2) @(negedge clk);
    if (error !== 4'b0000 || busy !== 1'b0 || tready !== 1'b0 || next_beat != beats || acts_seen != 3) begin
      $display("FAIL tb_loader_icarus: error %b busy %b tready %b beats %0d/%0d acts %0d", error, busy, tready,
               next_beat, beats, acts_seen);
      errors = errors + 1;
    end
    check_bank(0, hdr0, 3, 4);
    check_bank(1, hdr1, 2, 2);
    if (errors == 0) $display("PASS tb_loader_icarus: %0d beats, done %0d cycles after start_i, both banks read back",
                              beats, done_cycle - start_cycle);
    $finish;
  end

  initial begin
    #100000;
    $display("FAIL tb_loader_icarus: timeout");
    $finish;
  end
endmodule

`default_nettype wire
