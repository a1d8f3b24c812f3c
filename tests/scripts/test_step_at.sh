#!/bin/sh
# test_step_at.sh — `--at WHERE` (cli/cli_where.c): `awaitlab step NAME|TRACE --at WHERE --plain`
# prints the state at one step (aw_model_print_snapshot) and exits; WHERE is a step number, `end`
# or output:K, the same for `awaitlab tui` and `awaitlab view`; bad values name the valid range
# and exit 2; without --plain the terminal viewer opens at that step.
#   sh tests/scripts/test_step_at.sh [BUILD]
. "$(dirname "$0")/cli_lib.sh"

# the snapshot at the 4th output line of tutorial-cancel: "[Main] Requesting task cancellation."
timeout 30 "$AW" step tutorial-cancel --at output:4 --plain > "$T/o4" 2> "$T/err" ||
    { echo "FAIL: step --at output:4 --plain: exit $?: $(cat "$T/err")"; fail=1; }
for h in 'tasks:' 'ready queue:' 'timers:' 'output:'; do
    grep -q "^$h\$" "$T/o4" || { echo "FAIL: the snapshot has no heading '$h'"; fail=1; }
done
grep -q '^step [0-9]* of [0-9]*, ' "$T/o4" || { echo "FAIL: the snapshot does not say its step"; fail=1; }
grep -q "^Task 'Task-1' prints \"\\[Main\\] Requesting task cancellation\\.\"\\.\$" "$T/o4" ||
    { echo "FAIL: the snapshot at output:4 is not the step that prints the 4th line"; fail=1; }
# Task-2 sleeps in worker_task: its line, then its await stack down to the sleep
grep -A1 '^  Task-2  worker_task()  waiting' "$T/o4" | grep -q '^    await stack: worker_task (line [0-9]*) -> sleep (asyncio)' ||
    { echo "FAIL: no await stack line for Task-2"; fail=1; }
[ "$(sed -n '/^output:$/,$p' "$T/o4" | grep -c '^  \[')" = 4 ] || { echo "FAIL: the snapshot at output:4 does not show 4 output lines"; fail=1; }
grep -q 'Requesting task cancellation' "$T/o4" || { echo "FAIL: the 4th line is not in the output"; fail=1; }
grep -q 'Awaiting task to confirm' "$T/o4" && { echo "FAIL: the 5th line is in the snapshot at output:4"; fail=1; }
cat "$T/o4" > "$T/o4.keep"

# the same step by number, and the same through a trace file and through `tui`
n=$(sed -n 's/^step \([0-9]*\) of .*/\1/p' "$T/o4.keep")
"$AW" step tutorial-cancel --at "$n" --plain > "$T/n" || { echo "FAIL: step --at $n"; fail=1; }
cmp -s "$T/o4.keep" "$T/n" || { echo "FAIL: --at $n differs from --at output:4 (the same step)"; fail=1; }
"$AW" run tutorial-cancel --clock sim --trace "$T/tc.jsonl" > /dev/null || { echo "FAIL: run --trace"; fail=1; }
"$AW" step "$T/tc.jsonl" --at=output:4 --plain > "$T/f" || { echo "FAIL: step TRACE --at"; fail=1; }
cmp -s "$T/o4.keep" "$T/f" || { echo "FAIL: step TRACE --at output:4 differs from the lesson's"; fail=1; }
"$AW" tui "$T/tc.jsonl" --at output:4 --plain > "$T/t" || { echo "FAIL: tui --at"; fail=1; }
cmp -s "$T/o4.keep" "$T/t" || { echo "FAIL: tui --at output:4 differs from step's"; fail=1; }
# not on a terminal and without --plain: the snapshot too (never the viewer, never a hang)
timeout 30 "$AW" step tutorial-cancel --at output:4 < /dev/null > "$T/np" || { echo "FAIL: step --at without a terminal"; fail=1; }
cmp -s "$T/o4.keep" "$T/np" || { echo "FAIL: --at without --plain and without a terminal is not the snapshot"; fail=1; }

