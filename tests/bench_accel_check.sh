#!/usr/bin/env bash
# fwmac bench --json on a config with a system section: the shell's figures. Totals are the
# layers' sums; every layer's cycles are at least its GEMMs on the core alone and its
# loader steps; the downsample layer's packets are derived by hand (below); the total
# stream traffic stays within 1.25 x the compulsory traffic (weights at their bits, input
# and output once).
#   tests/bench_accel_check.sh FWMAC_BINARY CONFIG WORK_DIR
source "$(dirname "$0")/bench_check_lib.sh" "$@"
check "total stream_bytes = sum over layers" \
    [ "$(jq '[.layers[].stream_bytes] | add' "$j")" = "$(jq .total.stream_bytes "$j")" ]
check "total compute cycles = sum over layers" \
    [ "$(jq '[.layers[].accel.compute_cycles] | add' "$j")" = "$(jq .total.accel.compute_cycles "$j")" ]
for bus in 0 1 2; do
    check "total cycles at bus $bus = sum over layers" \
        [ "$(jq "[.layers[].accel.buses[$bus].cycles] | add" "$j")" = "$(jq ".total.accel.buses[$bus].cycles" "$j")" ]
done
check "bus widths 64, 128, 256" [ "$(jq -c '[.total.accel.buses[].bus_bits]' "$j")" = "[64,128,256]" ]
check "no layer faster than its GEMMs on the core or its loader steps" \
    [ "$(jq '[.layers[].accel as $a | $a.buses[] | select(.cycles <= $a.compute_cycles or .cycles <= .load_steps)] | length' "$j")" = 0 ]
check "stream_bytes = the 128-bit packets" \
    [ "$(jq '[.layers[] | select(.stream_bytes != .accel.buses[1].input_bytes + .accel.buses[1].output_bytes)] | length' "$j")" = 0 ]
# layer2.0.downsample (1x1, stride 2, 64 -> 128 channels, 56x56 -> 28x28), lowered on the
# host: the input is the 28 x 28 pixels it reads, 8 channel groups of 8 x 8 bits: 6272 words
# of 8 bytes; 8 row groups each send a 16-byte header beat and 16 parameter words of 8 bytes
# (52 bits in 64-bit containers) before 8 chunks x b_g weight planes of 16 bytes; the output
# is 128 x 784 values of one byte.
d='.layers[] | select(.layer == "layer2.0.downsample") | .accel'
check "downsample lowered on the host" [ "$(jq "$d.host_lowered" "$j")" = true ]
check "downsample output bytes 128 x 784" [ "$(jq "$d.buses[1].output_bytes" "$j")" = $((128 * 784)) ]
rest=$(( $(jq "$d.buses[1].input_bytes" "$j") - 6272 * 8 - 8 * (16 + 16 * 8) ))
check "downsample input bytes: activations, headers, parameters + whole 8 x 16-byte weight chunks ($rest)" \
    [ "$rest" -gt 0 -a $((rest % 128)) -eq 0 ]
check "total stream traffic <= 1.25 x compulsory" \
    [ "$(jq '.total.stream_bytes * 4 <= .total.compulsory_bytes * 5' "$j")" = true ]
check "the text has the shell's table" grep -q "through .*_accel" "$work/bench.txt"
finish_checks
