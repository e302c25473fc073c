#!/usr/bin/env bash
# Second simulator: runs the golden vectors of several seeds through Icarus Verilog
# on a generated design with the plain Verilog testbench tb/tb_fwmac_top.v.
#   tb/icarus_check.sh FWMAC_BINARY GEN_DIR WORK_DIR SEED...
set -uo pipefail
fwmac=$1; gen_dir=$(cd "$2" && pwd); work=$3; shift 3
source_dir=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$work"; mkdir -p "$work"
top=$(jq -r '.top_module // "fwmac_top"' "$gen_dir/report.json")
filelist=$(jq -r '.filelist // "fwmac.f"' "$gen_dir/report.json")
rtl=(); while read -r file; do rtl+=("$gen_dir/$file"); done < <(grep -v "^//" "$gen_dir/$filelist")
passed=0; failed=0
for seed in "$@"; do
    vectors="$work/seed_$seed"
    if ! "$fwmac" vectors --gen "$gen_dir" --seed "$seed" --max-depth 64 -o "$vectors" > /dev/null; then
        echo "FAIL seed $seed: fwmac vectors"; failed=$((failed + 1)); continue
    fi
    if ! iverilog -g2012 -Wall -Wno-timescale -I "$vectors" -DFWMAC_TOP="$top" -s tb_fwmac_top -o "$vectors/sim.vvp" \
            "$source_dir/tb/tb_fwmac_top.v" "${rtl[@]}" > "$vectors/iverilog.log" 2>&1; then
        echo "FAIL seed $seed: iverilog"; cat "$vectors/iverilog.log"; failed=$((failed + 1)); continue
    fi
    if grep -qi "warning" "$vectors/iverilog.log"; then
        echo "FAIL seed $seed: iverilog warnings"; cat "$vectors/iverilog.log"; failed=$((failed + 1)); continue
    fi
    result=$(cd "$vectors" && vvp -n sim.vvp | grep -E "^(PASS|FAIL)")
    echo "seed $seed: $result"
    case "$result" in PASS*) passed=$((passed + 1)) ;; *) failed=$((failed + 1)) ;; esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
