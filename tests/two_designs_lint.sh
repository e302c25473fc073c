#!/usr/bin/env bash
# Two designs of different configs in one elaboration: every module and file of a design
# carries its config name as prefix, so their filelists compile together without a
# clash. Generates CONFIG_A and CONFIG_B, checks that every module each defines starts with
# its prefix, writes a wrapper that instantiates both tops, and lints the whole with
# verilator -Wall, iverilog -g2005 -Wall and yosys hierarchy -check.
#   tests/two_designs_lint.sh FWMAC_BINARY CONFIG_A CONFIG_B WORK_DIR
set -uo pipefail
fwmac=$1; config_a=$2; config_b=$3; work=$4
rm -rf "$work"; mkdir -p "$work"
failures=0; checks=0
check() {  # check DESCRIPTION COMMAND...
    local what=$1; shift
    checks=$((checks + 1))
    "$@" > /dev/null 2>&1 || { echo "FAIL: $what"; failures=$((failures + 1)); }
}
files=()
for design in a b; do
    config=$config_a; [ "$design" = b ] && config=$config_b
    "$fwmac" generate "$config" -o "$work/$design" > /dev/null || { echo "FAIL: generate $config"; exit 1; }
    prefix=$(jq -r .module_prefix "$work/$design/report.json")
    top=$(jq -r .top_module "$work/$design/report.json")
    filelist=$(jq -r .filelist "$work/$design/report.json")
    check "$design: filelist $filelist named after the design" [ "$filelist" = "${prefix%_}.f" ]
    while read -r file; do
        files+=("$work/$design/$file")
        check "$design: file $file carries the prefix" bash -c "[[ '$(basename "$file")' == ${prefix}* ]]"
        for module in $(sed -n 's/^module \([A-Za-z0-9_]*\).*/\1/p' "$work/$design/$file"); do
            check "$design: module $module carries the prefix $prefix" bash -c "[[ '$module' == ${prefix}* ]]"
        done
    done < <(grep -v '^//' "$work/$design/$filelist")  # the filelist's SPDX comment
done
# instantiate both tops with only clock and reset connected (the other ports float)
{
    echo '`default_nettype none'
    echo 'module two_designs (input wire clk_i, input wire rst_ni);'
    for design in a b; do
        echo "  $(jq -r .top_module "$work/$design/report.json") u_$design (.clk_i(clk_i), .rst_ni(rst_ni));"
    done
    echo 'endmodule'
    echo '`default_nettype wire'
} > "$work/two_designs.v"
check "verilator elaborates both designs together" \
    verilator --lint-only -Wall -Wno-PINMISSING --top-module two_designs "$work/two_designs.v" "${files[@]}"
check "iverilog elaborates both designs together" \
    iverilog -g2005 -Wall -o "$work/two_designs.vvp" -s two_designs "$work/two_designs.v" "${files[@]}"
check "yosys elaborates both designs together" \
    yosys -q -p "read_verilog $work/two_designs.v ${files[*]}; hierarchy -check -top two_designs; proc; check -assert"
# and a duplicate module definition would have been caught: the same design twice must fail
check "the same design twice is a clash (the check can fail)" bash -c \
    "! verilator --lint-only -Wno-PINMISSING --top-module two_designs $work/two_designs.v ${files[*]} $work/a/rtl/*.v"
echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
