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

# A trace file is written through a mapping grown ahead (sim/file_map.h): a writer killed before
# it trimmed the file leaves zeros after its text.  Whole lines then zeros: truncated, every
# event before them valid; a cut line then zeros: the cut line is what is reported.
head -n 200 "$T/k.trace" > "$T/z.trace"
head -c 3000 /dev/zero >> "$T/z.trace"
"$AW" validate "$T/z.trace" > "$T/z.txt" 2>&1
rc=$?
cat "$T/z.txt"
[ $rc -eq 3 ] && grep -q "z.trace:201: truncated: the file ends in 3000 zero bytes (its writer was killed before it trimmed the file); the 199 events before them are valid" "$T/z.txt" ||
    { echo "zero-filled tail: validate exit $rc, want 3 with the zero-tail message"; exit 1; }
head -c 70000 /dev/zero > "$T/zeros" # longer than the reader's 64 KiB buffer
cat "$T/cut.trace" "$T/zeros" > "$T/zc.trace"
"$AW" validate "$T/zc.trace" > "$T/zc.txt" 2>&1
rc=$?
[ $rc -eq 3 ] && grep -q "zc.trace:201: truncated: the last line is incomplete (25 bytes, no newline)" "$T/zc.txt" ||
    { cat "$T/zc.txt"; echo "cut line then zeros: validate exit $rc, want 3 naming the cut line"; exit 1; }
"$AW" diff "$T/z.trace" "$T/cut.trace" > "$T/zd.txt"
rc=$?
[ $rc -eq 0 ] || { cat "$T/zd.txt"; echo "diff of a zero-tailed trace and its cut twin: exit $rc, want 0"; exit 1; }
# Killed before the header was copied in: zeros only, truncated.
"$AW" validate "$T/zeros" > "$T/zz.txt" 2>&1
rc=$?
[ $rc -eq 3 ] && grep -q "zeros:1: truncated: the file holds only 70000 zero bytes" "$T/zz.txt" ||
    { cat "$T/zz.txt"; echo "a file of zeros: validate exit $rc, want 3"; exit 1; }
# Zeros that are not the end of the file are not a tail: invalid (zeros then a line, or zeros
# then text without a newline, past the reader's buffer).
{ head -n 200 "$T/k.trace"; head -c 100 /dev/zero; head -n 201 "$T/k.trace" | tail -n 1; } > "$T/zi.trace"
"$AW" validate "$T/zi.trace" > "$T/zi.txt" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q "zi.trace:201: .*\(NUL\|zero\) byte" "$T/zi.txt" ||
    { cat "$T/zi.txt"; echo "zeros inside the text: validate exit $rc, want 1"; exit 1; }
{ head -n 200 "$T/k.trace"; cat "$T/zeros"; printf 'x'; } > "$T/zj.trace"
"$AW" validate "$T/zj.trace" > "$T/zj.txt" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q "zj.trace:201: a zero byte inside the text (not a zero-filled end of file)" "$T/zj.txt" ||
    { cat "$T/zj.txt"; echo "zeros then text: validate exit $rc, want 1"; exit 1; }
