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

checks=20
echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
