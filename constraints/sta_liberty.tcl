# fwmac @VERSION@ static timing analysis for '@NAME@' (config hash @HASH@)
# Run from the output directory after yosys -s synth/synth_liberty.ys:
#   sta -no_splash -exit synth/sta_liberty.tcl
# Setup checks of the mapped netlist against constraints/fwmac.sdc (@CLOCK_MHZ@ MHz): the
# worst path (fwmac synth reports its slack and end points), then the worst path between
# two registers of the core, then the worst slack and the total negative slack.
read_liberty synth/liberty.lib
read_verilog synth/liberty_netlist.v
link_design fwmac_top
read_sdc constraints/fwmac.sdc
report_checks -path_delay max -digits 3
puts "fwmac: the worst register-to-register path (inside the core):"
report_checks -path_delay max -digits 3 -from [all_registers -clock_pins] -to [all_registers -data_pins]
report_worst_slack -digits 3
report_tns -digits 3
