#!/bin/sh
# The I/O lessons print the same lines three ways: their Python program under CPython on real
# loopback (the oracle; python3), the C port on real loopback (--clock real), and the C port on
# the simulated network (the default clock).  The one value that differs from run to run is a
# client's ephemeral port, which the kernel picks (io-echo prints the peer's address): it is
# written PORT in all three before comparing.
# Their schedules are CPython's too: the program recorded under python3 on real loopback
# (awaitlab record --clock real) and the C port traced on real loopback give the same schedule
# (awaitlab diff --schedule, after tests/scripts/stream_schedule_norm.py leaves out what only one
# recorder sees), except io-timeout's: python3 here is 3.11, whose wait_for runs the read in a task
# of its own, where the C port has 3.12+'s wait_for (a timeout scope in the same task; its output
# is the same).  The oracle's virtual loop (tests/oracle) has no sockets, and pyodide's 3.14 none
# either: these lessons are checked here instead of on the virtual clock.
#   tests/scripts/test_lessons_io.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
mask() { sed -E "s/\('127\.0\.0\.1', [0-9]+\) *$/('127.0.0.1', PORT)/; s/from \('127\.0\.0\.1', [0-9]+\)/from ('127.0.0.1', PORT)/" "$1"; }
# The lessons and their Python files: tests/oracle/lessons-loopback.tsv.
TABLE=tests/oracle/lessons-loopback.tsv
lessons=$(awk -F'\t' '!/^#/ && NF >= 2 {print $1}' "$TABLE")
[ -n "$lessons" ] || { echo "FAIL: no lessons in $TABLE"; exit 1; }
pyfile() { awk -F'\t' -v n="$1" '$1 == n {print $2}' "$TABLE"; }
for name in $lessons; do
    py=$(pyfile "$name")
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
# CPython's schedule (3.11 on real loopback), ports masked as above.
for name in $(echo "$lessons" | grep -vx io-timeout); do
    py=$(pyfile "$name")
    "$BUILD/awaitlab" record "$py" -o "$T/py.jsonl" --clock real > "$T/rec.out" 2>&1 ||
        { echo "FAIL: $name: recording $py:"; tail -n 5 "$T/rec.out"; fail=1; continue; }
    "$BUILD/awaitlab" run "$name" --clock real --trace "$T/c.jsonl" > "$T/c.out" 2>&1 ||
        { echo "FAIL: $name: the traced run:"; tail -n 5 "$T/c.out"; fail=1; continue; }
    for k in py c; do sed -E "s/\('127\.0\.0\.1', [0-9]+\)/('127.0.0.1', PORT)/g" "$T/$k.jsonl" > "$T/$k.m.jsonl"; done
    python3 tests/scripts/stream_schedule_norm.py "$T/py.m.jsonl" "$T/a.jsonl" &&
        python3 tests/scripts/stream_schedule_norm.py "$T/c.m.jsonl" "$T/b.jsonl" --c || { fail=1; continue; }
    if ! "$BUILD/awaitlab" diff --schedule "$T/a.jsonl" "$T/b.jsonl" > "$T/diff" 2>&1; then
        echo "FAIL: $name: the schedule differs from CPython's (A CPython, B C):"
        head -n 30 "$T/diff"
        fail=1
    fi
done
exit $fail
