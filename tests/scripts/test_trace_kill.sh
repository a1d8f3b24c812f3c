#!/bin/sh
# A program killed mid-run (SIGKILL) leaves a readable trace: every line it wrote is complete
# and valid, and the validator says the trace is unfinished (exit 4).  Cut inside a line, the
# same trace is reported truncated (exit 3), with its complete lines still valid.
#   tests/scripts/test_trace_kill.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
AW="$BUILD/awaitlab"
PROG="$BUILD/programs/trace_forever"
[ -x "$PROG" ] || { echo "missing $PROG"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# real clock: 1 ms sleeps, so the trace grows slowly while we wait
AWAITLAB_CLOCK=real AWAITLAB_TRACE="$T/k.trace" "$PROG" > /dev/null 2>&1 &
pid=$!
n=0
while [ "$(wc -l < "$T/k.trace" 2>/dev/null || echo 0)" -lt 500 ] && [ $n -lt 100 ]; do
    sleep 0.1
    n=$((n + 1))
done
kill -KILL $pid
wait $pid 2>/dev/null
lines=$(wc -l < "$T/k.trace")
[ "$lines" -ge 500 ] || { echo "the program wrote only $lines lines in 10 s"; exit 1; }

"$AW" validate "$T/k.trace" > "$T/v.txt" 2>&1
rc=$?
cat "$T/v.txt"
case $rc in
4) grep -q "unfinished: no loop_close event" "$T/v.txt" || exit 1 ;;
3) grep -q "truncated" "$T/v.txt" || exit 1 ;; # killed inside a write: rare, also right
*) echo "killed trace: validate exit $rc, want 4 (or 3)"; exit 1 ;;
esac

# Cut in the middle of the last complete line: truncated, and what comes before still counts.
head -n 200 "$T/k.trace" > "$T/cut.trace"
head -n 201 "$T/k.trace" | tail -n 1 | head -c 25 >> "$T/cut.trace"
"$AW" validate "$T/cut.trace" > "$T/c.txt" 2>&1
rc=$?
cat "$T/c.txt"
[ $rc -eq 3 ] || { echo "cut trace: validate exit $rc, want 3"; exit 1; }
grep -q "cut.trace:201: truncated: the last line is incomplete (25 bytes, no newline); the 199 events before it are valid" "$T/c.txt" ||
    { echo "wrong truncation message"; exit 1; }
# diff reads the truncated trace up to its cut
"$AW" diff "$T/cut.trace" "$T/cut.trace" > "$T/d.txt"
rc=$?
cat "$T/d.txt"
[ $rc -eq 0 ] && grep -q "note: .*truncated" "$T/d.txt" || { echo "diff of a truncated trace: exit $rc"; exit 1; }

# Killed inside its header's write: truncated too (the validator once crashed printing this).
head -c 30 "$T/k.trace" > "$T/head.trace"
"$AW" validate "$T/head.trace" > "$T/h.txt" 2>&1
rc=$?
cat "$T/h.txt"
[ $rc -eq 3 ] && grep -q "head.trace:1: truncated" "$T/h.txt" || { echo "cut header: validate exit $rc, want 3"; exit 1; }
