#!/usr/bin/env bash
# `fwmac synth` on small generated designs, checked against bounds derived from the
# design's own widths (report.json, computed by golden/shape), not from tool output:
#   tests/synth_check.sh FWMAC_BINARY SOURCE_DIR WORK_DIR MODE
# MODE counts   examples/configs/synth_2x2x2.json through generic, xilinx, xilinx_nodsp
#      ice40    synth_1x1x2 placed and routed on an UP5K; test_8x4x8 does not fit it
#      liberty  synth_1x1x2 mapped to tests/data/fwmac_test_cells.lib, timed by OpenSTA
#      errors   missing tool, failing yosys, usage errors: exit code, message, no report
#      lint     the pin wrapper of three designs and of accel_2x2x2's shell: verilator -Wall,
#               iverilog, yosys check
#      accel_hx8k  the accelerator shell of examples/configs/accel_2x2x2.json placed and
#               routed on an HX8K, its buffers in SB_RAM40_4K
set -uo pipefail
fwmac=$1; source_dir=$2; work=$3; mode=$4
rm -rf "$work"; mkdir -p "$work"
failures=0; checks=0
check() {  # check DESCRIPTION COMMAND...
    local what=$1; shift
    checks=$((checks + 1))
    "$@" > /dev/null || { echo "FAIL: $what"; failures=$((failures + 1)); }
}
q() { jq -r "$1" "$2"; }  # one value from a JSON file

generate() {  # generate NAME -> $work/NAME
    "$fwmac" generate "$source_dir/examples/configs/$1.json" -o "$work/$1" > /dev/null || { echo "FAIL: generate $1"; exit 1; }
}

# The flops the design must hold, from the widths in report.json: per PE the
# accumulator and the drain register (ACC_W each) and the partial sum (PARTIAL_W); the
# operand registers (R*L weight bits, C*L*A activation bits) and the output register
# (C values of output_width bits). On top of these (upper bound only, synthesis may trim
# some of their bits) the requantizers' pipeline registers (requant_units x
# requant_register_bits) and the control (counters, tags, valid bits): a few dozen.
datapath_flops() {
    jq '.config as $c | .derived as $d |
        $c.rows * $c.cols * (2 * $d.acc_width + $d.partial_width)
        + $c.rows * $c.lanes + $c.cols * $c.lanes * $c.act_bits
        + $c.cols * $d.output_width' "$1/report.json"
}
requant_flops() { jq '.config.requant_units * .derived.requant_register_bits' "$1/report.json"; }
control_slack=64
in_range() { [ "$2" -le "$1" ] && [ "$1" -le "$3" ]; }  # in_range VALUE LOW HIGH

# Every summary's groups add up to its cell count, and cells_by_type to the same.
consistent() {  # consistent REPORT JQ_PATH
    jq -e "$2 | (.luts + .flops + .carries + .dsps + .rams + .other) == .cells
                and ([.cells_by_type[]] | add) == .cells" "$1" > /dev/null
}

case "$mode" in
counts)
    generate synth_2x2x2
    dir=$work/synth_2x2x2; report=$dir/synth/synth_report.json
    "$fwmac" synth "$dir" --flow generic,xilinx,xilinx_nodsp > "$work/out.txt" 2> "$work/err.txt" \
        || { echo "FAIL: fwmac synth: $(cat "$work/err.txt")"; exit 1; }
    low=$(datapath_flops "$dir"); high=$((low + $(requant_flops "$dir") + control_slack))
    rows=$(q .config.rows "$dir/report.json"); cols=$(q .config.cols "$dir/report.json")
    acc=$(q .derived.acc_width "$dir/report.json")
    echo "datapath flops $low; generic $(q .flows.generic.flops "$report"), xilinx_nodsp $(q .flows.xilinx_nodsp.flops "$report")"
    check "generic flops $(q .flows.generic.flops "$report") in $low..$high" \
        in_range "$(q .flows.generic.flops "$report")" "$low" "$high"
    check "xilinx_nodsp flops in $low..$high" in_range "$(q .flows.xilinx_nodsp.flops "$report")" "$low" "$high"
    # With DSP inference on, synthesis may absorb registers into DSP48E1 or SRL cells: only the upper bound.
    check "xilinx flops <= $high" [ "$(q .flows.xilinx.flops "$report")" -le "$high" ]
    # Each PE adds its ACC_W-bit accumulator at least once: >= ACC_W gates per PE;
    # on Xilinx that adder is a carry chain of ceil(ACC_W/4) CARRY4 per PE.
    check "generic gates >= R*C*ACC_W" [ "$(q .flows.generic.luts "$report")" -ge $((rows * cols * acc)) ]
    check "xilinx CARRY4 >= R*C*ceil(ACC_W/4)" \
        [ "$(q .flows.xilinx.carries "$report")" -ge $((rows * cols * ((acc + 3) / 4))) ]
    # The requantizers multiply by shift-and-add of 2-bit digits (no * operator), so
    # synth_xilinx infers no DSP48E1 with or without -nodsp.
    check "xilinx_nodsp has no DSP" [ "$(q .flows.xilinx_nodsp.dsps "$report")" -eq 0 ]
    check "CMOS estimate complete, >= 2 transistors per cell" jq -e \
        '.flows.generic | .cmos_transistors_complete and .cmos_transistors >= 2 * .cells' "$report"
    for flow in generic xilinx xilinx_nodsp; do
        check "$flow: groups add up" consistent "$report" ".flows.$flow"
    done
    check "table row for generic" grep -qE "^generic +core +[0-9]+ +$(q .flows.generic.flops "$report") " "$work/out.txt"
    check "report names the tools" jq -e '.tools.yosys | startswith("Yosys")' "$report"
    ;;
