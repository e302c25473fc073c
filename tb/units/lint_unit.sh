#!/usr/bin/env bash
# Lints one module of rtl_templates/ at one parameter set with all three tools, or
# checks that all three refuse an out-of-range parameter set with the module's message.
#   tb/units/lint_unit.sh lint|reject MODULE "NAME=VALUE ..." FILE.v|DIR [MORE.v|DIR ...]
# (a DIR stands for its *.v files, e.g. the rtl/ of a generated design)
# lint:   verilator --lint-only -Wall (no warning, no waiver), iverilog -g2005 -Wall (no
#         output at all), yosys hierarchy -check; proc; check -assert with no latch cell.
# reject: verilator stops with "USERERROR: ... MODULE:" from $error, iverilog with the
#         missing fwmac_param_error_* module of the Icarus fallback, yosys with
#         "ERROR: MODULE:".
set -euo pipefail
mode=$1; module=$2; params=$3; shift 3
files=()
for argument in "$@"; do
  if [ -d "$argument" ]; then files+=("$argument"/*.v); else files+=("$argument"); fi
done
g=(); p=(); c=()
for assignment in $params; do
  g+=("-G$assignment"); p+=("-P$module.$assignment"); c+=(-chparam "${assignment%%=*}" "${assignment#*=}")
done
reads=""
for file in "${files[@]}"; do reads+="read_verilog $file; "; done
case $mode in
  lint)
    verilator --lint-only -Wall --top-module "$module" "${g[@]}" "${files[@]}"
    ivl=$(iverilog -g2005 -Wall -o /dev/null -s "$module" "${p[@]}" "${files[@]}" 2>&1) || { echo "$ivl"; exit 1; }
    [ -z "$ivl" ] || { echo "iverilog: $ivl"; exit 1; }
    yosys -q -p "$reads hierarchy -check -top $module ${c[*]}; proc; check -assert;
                 select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr t:\$sr"
    echo "lint clean: $module $params"
    ;;
  reject)
    if out=$(verilator --lint-only -Wall --top-module "$module" "${g[@]}" "${files[@]}" 2>&1); then
      echo "verilator accepted $module $params"; exit 1
    fi
    grep -q "USERERROR: .*$module:" <<< "$out" || { echo "verilator: no \$error message: $out"; exit 1; }
    if out=$(iverilog -g2005 -Wall -o /dev/null -s "$module" "${p[@]}" "${files[@]}" 2>&1); then
      echo "iverilog accepted $module $params"; exit 1
    fi
    grep -q "Unknown module type: fwmac_param_error_" <<< "$out" || { echo "iverilog: $out"; exit 1; }
    if out=$(yosys -q -p "$reads hierarchy -check -top $module ${c[*]}; proc" 2>&1); then
      echo "yosys accepted $module $params"; exit 1
    fi
    grep -q "ERROR: $module:" <<< "$out" || { echo "yosys: $out"; exit 1; }
    echo "refused by all three tools: $module $params"
    ;;
  *) echo "usage: lint_unit.sh lint|reject MODULE PARAMS FILE.v..."; exit 2 ;;
esac
