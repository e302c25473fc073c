#!/usr/bin/env bash
# The testbench's command line and outputs, black-box:
#   tb/tb_cli_check.sh FWMAC FWMAC_TB GEN_DIR CONFIG SOURCE_DIR WORK_DIR   (GEN_DIR generated from CONFIG)
# usage errors (exit 2) and file errors (exit 1) named with their ranges, --help, the
# output count shared with `fwmac sim` (F x P, padding counted apart), and the GTKWave
# save file written next to a traced FST, whose signals must all be in that FST.
set -uo pipefail
fwmac=$1; tb=$2; gen=$3; config=$4; source_dir=$5; work=$6
rm -rf "$work"; mkdir -p "$work"
failures=0; checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect NAME EXIT_CODE MESSAGE -- TB_ARGS...
expect() {
    local name=$1 code=$2 message=$3; shift 4
    checks=$((checks + 1))
    "$tb" "$@" > "$work/$name.out" 2> "$work/$name.err"; local rc=$?
    [ "$rc" -eq "$code" ] || fail "$name: exit code $rc, expected $code ($(cat "$work/$name.err"))"
    grep -qF -- "$message" "$work/$name.err" || fail "$name: message lacks '$message': $(cat "$work/$name.err")"
}
k_max=$(jq .config.k_max "$gen/report.json"); rows=$(jq .config.rows "$gen/report.json")
cols=$(jq .config.cols "$gen/report.json")
expect depth_zero 2 "--max-depth: 0 is not in the allowed range 1..1048576" -- --gen "$gen" --max-depth 0
expect depth_wraps 2 "--max-depth: 4294967296 is not in the allowed range 1..1048576" -- \
    --gen "$gen" --max-depth 4294967296
expect depth_above_k_max 1 "--max-depth: $((k_max + 1)) is not in the allowed range 1..$k_max (k_max of" -- \
    --gen "$gen" --max-depth $((k_max + 1))
expect seeds_form 2 "--seeds: '5' is not FIRST:COUNT" -- --gen "$gen" --seeds 5
expect seeds_count 2 "--seeds COUNT: 0 is not in the allowed range 1..1000000" -- --gen "$gen" --seeds 1:0
expect seeds_wrap 2 "runs past the largest seed 18446744073709551615" -- --gen "$gen" --seeds 18446744073709551615:2
expect seed_negative 2 "--seed: '-1' is not a whole number (allowed range 0..18446744073709551615)" -- \
    --gen "$gen" --seed -1
expect speed_zero 2 "--speed: 0 is not in the allowed range 1..1000" -- --gen "$gen" --speed 0
expect images_alone 2 "--images requires --cnn" -- --gen "$gen" --images 3
expect images_zero 2 "--images: 0 is not in the allowed range 1..1000000" -- --gen "$gen" --cnn m.json --images 0
expect seed_and_layer 2 "excludes" -- --gen "$gen" --seed 1 --layer "$source_dir/examples/layers/demo_conv.json"
expect unknown_option 2 "The following argument was not expected: --bogus" -- --gen "$gen" --bogus
expect threads_mismatch 2 "--threads 3: this testbench was verilated with --threads 1" -- --gen "$gen" --threads 3
expect threads_range 2 "--threads: 65 is not in the allowed range 1..64" -- --gen "$gen" --threads 65
expect no_gen 2 "--gen is required" --
expect gen_missing 1 "cannot open design report '$work/nowhere/report.json'" -- --gen "$work/nowhere"
expect fst_directory 1 "--fst $work/no/dir/w.fst: the directory '$work/no/dir' does not exist" -- \
    --gen "$gen" --fst "$work/no/dir/w.fst"
checks=$((checks + 1))
"$tb" --help > "$work/help.out" 2>&1 && grep -q -- "--threads" "$work/help.out" && grep -q -- "--trace" "$work/help.out" \
    || fail "--help: $(cat "$work/help.out")"
checks=$((checks + 1))
"$tb" --gen="$gen" --seed=3 +verilator+seed+5 > "$work/equals.out" 2>&1 && grep -q "^PASS seed 3" "$work/equals.out" \
    || fail "--opt=value and +verilator+ arguments: $(cat "$work/equals.out")"

