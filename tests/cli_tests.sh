#!/usr/bin/env bash
# Black-box checks of the fwmac command line:
#   tests/cli_tests.sh FWMAC_BINARY SOURCE_DIR WORK_DIR
set -uo pipefail
fwmac=$1; source_dir=$2; work=$3
rm -rf "$work"; mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_error NAME CONFIG_TEXT EXPECTED_EXIT MESSAGE_SUBSTRING...
expect_error() {
    local name=$1 text=$2 code=$3; shift 3
    printf '%s' "$text" > "$work/$name.json"
    "$fwmac" generate "$work/$name.json" -o "$work/out_$name" > "$work/$name.out" 2> "$work/$name.err"
    local rc=$?
    [ "$rc" -eq "$code" ] || fail "$name: exit code $rc, expected $code"
    [ ! -e "$work/out_$name" ] || fail "$name: output directory left behind"
    for needle in "$@"; do
        grep -qF -- "$needle" "$work/$name.err" || fail "$name: message lacks '$needle': $(cat "$work/$name.err")"
    done
}

expect_error malformed '{"rows": 4,' 1 "malformed JSON"
expect_error rows_high '{"rows": 65}' 1 "config.rows = 65" "1..64"
expect_error lanes_zero '{"lanes": 0}' 1 "config.lanes = 0" "1..64"
expect_error act_bits_type '{"act_bits": "8"}' 1 "config.act_bits" "integer"
expect_error unknown_field '{"rowz": 4}' 1 "config.rowz" "unknown field"
expect_error tree_high '{"pipeline": {"tree_register_every": 9}}' 1 "config.pipeline.tree_register_every = 9" "0..6"
expect_error k_max_wide '{"act_bits": 16, "max_weight_bits": 16, "k_max": 1048576}' 1 "config.k_max" "allowed range"
expect_error not_object '[1, 2]' 1 "top level must be a JSON object"
expect_error architecture_bad '{"architecture": "systolic"}' 1 "config.architecture" "bit_serial" "bit_parallel"
expect_error row_slots_high '{"row_slots": 3}' 1 "config.row_slots = 3" "1..2"
expect_error row_slots_parallel '{"architecture": "bit_parallel", "row_slots": 2}' 1 "config.row_slots = 2" "1..1"

"$fwmac" generate > /dev/null 2> "$work/usage.err"; rc=$?
[ "$rc" -eq 2 ] || fail "missing arguments: exit code $rc, expected 2"
"$fwmac" frobnicate > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "unknown verb: exit code $rc, expected 2"
"$fwmac" generate "$work/missing.json" -o "$work/out_missing" > /dev/null 2> "$work/missing.err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "cannot open config file" "$work/missing.err" || fail "missing config file: rc $rc"

# A directory fwmac did not write is never replaced.
mkdir -p "$work/foreign" && echo keep > "$work/foreign/file.txt"
"$fwmac" generate "$source_dir/examples/configs/default_8x8x8.json" -o "$work/foreign" > /dev/null 2>&1 \
    && fail "replaced a foreign directory"
[ "$(cat "$work/foreign/file.txt")" = keep ] || fail "foreign directory was modified"

# Determinism: two runs give byte-identical trees; regeneration replaces its own output.
config="$source_dir/examples/configs/test_3x5x7.json"
"$fwmac" generate "$config" -o "$work/run1" > /dev/null || fail "generate run1"
"$fwmac" generate "$config" -o "$work/run2" > /dev/null || fail "generate run2"
diff -r "$work/run1" "$work/run2" > /dev/null || fail "two runs differ"
"$fwmac" generate "$config" -o "$work/run1" > /dev/null || fail "regenerate into own output"

# A layer that does not fit the array names the field.
printf '{"conv": {"in_channels": 64, "height": 4, "width": 4, "kernel": 3, "stride": 1, "padding": 1, "out_channels": 2}, "weight_bits": [4, 4], "seed": 1}' > "$work/deep_layer.json"
"$fwmac" sim "$work/deep_layer.json" --config "$config" > /dev/null 2> "$work/deep.err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "layer.depth (K) = 576" "$work/deep.err" || fail "deep layer: rc $rc $(cat "$work/deep.err")"
printf '{"conv": {"in_channels": 2, "height": 4, "width": 4, "kernel": 3, "stride": 1, "padding": 1, "out_channels": 2}, "weight_bits": [4, 9], "seed": 1}' > "$work/wide_layer.json"
"$fwmac" sim "$work/wide_layer.json" --config "$config" > /dev/null 2> "$work/wide.err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "layer.weight_bits\[1\] = 9" "$work/wide.err" || fail "wide weights: rc $rc $(cat "$work/wide.err")"

