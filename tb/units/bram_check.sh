#!/usr/bin/env bash
# Synthesizes fwmac_ram_sdp (rtl_templates/stream) at one size and requires exactly
# COUNT block RAM cells, no memory left unmapped, no distributed RAM and at most MAX_FF
# flops and MAX_LUT LUTs (the read multiplexer of depth-cascaded blocks).
#   tb/units/bram_check.sh RAM.v WIDTH DEPTH RDW_OLD ice40|xc7 CELL COUNT MAX_FF MAX_LUT WORK_DIR
set -euo pipefail
file=$1 width=$2 depth=$3 rdw=$4 flow=$5 cell=$6 count=$7 max_ff=$8 max_lut=$9 work=${10}
mkdir -p "$work"
stat=$work/${flow}_${width}x${depth}_rdw${rdw}.stat
script="read_verilog $file; chparam -set WIDTH $width -set DEPTH $depth -set RDW_OLD $rdw fwmac_ram_sdp;"
case $flow in
  ice40) script+=" synth_ice40 -top fwmac_ram_sdp;" ;;
  xc7) script+=" synth_xilinx -family xc7 -noiopad -top fwmac_ram_sdp;" ;;
  *) echo "unknown flow $flow"; exit 2 ;;
esac
yosys -q -p "$script tee -q -o $stat stat" > "$stat.log" 2>&1 || { cat "$stat.log"; exit 1; }
n_ram=$(awk -v c="$cell" '$1 == c {print $2}' "$stat"); n_ram=${n_ram:-0}
n_ff=$(awk '$1 ~ /^(SB_DFF|FD)/ {s += $2} END {print s + 0}' "$stat")
n_lut=$(awk '$1 ~ /^(SB_LUT4|LUT[1-6]|MUXF)/ {s += $2} END {print s + 0}' "$stat")
n_mem=$(awk '/Number of memories:/ {print $4}' "$stat")
echo "$flow ${width}x${depth} RDW_OLD=$rdw: $n_ram $cell, $n_ff flops, $n_lut LUTs"
[ "$n_ram" -eq "$count" ] || { echo "expected $count $cell, got $n_ram"; exit 1; }
[ "${n_mem:-0}" -eq 0 ] || { echo "$n_mem memories left unmapped"; exit 1; }
[ "$n_ff" -le "$max_ff" ] || { echo "$n_ff flops > $max_ff"; exit 1; }
[ "$n_lut" -le "$max_lut" ] || { echo "$n_lut LUTs > $max_lut"; exit 1; }
if grep -qE '^ +(RAM(32|64|128|256)[A-Z0-9]*|SB_SPRAM256KA) ' "$stat"; then echo "distributed RAM used"; exit 1; fi
