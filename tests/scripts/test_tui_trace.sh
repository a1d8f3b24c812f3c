#!/bin/sh
# test_tui_trace.sh — `awaitlab tui TRACE` on a trace that is not a lesson's (driven through
# tmux): the source pane shows the program's own file, CPU-bound work shows as blocked, play and
# pause move the steps by themselves, a terminal below 80x24 says what size it needs and a
# resize redraws, and a truncated trace is shown with a warning.
#   sh tests/scripts/test_tui_trace.sh BUILD
B=${1:-build}
. "$(dirname "$0")/tui_lib.sh"

trace="$TUI_DIR/workers.jsonl"
AWAITLAB_CLOCK=sim AWAITLAB_TRACE="$trace" "$B/programs/trace_workers" >/dev/null ||
    { echo "FAIL: trace_workers did not run" >&2; exit 1; }

tui_start 100x30 "$B/awaitlab" tui "$trace"
tui_wait '^ trace_workers  step 0/[0-9]+' "the viewer did not start"

# a search for the CPU-bound call: its task is blocked, and says so
tui_keys / C P U - b o u n d Enter
tui_wait "runs CPU-bound code for 0\\.[0-9]+ s( at line [0-9]+)?: the loop is blocked"
tui_wait 'Task-3 worker +blocked in CPU-bound code'
tui_wait '^ tests/programs/trace_workers\.c: line [0-9]+' "the source pane does not show the program's file"
tui_keys Right
tui_wait 'Task-3 worker +running'

# play: the step moves on its own; pause: it stops
tui_keys g
tui_wait 'step 0/'
tui_keys + + + Space
tui_wait 'PLAYING 32/s'
tui_wait 'step [1-9][0-9]*/' "playing did not advance"
tui_keys Space
tui_wait ' paused *$'
a=$(tui_screen | sed -n 's/.*step \([0-9]*\)\/.*/\1/p' | head -n 1)
tui_keys '?'
tui_wait 'Press any key'
tui_keys Escape
tui_wait_not 'Press any key'
b=$(tui_screen | sed -n 's/.*step \([0-9]*\)\/.*/\1/p' | head -n 1)
[ "$a" = "$b" ] || tui_fail "paused, yet the step moved from $a to $b"

# too small, then big enough again
tui_tmux resize-window -t "$TUI_SESSION" -x 70 -y 20
tui_wait 'awaitlab needs at least 80x24' "no message for a small terminal"
tui_wait 'This terminal is 70x20'
tui_tmux resize-window -t "$TUI_SESSION" -x 80 -y 24
tui_wait_not 'awaitlab needs at least'
tui_wait "^ trace_workers  step $b/"
tui_keys q
st=$(tui_exit_status)
[ "$st" = 0 ] || tui_fail "exit status $st"

# a truncated trace: shown up to the cut, with a warning
head -c "$(($(wc -c < "$trace") - 20))" "$trace" > "$TUI_DIR/cut.jsonl"
tui_tmux kill-server
tui_start 80x24 "$B/awaitlab" tui "$TUI_DIR/cut.jsonl"
tui_wait 'truncated' "no warning for a truncated trace"
tui_keys G
tui_wait '\[truncated\]'
tui_keys q
[ "$(tui_exit_status)" = 0 ] || tui_fail "the viewer did not exit cleanly on a truncated trace"
echo "ok"
