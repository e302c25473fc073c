#!/usr/bin/env bash
# fwmac bench --json: per-layer and total stream_bytes / compulsory_bytes. The totals are
# the layers' sums; conv1's compulsory bytes are derived by hand (3x224x224 input and
# 64x112x112 output at A = 8 bits, 64 filters of K = 147 weights at their average bits);
# its stream bytes are at least the compulsory ones.
#   tests/bench_traffic_check.sh FWMAC_BINARY CONFIG WORK_DIR
source "$(dirname "$0")/bench_check_lib.sh" "$@"
check "total stream_bytes = sum over layers" \
    [ "$(jq '[.layers[].stream_bytes] | add' "$j")" = "$(jq .total.stream_bytes "$j")" ]
check "total compulsory_bytes = sum over layers" \
    [ "$(jq '[.layers[].compulsory_bytes] | add' "$j")" = "$(jq .total.compulsory_bytes "$j")" ]
check "every layer streams at least its compulsory bytes" \
    [ "$(jq '[.layers[] | select(.stream_bytes < .compulsory_bytes)] | length' "$j")" = 0 ]
weights=$(jq '.layers[0] | ((.average_bits * 64 * 147 + 7) / 8 | floor)' "$j")
expected=$((weights + 3 * 224 * 224 + 64 * 112 * 112))
check "conv1 compulsory bytes $(jq .layers[0].compulsory_bytes "$j") = $expected (by hand)" \
    [ "$(jq .layers[0].compulsory_bytes "$j")" = "$expected" ]
check "the text names both totals" grep -q "compulsory traffic" "$work/bench.txt"
finish_checks
