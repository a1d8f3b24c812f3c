#!/bin/sh
# The core tests' expected orders, checked against CPython itself: each tests/check/cpython/*.py
# is the Python twin of a C test, which reads NAME.expected as its expected log.  Run on the
# oracle's virtual-clock loop, each twin must print exactly NAME.expected under CPython 3.14
# (pyodide, the reference) and under python3 (3.11).  Where 3.11 legitimately differs, its
# output is NAME.expected-3.11 and the difference is printed; any other difference fails.
# A twin marked `# real-clock-check: N` also runs on CPython's real clock (see below).
# A missing interpreter (python3, node, pyodide) fails: nothing here passes without CPython.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
status=0
command -v python3 >/dev/null || { echo "FAIL: python3 not found (tests/deps.sh installs it)"; exit 1; }
command -v node >/dev/null || { echo "FAIL: node not found (tests/deps.sh installs nodejs)"; exit 1; }
sh tests/oracle/setup.sh > "$T/setup" 2>&1 || {
    echo "FAIL: CPython 3.14 (pyodide) could not be installed by tests/oracle/setup.sh:"; tail -n 5 "$T/setup"; exit 1; }

ls tests/check/cpython/*.py > "$T/list"
[ -s "$T/list" ] || { echo "FAIL: no twins in tests/check/cpython"; exit 1; }
# One pyodide process for all twins (loading it takes ~3 s); each output is framed.
node tests/oracle/pyodide_run.mjs --batch "$T/list" > "$T/all-3.14" 2> "$T/err-3.14"
strip() { sed 's/^\[[0-9.]*\] //'; }
for py in $(cat "$T/list"); do
    want=${py%.py}.expected
    n=$(basename "${py%.py}")
    awk -v f="$py" '$0 == "=== begin " f {p = 1; next} p && /^=== end / {exit} p' "$T/all-3.14" | strip > "$T/$n.3.14"
    python3 tests/oracle/run_example.py "$py" 2>&1 | strip > "$T/$n.3.11"
    if [ ! -s "$want" ]; then
        echo "FAIL: $want is missing or empty"; status=1; continue
    fi
    if ! grep -qx "=== end $py rc=0" "$T/all-3.14"; then
        echo "FAIL: $py under CPython 3.14 (pyodide) did not end with rc=0:"
        awk -v f="$py" '$0 == "=== begin " f {p = 1; next} /^=== begin / {p = 0} p' "$T/err-3.14" | tail -n 10
        status=1
    fi
    if ! cmp -s "$want" "$T/$n.3.14"; then
        echo "FAIL: $py under CPython 3.14 (the reference) differs from $want (-want +got):"
        diff "$want" "$T/$n.3.14" | head -20; status=1
    fi
    if cmp -s "$want" "$T/$n.3.11"; then
        [ -f "$want-3.11" ] && { echo "FAIL: $want-3.11 is stale: 3.11 now prints $want"; status=1; }
    elif [ -f "$want-3.11" ] && cmp -s "$want-3.11" "$T/$n.3.11"; then
        echo "note: $py: CPython 3.11 differs from 3.14 (the reference), as $want-3.11 records:"
        diff "$want" "$want-3.11" | head -10
    else
        echo "FAIL: $py: $(python3 --version 2>&1) differs from CPython 3.14's $want (-3.14 +3.11);"
        echo "      if 3.11 is known to differ here, record its output in $want-3.11:"
        diff "$want" "$T/$n.3.11" | head -20; status=1
    fi
    # An independent check of the orders the virtual clock gives: a twin marked
    # `# real-clock-check: N` also runs on CPython's own loop (python3, really sleeping), where
    # equal deadlines cannot happen and timers fire in creation order; its first N lines must
    # be those of NAME.expected, without their times.
    n_real=$(sed -n 's/^# real-clock-check: \([0-9][0-9]*\)$/\1/p' "$py")
    if [ -n "$n_real" ]; then
        labels() { head -n "$n_real" | sed -e 's/^t=[^ ]* //' -e 's/ (loop\.time() = .*)$//'; }
        labels < "$want" > "$T/$n.want-real"
        python3 "$py" 2>&1 | labels > "$T/$n.real"
        if ! cmp -s "$T/$n.want-real" "$T/$n.real"; then
            echo "FAIL: $py on CPython's real clock: the first $n_real lines differ from $want's (-want +got):"
            diff "$T/$n.want-real" "$T/$n.real" | head -20; status=1
        fi
    fi
done
exit $status