# vectors: a directory without report.json, and a missing --seed/--layer.
"$fwmac" vectors --gen "$work/foreign" --seed 1 -o "$work/vec_bad" > /dev/null 2> "$work/vec.err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "report.json" "$work/vec.err" && [ ! -e "$work/vec_bad" ] || fail "vectors on a foreign dir: rc $rc"
"$fwmac" vectors --gen "$work/run1" -o "$work/vec_bad" > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && [ ! -e "$work/vec_bad" ] || fail "vectors without --seed/--layer: rc $rc"

# energy: writes its JSON and SVGs; an unwritable path fails without leaving a file.
"$fwmac" energy --config "$source_dir/examples/configs/test_4x4x4.json" --json "$work/energy.json" \
    --svg "$work/energy.svg" --throughput-svg "$work/throughput.svg" > "$work/energy.out" 2>&1 || fail "energy run"
grep -q '"tops_per_watt"' "$work/energy.json" && grep -q '<svg' "$work/energy.svg" \
    && grep -q '<svg' "$work/throughput.svg" || fail "energy outputs missing"
"$fwmac" energy --config "$source_dir/examples/configs/test_4x4x4.json" --json "$work/no_such_dir/e.json" \
    > /dev/null 2> "$work/energy.err"; rc=$?
[ "$rc" -eq 1 ] && grep -q "no_such_dir/e.json" "$work/energy.err" || fail "energy to a bad path: rc $rc"
"$fwmac" energy > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "energy without --config: rc $rc"
"$fwmac" synth-bench --work "$work/sb" > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && [ ! -e "$work/sb" ] || fail "synth-bench without configs: rc $rc"
"$fwmac" synth-bench "$source_dir/examples/configs/test_4x4x4.json" --work "$work/sb" --jobs 0 > /dev/null \
    2> "$work/sb.err"; rc=$?
[ "$rc" -eq 2 ] && grep -q -- "--jobs: 0 is not in the allowed range 1..16" "$work/sb.err" && [ ! -e "$work/sb" ] \
    || fail "synth-bench --jobs 0: rc $rc"

checks=27

