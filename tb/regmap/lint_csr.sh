#!/usr/bin/env bash
# Lints a generated CSR module: verilator --lint-only -Wall, iverilog -g2005 -Wall (no
# warning) and yosys check -assert, at the default (smallest) ADDR_W and at ADDR_W = 32;
# an ADDR_W one below the smallest must fail elaboration in Verilator and Icarus.
#   tb/regmap/lint_csr.sh FILE.v MODULE WORK_DIR
set -euo pipefail
file=$1; module=$2; work=$3
mkdir -p "$work"
smallest=$(sed -n 's/^  parameter integer ADDR_W = \([0-9]*\).*/\1/p' "$file")
[ -n "$smallest" ] || { echo "no ADDR_W parameter in $file"; exit 1; }
for addr_w in "$smallest" 32; do
  verilator --lint-only -Wall --top-module "$module" -GADDR_W="$addr_w" "$file"
  iverilog -g2005 -Wall -P"$module.ADDR_W=$addr_w" -o "$work/csr.vvp" "$file" > "$work/iverilog.log" 2>&1 \
    || { cat "$work/iverilog.log"; exit 1; }
  if [ -s "$work/iverilog.log" ]; then cat "$work/iverilog.log"; echo "iverilog warnings at ADDR_W=$addr_w"; exit 1; fi
  yosys -q -p "read_verilog $file; chparam -set ADDR_W $addr_w $module; hierarchy -check -top $module; proc;
               check -assert" > "$work/yosys.log" 2>&1 || { cat "$work/yosys.log"; exit 1; }
done
too_small=$((smallest - 1))
if verilator --lint-only -Wall --top-module "$module" -GADDR_W="$too_small" "$file" > "$work/small.log" 2>&1; then
  echo "verilator accepted ADDR_W=$too_small"; exit 1
fi
if iverilog -g2005 -P"$module.ADDR_W=$too_small" -o "$work/small.vvp" "$file" > "$work/small_iverilog.log" 2>&1; then
  echo "iverilog accepted ADDR_W=$too_small"; exit 1
fi
echo "lint clean: $module at ADDR_W $smallest and 32; ADDR_W $too_small refused"
