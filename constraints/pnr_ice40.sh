#!/bin/sh
# fwmac @VERSION@ iCE40 place and route for '@NAME@' (config hash @HASH@)
# Run from the output directory after yosys -s synth/synth_ice40.ys (or synth_ice40_array.ys,
# or synth_ice40_accel.ys for a design with the accelerator shell):
#   sh synth/pnr_ice40.sh [up5k|hx8k] [ice40|ice40_array|ice40_accel]     (default up5k ice40)
# Places and routes synth/<netlist>.json (the core, the PE array alone or the accelerator
# shell, inside its pin wrapper) with the target
# clock of the config (@CLOCK_MHZ@ MHz); a missed target is reported, not an error, so the
# log always ends with the achieved "Max frequency for clock" line.
set -eu
device=${1:-up5k}
netlist=${2:-ice40}
case "$device" in
  up5k) package=sg48 ;;
  hx8k) package=ct256 ;;
  *) echo "pnr_ice40.sh: device must be up5k or hx8k, got '$device'" >&2; exit 2 ;;
esac
case "$netlist" in
  ice40|ice40_array|ice40_accel) ;;
  *) echo "pnr_ice40.sh: netlist must be ice40, ice40_array or ice40_accel, got '$netlist'" >&2; exit 2 ;;
esac
exec nextpnr-ice40 "--$device" --package "$package" --json "synth/$netlist.json" \
  --pcf "constraints/fwmac_$device.pcf" --freq @CLOCK_MHZ@ --timing-allow-fail \
  --asc "synth/${netlist}_$device.asc"
