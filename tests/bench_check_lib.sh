# Sourced by the fwmac bench check scripts (tests/bench_*_check.sh FWMAC_BINARY CONFIG
# WORK_DIR): runs `fwmac bench --config CONFIG --json` into WORK_DIR (bench.json in $j, the
# text in bench.txt) and defines `check WHAT COMMAND...` (prints FAIL: WHAT and counts a
# failure when COMMAND fails) and `finish_checks` (prints the count, exits non-zero on any).
# shellcheck shell=bash
set -uo pipefail
fwmac=$1; config=$2; work=$3
rm -rf "$work"; mkdir -p "$work"
"$fwmac" bench --config "$config" --json "$work/bench.json" > "$work/bench.txt" || { echo "FAIL: bench"; exit 1; }
failures=0
check() { local what=$1; shift; "$@" || { echo "FAIL: $what"; failures=$((failures + 1)); }; }
finish_checks() { echo "$failures failed"; [ "$failures" -eq 0 ]; }
j=$work/bench.json
