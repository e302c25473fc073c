// fwmac_stream_reg: full-throughput register slice of a valid/ready stream.
//
// A two-entry spill register: the output register (out_*) and a skid register that
// catches the beat accepted in the cycle the output stalls. Every output and
// in_ready_o come straight from flops, so the slice cuts all combinational paths
// between its two sides (valid/data forward, ready backward).
//   in_ready_o  = skid register empty, a flop (no dependence on out_ready_i)
//   out_valid_o = output register full, a flop (no dependence on in_valid_i)
// The output register refills whenever it is empty or its beat moves: from the skid
// register if that holds a beat, else from the input. A beat accepted while the
// output stalls goes into the skid register, and in_ready_o drops the next cycle.
// Handshake: a beat moves when valid and ready are both high at a rising edge; the
// output beat stays stable while out_valid_o && !out_ready_i.
// Latency: 1 cycle (a beat accepted in cycle t is on out_* in cycle t + 1).
// Throughput: one beat per cycle under continuous flow; the skid register only fills
// while the output stalls. Data registers have no reset (qualified by the valid flags).
`default_nettype none

module fwmac_stream_reg #(
  parameter integer WIDTH = 8
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire             in_valid_i,
  output wire             in_ready_o,
  input  wire [WIDTH-1:0] in_data_i,
  output wire             out_valid_o,
  input  wire             out_ready_i,
  output wire [WIDTH-1:0] out_data_o
);
  generate
    if (WIDTH < 1) begin : g_bad_width
`ifdef __ICARUS__
      fwmac_param_error_stream_reg_width_out_of_range u_param_error ();
`else
      $error("fwmac_stream_reg: WIDTH = %0d must be >= 1", WIDTH);
`endif
    end
  endgenerate

  reg             out_valid_q, out_valid_d;
  reg [WIDTH-1:0] out_data_q, out_data_d;
  reg             in_ready_q, in_ready_d;  // the skid register is empty
  reg [WIDTH-1:0] skid_data_q, skid_data_d;

  wire skid_valid = ~in_ready_q;
  wire in_fire    = in_valid_i & in_ready_q;
  wire out_free   = ~out_valid_q | out_ready_i;  // the output register may take a new beat
  // flop enables of the data registers: the data paths do not depend on the handshakes
  wire out_load   = out_free & (skid_valid | in_valid_i);
  wire skid_load  = ~out_free & in_fire;

  always @* begin
    out_valid_d = out_valid_q;
    in_ready_d  = in_ready_q;
    if (out_free) begin
      // the skid beat is older than any input beat (in_ready_o is low while it waits)
      out_valid_d = skid_valid | in_fire;
      in_ready_d  = 1'b1;
    end else if (in_fire) begin
      in_ready_d = 1'b0;
    end
  end

  always @* begin
    out_data_d  = skid_valid ? skid_data_q : in_data_i;
    skid_data_d = in_data_i;
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      out_valid_q <= 1'b0;
      in_ready_q  <= 1'b1;
    end else begin
      out_valid_q <= out_valid_d;
      in_ready_q  <= in_ready_d;
    end
    if (out_load) out_data_q <= out_data_d;
    if (skid_load) skid_data_q <= skid_data_d;
  end

  assign in_ready_o  = in_ready_q;
  assign out_valid_o = out_valid_q;
  assign out_data_o  = out_data_q;
endmodule

`default_nettype wire
