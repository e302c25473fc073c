#!/usr/bin/env bash
# The integration surface of generated designs, black-box: every file names its licence
# (SPDX), the FuseSoC core lists exactly the filelist's RTL in its order plus the SDC and
# the instantiation template, and the core's lint target (Verilator -Wall on the listed
# files, top <name>_top_inst, or <name>_accel_inst for a design with its accelerator shell)
# and an Icarus elaboration of the template pass.
# FuseSoC itself is not a Debian package: the core is read with python3-yaml and its lint
# target run as FuseSoC's Verilator backend would.
#   tests/integration_check.sh FWMAC_BINARY SOURCE_DIR WORK_DIR
set -uo pipefail
fwmac=$(realpath "$1"); source_dir=$(realpath "$2"); work=$3
rm -rf "$work"; mkdir -p "$work"; cd "$work" || exit 1
failures=0; checks=0
check() { local what=$1; shift; checks=$((checks + 1)); "$@" || { echo "FAIL: $what"; failures=$((failures + 1)); }; }

for config in test_3x5x7 test_3x5x7_parallel test_8x4x8_slots2 accel_2x4x4; do
    "$fwmac" generate "$source_dir/examples/configs/$config.json" -o "$config" > /dev/null || { echo "FAIL: generate $config"; exit 1; }
    dir=$work/$config
    # SPDX: line 1, or line 2 behind a shebang or CAPI=2:; JSON files carry the field.
    while read -r file; do
        case $file in
        *.json) check "$config/$file: spdx field" [ "$(jq -r .spdx_license_identifier "$dir/$file")" = Apache-2.0 ] ;;
        *) head -2 "$dir/$file" | grep -q "SPDX-License-Identifier: Apache-2.0" || { echo "FAIL: $config/$file has no SPDX line"; failures=$((failures + 1)); }
           checks=$((checks + 1)) ;;
        esac
    done < <(cd "$dir" && find . -type f | sed 's|^\./||')
    core=$(jq -r .fusesoc_core "$dir/report.json"); template=$(jq -r .instantiation_template "$dir/report.json")
    check "$config: core named after the design" [ "$core" = "$config.core" ]
    check "$config: core starts with CAPI=2:" [ "$(head -1 "$dir/$core")" = "CAPI=2:" ]
    # name, files of each fileset (in order), the lint target's top and options
    python3 - "$dir/$core" > "$config.core.txt" <<'PY' || { echo "FAIL: $config: core does not parse"; failures=$((failures + 1)); }
import sys, yaml
core = yaml.safe_load(open(sys.argv[1]))
print("name", core["name"])
for name, fileset in core["filesets"].items():
    for f in fileset["files"]:
        print("file", name, fileset["file_type"], f)
lint = core["targets"]["lint"]
print("lint_top", lint["toplevel"])
print("lint_filesets", " ".join(lint["filesets"]))
print("lint_options", " ".join(lint["tools"]["verilator"]["verilator_options"]))
print("default_top", core["targets"]["default"]["toplevel"])
PY
    check "$config: core name" grep -qx "name fwmac:generated:$config:[0-9.]*" "$config.core.txt"
    check "$config: rtl fileset == filelist" \
        diff <(sed -n 's/^file rtl verilogSource //p' "$config.core.txt") <(grep -v '^//' "$dir/$config.f")
    check "$config: constraints fileset" grep -qx "file constraints SDC constraints/$config.sdc" "$config.core.txt"
    check "$config: template fileset" grep -qx "file instantiation_template verilogSource $template" "$config.core.txt"
    # the top an integrator instantiates: the accelerator shell with a system section, else the core
    top=${config}_top
    [ "$(jq '.config.system != null' "$dir/report.json")" = true ] && top=${config}_accel
    check "$config: default top $top" grep -qx "default_top $top" "$config.core.txt"
    lint_top=$(sed -n 's/^lint_top //p' "$config.core.txt")
    check "$config: lint top is the template's module" [ "$lint_top" = "${top}_inst" ]
    check "$config: template is integration/${top}_inst.v" [ "$template" = "integration/${top}_inst.v" ]
    files=()
    for fileset in $(sed -n 's/^lint_filesets //p' "$config.core.txt"); do
        while read -r f; do files+=("$dir/$f"); done < <(sed -n "s/^file $fileset [^ ]* //p" "$config.core.txt")
    done
    check "$config: every listed file exists" ls "${files[@]}" > /dev/null
    # shellcheck disable=SC2046
    check "$config: core lint target (verilator $(sed -n 's/^lint_options //p' "$config.core.txt"))" \
        verilator --lint-only $(sed -n 's/^lint_options //p' "$config.core.txt") --top-module "$lint_top" "${files[@]}"
    check "$config: template elaborates in Icarus" iverilog -g2005 -Wall -s "$lint_top" -o /dev/null "${files[@]}"
    # the template connects every port of the top, by name, to a port of the same name and
    # direction (widths: the lint above fails on a width mismatch); the top's port list only
    top_ports=$(sed -n "/^module $top\b/,/^);/p" "$dir/rtl/$top.v" |
        sed -n 's/^ *\(input\|output\) *wire *\(\[[^]]*\]\)\? *\([a-z_0-9]*\).*/\1 \3/p')
    template_ports=$(sed -n 's/^ *\(input\|output\) *wire *\(\[[^]]*\]\)\? *\([a-z_0-9]*\).*/\1 \3/p' "$dir/$template")
    check "$config: template ports == top ports" [ "$top_ports" = "$template_ports" ]
    check "$config: every port connected" [ "$(grep -c '^    \.[a-z_0-9]* *([a-z_0-9]*)' "$dir/$template")" = "$(echo "$top_ports" | wc -l)" ]
done
echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
