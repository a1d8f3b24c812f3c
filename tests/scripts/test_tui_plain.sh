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
grep -q "Task 'Task-2' prints \"hello\"\\." "$D/out" || fail "the listing does not explain the print"
grep -q '^ *| hello$' "$D/out" || fail "the listing does not show the output"
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
