#!/usr/bin/env bash
# Coverage of the generated RTL (make coverage; docs/coverage.md): a set of array configs
# that spans the generator's options, each verilated with line and toggle coverage
# (tb/verilate.sh --coverage) and run on random layers always-ready and under
# back-pressure, with tiny and long depths and the stall patterns of fwmac_tb
# --backpressure; every run's coverage.dat is mapped onto rtl_templates/
# (tools/coverage_report.py normalize), all are merged by verilator_coverage --write
# into merged.dat, annotated (verilator_coverage --annotate) and summarized per module.
#   tb/coverage.sh --fwmac BIN --work DIR [--short] [--seeds N] [-j JOBS]
# --short: one small config and two seeds per run set (the ctest test, about a minute).
# Writes DIR/merged.dat, DIR/annotated/, DIR/summary.txt (and DIR/baseline_summary.txt:
# the always-ready and random back-pressure run sets alone); exit code 1 if a design
# fails to build or a run fails its checks.
set -uo pipefail
source_dir=$(cd "$(dirname "$0")/.." && pwd)
fwmac=""; work=""; short=0; seeds=""; jobs=1
while [ $# -gt 0 ]; do
    case $1 in
        --fwmac) fwmac=$(realpath "$2"); shift 2 ;;
        --work) work=$2; shift 2 ;;
        --short) short=1; shift ;;
        --seeds) seeds=$2; shift 2 ;;
        -j) jobs=$2; shift 2 ;;
        *) echo "coverage: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -n "$fwmac" ] && [ -n "$work" ] || { echo "coverage: --fwmac BIN and --work DIR are required" >&2; exit 2; }
command -v verilator_coverage > /dev/null || { echo "coverage: verilator_coverage not found" >&2; exit 2; }
mkdir -p "$work"; work=$(cd "$work" && pwd)
tb_libs=$(tr '\n' ' ' < "$(dirname "$fwmac")/../tb/tb_link_libs.txt")

# The configs: bit-serial and bit-parallel, one and two filters per row, raw outputs
# and requantized only, one and several requantizers (with and without idle columns in
# the last group), requant pipelines of 0, some and all 9 stages, combinational and
# registered adder trees, and the degenerate 1x1x1 array with one-bit operands.
full_configs=(
    '{"name": "cov_2x2x2_slots2_raw", "rows": 2, "cols": 2, "lanes": 2, "act_bits": 4, "max_weight_bits": 4, "k_max": 64, "row_slots": 2, "raw_outputs": true, "requant_units": 1, "pipeline": {"requant_stages": 2}}'
    '{"name": "cov_1x1x1_b1", "rows": 1, "cols": 1, "lanes": 1, "act_bits": 1, "max_weight_bits": 1, "k_max": 64, "pipeline": {"requant_stages": 0}}'
    '{"name": "cov_3x5x7_raw", "rows": 3, "cols": 5, "lanes": 7, "act_bits": 6, "max_weight_bits": 5, "k_max": 300, "raw_outputs": true, "requant_units": 2, "pipeline": {"tree_register_every": 1, "requant_stages": 0}}'
    '{"name": "cov_4x3x4_req", "rows": 4, "cols": 3, "lanes": 4, "act_bits": 8, "max_weight_bits": 8, "k_max": 512, "requant_units": 1, "pipeline": {"requant_stages": 4}}'
    '{"name": "cov_3x4x5_slots2_raw", "rows": 3, "cols": 4, "lanes": 5, "act_bits": 5, "max_weight_bits": 6, "k_max": 400, "row_slots": 2, "raw_outputs": true, "requant_units": 4, "pipeline": {"tree_register_every": 2, "requant_stages": 9}}'
    '{"name": "cov_2x3x4_slots2", "rows": 2, "cols": 3, "lanes": 4, "act_bits": 8, "max_weight_bits": 8, "k_max": 256, "row_slots": 2, "requant_units": 2, "pipeline": {"requant_stages": 1}}'
    '{"name": "cov_3x4x4_par_raw", "architecture": "bit_parallel", "rows": 3, "cols": 4, "lanes": 4, "act_bits": 6, "max_weight_bits": 5, "k_max": 300, "raw_outputs": true, "requant_units": 3, "pipeline": {"tree_register_every": 1, "requant_stages": 2}}'
    '{"name": "cov_2x2x3_par", "architecture": "bit_parallel", "rows": 2, "cols": 2, "lanes": 3, "act_bits": 8, "max_weight_bits": 8, "k_max": 256, "requant_units": 1, "pipeline": {"requant_stages": 0}}'
)
# --short: the smallest design that still has every template but the bit-parallel PE
short_configs=("${full_configs[0]}")
# (--short compiles at -O0: its runs are few, the build is most of its time)
coverage_opt=-O1
if [ "$short" = 1 ]; then configs=("${short_configs[@]}"); seeds=${seeds:-2}; coverage_opt=-O0
else configs=("${full_configs[@]}"); seeds=${seeds:-20}; fi

