#!/bin/sh
# test_tui_plain.sh — `awaitlab step` and `awaitlab tui` without a terminal: they never hang,
# they print the steps as plain text; bad traces and bad arguments get a clear message and the
# documented exit status.
#   sh tests/scripts/test_tui_plain.sh BUILD
B=${1:-build}
A="$B/awaitlab"
D=$(mktemp -d "${TMPDIR:-/tmp}/awaitlab-plain-XXXXXX") || exit 1
trap 'rm -rf "$D"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# stdout is a file here: a listing, bounded in time
timeout 30 "$A" step coroutines-create-task < /dev/null > "$D/out" 2> "$D/err"
rc=$?
[ $rc = 0 ] || fail "step without a terminal: exit $rc: $(cat "$D/err")"
grep -q "Task-2 prints \"hello\"\\." "$D/out" || fail "the listing does not explain the print"
grep -q '^ *| hello$' "$D/out" || fail "the listing does not show the output"
# the columns: step, time, iter, then the Python line ("-" where the loop itself acts)
grep -q '^  step  time     iter  line  what happens$' "$D/out" || fail "the listing's header has no line column"
grep -Eq '^ +[0-9]+  [0-9.]+ +[0-9]+ +- +Loop iteration 1 begins' "$D/out" || fail "the loop's own step has a line"
! grep -Eq '\.c:[0-9]|lesson\.c|handle [0-9]' "$D/out" || fail "the listing names C files or handle ids"
timeout 30 "$A" step tutorial-cancel --plain > "$D/cancel" 2>&1 || fail "step tutorial-cancel --plain failed"
grep -Eq '^ +[0-9]+  2\.000 +[0-9]+ +28  Task-1 prints "\[Main\] Requesting task cancellation\."' "$D/cancel" ||
    fail "the print of line 28 is not listed with line 28"
grep -Eq '^ +[0-9]+  2\.000 +[0-9]+ +29  Task-1 cancels Task-2' "$D/cancel" || fail "the cancel() of line 29"
grep -Eq '^ +[0-9]+  [0-9.]+ +[0-9]+ +10  Task-2 enters `except asyncio\.CancelledError:` at line 10\.$' "$D/cancel" ||
    fail "the except clause at line 10"
# an output line stays under the sentence column
grep -q '^                           | \[Main\] Requesting task cancellation\.$' "$D/cancel" ||
    fail "the output line is not aligned under the sentences"
grep -q 'Task-1 .*done' "$D/out" || fail "the listing does not end with the tasks' states"
timeout 30 "$A" step coroutines-create-task --plain > "$D/out2" 2>&1 || fail "--plain failed"
cmp -s "$D/out" "$D/out2" || fail "--plain differs from the listing without a terminal"

# tui on a trace, through a pipe
"$A" run coroutines-create-task --trace "$D/t.jsonl" > /dev/null || fail "run --trace failed"
timeout 30 "$A" tui "$D/t.jsonl" < /dev/null | grep -q '^coroutines-create-task: [0-9]* events' ||
    fail "tui through a pipe did not print the listing"

# a malformed trace: refused with file, line and reason (exit 1, as validate)
sed '3s/.*/{"seq":2,/' "$D/t.jsonl" > "$D/bad.jsonl"
"$A" tui "$D/bad.jsonl" > /dev/null 2> "$D/err"
rc=$?
[ $rc = 1 ] || fail "malformed trace: exit $rc, expected 1"
grep -q "^awaitlab tui: $D/bad.jsonl:3: " "$D/err" || fail "malformed trace: message without file:line: $(cat "$D/err")"

# a truncated trace: shown, with a warning
head -c "$(($(wc -c < "$D/t.jsonl") - 7))" "$D/t.jsonl" > "$D/cut.jsonl"
"$A" tui "$D/cut.jsonl" > "$D/out" 2> "$D/err" || fail "truncated trace: exit $?"
grep -q '^awaitlab tui: warning: .*truncated' "$D/err" || fail "truncated trace: no warning"
grep -q 'events' "$D/out" || fail "truncated trace: no listing"

# bad arguments
"$A" tui /nonexistent.jsonl > /dev/null 2>&1
[ $? = 2 ] || fail "missing file: expected exit 2"
"$A" step > /dev/null 2>&1
[ $? = 2 ] || fail "step without a lesson: expected exit 2"
"$A" step no-such-lesson 2> "$D/err" > /dev/null
[ $? = 2 ] || fail "unknown lesson: expected exit 2"
grep -q "unknown lesson 'no-such-lesson'" "$D/err" || fail "unknown lesson: no clear message"
"$A" tui --bogus x > /dev/null 2>&1
[ $? = 2 ] || fail "unknown option: expected exit 2"
"$A" step --help | grep -q '^usage: awaitlab step' || fail "step --help"
echo "ok"
