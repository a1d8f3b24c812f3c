#!/bin/sh
# make bench's programs, awaitlab's and its peers', at tiny sizes: each runs and prints its
# figures, and bench/run.py makes its table.  Nothing is timed or judged here (make bench does
# that); this keeps the benchmarks compiling and running.
#   tests/scripts/test_bench_smoke.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
for p in awaitlab_bench trace_bench viz_bench page_touch_cost peer_libuv peer_fiber; do
    [ -x "$BUILD/bench/$p" ] || { echo "FAIL: $BUILD/bench/$p was not built (tests/deps.sh installs what the peers need)"; exit 1; }
done
out=$(python3 bench/run.py "$BUILD" --smoke 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] || { echo "FAIL: bench/run.py --smoke exited $rc"; exit 1; }
# every implementation of the first workload made a figure, and the last line says none failed
for impl in awaitlab asyncio uvloop trio fiber libuv; do
    printf '%s\n' "$out" | grep -Eq "^(sleep\(0\) switch.*| +)$impl +[0-9]" ||
        { echo "FAIL: no switch figure for $impl"; exit 1; }
done
printf '%s\n' "$out" | tail -n 1 | grep -qx 'bench smoke: 0 failed' || { echo "FAIL: last line"; exit 1; }
# a bad argument is a clear error, not a traceback
python3 bench/run.py "$BUILD" --only nothing 2>&1 | grep -q 'bench: no workload among nothing' ||
    { echo "FAIL: --only with no such workload"; exit 1; }
exit 0
