# fwmac @VERSION@ static timing analysis for '@NAME@' (config hash @HASH@)
# Run from the output directory after yosys -s synth/synth_liberty.ys:
#   sta -no_splash -exit synth/sta_liberty.tcl
# Setup checks of the mapped netlist against constraints/fwmac.sdc (@CLOCK_MHZ@ MHz).
read_liberty synth/liberty.lib
read_verilog synth/liberty_netlist.v
link_design fwmac_top
read_sdc constraints/fwmac.sdc
report_checks -path_delay max -digits 3
report_worst_slack -digits 3
report_tns -digits 3
