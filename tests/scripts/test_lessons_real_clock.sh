#!/bin/sh
# On the real clock a lesson really waits: coroutines-create-task sleeps 1 s and 2 s concurrently,
# so it takes about 2 s (not 3, not 0); to-thread's worker thread sleeps 1 s while main does.
# The timing checks of the lessons; loose bounds because a loaded machine is slow, never fast.
#   tests/scripts/test_lessons_real_clock.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

start=$(date +%s%N)
"$BUILD/awaitlab" run coroutines-create-task --clock real > "$T/out" 2>&1 || { cat "$T/out"; exit 1; }
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
lines=$(grep -c -E '^(started at|hello|world|finished at)' "$T/out")
if [ "$ms" -lt 1900 ] || [ "$ms" -gt 3500 ] || [ "$lines" -ne 4 ]; then
    echo "FAIL: run coroutines-create-task --clock real took ${ms} ms (want 1900..3500), printed:"
    cat "$T/out"
    exit 1
fi

# to-thread prints from a worker thread while the loop runs: the same four lines as on the sim
# clock (CPython's, tests/oracle/expected/to-thread.txt), their times aside, whole and in order,
# in about 1 s (the thread's sleep and main's overlap: not 2).
start=$(date +%s%N)
"$BUILD/awaitlab" run to-thread --clock real > "$T/out" 2>&1 || { cat "$T/out"; exit 1; }
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
sed 's/^\[[0-9.]*\] //; s/ at [0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/ at HH:MM:SS/' \
    "$(dirname "$0")/../oracle/expected/to-thread.txt" > "$T/want"
sed 's/ at [0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/ at HH:MM:SS/' "$T/out" > "$T/got"
if [ "$ms" -lt 900 ] || [ "$ms" -gt 1900 ] || ! cmp -s "$T/want" "$T/got"; then
    echo "FAIL: run to-thread --clock real took ${ms} ms (want 900..1900), printed (- CPython, + awaitlab):"
    diff "$T/want" "$T/got"
    exit 1
fi
exit 0
