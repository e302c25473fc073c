#!/usr/bin/env bash
# The Icarus replay of one accelerator shell run: the Verilator testbench (tb_accel) runs a
# workload and writes its first run with --dump, then tb_accel_replay_icarus.v drives the
# generated shell in Icarus with it (tb/units/icarus_run.sh: PASS line, no FAIL line).
#   accel_replay.sh TB GENERATED_RTL_DIR WORK_DIR ICARUS_RUN TB_ACCEL_REPLAY_ICARUS.v TB_ARGUMENTS...
set -euo pipefail
tb=$1; rtl=$2; work=$3; icarus_run=$4; replay_tb=$5; shift 5
rm -rf "$work"
mkdir -p "$work"
"$tb" "$@" --dump "$work/dump"
exec "$icarus_run" "$work" tb_accel_replay_icarus "-I$work/dump" "$replay_tb" "$rtl"/*.v
