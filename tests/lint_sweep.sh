#!/usr/bin/env bash
# Lint sweep: generates a grid of configs with corner values (1, 2, odd, powers of two,
# maxima) and requires zero warnings from `verilator --lint-only -Wall` and a clean
# `yosys read_verilog; hierarchy; proc; check -assert` and `iverilog -g2005 -Wall`
# (no warnings) on every one.
#   tests/lint_sweep.sh FWMAC_BINARY WORK_DIR [COUNT] [ARCHITECTURE]
# ARCHITECTURE: bit_serial (default; every other pair of configs with row_slots = 2) or
# bit_parallel (the baseline array, one slot per row).
set -uo pipefail
fwmac=$1; work=$2; count=${3:-60}; architecture=${4:-bit_serial}
rm -rf "$work"; mkdir -p "$work"

rows=(1 2 3 4 5 8 16)
cols=(1 2 3 5 7 8 16)
lanes=(1 2 3 7 8 16 33 64)
act_bits=(1 2 5 8 16)
weight_bits=(1 2 5 8 16)
tree=(0 1 2 3 6)

failures=0
for ((i = 0; i < count; ++i)); do
    # A deterministic walk through the grid with co-prime strides covers every value.
    r=${rows[$(( i % ${#rows[@]} ))]}
    c=${cols[$(( (i * 3 + 1) % ${#cols[@]} ))]}
    l=${lanes[$(( (i * 5 + 2) % ${#lanes[@]} ))]}
    a=${act_bits[$(( (i * 2 + i / 5) % ${#act_bits[@]} ))]}
    b=${weight_bits[$(( (i * 3 + i / 7) % ${#weight_bits[@]} ))]}
    t=${tree[$(( (i + i / 3) % ${#tree[@]} ))]}
    # k_max: lanes itself, an odd value, or the largest the accumulator allows
    case $(( i % 3 )) in
        0) k=$l ;;
        1) k=$(( l * 9 + 3 )) ;;
        2) k=$(( 1 << (46 - a - b - 1) )); [ "$k" -gt 1048576 ] && k=1048576; [ "$k" -lt "$l" ] && k=$l ;;
    esac
    s=1; [ "$architecture" = bit_serial ] && s=$(( 1 + (i / 2) % 2 ))
    name="sweep_${i}_${r}x${c}x${l}_a${a}_b${b}_t${t}_k${k}_s${s}"
    printf '{"name": "s%d", "architecture": "%s", "rows": %d, "cols": %d, "lanes": %d, "act_bits": %d, "max_weight_bits": %d, "k_max": %d, "row_slots": %d, "pipeline": {"tree_register_every": %d}}' \
        "$i" "$architecture" "$r" "$c" "$l" "$a" "$b" "$k" "$s" "$t" > "$work/$name.json"
    if ! "$fwmac" generate "$work/$name.json" -o "$work/$name" > "$work/$name.gen.log" 2>&1; then
        echo "FAIL generate $name: $(cat "$work/$name.gen.log")"; failures=$((failures + 1)); continue
    fi
    top=$(jq -r .top_module "$work/$name/report.json"); filelist=$(jq -r .filelist "$work/$name/report.json")
    (cd "$work/$name" &&
        verilator --lint-only -Wall --top-module "$top" -f "$filelist" > lint.log 2>&1 &&
        iverilog -g2005 -Wall -o /dev/null -c "$filelist" > iverilog.log 2>&1 && ! grep -qi warning iverilog.log &&
        yosys -q -p "read_verilog $(grep -v '^//' "$filelist" | tr '\n' ' '); hierarchy -check -top $top; proc; check -assert" \
            > yosys.log 2>&1)
    if [ $? -ne 0 ]; then
        echo "FAIL lint $name:"; cat "$work/$name"/*.log 2>/dev/null | head -20
        failures=$((failures + 1))
    fi
done
echo "lint sweep: $count $architecture configs, verilator -Wall + iverilog -g2005 -Wall + yosys check -assert"
echo "$((count - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
