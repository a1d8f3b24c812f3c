#!/bin/sh
# Golden traces: each lesson's schedule (tests/golden/NAME.jsonl, from `awaitlab run NAME
# --trace`) must not change.  `awaitlab diff` shows the first divergence, so a change in
# scheduling order fails here with the events around it.  After an intended change, regenerate
# with tests/golden/update.sh BUILD and read the new traces before committing them.
#
# Every line in a lesson's trace is a line of its Python (the port's py:N tags): editing core or
# a comment in a port changes no golden; what the Python line of a step is, is pinned here.
#   tests/scripts/test_lessons_golden.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
AW="$BUILD/awaitlab"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0

# __LINE__ inside a macro call that spans several lines is the compiler's choice (C11 6.10.8.1):
# gcc gives the first line, clang the last.  The ports keep such a call's py:N tag on both its
# first and last line (or keep the call on one line), so every compiler records the same Python
# line: the goldens are compared whole in the gcc and the clang builds alike.

for n in $("$AW" list | awk '{print $1}'); do
    g=tests/golden/$n.jsonl
    if [ ! -f "$g" ]; then
        echo "FAIL: $n: no golden trace $g (tests/golden/update.sh $BUILD makes it)"
        fail=1
        continue
    fi
    "$AW" run "$n" --trace "$T/$n.jsonl" > /dev/null 2>&1 || { echo "FAIL: $n: run failed"; fail=1; continue; }
    if ! "$AW" diff "$g" "$T/$n.jsonl" > "$T/diff" 2>&1; then
        echo "FAIL: $n: the schedule differs from $g (golden -, now +):"
        cat "$T/diff"
        fail=1
    fi
    # The same run twice gives the same bytes (deterministic, design.md).
    "$AW" run "$n" --trace "$T/again.jsonl" > /dev/null 2>&1
    cmp -s "$T/$n.jsonl" "$T/again.jsonl" || { echo "FAIL: $n: two runs gave different traces"; fail=1; }
done
exit $fail