# Output counts. 5 filters of a 1x1 convolution on a 3x3 image: F x P = 45 outputs. On
# 4 rows x 4 columns: 2 row groups (1 + 4 filters) x 3 pixel tiles (4 + 4 + 1) x 4 rows
# = 24 beats of 4 values = 96 values, so 51 are padding.
printf '{"conv": {"in_channels": 2, "height": 3, "width": 3, "kernel": 1, "out_channels": 5},
  "weight_bits": [2, 3, 4, 5, 6], "seed": 7}' > "$work/small.json"
for layer in "$work/small.json" "$source_dir/examples/quantized_demo/layer.json"; do
    checks=$((checks + 1))
    sim=$("$fwmac" sim "$layer" --config "$config" 2>&1 | sed -n 's/.*: \([0-9]*\) outputs (.*/\1/p')
    tb_count=$("$tb" --gen "$gen" --layer "$layer" 2>&1 | sed -n 's/^PASS .*: \([0-9]*\) outputs (+.*/\1/p')
    [ -n "$sim" ] && [ "$sim" = "$tb_count" ] || fail "$(basename "$layer"): fwmac sim counts '$sim', the testbench '$tb_count'"
done
if [ "$rows" = 4 ] && [ "$cols" = 4 ]; then
    checks=$((checks + 1))
    "$tb" --gen "$gen" --layer "$work/small.json" > "$work/small.out" 2>&1
    grep -q ": 45 outputs (+51 padding values) bit-exact" "$work/small.out" || fail "small layer: $(cat "$work/small.out")"
fi

# --trace: FST + .gtkw next to it; every signal of the save file is a top-level port in the FST.
checks=$((checks + 1))
"$tb" --gen "$gen" --layer "$work/small.json" --trace --fst "$work/trace.fst" > "$work/trace.out" 2>&1 \
    || fail "--trace run: $(cat "$work/trace.out")"
if [ -f "$work/trace.gtkw" ] && [ -f "$work/trace.fst" ]; then
    grep -qF "[dumpfile] \"$work/trace.fst\"" "$work/trace.gtkw" || fail "gtkw: no [dumpfile] of the FST"
    fst2vcd "$work/trace.fst" 2>/dev/null | awk '/\$scope module TOP/ {top = 1; next} /\$scope/ {top = 0}
        top && /\$var/ {print "TOP." $5 ($6 ~ /^\[/ ? $6 : "")}' | sort > "$work/fst_signals.txt"
    grep '^TOP\.' "$work/trace.gtkw" | sort > "$work/gtkw_signals.txt"
    [ -s "$work/gtkw_signals.txt" ] || fail "gtkw: no signals"
    missing=$(comm -23 "$work/gtkw_signals.txt" "$work/fst_signals.txt")
    [ -z "$missing" ] || fail "gtkw signals not in the FST: $missing"
    unlisted=$(comm -13 "$work/gtkw_signals.txt" "$work/fst_signals.txt")
    [ -z "$unlisted" ] || fail "top-level ports missing from the gtkw: $unlisted"
    for group in "clock and reset" "cmd stream" "w stream" "a stream" "p stream" "y stream"; do
        [ "$(grep -cxF -- "-$group" "$work/trace.gtkw")" -eq 2 ] || fail "gtkw: group '$group' not opened and closed once"
    done
    [ "$(grep -c '^@800200$' "$work/trace.gtkw")" -eq "$(grep -c '^@1000200$' "$work/trace.gtkw")" ] \
        || fail "gtkw: unbalanced groups"
    # valid and ready lead their stream's group
    awk '/^-cmd stream$/ {getline; getline; print; getline; print; exit}' "$work/trace.gtkw" | tr '\n' ' ' \
        | grep -q "TOP.cmd_valid_i TOP.cmd_ready_o" || fail "gtkw: cmd group does not start with valid, ready"
else
    fail "--trace wrote no $work/trace.fst + trace.gtkw: $(ls "$work")"
fi
echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
