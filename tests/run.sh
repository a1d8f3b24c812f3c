#!/bin/sh
# Runs every Check suite in BUILD/tests and every shell test in tests/scripts, and ends with one
# line "<label>: N passed, M failed" (N, M count Check tests and shell tests together).
#   tests/run.sh BUILD [label]
BUILD=${1:-build}
LABEL=${2:-tests}
passed=0
failed=0
failed_names=""
export AWAITLAB_BUILD="$BUILD"
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    out=$("$t" 2>&1)
    rc=$?
    printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks|:[FE]:' | sed "s|^|$(basename "$t"): |"
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks:' | tail -n 1)
    if [ -n "$line" ]; then
        n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
        f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
        e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
        passed=$((passed + n - f - e))
        failed=$((failed + f + e))
    fi
    if [ $rc -ne 0 ] && { [ -z "$line" ] || [ "$(echo "$line" | sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1\2/')" = "00" ]; }; then
        printf '%s\n' "$out" | tail -n 20
        echo "$(basename "$t"): exited $rc"
        failed=$((failed + 1))
    fi
    [ $rc -ne 0 ] && failed_names="$failed_names $(basename "$t")"
done
# Shell tests drive the command-line tools of the main build only.
if [ "$LABEL" = tests ]; then
for s in tests/scripts/test_*.sh; do
    [ -f "$s" ] || continue
    out=$(sh "$s" "$BUILD" 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
        passed=$((passed + 1))
        echo "$(basename "$s"): ok"
    else
        failed=$((failed + 1))
        failed_names="$failed_names $(basename "$s")"
        printf '%s\n' "$out" | tail -n 30
        echo "$(basename "$s"): FAILED (exit $rc)"
    fi
done
fi
[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$LABEL: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
