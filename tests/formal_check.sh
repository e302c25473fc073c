#!/usr/bin/env bash
# Formal PE check: proves the generated PE equal to the bit-parallel dot product for
# every input (yosys -> AIGER, ABC unroll + fraig + iprove), then shows the check can
# fail: a broken PE must be refuted (bit-serial: the sign plane added instead of
# subtracted; bit-parallel baseline: the dot product zero- instead of sign-extended).
#   tests/formal_check.sh FWMAC_BINARY CONFIG.json WORK_DIR
set -uo pipefail
fwmac=$1; config=$2; work=$3
rm -rf "$work"; mkdir -p "$work"
"$fwmac" generate "$config" -o "$work/real" > /dev/null || exit 1
cp -r "$work/real" "$work/broken"
prefix=$(jq -r .module_prefix "$work/real/report.json")
if [ -f "$work/broken/rtl/${prefix}pe_mac.v" ]; then  # bit-parallel baseline
    pe="$work/broken/rtl/${prefix}pe_mac.v"
    sed -i 's/assign dot_ext = {{(ACC_W-DOT_W){dot_i\[DOT_W-1\]}}, dot_i};/assign dot_ext = {{(ACC_W-DOT_W){1'"'"'b0}}, dot_i};  \/\/ BROKEN: zero-extended/' "$pe"
else
    pe="$work/broken/rtl/${prefix}pe_acc.v"
    sed -i 's/addend  = dot_ext ^ {PARTIAL_W{restart}};/addend  = dot_ext;  \/\/ BROKEN: sign plane added/' "$pe"
fi
grep -q BROKEN "$pe" || { echo "could not create the broken variant"; exit 1; }

prove() {  # prints UNSATISFIABLE (proved) or SATISFIABLE (counterexample)
    local dir=$1
    (cd "$dir" && yosys -q -s formal/pe_equiv.ys > yosys.log 2>&1) || { echo "yosys failed"; return; }
    local command; command=$(grep -o 'yosys-abc -c "[^"]*"' "$dir/formal/pe_equiv.ys" | sed 's/^yosys-abc -c "//; s/"$//')
    (cd "$dir" && timeout 600 yosys-abc -c "$command" 2>&1 | grep -oE "^(UNSATISFIABLE|SATISFIABLE)" | head -1)
}
real=$(prove "$work/real"); broken=$(prove "$work/broken")
echo "real PE: ${real:-undecided}; broken PE: ${broken:-undecided}"
failures=0
[ "$real" = UNSATISFIABLE ] || failures=$((failures + 1))
[ "$broken" = SATISFIABLE ] || failures=$((failures + 1))
echo "$((2 - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