# The run sets of one design, one line each: NAME fwmac_tb-ARGUMENTS (besides --gen,
# --coverage, --fst). Random layers always-ready (values and exact cycles) and under
# every stall pattern, one-element depths (tiles of one chunk), depths up to and at k_max
# (every bit of the chunk counters), and requant parameters over their whole range.
runs() {
    local k_max=$1 half=$(( (seeds + 1) / 2 ))
    echo "ready        --seeds 1:$seeds"
    echo "backpressure --seeds 1001:$seeds --backpressure"
    echo "inputs       --seeds 1101:$half --stall-pattern inputs"
    echo "outputs      --seeds 1201:$half --stall-pattern outputs"
    echo "bursts       --seeds 1301:$seeds --stall-pattern bursts"
    echo "k1           --seeds 2001:$half --max-depth 1"
    echo "k1_bursts    --seeds 2101:$half --max-depth 1 --stall-pattern bursts"
    echo "klarge       --seeds 3001:$half --max-depth $k_max"
    echo "kmax         --seeds 3101:2 --min-depth $k_max --max-depth $k_max"
    echo "kmax_bursts  --seeds 3201:1 --min-depth $k_max --max-depth $k_max --stall-pattern bursts"
    echo "requant      --seeds 4001:$seeds --wide-requant"
}

run_config() {  # index -> $work/config_$i/{result,log,*.dat}
    local i=$1
    local dir="$work/config_$i"
    rm -rf "$dir"; mkdir -p "$dir"
    cp "$work/configs/$i.json" "$dir/config.json"
    local start=$SECONDS status=PASS detail=""
    if ! "$fwmac" generate "$dir/config.json" -o "$dir/gen" > "$dir/log" 2>&1; then
        status=FAIL; detail="generate"
    elif ! VERILATE_JOBS=1 COVERAGE_OPT=$coverage_opt "$source_dir/tb/verilate.sh" --coverage "$dir/gen" "$dir/fwmac_tb" "$dir/obj" \
            "$source_dir" $tb_libs >> "$dir/log" 2>&1; then
        status=FAIL; detail="verilate"
    else
        rm -rf "$dir/obj"  # several hundred MB of objects per design
        local k_max; k_max=$(jq -r .config.k_max "$dir/gen/report.json")
        while read -r name args; do
            # shellcheck disable=SC2086
            if ! "$dir/fwmac_tb" --gen "$dir/gen" $args --coverage "$dir/$name.raw.dat" \
                    --fst "$dir/mismatch_$name.fst" >> "$dir/log" 2>&1; then
                status=FAIL; detail="${detail:+$detail, }$name ($args)"
            fi
            python3 "$source_dir/tools/coverage_report.py" normalize "$source_dir" "$dir/$name.raw.dat" \
                "$dir/$name.dat" && rm -f "$dir/$name.raw.dat" || { status=FAIL; detail="${detail:+$detail, }normalize $name"; }
        done < <(runs "$k_max")
    fi
    printf '%s\t%d\t%s\t%s\n' "$status" $(( SECONDS - start )) "$(jq -r .name "$dir/config.json")" "$detail" \
        > "$dir/result"
    echo "[$(date +%H:%M:%S)] coverage config $i $(jq -r .name "$dir/config.json"): $status ($(( SECONDS - start )) s)"
}
export -f run_config runs
export fwmac work seeds source_dir tb_libs coverage_opt

echo "coverage: ${#configs[@]} configs x $(runs 1 | wc -l) run sets (up to $seeds seeds each), $jobs jobs"
start=$SECONDS
rm -rf "$work"/config_* "$work/configs"; mkdir -p "$work/configs"
for i in "${!configs[@]}"; do echo "${configs[$i]}" > "$work/configs/$i.json"; done
printf '%s\n' "${!configs[@]}" | xargs -P "$jobs" -I{} bash -c 'run_config {}'

failed=0; dats=()
for i in "${!configs[@]}"; do
    IFS=$'\t' read -r status secs name detail < "$work/config_$i/result" || { status=FAIL; name="config $i"; detail="no result"; }
    [ "$status" = PASS ] || { failed=$((failed + 1)); echo "coverage: $name failed: $detail (log: $work/config_$i/log)"; }
    for dat in "$work/config_$i"/*.dat; do [ -f "$dat" ] && dats+=("$dat"); done
done
[ ${#dats[@]} -gt 0 ] || { echo "coverage: no coverage data"; exit 1; }
verilator_coverage --write "$work/merged.dat" "${dats[@]}" > "$work/merge.log" 2>&1 \
    || { cat "$work/merge.log"; exit 1; }
# what the regression's two run sets alone (random layers always-ready and under
# random back-pressure, as tb/regress.sh runs them) reach on the same designs
base=(); for dat in "${dats[@]}"; do case $(basename "$dat") in ready.dat|backpressure.dat) base+=("$dat") ;; esac; done
if [ ${#base[@]} -gt 0 ]; then
    verilator_coverage --write "$work/baseline.dat" "${base[@]}" >> "$work/merge.log" 2>&1 \
        && (cd "$source_dir" && python3 tools/coverage_report.py summary "$work/baseline.dat" \
                --out "$work/baseline_summary.txt" > /dev/null) || { cat "$work/merge.log"; exit 1; }
fi
rm -rf "$work/annotated"
verilator_coverage --annotate "$work/annotated" --annotate-all --annotate-min 1 "$work/merged.dat" > "$work/annotate.log" 2>&1 \
    || { cat "$work/annotate.log"; exit 1; }
(cd "$source_dir" && python3 tools/coverage_report.py summary "$work/merged.dat" --out "$work/summary.txt") || exit 1
# every design has these modules, mapped onto rtl_templates/: a summary without them
# means the points were not normalized or not written
for module in ctrl drain requant operand_regs top array; do
    grep -q "^$module " "$work/summary.txt" || { echo "coverage: no points of module $module in the summary"; exit 1; }
done
echo "coverage: ${#configs[@]} configs, ${#dats[@]} runs merged in $(( SECONDS - start )) s: $work/merged.dat," \
     "annotated sources in $work/annotated/, summary in $work/summary.txt"
[ "$failed" -eq 0 ]
