#!/bin/sh
# Runs the core's Check suites under valgrind: any error or leak fails.  Counts Check tests (as
# tests/run.sh does); valgrind watches a whole process, so an error or leak it reports fails
# every test of that suite.  With AW_TEST_LIST=FILE, appends "LABEL <pass|fail> <name>" lines.
#   tests/valgrind.sh BUILD [LABEL [SKIPPED-SUITE...]]
# LABEL (default valgrind) names the configuration in the result line and the list; the suites
# named after it are not run (a configuration's exclusions, e.g. copied stacks').
BUILD=${1:-build}
LABEL=${2:-valgrind}
[ $# -gt 2 ] && shift 2 || set --
SKIPPED=" $* "
command -v valgrind >/dev/null || { echo "valgrind: not installed"; echo "$LABEL: 0 passed, 1 failed"; exit 1; }
passed=0
failed=0
record() { # record pass|fail NAME
    if [ "$1" = pass ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    [ -n "$AW_TEST_LIST" ] && echo "$LABEL $1 $2" >> "$AW_TEST_LIST"
}
for t in "$BUILD"/tests/test_core_* "$BUILD"/tests/test_sim_*; do
    [ -x "$t" ] || continue
    b=$(basename "$t")
    case "$SKIPPED" in *" $b "*) continue ;; esac
    # CK_FORK=no: valgrind watches one process; a crash then fails this run, as it should.
    mkdir -p "$BUILD/$LABEL"; log="$BUILD/$LABEL/$b.log"
    CK_FORK=no CK_VERBOSITY=verbose CK_TIMEOUT_MULTIPLIER=20 AWAITLAB_UNDER_VALGRIND=1 valgrind -q \
        --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible "$t" > "$log" 2>&1
    rc=$?
    results=$(sed -nE 's/^[^:]+:[0-9]+:([PFE]):[^:]*:([^:]+):([0-9]+):.*/\1 \2#\3/p' "$log" | sed 's/#0$//')
    [ -n "$results" ] || results="E (no test ran)"
    while read -r st name; do
        if [ "$st" = P ] && [ $rc -eq 0 ]; then record pass "$b:$name"; else record fail "$b:$name"; fi
    done <<END
$results
END
    if [ $rc -eq 0 ]; then echo "$b: valgrind clean"; else tail -n 40 "$log"; echo "$b: valgrind FAILED"; fi
done
echo "$LABEL: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
