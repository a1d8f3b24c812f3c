#!/bin/sh
# test_tui_net.sh — the terminal viewer's loop pane lists the simulated network's connections
# (driven through tmux): on tests/programs/trace_net's trace, a step where bob's bytes travel
# shows them in flight, the end shows every connection's final state, and the event log tells
# the network in words.
#   sh tests/scripts/test_tui_net.sh BUILD
B=${1:-build}
. "$(dirname "$0")/tui_lib.sh"

trace="$TUI_DIR/net.jsonl"
AWAITLAB_TRACE="$trace" "$B/programs/trace_net" >/dev/null || { echo "FAIL: trace_net did not run" >&2; exit 1; }
# the first 16 KiB segment of bob's (client port 49153) leaves: its step
step=$(grep -n '"op":"transmit","fd":[0-9]*,"bytes":16384,"from":"127.0.0.1:49153"' "$trace" | head -1 | cut -d: -f1)
step=$((step - 1))

tui_start 160x45 "$B/awaitlab" tui "$trace" --at "$step"
tui_wait "^ trace_net  step $step/" "the viewer did not open at step $step"
tui_wait '│ net +127\.0\.0\.1:49152 → 127\.0\.0\.1:8888: (open|closing)' "no connection in the loop pane"
tui_wait '127\.0\.0\.1:49153 → 127\.0\.0\.1:8888: open; in flight: 16384' "bob's bytes are not in flight"
tui_wait 'Client → server \(TCP connection 2\): 16384 bytes sent, arrive at' "the log does not tell the transmit"
tui_keys G
tui_wait '127\.0\.0\.1:49153 → 127\.0\.0\.1:8888: closed'
tui_wait '127\.0\.0\.1:49154 → 127\.0\.0\.1:9999: refused'
tui_keys q
[ "$(tui_exit_status)" = 0 ] || tui_fail "exit status"

# A terminal whose locale is not UTF-8 gets the arrows as ASCII, not as escaped bytes.
tui_tmux kill-server
tui_start 160x45 env LC_ALL=C "$B/awaitlab" tui "$trace" --at "$step"
tui_wait '127\.0\.0\.1:49153 -> 127\.0\.0\.1:8888: open; in flight: 1638' "no ASCII arrow in the loop pane (LC_ALL=C)"
tui_wait 'Client -> server \(TCP connection 2\): 16384 bytes sent' "no ASCII arrow in the log (LC_ALL=C)"
tui_screen | grep -q 'xe2' && tui_fail "escaped UTF-8 bytes on the screen (LC_ALL=C)"
tui_keys q
[ "$(tui_exit_status)" = 0 ] || tui_fail "exit status (LC_ALL=C)"
echo "ok"
