#!/bin/sh
# Each lesson's C schedule equals CPython's, event by event: the lesson's Python program
# (tests/oracle/lessons.tsv: example.py, program.py, or the oracle's variant) is recorded under
# CPython with `awaitlab record`, and `awaitlab diff --schedule` compares it with the C port's
# golden trace (tests/golden/NAME.jsonl, what `awaitlab run NAME --trace` writes).
# What a schedule compares: sim/trace-format.md, "Schedules".
#
# Which CPython: python3 (3.11 here) records most lessons; it is quick. A program that uses
# wait_for, TaskGroup or Queue.shutdown is recorded under CPython 3.14 instead (pyodide in node,
# tests/oracle/pyodide-python), the C port's reference: 3.11 runs wait_for's coroutine in a task
# of its own where 3.12+ run it inline under a timeout scope, TaskGroup's cancellation rules
# changed in 3.13, and Queue.shutdown is new in 3.13.
# One declared normalization: in the notebook lessons (tutorial-my-coroutine,
# tutorial-cancel-cpu-bound) the top-level `await main()` makes CPython's main task run the
# module's coroutine, named "<module>"; the C port runs main() as asyncio.run(main()) would.  That
# one task_created name is set to "main" before comparing; everything else is compared as is.
#   tests/scripts/test_record_lessons.sh [BUILD]
. "$(dirname "$0")/cli_lib.sh"

command -v python3 > /dev/null || { echo "FAIL: no python3 (CPython 3.11+) to record with (tests/deps.sh installs it)"; exit 1; }
sh tests/oracle/setup.sh > "$T/setup" 2>&1 || {
    echo "FAIL: CPython 3.14 (pyodide) could not be installed by tests/oracle/setup.sh:"; tail -n 5 "$T/setup"; exit 1; }
ROOT=$(pwd)
same=0
# record NAME FILE WALL PYTHON VERSION: record, validate, compare with the golden trace.
record() {
    name=$1 file=$2 wall=$3 python=$4 version=$5 out=$T/$1-$5
    # tests/oracle on the path: the variants import busy() from the oracle's vloop (the shared loop).
    PYTHONPATH="$ROOT/tests/oracle" "$AW" record "$ROOT/$file" --python "$python" -o "$out.jsonl" --wall-start "$wall" \
        > "$out.out" 2> "$out.err"
    rc=$?
    [ $rc = 0 ] || { echo "FAIL: $name: awaitlab record under CPython $version exited $rc:"; cat "$out.err"; fail=1; return; }
    "$AW" validate -q "$out.jsonl" || { echo "FAIL: $name: the trace recorded under CPython $version is not valid"; fail=1; }
    if grep -q '^await main()' "$ROOT/$file"; then
        sed -i '0,/"coro":"<module>"/s//"coro":"main"/' "$out.jsonl"
    fi
    # (The schedule includes the primitives' own events, `sync`: Lock, Event, Queue, Barrier...)
    if "$AW" diff --schedule "$out.jsonl" "tests/golden/$name.jsonl" > "$out.diff" 2>&1; then
        same=$((same + 1))
        echo "ok: $name: CPython $version: $(tail -n 1 "$out.diff")"
    else
        echo "FAIL: $name: CPython $version's schedule (A) and the C port's (B) differ:"; cat "$out.diff"; fail=1
    fi
}

PY314=$ROOT/tests/oracle/pyodide-python
while IFS="$(printf '\t')" read -r name wall file; do
    case $name in '#'*|'') continue ;; esac
    if grep -Eq 'wait_for\(|TaskGroup|\.shutdown\(' "$ROOT/$file"; then
        record "$name" "$file" "$wall" "$PY314" 3.14
    else
        record "$name" "$file" "$wall" python3 3.11
        # The recorder's own paths that differ between 3.11 and 3.14 (3.14's call_soon_threadsafe
        # makes a handle of its own class; its pure-Python tasks track themselves): both.
        case $name in awaitables-futures) record "$name" "$file" "$wall" "$PY314" 3.14 ;; esac
    fi
done < tests/oracle/lessons.tsv
echo "record lessons: $same recordings have the C port's schedule"
exit $fail
