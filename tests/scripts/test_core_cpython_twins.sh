#!/bin/sh
# The core tests' expected orders, checked against CPython itself: each tests/check/cpython/*.py
# is the Python twin of a C test, and its output under python3 (on the oracle's virtual-clock
# loop) must equal the .expected file, whose lines are the ones the C test asserts.
status=0
for py in tests/check/cpython/*.py; do
    want=${py%.py}.expected
    got=$(python3 tests/oracle/run_example.py "$py" 2>&1 | sed 's/^\[[0-9.]*\] //')
    if [ "$got" != "$(cat "$want")" ]; then
        echo "FAIL: $py under $(python3 --version 2>&1) differs from $want:"
        printf '%s\n' "$got" | diff "$want" - | head -20
        status=1
    fi
done
exit $status
