#!/usr/bin/env bash
# Bad input, black-box: every case must give a message naming the file, field or option
# (and its allowed range), a non-zero exit code, bounded memory and no partial output;
# plus the verbs' --help and the outputs of sim --out / schedule --json.
#   tests/cli_bad_input.sh FWMAC_BINARY SOURCE_DIR WORK_DIR
set -uo pipefail
fwmac=$(realpath "$1"); source_dir=$(realpath "$2"); work=$3
rm -rf "$work"; mkdir -p "$work"; cd "$work" || exit 1
failures=0; checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
config=$source_dir/examples/configs/test_3x5x7.json
# Exact accumulator width of test_3x5x7, derived by hand: |sum w*a| <= k_max * (2^A - 1) * 2^(B-1)
# = 300 * 63 * 16 = 302400 < 2^19, so 19 magnitude bits + sign: ACC_W = 20, range -2^19..2^19-1.

# run NAME EXIT_CODE COMMAND... -- MESSAGE...: exit code, every message in stderr, at most
# 1 GB of memory (ulimit -v; not under AddressSanitizer, whose shadow memory needs more
# address space: FWMAC_NO_MEMORY_LIMIT=1), no fwmac temporary left in the work directory.
memory_limit=1000000; [ -n "${FWMAC_NO_MEMORY_LIMIT:-}" ] && memory_limit=unlimited
run() {
    local name=$1 code=$2; shift 2
    local command=(); while [ "$1" != "--" ]; do command+=("$1"); shift; done; shift
    checks=$((checks + 1))
    (ulimit -v "$memory_limit"; "$fwmac" "${command[@]}") > "$name.out" 2> "$name.err"; local rc=$?
    [ "$rc" -eq "$code" ] || fail "$name: exit code $rc, expected $code: $(cat "$name.err")"
    for needle in "$@"; do
        grep -qF -- "$needle" "$name.err" || fail "$name: message lacks '$needle': $(cat "$name.err")"
    done
    ! grep -q "fwmac-tmp\|json.exception\|filesystem error\|basic_filebuf" "$name.err" \
        || fail "$name: raw library text or a temporary path in the message: $(cat "$name.err")"
    [ -z "$(find . -name '*.fwmac-tmp*')" ] || fail "$name: temporary files left: $(find . -name '*.fwmac-tmp*')"
}
layer() { printf '%s' "$2" > "$1"; }  # layer FILE JSON
conv='"conv": {"in_channels": 2, "height": 4, "width": 4, "kernel": 3, "out_channels": 2}'

# --- configs ---------------------------------------------------------------------------
printf '{"rows": 4, "rows": 5}' > dup.json
run config_duplicate 1 generate dup.json -o out -- "config file 'dup.json': config.rows: duplicate key \"rows\""
printf '{"pipeline": {"tree_register_every": 1, "tree_register_every": 2}}' > dup_nested.json
run config_duplicate_nested 1 generate dup_nested.json -o out -- "config.pipeline.tree_register_every: duplicate key"
printf '{"k_max": 1e400}' > overflow.json
run config_overflow 1 generate overflow.json -o out -- "config file 'overflow.json': config.k_max: number 1e400"
printf '{"rows": 18446744073709551615}' > huge.json
run config_beyond_int64 1 generate huge.json -o out -- "config.rows = 18446744073709551615: allowed range 1..64"
mkdir config_dir.json
run config_directory 1 generate config_dir.json -o out -- "config file 'config_dir.json' is a directory"
run config_special 1 generate /dev/null -o out -- "config file '/dev/null' is not a regular file"
[ ! -e out ] || fail "configs: an output directory was left"

# --- layer files ----------------------------------------------------------------------
layer ouput.json "{$conv, \"weight_bits\": [4, 4], \"seed\": 1, \"ouput\": \"raw\"}"
run layer_unknown_top 1 sim ouput.json --config "$config" -- "layer file 'ouput.json': layer.ouput: unknown field" \
    "(allowed: conv, input, name, output, pixel_limit, requant, seed, weight_bits, weights)"
