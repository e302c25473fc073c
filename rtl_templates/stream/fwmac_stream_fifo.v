// fwmac_stream_fifo: synchronous first-in first-out buffer of a valid/ready stream.
//
// Holds up to DEPTH beats (any DEPTH >= 1): an output register, which always holds the
// oldest beat, and DEPTH - 1 flop entries behind it, used as a circular buffer (read
// and write pointers wrap at DEPTH - 1, so DEPTH need not be a power of two). A beat
// that arrives while the FIFO is empty, or while its only beat leaves, goes straight
// into the output register; otherwise it is stored, and the output register refills
// from the storage whenever it is empty or its beat moves.
//   out_valid_o, out_data_o  the output register (flops; no dependence on in_valid_i)
//   in_ready_o               not full, a flop (no dependence on out_ready_i)
//   level_o                  beats held, 0..DEPTH, a flop
// Push while full: in_ready_o is registered, so it stays low in the cycle a full FIFO
// pops; the freed entry takes a beat from the next cycle on. The output side is not
// affected (a full FIFO pops one beat per cycle); the input side sees one idle cycle
// after the first pop. For DEPTH >= 2 the FIFO is full only under back-pressure, so
// continuous flow (always valid, always ready) moves one beat per cycle. DEPTH = 1
// (the output register alone) is full after every push and moves one beat every two
// cycles: use DEPTH >= 2 (DEPTH = 2 behaves like fwmac_stream_reg) for full throughput.
// Handshake: a beat moves when valid and ready are both high at a rising edge; the
// output beat stays stable while out_valid_o && !out_ready_i.
// Latency: 1 cycle from a push into an empty FIFO to out_valid_o.
`default_nettype none

module fwmac_stream_fifo #(
  parameter integer WIDTH = 8,
  parameter integer DEPTH = 2
) (
  input  wire                       clk_i,
  input  wire                       rst_ni,
  input  wire                       in_valid_i,
  output wire                       in_ready_o,
  input  wire [WIDTH-1:0]           in_data_i,
  output wire                       out_valid_o,
  input  wire                       out_ready_i,
  output wire [WIDTH-1:0]           out_data_o,
  output wire [$clog2(DEPTH+1)-1:0] level_o
);
  generate
    if (WIDTH < 1) begin : g_bad_width
`ifdef __ICARUS__
      fwmac_param_error_stream_fifo_width_out_of_range u_param_error ();
`else
      $error("fwmac_stream_fifo: WIDTH = %0d must be >= 1", WIDTH);
`endif
    end
    if (DEPTH < 1 || DEPTH > 65536) begin : g_bad_depth
`ifdef __ICARUS__
      fwmac_param_error_stream_fifo_depth_out_of_range u_param_error ();
`else
      $error("fwmac_stream_fifo: DEPTH = %0d outside 1..65536", DEPTH);
`endif
    end
  endgenerate

  localparam integer SLOTS   = DEPTH - 1;  // storage entries behind the output register
  localparam integer LEVEL_W = $clog2(DEPTH + 1);
  localparam [LEVEL_W-1:0] LEVEL_ONE  = 1;
  localparam [LEVEL_W-1:0] LEVEL_FULL = DEPTH[LEVEL_W-1:0];

  reg               out_valid_q, out_valid_d;
  reg [WIDTH-1:0]   out_data_q, out_data_d;
  reg [LEVEL_W-1:0] level_q, level_d;
  reg               in_ready_q, in_ready_d;

  wire push     = in_valid_i & in_ready_q;
  wire pop      = out_valid_q & out_ready_i;
  wire out_free = ~out_valid_q | out_ready_i;  // the output register may take a new beat

  // The storage holds a beat only while the output register holds one too, so it is
  // non-empty exactly when level >= 2.
  wire             stored_any;
  wire [WIDTH-1:0] stored_data;               // the oldest stored beat
  wire             refill = out_free & stored_any;
  wire             store  = push & ~(out_free & ~stored_any);  // push that is not bypassed

  generate
    if (SLOTS == 0) begin : g_no_storage
      assign stored_any  = 1'b0;
      assign stored_data = {WIDTH{1'b0}};
      wire unused_store  = store;
      wire unused_refill = refill;
    end else begin : g_storage
      localparam integer PTR_W = (SLOTS > 1) ? $clog2(SLOTS) : 1;
      localparam [PTR_W-1:0] PTR_ONE  = 1;
      localparam integer LAST_SLOT = SLOTS - 1;
      localparam [PTR_W-1:0] PTR_LAST = LAST_SLOT[PTR_W-1:0];

      // ram_style: keeps the storage in flops (yosys would otherwise turn the
      // registered read address into a block RAM read port plus collision bypass)
      (* ram_style = "logic" *)
      reg [WIDTH-1:0] mem_q [0:SLOTS-1];
      reg [PTR_W-1:0] rd_ptr_q, rd_ptr_d;
      reg [PTR_W-1:0] wr_ptr_q, wr_ptr_d;

      always @* begin
        rd_ptr_d = rd_ptr_q;
        wr_ptr_d = wr_ptr_q;
        if (refill) rd_ptr_d = (rd_ptr_q == PTR_LAST) ? {PTR_W{1'b0}} : rd_ptr_q + PTR_ONE;
        if (store) wr_ptr_d = (wr_ptr_q == PTR_LAST) ? {PTR_W{1'b0}} : wr_ptr_q + PTR_ONE;
      end

      always @(posedge clk_i) begin
        if (!rst_ni) begin
          rd_ptr_q <= {PTR_W{1'b0}};
          wr_ptr_q <= {PTR_W{1'b0}};
        end else begin
          rd_ptr_q <= rd_ptr_d;
          wr_ptr_q <= wr_ptr_d;
        end
        if (store) mem_q[wr_ptr_q] <= in_data_i;
      end

      assign stored_any  = (level_q > LEVEL_ONE);
      assign stored_data = mem_q[rd_ptr_q];
    end
  endgenerate

  always @* begin
    level_d     = level_q;
    out_valid_d = out_valid_q;
    if (push && !pop) level_d = level_q + LEVEL_ONE;
    if (pop && !push) level_d = level_q - LEVEL_ONE;
    if (out_free) out_valid_d = stored_any | push;
    in_ready_d = (level_d != LEVEL_FULL);
  end

  // flop enable of the output data: the data path does not depend on the handshakes
  wire out_load = out_free & (stored_any | in_valid_i);

  always @* begin
    out_data_d = stored_any ? stored_data : in_data_i;
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      out_valid_q <= 1'b0;
      level_q     <= {LEVEL_W{1'b0}};
      in_ready_q  <= 1'b1;
    end else begin
      out_valid_q <= out_valid_d;
      level_q     <= level_d;
      in_ready_q  <= in_ready_d;
    end
    if (out_load) out_data_q <= out_data_d;
  end

  assign in_ready_o  = in_ready_q;
  assign out_valid_o = out_valid_q;
  assign out_data_o  = out_data_q;
  assign level_o     = level_q;
endmodule

`default_nettype wire
