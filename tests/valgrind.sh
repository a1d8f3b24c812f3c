#!/bin/sh
# Runs the core's Check suites under valgrind: any error or leak fails.
#   tests/valgrind.sh BUILD
BUILD=${1:-build}
command -v valgrind >/dev/null || { echo "valgrind: not installed"; echo "valgrind: 0 passed, 1 failed"; exit 1; }
passed=0
failed=0
for t in "$BUILD"/tests/test_core_*; do
    [ -x "$t" ] || continue
    # CK_FORK=no: valgrind watches one process; a crash then fails this run, as it should.
    mkdir -p "$BUILD/valgrind"; log="$BUILD/valgrind/$(basename "$t").log"
    if CK_FORK=no CK_TIMEOUT_MULTIPLIER=20 AWAITLAB_UNDER_VALGRIND=1 valgrind -q --error-exitcode=99 \
        --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible "$t" > "$log" 2>&1; then
        passed=$((passed + 1)); echo "$(basename "$t"): valgrind clean"
    else
        failed=$((failed + 1)); tail -n 40 "$log"; echo "$(basename "$t"): valgrind FAILED"
    fi
done
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