layer inptu.json "{$conv, \"weight_bits\": [4, 4], \"seed\": 1, \"inptu\": \"X.npy\"}"
run layer_unknown_input 1 sim inptu.json --config "$config" -- "layer.inptu: unknown field"
layer dilaton.json '{"conv": {"in_channels": 2, "height": 4, "width": 4, "kernel": 3, "out_channels": 2, "dilaton": 2},
  "weight_bits": [4, 4], "seed": 1}'
run layer_unknown_conv 1 sim dilaton.json --config "$config" -- "layer.conv.dilaton: unknown field" "dilation"
layer sed.json "{$conv, \"weight_bits\": {\"distribution\": \"default\", \"seed\": 1, \"sed\": 2}, \"seed\": 1}"
run layer_unknown_bits 1 sim sed.json --config "$config" -- "layer.weight_bits.sed: unknown field (allowed: distribution, seed)"
layer weights.json "{$conv, \"weights\": {\"quantized\": \"q.json\", \"lyer\": \"c\"}, \"seed\": 1}"
run layer_unknown_weights 1 sim weights.json --config "$config" -- "layer.weights.lyer: unknown field (allowed: layer, quantized)"
layer scale.json "{$conv, \"weight_bits\": [4, 4], \"seed\": 1, \"requant\": {\"scale\": [1, 1]}}"
run layer_unknown_requant 1 sim scale.json --config "$config" -- "layer.requant.scale: unknown field (allowed: bias, mult, shift)"
layer layer_dup.json "{$conv, \"weight_bits\": [4, 4], \"seed\": 1, \"seed\": 2}"
run layer_duplicate 1 sim layer_dup.json --config "$config" -- "layer file 'layer_dup.json': layer.seed: duplicate key"
layer layer_dup2.json '{"conv": {"in_channels": 2, "height": 4, "width": 4, "kernel": 3, "kernel": 1, "out_channels": 2},
  "weight_bits": [4, 4], "seed": 1}'
run layer_duplicate_nested 1 sim layer_dup2.json --config "$config" -- "layer.conv.kernel: duplicate key"
layer layer_overflow.json "{$conv, \"weight_bits\": [4, 4e999], \"seed\": 1}"
run layer_overflow 1 sim layer_overflow.json --config "$config" -- "layer.weight_bits[1]: number 4e999"
mkdir layer_dir.json
run layer_directory 1 sim layer_dir.json --config "$config" -- "layer file 'layer_dir.json' is a directory"
layer mult.json "{$conv, \"weight_bits\": [4, 4], \"seed\": 1, \"requant\": {\"mult\": [1, 70000]}}"
run requant_mult 1 sim mult.json --config "$config" -- "layer.requant.mult[1] = 70000: allowed range 0..65535"
layer shift.json "{$conv, \"weight_bits\": [4, 4], \"seed\": 1, \"requant\": {\"shift\": [48, 0]}}"
run requant_shift 1 sim shift.json --config "$config" -- "layer.requant.shift[0] = 48: allowed range 0..47"
layer bias.json "{$conv, \"weight_bits\": [4, 4], \"seed\": 1, \"requant\": {\"bias\": [524287, 524288]}}"
run requant_bias 1 sim bias.json --config "$config" -- "layer.requant.bias[1] = 524288: allowed range -524288..524287" \
    "ACC_W = 20 bits"
layer bias_count.json "{$conv, \"weight_bits\": [4, 4], \"seed\": 1, \"requant\": {\"bias\": [1]}}"
run requant_count 1 sim bias_count.json --config "$config" -- "layer.requant.bias: must be an array of 2 integers"
layer span.json '{"conv": {"in_channels": 2, "height": 4, "width": 4, "kernel": 3, "dilation": [1, 2], "out_channels": 2},
  "weight_bits": [4, 4], "seed": 1}'
run conv_span 1 sim span.json --config "$config" -- "layer.conv.kernel: the kernel spans 5 columns"
layer kernel.json '{"conv": {"in_channels": 2, "height": 4, "width": 4, "kernel": [3, 0], "out_channels": 2},
  "weight_bits": [4, 4], "seed": 1}'
run conv_kernel 1 sim kernel.json --config "$config" -- "layer.conv.kernel[1] = 0: allowed range 1..15"
layer big.json '{"conv": {"in_channels": 4096, "height": 4096, "width": 4096, "kernel": 3, "out_channels": 65536},
  "weight_bits": {"distribution": "default", "seed": 1}, "seed": 1}'