# end and 0
"$AW" step tutorial-cancel --at end --plain > "$T/end" || { echo "FAIL: --at end"; fail=1; }
count=$(sed -n 's/^step \([0-9]*\) of \([0-9]*\),.*/\1 \2/p' "$T/end")
set -- $count
[ "$1" = "$2" ] || { echo "FAIL: --at end is step $1 of $2"; fail=1; }
grep -q 'Task-2  worker_task()  done, result None' "$T/end" || { echo "FAIL: at the end Task-2 is not done (it swallowed the cancellation)"; fail=1; }
"$AW" step tutorial-cancel --at 0 --plain > "$T/zero" || { echo "FAIL: --at 0"; fail=1; }
grep -q '^  (none yet)$' "$T/zero" || { echo "FAIL: at step 0 there are tasks"; fail=1; }
grep -q '^  (nothing yet)$' "$T/zero" || { echo "FAIL: at step 0 there is output"; fail=1; }

# every output:K is the step whose snapshot ends with the K-th line
for k in 1 2 3 4 5 6 7 8; do
    "$AW" step tutorial-cancel --at "output:$k" --plain > "$T/k" || { echo "FAIL: --at output:$k"; fail=1; }
    [ "$(sed -n '/^output:$/,$p' "$T/k" | grep -c '^  \[')" = "$k" ] || { echo "FAIL: --at output:$k shows another count of lines"; fail=1; }
done

# bad values: the valid range, exit 2
expect 2 "awaitlab step: --at: output:9 but the trace printed 8 lines (output:1 to output:8)" \
    "$AW" step tutorial-cancel --at output:9 --plain
expect 2 "--at: output:0 but the trace printed 8 lines" "$AW" step tutorial-cancel --at output:0 --plain
expect 2 "--at: expected output:K with K from 1 to 8" "$AW" step tutorial-cancel --at output:x --plain
expect 2 "--at: expected a step from 0 to $2 (the trace has $2 events), 'end' or output:K (K from 1 to 8), got '100000'" \
    "$AW" step tutorial-cancel --at 100000 --plain
expect 2 "got '-3'" "$AW" step tutorial-cancel --at -3 --plain
expect 2 "got 'soon'" "$AW" step tutorial-cancel --at soon
expect 2 "--at needs a step" "$AW" step tutorial-cancel --at
expect 2 "awaitlab tui: --at: output:9 but the trace printed 8 lines" "$AW" tui "$T/tc.jsonl" --at output:9
expect 2 "awaitlab view: --at: output:9 but the trace printed 8 lines" "$AW" view tutorial-cancel --at output:9 --screenshot "$T/x.png"
expect 2 "--seed goes with a lesson" "$AW" step "$T/tc.jsonl" --seed 3 --at 1 --plain
expect 0 "--at WHERE" "$AW" step --help

# view --at output:2 --screenshot: the frame at the step that prints the 2nd line
if SDL_VIDEODRIVER=dummy timeout 60 "$AW" view tutorial-cancel --at output:2 --size 960x540 \
        --screenshot "$T/v.png" --layout-json "$T/v.json" > "$T/vout" 2>&1; then
    "$AW" step tutorial-cancel --at output:2 --plain > "$T/o2"
    python3 - "$T/v.json" "$T/o2" <<'PY' || fail=1
import json, re, sys
lay = json.load(open(sys.argv[1]))
want = int(re.match(r"step (\d+) of", open(sys.argv[2]).readline()).group(1))
assert lay["step"] == want, ("view --at output:2 shows step", lay["step"], "not", want)
assert "Waiting 2 seconds" in lay["explanation"], lay["explanation"]
PY
    [ -s "$T/v.png" ] || { echo "FAIL: view --at output:2 wrote no image"; fail=1; }
else
    rc=$?
    # no font or no SDL in this build: say so, as test_view_screenshot.sh does, but do not hide a crash
    if [ $rc = 6 ] || [ $rc = 7 ]; then echo "skip: view --screenshot unavailable (exit $rc): $(cat "$T/vout")"
    else echo "FAIL: view --at output:2 --screenshot: exit $rc: $(cat "$T/vout")"; fail=1; fi
fi

# in the terminal viewer (tmux), --at opens at that step
if command -v tmux > /dev/null 2>&1; then
    (
        . "$(dirname "$0")/tui_lib.sh"
        tui_start 100x30 "$AW" step tutorial-cancel --at "output:4"
        tui_wait "tutorial-cancel  step $n/[0-9]+" "the viewer did not open at step $n"
        tui_wait 'Requesting task cancellation'
        tui_keys q
        [ "$(tui_exit_status)" = 0 ] || tui_fail "the viewer did not exit 0"
    ) || fail=1
fi
exit $fail
