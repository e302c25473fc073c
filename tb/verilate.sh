#!/usr/bin/env bash
# Builds the Verilator testbench for one generated design.
#   tb/verilate.sh [--threads N] [--coverage] GEN_DIR OUT_BINARY BUILD_DIR SOURCE_DIR LIBS...
# GEN_DIR is the output of `fwmac generate`; LIBS are the static libraries to link.
# --threads N (default 1) verilates a multithreaded model (Verilator --threads N): the
# model's thread count is fixed here, at build time; the binary runs with exactly N.
# VERILATE_JOBS (default 2) is the number of compile jobs.
# --coverage (or COVERAGE=1 in the environment) adds Verilator line and toggle coverage
# and the testbench's own cover points (tb/cover_points.hpp); the binary then writes a
# coverage.dat with `fwmac_tb --coverage FILE` (see docs/coverage.md).
set -euo pipefail
threads=1
coverage=${COVERAGE:-0}
while [ $# -gt 0 ]; do
  case $1 in
    --threads)
      threads=${2:-}; shift 2
      [[ "$threads" =~ ^[0-9]+$ ]] && [ "$threads" -ge 1 ] && [ "$threads" -le 64 ] \
        || { echo "verilate.sh: --threads $threads: allowed range 1..64" >&2; exit 2; } ;;
    --coverage) coverage=1; shift ;;
    *) break ;;
  esac
done
[ $# -ge 4 ] || { echo "usage: tb/verilate.sh [--threads N] [--coverage] GEN_DIR OUT_BINARY BUILD_DIR SOURCE_DIR LIBS..." >&2; exit 2; }
# Optimization: the model's hot code at -O3, the rest at -O2. A coverage build generates
# several times the C++ (a counter update per toggled bit and an insert call per point and
# instance), and its runs are short, so it is compiled for build time instead: at
# COVERAGE_OPT (default -O1; -O0 builds a fifth faster and simulates half as fast).
coverage_flags=(); cflags_opt=-O2; make_opt="OPT_FAST=-O3 OPT_GLOBAL=-O2"
if [ "$coverage" = 1 ]; then
  coverage_opt=${COVERAGE_OPT:--O1}
  [[ "$coverage_opt" =~ ^-O[0-3sg]$ ]] || { echo "verilate.sh: COVERAGE_OPT=$coverage_opt: not -O0..-O3, -Os, -Og" >&2; exit 2; }
  coverage_flags=(--coverage-line --coverage-toggle); cflags_opt=
  make_opt="OPT_FAST=$coverage_opt OPT_SLOW=-O0 OPT_GLOBAL=$coverage_opt"
fi
gen_dir=$(cd "$1" && pwd); out_binary=$2; build_dir=$3; source_dir=$(cd "$4" && pwd); shift 4
mkdir -p "$build_dir"
# the design's top module and filelist (named after its config: <name>_top, <name>.f)
top=$(jq -r '.top_module // "fwmac_top"' "$gen_dir/report.json")
filelist=$(jq -r '.filelist // "fwmac.f"' "$gen_dir/report.json")
rtl_files=()
while read -r file; do rtl_files+=("$gen_dir/$file"); done < <(grep -v "^//" "$gen_dir/$filelist")  # skip its SPDX comment
# clang++ builds a measurably faster model (see README, simulation speed); g++ otherwise.
compiler=(); if command -v clang++ > /dev/null; then compiler=(--compiler clang -MAKEFLAGS CXX=clang++); fi
ldflags=()
for lib in "$@"; do ldflags+=(-LDFLAGS "$(realpath "$lib")"); done
verilator "${compiler[@]}" "${coverage_flags[@]}" --cc --exe --build -j "${VERILATE_JOBS:-2}" --threads "$threads" --output-split 20000 -O3 --x-assign fast \
  --x-initial fast --trace-fst -Wall --top-module "$top" --prefix Vfwmac_top -Mdir "$build_dir" \
  -o "$(basename "$out_binary")" \
  -CFLAGS "-std=c++17 $cflags_opt -I$source_dir -I$(dirname "$out_binary") -DFWMAC_TB_THREADS=$threads -DFWMAC_TOP_MODULE=$top" \
  -MAKEFLAGS "$make_opt" "${ldflags[@]}" -LDFLAGS -lfmt \
  "${rtl_files[@]}" "$source_dir/tb/tb_main.cpp" "$source_dir/tb/stimulus.cpp" "$source_dir/tb/gtkw.cpp" \
  > "$build_dir/verilate.log" 2>&1 \
  || { tail -50 "$build_dir/verilate.log"; exit 1; }
cp "$build_dir/$(basename "$out_binary")" "$out_binary"
