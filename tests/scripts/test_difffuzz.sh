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
else
    echo "FAIL: random sample not run: node or CPython 3.14 (pyodide, tests/oracle/setup.sh) missing"
    fail=1
fi
exit $fail
