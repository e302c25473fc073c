// Directed Icarus testbench of fwmac_ram_sdp's read-during-write behaviour (a second
// simulator next to the Verilator testbench, and the only one that shows X):
//   RDW_OLD = 0: a read of the address written in the same cycle gives X;
//   RDW_OLD = 1: it gives the word stored before the write;
//   both: the write is stored, rdata_o holds while re_i is low, latency 1.
// Prints one PASS/FAIL line.
`default_nettype none

module tb_ram_sdp_rdw;
  parameter integer RDW_OLD = 0;
  localparam integer WIDTH = 16;
  localparam integer DEPTH = 6;

  reg              clk = 1'b0;
  reg              we = 1'b0, re = 1'b0;
  reg [2:0]        waddr = 3'd0, raddr = 3'd0;
  reg [WIDTH-1:0]  wdata = {WIDTH{1'b0}};
  wire [WIDTH-1:0] rdata;
  integer          errors = 0;

  fwmac_ram_sdp #(.WIDTH(WIDTH), .DEPTH(DEPTH), .RDW_OLD(RDW_OLD)) u_dut (
    .clk_i(clk), .we_i(we), .waddr_i(waddr), .wdata_i(wdata), .re_i(re), .raddr_i(raddr), .rdata_o(rdata)
  );

  always #5 clk = ~clk;

  task cycle(input w, input [2:0] wa, input [WIDTH-1:0] wd, input r, input [2:0] ra);
    begin
      we = w; waddr = wa; wdata = wd; re = r; raddr = ra;
      @(posedge clk);
      #1;
    end
  endtask

  task expect(input [WIDTH-1:0] value, input [8*24-1:0] what);
    begin
      if (rdata !== value) begin
        $display("FAIL tb_ram_sdp_rdw RDW_OLD=%0d: %0s: rdata %h, expected %h", RDW_OLD, what, rdata, value);
        errors = errors + 1;
      end
    end
  endtask

  initial begin
    @(negedge clk);
    cycle(1'b1, 3'd2, 16'h1111, 1'b0, 3'd0);
    cycle(1'b1, 3'd5, 16'h5555, 1'b1, 3'd2);          // read 2 while writing 5
    expect(16'h1111, "read after write");
    cycle(1'b0, 3'd0, 16'h0000, 1'b0, 3'd5);          // re low: hold
    expect(16'h1111, "hold");
    cycle(1'b1, 3'd2, 16'h2222, 1'b1, 3'd2);          // same-address read during write
    if (RDW_OLD == 1) expect(16'h1111, "collision, old data");
    else expect({WIDTH{1'bx}}, "collision, undefined");
    cycle(1'b0, 3'd0, 16'h0000, 1'b1, 3'd2);
    expect(16'h2222, "the collision's write");
    cycle(1'b0, 3'd0, 16'h0000, 1'b1, 3'd5);
    expect(16'h5555, "second word");
    cycle(1'b1, 3'd5, 16'hAAAA, 1'b0, 3'd5);          // write without read: rdata holds
    expect(16'h5555, "hold during write");
    if (errors == 0) $display("PASS tb_ram_sdp_rdw RDW_OLD=%0d: collision, hold and write-through checks", RDW_OLD);
    $finish;
  end
endmodule

`default_nettype wire