ice40)
    generate synth_1x1x2
    dir=$work/synth_1x1x2; report=$dir/synth/synth_report.json
    "$fwmac" synth "$dir" --flow ice40 > "$work/out.txt" 2> "$work/err.txt" \
        || { echo "FAIL: fwmac synth: $(cat "$work/err.txt")"; exit 1; }
    low=$(datapath_flops "$dir"); high=$((low + $(requant_flops "$dir") + control_slack))
    # The wrapper holds one flop per core input bit (all but clk_i) and output bit.
    inputs=$(jq '.interfaces | .cmd_chunks_bits + .cmd_planes_bits + .w_plane_bits + .a_data_bits
                 + .p_data_bits + 7 + (if .raw_outputs then 1 else 0 end)' "$dir/report.json")
                 # + rst, 4 valids, relu, y_ready (and raw with raw outputs)
    outputs=$(jq '.interfaces.y_data_bits + 6' "$dir/report.json")  # + 4 readies, y_valid, y_last
    check "fits the up5k" jq -e '.flows.ice40.fits' "$report"
    check "core flops in $low..$high" in_range "$(q .flows.ice40.core.flops "$report")" "$low" "$high"
    check "wrapper flops = $inputs + $outputs" [ "$(q .flows.ice40.wrapper.flops "$report")" -eq $((inputs + outputs)) ]
    check "wrapper LUTs <= $outputs" [ "$(q .flows.ice40.wrapper.luts "$report")" -le "$outputs" ]
    check "total = core + wrapper" jq -e '.flows.ice40 | .total.flops == .core.flops + .wrapper.flops
        and .total.luts == .core.luts + .wrapper.luts' "$report"
    # A logic cell holds one LUT4 and one flop: LC >= both counts.
    check "LCs >= LUTs and flops" jq -e '.flows.ice40 | .utilisation.ICESTORM_LC.used >= .total.luts
        and .utilisation.ICESTORM_LC.used >= .total.flops' "$report"
    check "Fmax measured against the config clock" jq -e --argjson mhz "$(q .config.clock_mhz "$dir/report.json")" \
        '.flows.ice40 | .fmax_mhz > 0 and .target_mhz == $mhz' "$report"
    check "ice40 groups add up" consistent "$report" .flows.ice40.core
    check "table: Fmax" grep -qE "^ice40 up5k +total .*LC, Fmax [0-9.]+ MHz" "$work/out.txt"

    # Too big for the device: nextpnr's verdict, reported with the utilisation.
    generate test_8x4x8  # 8x4x8, A = Bmax = 8: 12,568 LC against the UP5K's 5,280
    dir=$work/test_8x4x8; report=$dir/synth/synth_report.json
    "$fwmac" synth "$dir" --flow ice40 > "$work/big.txt" 2> "$work/big_err.txt"; rc=$?
    check "misfit: exit 0 ($(cat "$work/big_err.txt"))" [ "$rc" -eq 0 ]
    check "misfit: fits false, nextpnr's error" jq -e '.flows.ice40 | (.fits | not)
        and (.nextpnr_error | length > 0)
        and .utilisation.ICESTORM_LC.used > .utilisation.ICESTORM_LC.available' "$report"
    check "misfit: table says so" grep -q "does not fit the up5k" "$work/big.txt"
    ;;
liberty)
    generate synth_1x1x2
    dir=$work/synth_1x1x2; report=$dir/synth/synth_report.json
    library=$source_dir/tests/data/fwmac_test_cells.lib
    "$fwmac" synth "$dir" --flow generic,liberty --liberty "$library" > "$work/out.txt" 2> "$work/err.txt" \
        || { echo "FAIL: fwmac synth: $(cat "$work/err.txt")"; exit 1; }
    low=$(datapath_flops "$dir"); high=$((low + $(requant_flops "$dir") + control_slack))
    check "liberty flops = generic flops" jq -e '.flows.liberty.flops == .flows.generic.flops' "$report"
    check "liberty flops in $low..$high" in_range "$(q .flows.liberty.flops "$report")" "$low" "$high"
    # The area is the sum of the cells' areas in the test library.
    check "area = sum of cell areas" jq -e '.flows.liberty | .area ==
        ({INV: 2, BUF: 4, NAND2: 4, NOR2: 4, XOR2: 10, TIE: 2, DFF: 20} as $area
         | [.cells_by_type | to_entries[] | $area[.key] * .value] | add)' "$report"
    check "OpenSTA slack at the config period" jq -e --argjson mhz "$(q .config.clock_mhz "$dir/report.json")" \
        '.flows.liberty.sta | (.worst_slack_ns | type) == "number" and .period_ns == 1000 / $mhz
         and .warnings == [] and (.worst_path.slack_ns == .worst_slack_ns)
         and (.register_to_register_path.endpoint | test("_DFF_[DQ]$"))' "$report"
    check "liberty groups add up" consistent "$report" .flows.liberty
    ;;
