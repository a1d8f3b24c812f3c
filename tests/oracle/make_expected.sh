#!/bin/sh
# Regenerate the oracle's expected outputs by running every lesson of lessons.tsv:
#   expected/NAME.txt        stdout under CPython 3.14 (pyodide; the reference, design.md)
#   expected-3.11/NAME.txt   stdout under CPython 3.11 (python3)
#   .../NAME.stderr          stderr (warnings), only where it is not empty
# Never edit these files by hand.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
"$HERE/setup.sh"
cd "$ROOT"                                            # lessons.tsv paths are relative to the root
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
awk -F'\t' '!/^#/ && NF >= 3 { print $3 "\t" $2 }' "$HERE/lessons.tsv" > "$TMP/list"

run() {  # run DIR COMMAND...: one batch, split into DIR
    dir=$1; shift
    rm -rf "$dir"
    status=0
    "$@" --batch "$TMP/list" > "$TMP/out" 2> "$TMP/err" || status=$?
    python3 "$HERE/split_batch.py" "$HERE/lessons.tsv" "$dir" .txt < "$TMP/out" || status=1
    python3 "$HERE/split_batch.py" "$HERE/lessons.tsv" "$dir" .stderr < "$TMP/err"
    find "$dir" -name '*.stderr' -empty -delete
    [ "$status" = 0 ] || { echo "make_expected: a lesson failed under $*" >&2; cat "$TMP/err" >&2; exit 1; }
}
run "$HERE/expected" node "$HERE/pyodide_run.mjs"
run "$HERE/expected-3.11" python3 "$HERE/run_example.py"
echo "make_expected: wrote $(ls "$HERE/expected"/*.txt | wc -l) lessons to expected/ and expected-3.11/"
