#!/usr/bin/env bash
# Compiles a directed Icarus testbench with iverilog -g2005 -Wall (any output fails) and
# runs it; passes iff it prints a line starting with PASS and none starting with FAIL.
# VVP_ARGS (environment): plusargs for the simulation, e.g. "+no_gaps +vcd=run.vcd".
#   tb/units/icarus_run.sh WORK_DIR TOP FILE.v...
set -euo pipefail
work=$1; top=$2; shift 2
mkdir -p "$work"
out=$(iverilog -g2005 -Wall -o "$work/$top.vvp" -s "$top" "$@" 2>&1) || { echo "$out"; exit 1; }
[ -z "$out" ] || { echo "iverilog: $out"; exit 1; }
# shellcheck disable=SC2086
result=$(vvp -n "$work/$top.vvp" ${VVP_ARGS:-})
echo "$result"
! grep -q '^FAIL' <<< "$result" && grep -q '^PASS' <<< "$result"
