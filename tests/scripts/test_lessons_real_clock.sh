#!/bin/sh
# On the real clock a lesson really waits: coroutines-create-task sleeps 1 s and 2 s concurrently,
# so it takes about 2 s (not 3, not 0).  The one timing check of the lessons; loose bounds
# because a loaded machine is slow, never fast.
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
exit 0