run layer_too_big 1 sim big.json --config "$config" -- "layer.conv: input values in_channels * height * width"

# --- model manifests and quantized files --------------------------------------------------
printf '{"input": {}, "input": {}}' > model_dup.json
run model_duplicate 1 e2e model_dup.json --config "$config" -- "model manifest 'model_dup.json': model.input: duplicate key"
mkdir model_dir.json
run model_directory 1 e2e model_dir.json --config "$config" -- "model manifest 'model_dir.json' is a directory"
mkdir -p q && printf '{"format": "fwmac-quantized-weights", "layers": [], "layers": []}' > q/quantized.json
layer q_layer.json "{$conv, \"weights\": {\"quantized\": \"q/quantized.json\", \"layer\": \"c\"}, \"seed\": 1}"
run quantized_duplicate 1 sim q_layer.json --config "$config" -- \
    "layer.weights: quantized file 'q/quantized.json': quantized.layers: duplicate key"

# --- numbers on the command line -----------------------------------------------------------
"$fwmac" generate "$config" -o gen > /dev/null || fail "generate gen"
run depth_zero 2 vectors --gen gen --seed 1 --max-depth 0 -o vec -- "--max-depth: 0 is not in the allowed range 1..1048576"
run depth_wraps 2 vectors --gen gen --seed 1 --max-depth 4294967296 -o vec -- \
    "--max-depth: 4294967296 is not in the allowed range 1..1048576"
run depth_k_max 1 vectors --gen gen --seed 1 --max-depth 301 -o vec -- \
    "--max-depth: 301 is not in the allowed range 1..300 (k_max of the design in 'gen')"
run seed_negative 2 vectors --gen gen --seed -1 -o vec -- "--seed: '-1' is not a whole number (allowed range 0..18446744073709551615)"
run seed_big 2 vectors --gen gen --seed 18446744073709551616 -o vec -- "--seed: 18446744073709551616 is not in the allowed range"
run batch_zero 2 bench --config "$config" --batch 0 -- "--batch: 0 is not in the allowed range 1..256"
run batch_text 2 bench --config "$config" --batch=two -- "--batch: 'two' is not a whole number (allowed range 1..256)"
run images_big 2 e2e model.json --config "$config" --images 1000001 -- "--images: 1000001 is not in the allowed range 0..1000000"
run jobs_big 2 synth-bench "$config" --work sb -j 17 -- "--jobs: 17 is not in the allowed range 1..16"
run pixels_bad 2 quantize w.npy --pixels 4x --budget 4 -o qd -- "--pixels: '4x' is not a whole number"
run budget_text 2 quantize w.npy --pixels 4 --budget four -o qd -- "--budget: 'four' is not a finite number"
run unknown_option 2 generate "$config" -o out --colour -- "The following argument was not expected: --colour" \
    "see 'fwmac generate --help'"
run unknown_verb 2 frobnicate -- "unknown verb 'frobnicate'"
[ ! -e vec ] && [ ! -e out ] && [ ! -e sb ] && [ ! -e qd ] || fail "numbers: an output was left"
checks=$((checks + 1))
(ulimit -v "$memory_limit"; "$fwmac" vectors --gen=gen --seed=3 --max-depth=20 --out=vec > /dev/null 2>&1) \
    && [ -f vec/vectors.vh ] || fail "--opt=value forms"

# --- output targets -------------------------------------------------------------------------
run out_empty 2 generate "$config" -o "" -- "--out: the path is empty"
run out_equals 2 generate "$config" -o=x -- "'=x' starts with '='"
run out_proc 1 generate "$config" -o /proc/fwmac_out -- "cannot write output directory '/proc/fwmac_out'"
touch plain_file
run out_below_file 1 generate "$config" -o plain_file/out -- "cannot write output directory 'plain_file/out': Not a directory"
run out_is_file 1 generate "$config" -o plain_file -- "output directory 'plain_file' exists and is not a directory"
layer small.json "{$conv, \"weight_bits\": [4, 4], \"seed\": 1}"
run json_below_file 1 schedule small.json --config "$config" --json plain_file/s.json -- \
    "cannot write 'plain_file/s.json': Not a directory"

