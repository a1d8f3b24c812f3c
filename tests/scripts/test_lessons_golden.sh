#!/bin/sh
# Golden traces: each lesson's schedule (tests/golden/NAME.jsonl, from `awaitlab run NAME
# --trace`) must not change.  `awaitlab diff` shows the first divergence, so a change in
# scheduling order fails here with the events around it.  After an intended change, regenerate
# with tests/golden/update.sh BUILD and read the new traces before committing them.
#
# Source locations inside core (an await made by wait_for in core/timeout.c) are not part of a
# lesson's schedule: they are blanked on both sides, so editing core does not break the goldens.
# The lessons' own lines stay: the viewers map them to the Python example.
#   tests/scripts/test_lessons_golden.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
AW="$BUILD/awaitlab"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0

blank_core() { sed 's|"file":"core/[^"]*","line":[0-9]*|"file":null,"line":0|g' "$1"; }

# __LINE__ inside a macro call that spans several lines is the compiler's choice (C11 6.10.8.1):
# gcc gives the first line, clang the last, and the lessons have such calls (AW_LESSON(...),
# multi-line AW_AWAIT(...)).  The goldens come from gcc.  In a clang build (make san's
# build/san-clang) the lessons' line numbers are blanked too: the schedule is still compared
# event by event; the lines are checked by the gcc configurations.
if readelf -p .comment "$AW" 2>/dev/null | grep -q "clang version"; then
    echo "note: clang build: lessons' source lines not compared (gcc's goldens; see above)"
    blank_core() {
        sed -e 's|"file":"core/[^"]*","line":[0-9]*|"file":null,"line":0|g' \
            -e 's|\("file":"lessons/[^"]*","line":\)[0-9]*|\10|g' "$1"
    }
fi

for n in $("$AW" list | awk '{print $1}'); do
    g=tests/golden/$n.jsonl
    if [ ! -f "$g" ]; then
        echo "FAIL: $n: no golden trace $g (tests/golden/update.sh $BUILD makes it)"
        fail=1
        continue
    fi
    "$AW" run "$n" --trace "$T/$n.jsonl" > /dev/null 2>&1 || { echo "FAIL: $n: run failed"; fail=1; continue; }
    blank_core "$g" > "$T/golden.jsonl"
    blank_core "$T/$n.jsonl" > "$T/now.jsonl"
    if ! "$AW" diff "$T/golden.jsonl" "$T/now.jsonl" > "$T/diff" 2>&1; then
        echo "FAIL: $n: the schedule differs from $g (golden -, now +):"
        cat "$T/diff"
        fail=1
    fi
    # The same run twice gives the same bytes (deterministic, design.md).
    "$AW" run "$n" --trace "$T/again.jsonl" > /dev/null 2>&1
    cmp -s "$T/$n.jsonl" "$T/again.jsonl" || { echo "FAIL: $n: two runs gave different traces"; fail=1; }
done
exit $fail
