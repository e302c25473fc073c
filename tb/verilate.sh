#!/usr/bin/env bash
# Builds the Verilator testbench for one generated design.
#   tb/verilate.sh [--threads N] GEN_DIR OUT_BINARY BUILD_DIR SOURCE_DIR LIBS...
# GEN_DIR is the output of `fwmac generate`; LIBS are the static libraries to link.
# --threads N (default 1) verilates a multithreaded model (Verilator --threads N): the
# model's thread count is fixed here, at build time; the binary runs with exactly N.
set -euo pipefail
threads=1
if [ "${1:-}" = --threads ]; then
  threads=$2; shift 2
  [[ "$threads" =~ ^[0-9]+$ ]] && [ "$threads" -ge 1 ] && [ "$threads" -le 64 ] \
    || { echo "verilate.sh: --threads $threads: allowed range 1..64" >&2; exit 2; }
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
verilator "${compiler[@]}" --cc --exe --build -j 2 --threads "$threads" --output-split 20000 -O3 --x-assign fast \
  --x-initial fast --trace-fst -Wall --top-module "$top" --prefix Vfwmac_top -Mdir "$build_dir" \
  -o "$(basename "$out_binary")" \
  -CFLAGS "-std=c++17 -O2 -I$source_dir -I$(dirname "$out_binary") -DFWMAC_TB_THREADS=$threads -DFWMAC_TOP_MODULE=$top" \
  -MAKEFLAGS "OPT_FAST=-O3 OPT_GLOBAL=-O2" "${ldflags[@]}" -LDFLAGS -lfmt \
  "${rtl_files[@]}" "$source_dir/tb/tb_main.cpp" "$source_dir/tb/stimulus.cpp" "$source_dir/tb/gtkw.cpp" \
  > "$build_dir/verilate.log" 2>&1 \
  || { tail -50 "$build_dir/verilate.log"; exit 1; }
cp "$build_dir/$(basename "$out_binary")" "$out_binary"