# Regenerating over a fwmac directory: refused while it holds files of a user's, named.
"$fwmac" generate "$config" -o mine > /dev/null || fail "generate mine"
echo notes > mine/notes.txt; echo "module w; endmodule" > mine/rtl/my_wrapper.v
run foreign_files 1 generate "$config" -o mine -- "output directory 'mine' holds 2 files or folders fwmac did not write" \
    "('notes.txt', 'rtl/my_wrapper.v')"
[ "$(cat mine/notes.txt)" = notes ] && [ -f mine/rtl/my_wrapper.v ] || fail "foreign files were touched"
grep -qx "rtl/test_3x5x7_top.v" mine/.fwmac-generated || fail "the marker does not list rtl/test_3x5x7_top.v"
rm mine/notes.txt mine/rtl/my_wrapper.v
checks=$((checks + 1)); "$fwmac" generate "$config" -o mine > /dev/null || fail "regenerate mine after clean-up"

# Temporary siblings of killed runs: removed on the next write, and only ours.
sleep 60 & alive=$!
(exit 0) & dead=$!; wait "$dead"
mkdir ".mine.fwmac-tmp-$dead" ".mine.fwmac-tmp-$alive" ".other.fwmac-tmp-$dead" ".mine.fwmac-tmp-x$dead"
touch ".mine.fwmac-tmp-$dead/.fwmac-generated"
checks=$((checks + 1)); "$fwmac" generate "$config" -o mine > /dev/null || fail "generate over stale temporaries"
[ ! -e ".mine.fwmac-tmp-$dead" ] || fail "the temporary of a dead PID was left"
[ -d ".mine.fwmac-tmp-$alive" ] && [ -d ".other.fwmac-tmp-$dead" ] && [ -d ".mine.fwmac-tmp-x$dead" ] \
    || fail "a temporary that is not a dead run's of this target was removed"
kill "$alive"; rmdir ".mine.fwmac-tmp-$alive" ".other.fwmac-tmp-$dead" ".mine.fwmac-tmp-x$dead"
# and a real SIGKILL, sent as soon as the run's temporary directory appears (most
# attempts catch it): the next run removes what the killed one left
big=$source_dir/examples/configs/bench_16x16x8.json
killed_left=0
for attempt in $(seq 1 10); do
    "$fwmac" generate "$big" -o killed > /dev/null 2>&1 & pid=$!
    while kill -0 "$pid" 2> /dev/null; do
        if [ -e ".killed.fwmac-tmp-$pid" ]; then kill -9 "$pid"; break; fi
    done
    wait "$pid" 2> /dev/null
    [ -e ".killed.fwmac-tmp-$pid" ] && killed_left=$((killed_left + 1))
done
checks=$((checks + 1)); [ "$killed_left" -gt 0 ] || fail "SIGKILL: no attempt left a temporary directory to clean up"
checks=$((checks + 1)); "$fwmac" generate "$big" -o killed > /dev/null || fail "generate after SIGKILL"
[ -z "$(ls -a | grep '^\.killed\.fwmac-tmp-')" ] || fail "SIGKILL temporaries left: $(ls -a | grep fwmac-tmp)"

