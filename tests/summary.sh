#!/bin/sh
# The closing line of `make test`:
#   total: D distinct tests; R runs in C configurations (plain, san, ...): P passed, F failed
# LIST holds one "<configuration> <pass|fail> <name>" line per test run (tests/run.sh and
# tests/valgrind.sh write it, given AW_TEST_LIST); a test run in several configurations counts
# once among the distinct tests.  Each LOG must end a run with "<label>: N passed, M failed": a
# log without one (a build that failed before its tests) counts as a failure, and so does a
# list that disagrees with the logs.  Exits non-zero when anything failed.
#   tests/summary.sh LIST LOG...
list=$1
shift
passed=0
failed=0
for log in "$@"; do
    lines=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null)
    if [ -z "$lines" ]; then
        echo "summary: $log has no result line"
        failed=$((failed + 1))
        continue
    fi
    for f in $(printf '%s\n' "$lines" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1,\2/'); do
        passed=$((passed + ${f%,*}))
        failed=$((failed + ${f#*,}))
    done
done
[ -f "$list" ] || { echo "summary: no test list $list"; : > "${list:-/dev/null}"; failed=$((failed + 1)); }
runs=$(wc -l < "$list" | tr -d ' ')
lpass=$(grep -c '^[^ ]* pass ' "$list")
lfail=$(grep -c '^[^ ]* fail ' "$list")
distinct=$(cut -d' ' -f3- "$list" | sort -u | wc -l | tr -d ' ')
configs=$(cut -d' ' -f1 "$list" | awk '!seen[$0]++' | paste -sd, - | sed 's/,/, /g')
nconfigs=$(cut -d' ' -f1 "$list" | sort -u | wc -l | tr -d ' ')
if [ "$lpass" != "$passed" ] || [ "$lfail" -gt "$failed" ]; then
    echo "summary: the test list ($lpass passed, $lfail failed) disagrees with the logs ($passed passed, $failed failed)"
    failed=$((failed + 1))
fi
echo "total: $distinct distinct tests; $runs runs in $nconfigs configurations ($configs): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
