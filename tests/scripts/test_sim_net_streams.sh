#!/bin/sh
# Streams (core/stream*.c) over the simulated network: tests/programs/stream_echo on the simulated
# clock prints what CPython prints, and its schedule is the one CPython 3 shows on the real
# loopback network (awaitlab record --clock real; stream_schedule_norm.py leaves out what the two
# recorders cannot both see, as test_core_stream_schedule.sh does for the real clock): the
# network's default latency of 0 is loopback as the oracle sees it.  With latency, the output is
# the same and the trace valid, and the same seed gives the same trace.
#   tests/scripts/test_sim_net_streams.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
AW="$BUILD/awaitlab"
PROG="$BUILD/programs/stream_echo"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
command -v python3 >/dev/null || { echo "FAIL: python3 not found"; exit 1; }
[ -x "$PROG" ] || { echo "FAIL: $PROG is not built"; exit 1; }
fail=0

"$AW" record tests/programs/stream_echo.py -o "$T/py.jsonl" --clock real -- 127.0.0.1 > "$T/py.out" 2>&1 ||
    { echo "FAIL: recording stream_echo.py:"; tail -n 5 "$T/py.out"; exit 1; }
AWAITLAB_CLOCK=sim AWAITLAB_TRACE="$T/c.jsonl" "$PROG" 127.0.0.1 > "$T/c.out" 2>&1 ||
    { echo "FAIL: stream_echo on the simulated network:"; tail -n 5 "$T/c.out"; fail=1; }
cmp -s "$T/py.out" "$T/c.out" || { echo "FAIL: prints otherwise than CPython (-python +C):"; diff "$T/py.out" "$T/c.out"; fail=1; }
grep -q '"ev":"net"' "$T/c.jsonl" || { echo "FAIL: no net events: the streams did not use the simulated network"; fail=1; }
python3 tests/scripts/stream_schedule_norm.py "$T/py.jsonl" "$T/a.jsonl" &&
    python3 tests/scripts/stream_schedule_norm.py "$T/c.jsonl" "$T/b.jsonl" --c || exit 1
if ! "$AW" diff --schedule "$T/a.jsonl" "$T/b.jsonl" > "$T/diff" 2>&1; then
    echo "FAIL: the schedules differ (A CPython on loopback, B C on the simulated network):"; head -n 40 "$T/diff"; fail=1
fi

for run in 1 2; do
    AWAITLAB_CLOCK=sim AWAITLAB_SEED=3 AWAITLAB_NET_LATENCY=0.05 AWAITLAB_NET_BANDWIDTH=1000 \
        AWAITLAB_TRACE="$T/slow$run.jsonl" "$PROG" 127.0.0.1 > "$T/slow$run.out" 2>&1 || fail=1
done
cmp -s "$T/py.out" "$T/slow1.out" || { echo "FAIL: with latency, the output changed:"; diff "$T/py.out" "$T/slow1.out"; fail=1; }
cmp -s "$T/slow1.jsonl" "$T/slow2.jsonl" || { echo "FAIL: the same seed twice, two traces"; fail=1; }
"$AW" validate -q "$T/slow1.jsonl" || fail=1
[ $fail -eq 0 ] && echo "PASS: test_sim_net_streams ($(tail -n 1 "$T/diff"))"
exit $fail