# --- sim --out / --json: a layer worked by hand ----------------------------------------------
# 1 channel 2x2 image 1 2 3 4, 1x1 kernel, filters w = 3 and -2, signed outputs:
#   filter 0: acc 3 6 9 12, bias 1, mult 3, shift 1: (3 (acc + 1) + 1) >> 1 = 6 11 15 20
#   filter 1: acc -2 -4 -6 -8, bias 0, mult 1, shift 0: -2 -4 -6 -8
write_npy() {  # FILE DESCR SHAPE DATA(printf escapes): version 1, header padded to 64 bytes
    local header="{'descr': '$2', 'fortran_order': False, 'shape': $3, }"
    while [ $(( (${#header} + 11) % 64 )) -ne 0 ]; do header+=" "; done
    local length=$(( ${#header} + 1 ))
    { printf '\x93NUMPY\x01\x00'; printf "\\x$(printf %02x $((length % 256)))\\x$(printf %02x $((length / 256)))"
      printf '%s\n' "$header"; printf "$4"; } > "$1"
}
write_npy hw.npy '|i1' '(2, 1, 1, 1)' '\x03\xfe'
write_npy hx.npy '|u1' '(1, 2, 2)' '\x01\x02\x03\x04'
layer hand.json '{"conv": {"in_channels": 1, "height": 2, "width": 2, "kernel": 1, "out_channels": 2},
  "weights": "hw.npy", "weight_bits": [3, 3], "input": "hx.npy", "seed": 9, "output": "signed",
  "requant": {"bias": [1, 0], "mult": [3, 1], "shift": [1, 0]}}'
checks=$((checks + 1))
"$fwmac" sim hand.json --config "$config" --out y.npy --json y.json > hand.out 2>&1 || fail "sim --out: $(cat hand.out)"
grep -q "8 outputs (2 filters x 4 pixels)" hand.out || fail "sim count: $(cat hand.out)"
header=$(( $(od -A n -t u2 -j 8 -N 2 y.npy) + 10 ))
head -c "$header" y.npy | grep -qF "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2, 2), }" \
    || fail "y.npy header: $(head -c "$header" y.npy)"
[ "$(od -A n -t d8 -j "$header" y.npy | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')" = "6 11 15 20 -2 -4 -6 -8" ] \
    || fail "y.npy values: $(od -A n -t d8 -j "$header" y.npy)"
[ "$(jq -c '[.output_shape, .outputs, .mode, .output_range, .output_file]' y.json)" = '[[2,2,2],8,"signed",[-8,20],"y.npy"]' ] \
    || fail "y.json: $(cat y.json)"
run sim_same_file 2 sim hand.json --config "$config" --out same.json --json same.json -- "--out and --json both name"
run sim_out_below_file 1 sim hand.json --config "$config" --out y2.npy --json plain_file/y.json -- \
    "cannot write 'plain_file/y.json'"
[ ! -e y2.npy ] || fail "sim: y2.npy written although the JSON could not be"

# --- schedule --json: five filters on a 3-row array, by hand ---------------------------------
# b = [3, 1, 4, 1, 5] sorted stably: 1 3 0 2 4; 5 = 2 + 3: the narrow partial group [1 3]
# (b_g 1), then [0 2 4] (b_g 5). K = 2 on 7 lanes: one chunk; P = 4 on 5 columns: one tile each.
layer five.json '{"conv": {"in_channels": 2, "height": 2, "width": 2, "kernel": 1, "out_channels": 5},
  "weight_bits": [3, 1, 4, 1, 5], "seed": 2}'
checks=$((checks + 1))
"$fwmac" schedule five.json --config "$config" --json five_schedule.json > /dev/null || fail "schedule --json"
[ "$(jq -c '.schedule.groups | map([.planes, .filters])' five_schedule.json)" = '[[1,[1,3,null]],[5,[0,2,4]]]' ] \
    || fail "schedule groups: $(jq -c .schedule.groups five_schedule.json)"
[ "$(jq -c '.schedule.tiles | map([.group, .pixel_start, .pixel_count, .issue_cycles])' five_schedule.json)" \
    = '[[0,0,4,1],[1,0,4,5]]' ] || fail "schedule tiles: $(jq -c .schedule.tiles five_schedule.json)"
[ "$(jq '.cycles == .schedule.predicted_cycles' five_schedule.json)" = true ] || fail "schedule: summary cycles"

# --- help ---------------------------------------------------------------------------------------
"$fwmac" --help > help.txt || fail "fwmac --help"
for verb in generate schedule sim bench energy vectors quantize e2e synth synth-bench; do
    checks=$((checks + 1))
    "$fwmac" "$verb" --help > "help_$verb.txt" 2>&1; rc=$?
    [ "$rc" -eq 0 ] && grep -q "^Usage: fwmac $verb" "help_$verb.txt" || fail "fwmac $verb --help: rc $rc $(head -3 "help_$verb.txt")"
    # every option the overview names for the verb is one the verb takes
    for option in $(grep -A1 "^  fwmac $verb " help.txt | grep -o -- '--[a-z-]*' | sort -u); do
        grep -q -- "$option" "help_$verb.txt" || fail "fwmac --help lists $option for $verb, which its --help lacks"
    done
done
echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
