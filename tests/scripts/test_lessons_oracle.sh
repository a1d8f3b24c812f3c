#!/bin/sh
# Every lesson prints exactly what CPython prints: `awaitlab run NAME --timestamps` must equal
# tests/oracle/expected/NAME.txt (CPython 3.14 on the oracle's virtual clock, made by
# tests/oracle/make_expected.sh), line for line and millisecond for millisecond.  Warnings that
# CPython writes (expected/NAME.stderr) must be written too (the same message, where C can say it).
# If the oracle's live check (tests/oracle/check_lessons.sh) is there, it runs as well, and so
# does a stricter one: each line must also be printed in the same loop iteration as in CPython
# 3.14 (pyodide_run.mjs --iterations against the iteration of each `output` event of the trace).
#   tests/scripts/test_lessons_oracle.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
AW="$BUILD/awaitlab"
EXP=tests/oracle/expected
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0

all_names=$("$AW" list | awk '{print $1}')
[ -n "$all_names" ] || { echo "FAIL: awaitlab list printed no lessons"; exit 1; }
# Lessons on the network are CPython's on real loopback (tests/oracle/lessons-loopback.tsv,
# checked by test_lessons_io.sh): the virtual clock's checks below are for the others.
LOOPBACK=tests/oracle/lessons-loopback.tsv
loopback=$(awk -F'\t' '!/^#/ && NF >= 2 {print $1}' "$LOOPBACK")
names=$(echo "$all_names" | grep -vxF "$loopback")
for n in $names; do
    if [ ! -f "$EXP/$n.txt" ]; then
        echo "FAIL: $n: no $EXP/$n.txt (make it with sh tests/oracle/make_expected.sh)"
        fail=1
        continue
    fi
    "$AW" run "$n" --timestamps > "$T/out" 2> "$T/err"
    rc=$?
    if [ $rc -ne 0 ] || ! cmp -s "$EXP/$n.txt" "$T/out"; then
        echo "FAIL: $n: awaitlab run exited $rc; its output (+) against CPython's (-):"
        diff -u "$EXP/$n.txt" "$T/out" | tail -n +3
        cat "$T/err"
        fail=1
    fi
    # CPython's warnings: "...: RuntimeWarning: coroutine 'nested' was never awaited" and such.
    if [ -f "$EXP/$n.stderr" ]; then
        grep -o "[A-Za-z]*Warning: .*" "$EXP/$n.stderr" | grep -v tracemalloc | while read -r w; do
            grep -qF -- "$w" "$T/err" || { echo "FAIL: $n: stderr lacks CPython's '$w'"; cat "$T/err"; exit 1; }
        done || fail=1
    elif [ -s "$T/err" ]; then
        echo "FAIL: $n: stderr is not empty, CPython's is:"
        cat "$T/err"
        fail=1
    fi
done

# Every lesson of the oracle's tables is a lesson here, and the other way round.
if [ -f tests/oracle/lessons.tsv ]; then
    { awk -F'\t' '!/^#/ && NF >= 3 {print $1}' tests/oracle/lessons.tsv; echo "$loopback"; } | sort > "$T/oracle"
    echo "$all_names" | tr ' ' '\n' | sort > "$T/ours"
    if ! cmp -s "$T/oracle" "$T/ours"; then
        echo "FAIL: lessons in tests/oracle/lessons.tsv and $LOOPBACK (-) and in awaitlab list (+) differ:"
        diff "$T/oracle" "$T/ours"
        fail=1
    fi
fi

# The live check runs CPython 3.14 again, under node (tests/oracle/setup.sh installs pyodide).
# Its exit 2 means the oracle itself cannot run here (no node, no pyodide): that fails too, so
# that this test never passes without having run CPython.
if [ -f tests/oracle/check_lessons.sh ]; then
    sh tests/oracle/check_lessons.sh --bin "$AW" > "$T/live" 2>&1
    rc=$?
    if [ $rc -eq 2 ]; then
        echo "FAIL: the live oracle could not run (tests/oracle/check_lessons.sh exit 2;" \
             "tests/deps.sh installs node, tests/oracle/setup.sh pyodide):"
        tail -n 5 "$T/live"
        fail=1
    elif [ $rc -ne 0 ]; then
        echo "FAIL: tests/oracle/check_lessons.sh (live CPython 3.14):"
        tail -n 40 "$T/live"
        fail=1
    fi