errors)
    generate synth_1x1x2
    dir=$work/synth_1x1x2; report=$dir/synth/synth_report.json
    # [synth_path=DIR] expect SYNTH_ARGS... -- EXIT_CODE MESSAGE...
    expect() {
        local args=() code
        while [ "$1" != -- ]; do args+=("$1"); shift; done
        shift; code=$1; shift
        PATH=${synth_path:-$PATH} "$fwmac" synth "${args[@]}" > "$work/out.txt" 2> "$work/err.txt"; local rc=$?
        check "synth ${args[*]}: exit code $rc, expected $code" [ "$rc" -eq "$code" ]
        for needle in "$@"; do
            check "synth ${args[*]}: message lacks '$needle': $(cat "$work/err.txt")" grep -qF -- "$needle" "$work/err.txt"
        done
        check "synth ${args[*]}: no report left" [ ! -e "$report" ]
    }
    empty_path=$work/empty_path; mkdir -p "$empty_path"
    synth_path=$empty_path expect "$dir" --flow generic -- 1 "generic flow: 'yosys' not found on PATH"
    expect "$dir" --flow vivado -- 2 "unknown flow 'vivado'"
    expect "$dir" --flow liberty -- 2 "--liberty FILE"
    expect "$dir" --flow ice40 --device ecp5 -- 2 "--device: 'ecp5'"
    expect "$dir" --flow liberty --liberty "$work/missing.lib" -- 1 "liberty file" "missing.lib" "not found"
    expect "$work" --flow generic -- 1 "no report.json"
    expect "$dir" --flow ice40_accel -- 1 "ice40_accel flow" "has no accelerator shell"
    # A yosys run that fails names the tool and the log, and leaves no report.
    sed -i '1i frobnicate_the_netlist' "$dir/synth/synth_generic.ys"
    expect "$dir" --flow generic -- 1 "generic flow: yosys failed (exit code 1)" "synth/generic.log" "frobnicate"
    ;;
