#!/bin/sh
# Differential fuzzing in the suite: every saved regression case (tests/fuzz/cases, each with its
# CPython 3.14 output) must print exactly that output on awaitlab; then 300 random scenarios with
# fixed seeds run on awaitlab and on CPython 3.14 (pyodide) and must agree.  ~15 s.
# What is deliberately not compared is listed in tests/fuzz/SCENARIOS.md ("Not compared").
#   tests/scripts/test_difffuzz.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
[ -x "$BUILD/fuzz/scenario" ] || { echo "missing $BUILD/fuzz/scenario (make builds it)"; exit 1; }
fail=0
python3 tests/fuzz/difffuzz.py cases "$BUILD" || fail=1
if [ -f tests/oracle/node_modules/pyodide/pyodide.mjs ] && command -v node >/dev/null; then
    python3 tests/fuzz/difffuzz.py run "$BUILD" 300 --first 1 --no-save || fail=1
else
    echo "random sample skipped: CPython 3.14 (pyodide) is not installed; run tests/oracle/setup.sh"
fi
exit $fail