# quantize: .npy files written here byte by byte (v1 header, little-endian float32 data).
write_npy() {  # FILE DESCR SHAPE DATA(printf escapes)
    local header="{'descr': '$2', 'fortran_order': False, 'shape': $3, }"
    local length=$(( ${#header} + 1 ))
    { printf '\x93NUMPY\x01\x00'; printf "\\x$(printf %02x $((length % 256)))\\x$(printf %02x $((length / 256)))"
      printf '%s\n' "$header"; printf "$4"; } > "$1"
}
# 8 floats: 1.0 -0.5 0.25 0.75 2.0 -1.5 0.25 -0.5 as [2, 1, 2, 2]
floats='\x00\x00\x80\x3f\x00\x00\x00\xbf\x00\x00\x80\x3e\x00\x00\x40\x3f\x00\x00\x00\x40\x00\x00\xc0\xbf\x00\x00\x80\x3e\x00\x00\x00\xbf'
write_npy "$work/w.npy" '<f4' '(2, 1, 2, 2)' "$floats"
write_npy "$work/w8.npy" '|u1' '(2, 1, 2, 2)' '\x01\x02\x03\x04\x05\x06\x07\x08'
write_npy "$work/junk.npy" '<f4' '(2, 1, 2, 2) junk' "$floats"
# expect_quantize_error NAME EXPECTED_EXIT ARGS... -- MESSAGE_SUBSTRING...
expect_quantize_error() {
    local name=$1 code=$2; shift 2
    local args=(); while [ "$1" != "--" ]; do args+=("$1"); shift; done; shift
    "$fwmac" quantize "${args[@]}" --out "$work/q_$name" > /dev/null 2> "$work/q_$name.err"; local rc=$?
    [ "$rc" -eq "$code" ] || fail "quantize $name: exit code $rc, expected $code"
    [ ! -e "$work/q_$name" ] || fail "quantize $name: output directory left behind"
    for needle in "$@"; do
        grep -qF -- "$needle" "$work/q_$name.err" || fail "quantize $name: message lacks '$needle': $(cat "$work/q_$name.err")"
    done
}
expect_quantize_error bad_header 1 "$work/junk.npy" --pixels 4 --budget 4 -- "npy file '$work/junk.npy'" "header"
expect_quantize_error wrong_dtype 1 "$work/w8.npy" --pixels 4 --budget 4 -- "header field 'descr' = '|u1'" "float weights"
expect_quantize_error budget_high 1 "$work/w.npy" --pixels 4 --budget 9 -- "--budget = 9" "allowed range 2..8"
expect_quantize_error pixels_list 1 "$work/w.npy" "$work/w.npy" --pixels 4 --budget 4 -- "--pixels has 1 values, expected 2"
expect_quantize_error max_error 1 "$work/w.npy" --pixels 4 --max-error 0 -- "--max-error = 0" "(0, 1]"
expect_quantize_error both_modes 2 "$work/w.npy" --pixels 4 --budget 4 --max-error 0.1 -- "exactly one of --budget"
expect_quantize_error wide_bits 2 "$work/w.npy" --pixels 4 --budget 4 --max-bits 4294967304 -- \
    "--max-bits: 4294967304 is not in the allowed range 2..16"
# A quantized layer runs through the layer-file flow; two runs are byte-identical.
"$fwmac" quantize "$work/w.npy" --pixels 4 --budget 3 --out "$work/q1" > "$work/q1.out" || fail "quantize run 1"
"$fwmac" quantize "$work/w.npy" --pixels 4 --budget 3 --out "$work/q2" > /dev/null || fail "quantize run 2"
diff -r "$work/q1" "$work/q2" > /dev/null || fail "quantize: two runs differ"
grep -q "average 3.0000 bits per MAC" "$work/q1.out" || fail "quantize summary: $(cat "$work/q1.out")"
conv='"in_channels": 1, "height": 3, "width": 3, "kernel": 2, "stride": 1, "padding": 0'
printf '{"conv": {%s, "out_channels": 2}, "weights": {"quantized": "q1/quantized.json", "layer": "w"}, "seed": 3}' \
    "$conv" > "$work/q_layer.json"
"$fwmac" sim "$work/q_layer.json" --config "$config" > "$work/q_sim.out" 2>&1 && grep -q "equal the direct" "$work/q_sim.out" \
    || fail "sim of a quantized layer: $(cat "$work/q_sim.out")"
printf '{"conv": {%s, "out_channels": 3}, "weights": {"quantized": "q1/quantized.json", "layer": "w"}, "seed": 3}' \
    "$conv" > "$work/q_layer3.json"
"$fwmac" sim "$work/q_layer3.json" --config "$config" > /dev/null 2> "$work/q_sim3.err"; rc=$?
[ "$rc" -eq 1 ] && grep -qF "layer.weights: '$work/q1/w.weights.npy' has shape (2, 1, 2, 2), layer.conv needs (3, 1, 2, 2)" \
    "$work/q_sim3.err" || fail "quantized layer with the wrong conv: rc $rc $(cat "$work/q_sim3.err")"
# examples/quantized_demo/q is what fwmac quantize makes of conv.npy today.
demo="$source_dir/examples/quantized_demo"
"$fwmac" quantize "$demo/conv.npy" --pixels 100 --budget 4 --out "$work/q_demo" > /dev/null || fail "quantize demo"
cmp -s "$demo/q/conv.weights.npy" "$work/q_demo/conv.weights.npy" \
    && diff <(grep -v '"version"' "$demo/q/quantized.json") <(grep -v '"version"' "$work/q_demo/quantized.json") > /dev/null \
    || fail "examples/quantized_demo/q is stale: rerun the fwmac quantize command in examples/quantized_demo/README.md"
checks=$((checks + 12))
echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
