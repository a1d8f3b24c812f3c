#!/bin/sh
# The I/O lessons print the same lines three ways: their Python program under CPython on real
# loopback (the oracle; python3), the C port on real loopback (--clock real), and the C port on
# the simulated network (the default clock).  The one value that differs from run to run is a
# client's ephemeral port, which the kernel picks (io-echo prints the peer's address): it is
# written PORT in all three before comparing.
#   tests/scripts/test_lessons_io.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
mask() { sed -E "s/\('127\.0\.0\.1', [0-9]+\) *$/('127.0.0.1', PORT)/; s/from \('127\.0\.0\.1', [0-9]+\)/from ('127.0.0.1', PORT)/" "$1"; }
for name in io-echo io-timeout io-faults; do
    py=lessons/$name/program.py
    [ -f "$py" ] || py=lessons/$name/example.py
    python3 "$py" > "$T/py.raw" 2>&1 || { echo "FAIL: $name: python3 $py failed:"; cat "$T/py.raw"; fail=1; continue; }
    "$BUILD/awaitlab" run "$name" --clock real > "$T/real.raw" 2>&1 || { echo "FAIL: $name --clock real:"; cat "$T/real.raw"; fail=1; continue; }
    "$BUILD/awaitlab" run "$name" > "$T/sim.raw" 2>&1 || { echo "FAIL: $name (sim):"; cat "$T/sim.raw"; fail=1; continue; }
    for k in py real sim; do mask "$T/$k.raw" > "$T/$k"; done
    [ -s "$T/py" ] || { echo "FAIL: $name: CPython printed nothing"; fail=1; continue; }
    for k in real sim; do
        if ! cmp -s "$T/py" "$T/$k"; then
            echo "FAIL: $name: the C port ($k) differs from CPython on loopback:"
            diff "$T/py" "$T/$k"
            fail=1
        fi
    done
done
exit $fail
