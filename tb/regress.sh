#!/usr/bin/env bash
# Regression driver: N random array configs x M random-layer seeds through the
# Verilator testbench (always-ready: values + cycles; and back-pressure), in parallel.
#   tb/regress.sh --fwmac BIN --work DIR [--configs N] [--seeds M] [-j JOBS]
#                 [--shard I/N] [--seed S] [--junit FILE]
# Prints a progress line per config, a summary table, a rerun command for every
# failure, and writes JUnit XML. Exit code 1 if anything failed.
set -uo pipefail
source_dir=$(cd "$(dirname "$0")/.." && pwd)
fwmac=""; work=""; configs=4; seeds=5; jobs=2; shard_index=0; shard_count=1; base_seed=1; junit=""
while [ $# -gt 0 ]; do
    case $1 in
        --fwmac) fwmac=$(realpath "$2"); shift 2 ;;
        --work) work=$2; shift 2 ;;
        --configs) configs=$2; shift 2 ;;
        --seeds) seeds=$2; shift 2 ;;
        -j) jobs=$2; shift 2 ;;
        --shard) shard_index=${2%/*}; shard_count=${2#*/}; shift 2 ;;
        --seed) base_seed=$2; shift 2 ;;
        --junit) junit=$2; shift 2 ;;
        *) echo "regress: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -n "$fwmac" ] && [ -n "$work" ] || { echo "regress: --fwmac BIN and --work DIR are required" >&2; exit 2; }
[ "$shard_index" -lt "$shard_count" ] || { echo "regress: --shard I/N needs 0 <= I < N" >&2; exit 2; }
mkdir -p "$work"; work=$(cd "$work" && pwd)
# the static libraries a testbench links, in link order (written by tb/CMakeLists.txt)
tb_libs=$(tr '\n' ' ' < "$(dirname "$fwmac")/../tb/tb_link_libs.txt")

# One random config per index, reproducible from (base seed, index) alone.
config_json() {
    local i=$1
    # field k of config i: an independent hash of (base seed, i, k)
    pick() { echo $(( ((base_seed * 7919 + i * 104729 + $2 * 15485863) * 2654435761 % 2147483647) % $1 )); }
    local rows=$(( $(pick 6 1) + 1 )) cols=$(( $(pick 6 2) + 1 )) lanes=$(( $(pick 12 3) + 1 ))
    local act=$(( $(pick 8 4) + 1 )) bits=$(( $(pick 8 5) + 1 )) tree=$(( $(pick 997 6) % 3 ))
    local architecture=bit_serial; [ "$(pick 4 7)" -eq 0 ] && architecture=bit_parallel  # the baseline, 1 in 4
    local slots=1; [ "$architecture" = bit_serial ] && slots=$(( $(pick 2 8) + 1 ))  # two filters per row, 1 in 2
    printf '{"name": "regress_%d", "architecture": "%s", "rows": %d, "cols": %d, "lanes": %d, "act_bits": %d, "max_weight_bits": %d, "k_max": 512, "row_slots": %d, "pipeline": {"tree_register_every": %d}}\n' \
        "$i" "$architecture" "$rows" "$cols" "$lanes" "$act" "$bits" "$slots" "$tree"
}

run_config() {  # index -> writes $work/config_$i/{result,log}
    local i=$1
    local dir="$work/config_$i"
    rm -rf "$dir"; mkdir -p "$dir"
    config_json "$i" > "$dir/config.json"
    local start=$SECONDS status=PASS detail=""
    if ! "$fwmac" generate "$dir/config.json" -o "$dir/gen" > "$dir/log" 2>&1; then
        status=FAIL; detail="generate"
    elif ! "$source_dir/tb/verilate.sh" "$dir/gen" "$dir/fwmac_tb" "$dir/obj" "$source_dir" $tb_libs \
            >> "$dir/log" 2>&1; then
        status=FAIL; detail="verilate"
    else
        local first=$(( base_seed * 1000 + i * seeds ))
        "$dir/fwmac_tb" --gen "$dir/gen" --seeds "$first:$seeds" --fst "$dir/mismatch.fst" >> "$dir/log" 2>&1 \
            || { status=FAIL; detail="always-ready seeds $first:$seeds"; }
        "$dir/fwmac_tb" --gen "$dir/gen" --seeds "$first:$seeds" --backpressure --fst "$dir/mismatch_bp.fst" \
            >> "$dir/log" 2>&1 || { status=FAIL; detail="${detail:+$detail, }back-pressure seeds $first:$seeds"; }
    fi
    printf '%s\t%d\t%s\t%s\n' "$status" $(( SECONDS - start )) "$(tr -d '\n' < "$dir/config.json")" "$detail" \
        > "$dir/result"
    echo "[$(date +%H:%M:%S)] config $i: $status ($(( SECONDS - start )) s)"
}
export -f run_config config_json
export fwmac work seeds base_seed source_dir tb_libs

indices=(); for ((i = 0; i < configs; ++i)); do [ $(( i % shard_count )) -eq "$shard_index" ] && indices+=("$i"); done
echo "regress: ${#indices[@]} configs (shard $shard_index/$shard_count) x $seeds seeds x 2 modes, $jobs jobs, base seed $base_seed"
printf '%s\n' "${indices[@]}" | xargs -P "$jobs" -I{} bash -c 'run_config {}'

passed=0; failed=0
printf '\n%-6s %-5s %6s  %s\n' index result secs config
for i in "${indices[@]}"; do
    IFS=$'\t' read -r status secs config detail < "$work/config_$i/result"
    printf '%-6s %-5s %6s  %s\n' "$i" "$status" "$secs" "$config"
    if [ "$status" = PASS ]; then passed=$((passed + 1)); else
        failed=$((failed + 1))
        echo "       failed: $detail; log: $work/config_$i/log"
        echo "       rerun:  tb/regress.sh --fwmac $fwmac --work $work --configs $configs --seeds $seeds --seed $base_seed --shard $i/$configs"
    fi
done
if [ -n "$junit" ]; then
    {
        echo '<?xml version="1.0" encoding="UTF-8"?>'
        echo "<testsuite name=\"fwmac.regress\" tests=\"${#indices[@]}\" failures=\"$failed\">"
        for i in "${indices[@]}"; do
            IFS=$'\t' read -r status secs config detail < "$work/config_$i/result"
            echo "  <testcase classname=\"fwmac.regress\" name=\"config_$i\" time=\"$secs\">"
            [ "$status" = PASS ] || echo "    <failure message=\"$detail\">config $(echo "$config" | sed 's/"/\&quot;/g')</failure>"
            echo "  </testcase>"
        done
        echo "</testsuite>"
    } > "$junit"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
