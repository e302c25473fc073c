# fwmac @VERSION@ timing constraints for '@NAME@' (config hash @HASH@)
# Target clock @CLOCK_MHZ@ MHz. Every other port is constrained against it with 20 % of
# the period for the logic outside the core. Ports are listed by name ([*] for
# buses) so that the file reads in OpenSTA, Vivado and Design Compiler alike.
create_clock -name clk -period @PERIOD_NS@ [get_ports clk_i]
set_input_delay -clock clk @IO_DELAY_NS@ [get_ports {@INPUT_PORTS@}]
set_output_delay -clock clk @IO_DELAY_NS@ [get_ports {@OUTPUT_PORTS@}]
