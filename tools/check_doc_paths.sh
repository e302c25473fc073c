#!/usr/bin/env bash
# Checks that every repository path the documentation names exists (make doc-check):
#  - backticked words in README.md and docs/*.md whose first component is a top-level
#    entry of the repository (`golden/schedule.hpp`, `examples/layers/demo_conv.json`,
#    `tools/`); a {a,b} group is expanded (`generator/analysis/energy.{hpp,cpp}`), a
#    glob must match something, a :LINE suffix is dropped;
#  - the targets of relative Markdown links and images, from the document's folder, and
#    their #anchors: a heading of the target document (GitHub's rule for ASCII headings:
#    lower case, punctuation other than '-' and '_' dropped, spaces as '-').
# Paths under build/ or made by a command (OUTDIR/..., DIR/...) are not repository paths
# and are skipped by the first rule. Prints every missing path; exit code 1 if any.
#   tools/check_doc_paths.sh [REPO_DIR]
set -uo pipefail
repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
cd "$repo"
# top-level entries of the source tree (not build folders or dot files)
top_level=$(ls -A | grep -v -E '^(\.|build)')
missing=0
checked=0

# expand_braces WORD: one line per alternative of a single {a,b,...} group (or WORD itself)
expand_braces() {
    local word=$1
    if [[ $word =~ ^(.*)\{([^{}]*)\}(.*)$ ]]; then
        local prefix=${BASH_REMATCH[1]} choices=${BASH_REMATCH[2]} suffix=${BASH_REMATCH[3]} choice
        IFS=, read -ra alternatives <<< "$choices"
        for choice in "${alternatives[@]}"; do expand_braces "$prefix$choice$suffix"; done
    else
        printf '%s\n' "$word"
    fi
}

exists() {
    local path=$1
    if [[ $path == *[\*\?]* ]]; then
        compgen -G "$path" > /dev/null
    else
        [ -e "$path" ]
    fi
}

# anchors FILE: the anchor of every heading of a Markdown file, one per line
anchors() {
    awk '/^```/ { fence = !fence; next } !fence && /^#+ / { sub(/^#+ /, ""); print }' "$1" |
        tr 'A-Z' 'a-z' | LC_ALL=C sed -E 's/[^a-z0-9 _-]//g; s/ /-/g'
}

report() {  # report DOC PATH
    echo "$1: no such path: $2"
    missing=$((missing + 1))
}

for doc in README.md docs/*.md; do
    [ -f "$doc" ] || continue
    doc_dir=$(dirname "$doc")
    # backticked words: no spaces inside, first component a top-level entry
    while read -r word; do
        word=${word%%:[0-9]*}      # file.cpp:123
        word=${word%[.,;)]}
        first=${word%%/*}
        grep -qxF -- "$first" <<< "$top_level" || continue
        while read -r path; do
            checked=$((checked + 1))
            exists "$path" || report "$doc" "$path"
        done < <(expand_braces "$word")
    done < <(grep -o '`[^` ]*`' "$doc" | tr -d '`' | sort -u)
    # relative Markdown links and images: [text](target) / ![alt](target)
    while read -r link; do
        case "$link" in http://*|https://*|mailto:*) continue ;; esac
        target=${link%%#*}
        anchor=""; [[ $link == *"#"* ]] && anchor=${link#*#}
        file=$doc; [ -n "$target" ] && file=$doc_dir/$target
        checked=$((checked + 1))
        if [ ! -e "$file" ]; then
            report "$doc" "$target (from $doc_dir/)"
        elif [ -n "$anchor" ] && ! anchors "$file" | grep -qxF -- "$anchor"; then
            report "$doc" "$link (no such heading in $file)"
        fi
    done < <(grep -o '\]([^)]*)' "$doc" | sed -E 's/^\]\(([^) ]*).*$/\1/' | sort -u)
done
echo "doc paths: $checked checked, $missing missing"
[ "$missing" -eq 0 ]
