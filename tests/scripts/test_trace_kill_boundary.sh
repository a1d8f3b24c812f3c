#!/bin/sh
# A program killed with SIGKILL loses at most the events of the loop iteration it was running
# (sim/recorder.c writes its buffered lines at each iteration boundary and before the loop
# waits): on the sim clock its trace is a prefix of a complete run of the same program and seed,
# cut where an iteration begins or where the loop was about to wait, and `awaitlab validate`
# calls it incomplete (4 unfinished; 3 truncated if the kill cut a write, or if the file ends in
# the zeros of a mapped file the recorder had no time to trim: sim/file_map.h), never invalid.
#   tests/scripts/test_trace_kill_boundary.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
AW="$BUILD/awaitlab"
PROG="$BUILD/programs/trace_forever"
[ -x "$PROG" ] || { echo "missing $PROG"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# A trace file is written through a mapping grown ahead: until the recorder trims it, its length
# counts zeros past the text.  Its text: everything but the zeros.
text_bytes() { tr -d '\000' < "$1" | wc -c; }

# The sim clock never sleeps: the trace grows quickly.  Kill once it holds 200 KB of text (about
# 1600 lines: counted as lines, which is quick, while the file grows).
AWAITLAB_CLOCK=sim AWAITLAB_SEED=7 AWAITLAB_TRACE="$T/k.trace" "$PROG" > /dev/null 2>&1 &
pid=$!
n=0
while [ "$(wc -l 2>/dev/null < "$T/k.trace" || echo 0)" -lt 1600 ] && [ $n -lt 600 ]; do
    sleep 0.05
    n=$((n + 1))
done
kill -KILL $pid
wait $pid 2>/dev/null
[ "$(text_bytes "$T/k.trace")" -ge 200000 ] || fail "the program wrote only $(text_bytes "$T/k.trace") bytes in 30 s"
tr -d '\000' < "$T/k.trace" > "$T/k.text"
zeros=$(($(wc -c < "$T/k.trace") - $(wc -c < "$T/k.text")))

"$AW" validate "$T/k.trace" > "$T/v.txt" 2>&1
rc=$?
cat "$T/v.txt"
case $rc in
4) grep -q "unfinished: no loop_close event" "$T/v.txt" || fail "exit 4 without the unfinished warning" ;;
3) grep -q "truncated" "$T/v.txt" || fail "exit 3 without the truncated warning" ;; # killed inside a write, or zeros
*) fail "killed trace: validate exit $rc, want 4 (or 3)" ;;
esac

# Zeros are only ever a tail, which the validator names (unless a cut line before them is named).
if [ $zeros -gt 0 ]; then
    grep -q "the file ends in $zeros zero bytes\|the last line is incomplete" "$T/v.txt" ||
        fail "a file ending in $zeros zeros: the validator does not say so"
fi

# Its complete lines (a cut last line has no newline: wc -l does not count it).
lines=$(wc -l < "$T/k.text")
head -n "$lines" "$T/k.text" > "$T/whole.trace"
last=$(tail -n 1 "$T/whole.trace")
last_ns=$(printf '%s\n' "$last" | sed -n 's/.*"t_ns":\([0-9]*\).*/\1/p')
[ -n "$last_ns" ] || fail "no t_ns in the last complete line: $last"

# The complete run: the same program and seed, stopped by a virtual time limit 10 ms past the
# killed trace's last event (exit 10), so that it holds every event the killed run could have.
limit=$(awk -v ns="$last_ns" 'BEGIN { printf "%.3f", ns / 1e9 + 0.01 }')
AWAITLAB_CLOCK=sim AWAITLAB_SEED=7 AWAITLAB_TIME_LIMIT="$limit" AWAITLAB_TRACE="$T/full.trace" "$PROG" > /dev/null 2>&1
rc=$?
[ $rc -eq 10 ] || fail "the complete run: exit $rc, want 10 (time limit $limit s)"
"$AW" validate -q "$T/full.trace" || fail "the complete run's trace is not valid and complete"

# The killed trace is a prefix of the complete run, byte for byte ...
head -n "$lines" "$T/full.trace" | cmp -s - "$T/whole.trace" ||
    fail "the killed trace's $lines lines are not the first lines of the complete run"
[ "$(wc -l < "$T/full.trace")" -gt "$lines" ] || fail "the complete run is not longer than the killed one"
# ... that ends at an iteration boundary: the next event begins an iteration, or the last one is
# the loop's wait.  (A kill inside a write, or inside the copy of an iteration's lines into the
# mapping, may cut anywhere: only whole lines are promised then.)
if [ "$(wc -c < "$T/k.text")" -eq "$(wc -c < "$T/whole.trace")" ]; then
    next=$(sed -n "$((lines + 1))p" "$T/full.trace")
    case "$last|$next" in
    *'"ev":"io_wait"'*'|'*) ;;
    *'|'*'"ev":"iteration"'*) ;;
    *) fail "the killed trace ends inside an iteration: last $last, next $next" ;;
    esac
fi
echo "killed after $lines lines (t = $last_ns ns): a prefix of the complete run, at an iteration boundary"
