#!/bin/sh
# Check every lesson's C port against CPython: for each lesson in lessons.tsv, compare the stdout
# of `build/awaitlab run NAME --timestamps` with what the lesson's Python prints on the virtual
# clock under CPython 3.14 (pyodide), line for line, virtual times included.
#
#   tests/oracle/check_lessons.sh [--expected] [--bin PATH] [NAME...]
#
#   --expected   compare with the stored tests/oracle/expected/NAME.txt instead of running
#                pyodide live (no node needed; make_expected.sh writes those files)
#   --bin PATH   the awaitlab binary (default: build/awaitlab, or $AWAITLAB)
#   NAME...      only these lessons
# Prints PASS/FAIL per lesson (with a diff on failure) and ends with `N passed, M failed`;
# exits 1 if any lesson failed, 2 on a usage error or when the oracle itself cannot run.
# stderr (warnings) is not compared.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${AWAITLAB:-$ROOT/build/awaitlab}
MODE=live
ONLY=""
while [ $# -gt 0 ]; do
    case $1 in
        --expected) MODE=stored ;;
        --bin) [ $# -ge 2 ] || { echo "check_lessons: --bin needs a path" >&2; exit 2; }; BIN=$2; shift ;;
        --bin=*) BIN=${1#--bin=} ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "check_lessons: unknown option $1" >&2; exit 2 ;;
        *) ONLY="$ONLY $1" ;;
    esac
    shift
done
cd "$ROOT"                                   # lessons.tsv paths are relative to the root
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

# The lessons to check: "name<TAB>wall_start<TAB>file" lines.
awk -F'\t' '!/^#/ && NF >= 3' "$HERE/lessons.tsv" > "$TMP/all"
if [ -n "$ONLY" ]; then
    for n in $ONLY; do
        grep -q "^$n	" "$TMP/all" || { echo "check_lessons: no lesson named $n in lessons.tsv" >&2; exit 2; }
        grep "^$n	" "$TMP/all"
    done > "$TMP/lessons"
else
    cp "$TMP/all" "$TMP/lessons"
fi
NAMES=$(cut -f1 "$TMP/lessons")
TOTAL=$(wc -l < "$TMP/lessons" | tr -d ' ')

# Without the C binary nothing can pass: say so plainly, once, and fail every lesson.
if [ ! -x "$BIN" ]; then
    echo "check_lessons: $BIN: no such executable. Build the C side first (it must provide" \
         "\`awaitlab run NAME --timestamps\`), or pass --bin PATH." >&2
    for n in $NAMES; do echo "FAIL $n (awaitlab binary missing)"; done
    echo "0 passed, $TOTAL failed"
    exit 1
fi

# The oracle's output for each lesson, into $TMP/expected/NAME.txt.
mkdir -p "$TMP/expected"
if [ "$MODE" = live ]; then
    command -v node >/dev/null || { echo "check_lessons: node not found (CPython 3.14 runs under it)" >&2; exit 2; }
    if ! "$HERE/setup.sh" >"$TMP/setup.log" 2>&1; then
        cat "$TMP/setup.log" >&2
        echo "check_lessons: cannot install pyodide (tests/oracle/setup.sh); use --expected" >&2
        exit 2
    fi
    awk -F'\t' '{ print $3 "\t" $2 }' "$TMP/lessons" > "$TMP/list"
    node "$HERE/pyodide_run.mjs" --batch "$TMP/list" > "$TMP/oracle.out" 2> "$TMP/oracle.err"
    if ! python3 "$HERE/split_batch.py" "$HERE/lessons.tsv" "$TMP/expected" .txt < "$TMP/oracle.out"; then
        cat "$TMP/oracle.err" >&2
        echo "check_lessons: the Python oracle itself failed (above); use --expected to compare" \
             "with the stored outputs" >&2
        exit 2
    fi
else
    for n in $NAMES; do
        [ -f "$HERE/expected/$n.txt" ] || { echo "check_lessons: missing tests/oracle/expected/$n.txt" >&2; exit 2; }
        cp "$HERE/expected/$n.txt" "$TMP/expected/$n.txt"
    done
fi

passed=0
failed=0
for n in $NAMES; do
    rc=0
    timeout 60 "$BIN" run "$n" --timestamps > "$TMP/$n.out" 2> "$TMP/$n.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        why="awaitlab exited $rc"
        [ "$rc" -eq 124 ] && why="awaitlab timed out after 60 s"
    elif diff -u "$TMP/expected/$n.txt" "$TMP/$n.out" > "$TMP/$n.diff"; then
        echo "PASS $n"
        passed=$((passed + 1))
        continue
    else
        why="output differs from CPython (- python, + awaitlab)"
    fi
    echo "FAIL $n: $why"
    if [ -s "$TMP/$n.diff" ]; then
        tail -n +3 "$TMP/$n.diff" | head -40 | sed 's/^/    /'
    fi
    if [ "$rc" -ne 0 ] && [ -s "$TMP/$n.err" ]; then
        head -20 "$TMP/$n.err" | sed 's/^/    stderr: /'
    fi
    failed=$((failed + 1))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
