#!/bin/sh
# Runs every Check suite in BUILD/tests and every shell test in tests/scripts against BUILD, and
# ends with one line "<label>: N passed, M failed" (N, M count Check tests and shell tests
# together).  A build of the core only (ucontext) passes "core-only": its shell tests would have
# no awaitlab command to drive.
# With AW_TEST_LIST=FILE, one line per test run, "<label> <pass|fail> <name>", is appended to
# FILE: tests/summary.sh counts distinct tests and configurations from it.
#   tests/run.sh BUILD [label] [all|core-only]
BUILD=${1:-build}
LABEL=${2:-tests}
WHAT=${3:-all}
passed=0
failed=0
failed_names=""
export AWAITLAB_BUILD="$BUILD"
record() { # record pass|fail NAME
    if [ "$1" = pass ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    [ -n "$AW_TEST_LIST" ] && echo "$LABEL $1 $2" >> "$AW_TEST_LIST"
}
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    b=$(basename "$t")
    # Verbose: Check names every test it ran, passed (P) or not (F, E); NAME#i is iteration i
    # of a loop test.
    out=$(CK_VERBOSITY=verbose "$t" 2>&1)
    rc=$?
    printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks|:[FE]:' | sed "s|^|$b: |"
    results=$(printf '%s\n' "$out" | sed -nE 's/^[^:]+:[0-9]+:([PFE]):[^:]*:([^:]+):([0-9]+):.*/\1 \2#\3/p' | sed 's/#0$//')
    while read -r st name; do
        [ -n "$name" ] || continue
        if [ "$st" = P ]; then record pass "$b:$name"; else record fail "$b:$name"; fi
    done <<EOF
$results
EOF
    # A suite that died outside any test, or exited non-zero with every test passed, fails too.
    if [ $rc -ne 0 ] && ! printf '%s\n' "$results" | grep -q '^[FE] '; then
        printf '%s\n' "$out" | tail -n 20
        echo "$b: exited $rc"
        record fail "$b:(exit)"
    fi
    [ $rc -ne 0 ] && failed_names="$failed_names $b"
done
# Shell tests drive the command-line tools of this build (sanitized builds included).
if [ "$WHAT" = all ]; then
for s in tests/scripts/test_*.sh; do
    [ -f "$s" ] || continue
    b=$(basename "$s")
    out=$(sh "$s" "$BUILD" 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
        record pass "$b"
        echo "$b: ok"
    else
        record fail "$b"
        failed_names="$failed_names $b"
        printf '%s\n' "$out" | tail -n 30
        echo "$b: FAILED (exit $rc)"
    fi
done
fi
[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$LABEL: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