accel_hx8k)
    generate accel_2x2x2
    dir=$work/accel_2x2x2; report=$dir/synth/synth_report.json
    "$fwmac" synth "$dir" --flow ice40_accel --device hx8k > "$work/out.txt" 2> "$work/err.txt" \
        || { echo "FAIL: fwmac synth: $(cat "$work/err.txt")"; exit 1; }
    cat "$work/out.txt"
    r=.flows.ice40_accel
    # The buffers: one fwmac_ram_sdp per activation bank (BANKS of the generated shell), the
    # group buffer's parameter and weight RAMs; each must be block RAM, none left as flops.
    banks=$(grep -oE 'parameter integer BANKS += *[0-9]+' "$dir/rtl/accel_2x2x2_accel.v" | grep -oE '[0-9]+$')
    block=$(jq "[$r.memories.ram_cells[] | select(.cell == \"\$__ICE40_RAM4K_\") | .memory]" "$report")
    echo "accel_2x2x2 on the hx8k: $(q "$r.utilisation.ICESTORM_LC.used" "$report")/$(q "$r.utilisation.ICESTORM_LC.available" "$report") LC," \
         "$(q "$r.total.rams" "$report") SB_RAM40_4K ($(q "$r.utilisation.ICESTORM_RAM.used" "$report") placed)," \
         "Fmax $(q "$r.fmax_mhz" "$report") MHz; memories as flops: $(jq -c "$r.memories.flops" "$report")"
    check "places on the hx8k" jq -e "$r.fits" "$report"
    check "Fmax measured" jq -e "$r.fmax_mhz > 0" "$report"
    check "SB_RAM40_4K in the shell > 0" jq -e "$r.core.rams > 0 and $r.core.cells_by_type.SB_RAM40_4K == $r.core.rams" "$report"
    check "SB_RAM40_4K placed = mapped" jq -e "$r.utilisation.ICESTORM_RAM.used == $r.total.rams" "$report"
    for bank in $(seq 0 $((banks - 1))); do
        check "act buffer bank $bank in block RAM" jq -e --arg m "u_act_buffer.g_bank[$bank].u_ram.mem_q" \
            'any(.[]; endswith($m))' <<< "$block"
    done
    for ram in u_prm_ram u_wgt_ram; do
        check "group buffer $ram in block RAM" jq -e --arg m "u_group_buffer.$ram.mem_q" 'any(.[]; endswith($m))' <<< "$block"
    done
    check "no buffer memory as flops" jq -e "[$r.memories.flops[] | select(test(\"u_act_buffer|u_group_buffer|_ram[.]\"))] == []" "$report"
    check "no memory left unmapped" bash -c "! grep -E 'Number of memories: +[1-9]' '$dir/synth/synth_ice40_accel.stat'"
    check "no distributed or SPRAM cells" bash -c "! grep -qE '^ +SB_SPRAM256KA ' '$dir/synth/synth_ice40_accel.stat'"
    check "ice40_accel groups add up" consistent "$report" "$r.core"
    check "table: LC, SB_RAM40_4K, Fmax" grep -qE "^ice40_accel hx8k +total .*LC, [0-9]+ SB_RAM40_4K, Fmax [0-9.]+ MHz" "$work/out.txt"
    ;;
lint)
    for config in synth_1x1x2 test_2x3x16_a4b16 test_8x4x8; do
        generate "$config"
        dir=$work/$config
        wrapper=$(q .module_prefix "$dir/report.json")synth_wrapper
        check "$config: verilator -Wall" verilator --lint-only -Wall -I"$dir/rtl" --top-module "$wrapper" \
            "$dir/synth/$wrapper.v"
        iverilog -g2005 -Wall -o /dev/null -s "$wrapper" "$dir/synth/$wrapper.v" "$dir"/rtl/*.v \
            > "$work/iverilog.log" 2>&1
        status=$?
        check "$config: iverilog, no warning" bash -c "[ $status -eq 0 ] && ! grep -qi warning '$work/iverilog.log'"
        check "$config: yosys check" yosys -q -p "read_verilog -defer $dir/rtl/*.v $dir/synth/$wrapper.v;
            hierarchy -check -top $wrapper; proc; check -assert"
    done
    # the accelerator shell's pin wrapper
    generate accel_2x2x2
    dir=$work/accel_2x2x2; wrapper=accel_2x2x2_accel_wrapper
    check "accel_2x2x2: verilator -Wall" verilator --lint-only -Wall -I"$dir/rtl" --top-module "$wrapper" \
        "$dir/synth/$wrapper.v"
    iverilog -g2005 -Wall -o /dev/null -s "$wrapper" "$dir/synth/$wrapper.v" "$dir"/rtl/*.v > "$work/iverilog.log" 2>&1
    status=$?
    check "accel_2x2x2: iverilog, no warning" bash -c "[ $status -eq 0 ] && ! grep -qi warning '$work/iverilog.log'"
    check "accel_2x2x2: yosys check" yosys -q -p "read_verilog -defer $dir/rtl/*.v $dir/synth/$wrapper.v;
        hierarchy -check -top $wrapper; proc; check -assert"
    ;;
*)
    echo "unknown mode '$mode'"; exit 2 ;;
esac

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