fi

# Same iteration, line by line: the schedule, not only the clock, matches CPython's.
# KNOWN_CORE_BUGS: lessons that differ because of a core bug already reported; they print XFAIL
# and fail once they pass (then take them off the list).
#   awaitables-futures: aw_run_in_executor completes its future in the timer callback; CPython
#   completes it one iteration later (call_soon_threadsafe from the worker thread).
KNOWN_CORE_BUGS=""
if [ -f tests/oracle/pyodide_run.mjs ] && command -v node > /dev/null && command -v python3 > /dev/null &&
   sh tests/oracle/setup.sh > /dev/null 2>&1; then
    awk -F'\t' '!/^#/ && NF >= 3 {print $3 " " $2}' tests/oracle/lessons.tsv > "$T/batch"
    node tests/oracle/pyodide_run.mjs --iterations --batch "$T/batch" > "$T/py" 2> /dev/null
    for n in $names; do
        "$AW" run "$n" --trace "$T/$n.jsonl" > /dev/null 2>&1
    done
    python3 - "$T" $names > "$T/iter" <<'PY'
import json, re, sys
tmp, names = sys.argv[1], sys.argv[2:]
files = {}
for line in open('tests/oracle/lessons.tsv'):
    if not line.startswith('#') and line.count('\t') >= 2:
        name, _, path = line.rstrip('\n').split('\t')[:3]
        files[path] = name
py, cur = {}, None
for line in open(tmp + '/py'):
    m = re.match(r'=== begin (\S+)', line)
    if m:
        cur = files.get(m.group(1)); py[cur] = []
    elif not line.startswith('===') and cur:
        py[cur].append(line.rstrip('\n'))
for n in names:
    c = []
    for line in open('%s/%s.jsonl' % (tmp, n)):
        e = json.loads(line)
        if e.get('ev') == 'output':
            t = e['t_ns']
            c.append('[%d.%03d #%d] %s' % (t // 10**9, t % 10**9 // 10**6, e['iter'], e['text']))
    # The times are compared above (--timestamps against expected/), on the clock of the code
    # that printed; the trace's t_ns is the loop's clock, which a line printed by an executor job
    # (to-thread: its own clock, one second on) does not read.  Here: iteration and text.
    def it(lines): return [re.sub(r'^\[[0-9.]+ ', '[', l) for l in lines or []]
    print(n, 'same' if it(c) == it(py.get(n)) else 'differs')
    if it(c) != it(py.get(n)):
        for a, b in zip(py.get(n) or [], c):
            print('   ', 'CPython' if a != b else '       ', a)
            if a != b: print('    awaitlab', b)
PY
    for n in $names; do
        st=$(awk -v n="$n" '$1 == n {print $2}' "$T/iter")
        case " $KNOWN_CORE_BUGS " in
        *" $n "*)
            if [ "$st" = same ]; then
                echo "FAIL: $n now prints in CPython's iterations: take it off KNOWN_CORE_BUGS"; fail=1
            else
                echo "XFAIL: $n: not in CPython's loop iterations (known core bug, see KNOWN_CORE_BUGS)"
            fi ;;
        *)
            if [ "$st" != same ]; then
                echo "FAIL: $n: a line is printed in another loop iteration than in CPython 3.14:"
                awk -v n="$n" '$1 == n {p = 1; next} /^[^ ]/ {p = 0} p' "$T/iter"
                fail=1
            fi ;;
        esac
    done
else
    echo "FAIL: node, python3 or pyodide missing: loop iterations not compared with CPython"
    fail=1
fi
exit $fail
