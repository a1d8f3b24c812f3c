#!/bin/sh
# Differential fuzzing in the suite: every saved regression case (tests/fuzz/cases, each with its
# CPython 3.14 output) must print exactly that output on awaitlab; then 300 random scenarios with
# fixed seeds run on awaitlab and on CPython 3.14 (pyodide) and must agree.  ~15 s.
# What is deliberately not compared is listed in tests/fuzz/SCENARIOS.md ("Not compared").
#   tests/scripts/test_difffuzz.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
[ -x "$BUILD/fuzz/scenario" ] || { echo "missing $BUILD/fuzz/scenario (make builds it)"; exit 1; }
fail=0
command -v python3 >/dev/null || { echo "FAIL: python3 not found (tests/deps.sh installs it)"; exit 1; }
python3 tests/fuzz/difffuzz.py cases "$BUILD" || fail=1
# The random sample needs CPython 3.14: without it this test fails rather than pass untested.
if command -v node >/dev/null && sh tests/oracle/setup.sh >/dev/null 2>&1 &&
   [ -f tests/oracle/node_modules/pyodide/pyodide.mjs ]; then
    python3 tests/fuzz/difffuzz.py run "$BUILD" 300 --first 1 --no-save || fail=1
    # The schedule includes the primitives' `sync` events.  The two conventions where the core
    # and the recorder once differed (tests/fuzz/RESULTS.md): a clear() of a clear Event is no
    # event, and shutdown(immediate=True) takes each item left out (`get`).  Recorded under
    # CPython 3.14 and run on awaitlab, the schedules must be the same, and a sync event changed
    # in one of them must make them differ.
    T=$(mktemp -d)
    ls "$PWD"/tests/fuzz/sync/*.json > "$T/list"
    node tests/fuzz/pyodide_batch.mjs --record "$T/list" "$T" > /dev/null 2>&1
    for f in tests/fuzz/sync/*.json; do
        n=$(basename "$f" .json)
        AWAITLAB_TRACE="$T/$n.c.jsonl" "$BUILD/fuzz/scenario" "$f" > /dev/null
        "$BUILD/awaitlab" diff --schedule "$T/$n.jsonl" "$T/$n.c.jsonl" > "$T/diff" 2>&1 ||
            { echo "FAIL: tests/fuzz/sync/$n.json: CPython's schedule (A) and awaitlab's (B) differ:"; cat "$T/diff"; fail=1; }
        grep -q '"ev":"sync"' "$T/$n.c.jsonl" || { echo "FAIL: $n: no sync event traced"; fail=1; }
        sed '0,/"op":"get","task":\([0-9]*\),"future":null,"count":1/s//"op":"get","task":\1,"future":null,"count":7/' \
            "$T/$n.c.jsonl" > "$T/changed.jsonl"
        if cmp -s "$T/changed.jsonl" "$T/$n.c.jsonl" ||
           "$BUILD/awaitlab" diff --schedule "$T/$n.jsonl" "$T/changed.jsonl" > /dev/null 2>&1; then
            echo "FAIL: $n: a changed sync event goes unnoticed by diff --schedule"; fail=1
        fi
    done
    rm -rf "$T"
else
    echo "FAIL: random sample not run: node or CPython 3.14 (pyodide, tests/oracle/setup.sh) missing"
    fail=1
fi
exit $fail
