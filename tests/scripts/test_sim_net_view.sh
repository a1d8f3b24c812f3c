#!/bin/sh
# The simulated network in traces and viewers: tests/programs/trace_net (an echo server, two
# clients, one refused connection) records a valid trace, byte-identical for the same seed with
# every fault on; the plain snapshot (`awaitlab tui --plain --at`) and the SDL view's layout JSON
# list each connection with its state, and bytes in flight while some are.
#   tests/scripts/test_sim_net_view.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
AW="$BUILD/awaitlab"
PROG="$BUILD/programs/trace_net"
[ -x "$PROG" ] || { echo "missing $PROG (make builds it)"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0

AWAITLAB_TRACE="$T/net.jsonl" "$PROG" > "$T/out" 2>&1 || { echo "trace_net failed:"; cat "$T/out"; fail=1; }
"$AW" validate -q "$T/net.jsonl" || fail=1
grep -q "^carol: connect failed: Connection refused$" "$T/out" || { echo "carol was not refused:"; cat "$T/out"; fail=1; }
grep -q "^bob: got 150000 bytes back, starting 'A LOT OF BYT'$" "$T/out" || { echo "bob's echo:"; cat "$T/out"; fail=1; }

# At the end: every connection listed, in the order made, with its state.
"$AW" tui "$T/net.jsonl" --at end --plain > "$T/end.txt" 2>&1 || fail=1
cat > "$T/want" <<'W'
network:
  127.0.0.1:49152 → 127.0.0.1:8888: closed
  127.0.0.1:49153 → 127.0.0.1:8888: closed
  127.0.0.1:49154 → 127.0.0.1:9999: refused
W
grep -A3 '^network:$' "$T/end.txt" > "$T/got"
cmp -s "$T/want" "$T/got" || { echo "plain snapshot's network at the end:"; cat "$T/got"; fail=1; }

# While bob's bytes travel: bytes in flight on his link, client to server.
step=$(grep -n '"op":"transmit","fd":[0-9]*,"bytes":16384,"from":"127.0.0.1:49153"' "$T/net.jsonl" | head -1 | cut -d: -f1)
step=$((step - 1)) # the header is line 1
"$AW" tui "$T/net.jsonl" --at "$step" --plain > "$T/mid.txt" 2>&1 || fail=1
grep -q '^  127.0.0.1:49153 → 127.0.0.1:8888: open; in flight: 16384 B →$' "$T/mid.txt" ||
    { echo "step $step: no 16384 bytes in flight:"; grep -A4 '^network:' "$T/mid.txt"; fail=1; }
grep -q '^Client → server (TCP connection 2): 16384 bytes sent, arrive at ' "$T/mid.txt" ||
    { echo "step $step: the sentence:"; sed -n 2p "$T/mid.txt"; fail=1; }

# The SDL view says the same in its facts.
if "$AW" view "$T/net.jsonl" --at "$step" --screenshot "$T/v.png" --layout-json "$T/v.json" > "$T/view.out" 2>&1; then
    python3 - "$T/v.json" <<'PY' || fail=1
import json, sys
net = json.load(open(sys.argv[1])).get("network")
want = "127.0.0.1:49153 \u2192 127.0.0.1:8888: open; in flight: 16384 B \u2192"
if not net or len(net) != 3 or net[1] != want:
    print("layout network:", net)
    sys.exit(1)
PY
else
    echo "view --screenshot failed:"; cat "$T/view.out"; fail=1
fi

# Every fault on: the same seed twice gives the same trace; another seed another one.
faults="reset:0.3,drop:0.3,stall:0.3,refused:0.3,jitter:0.5,bytes:100000"
for run in a b; do
    AWAITLAB_SEED=5 AWAITLAB_NET_FAULTS=$faults AWAITLAB_TRACE="$T/f5$run.jsonl" "$PROG" > "$T/f5$run.out" 2>&1
done
AWAITLAB_SEED=6 AWAITLAB_NET_FAULTS=$faults AWAITLAB_TRACE="$T/f6.jsonl" "$PROG" > /dev/null 2>&1
cmp -s "$T/f5a.jsonl" "$T/f5b.jsonl" || { echo "seed 5 twice: traces differ"; "$AW" diff "$T/f5a.jsonl" "$T/f5b.jsonl"; fail=1; }
"$AW" validate -q "$T/f5a.jsonl" || fail=1
tail -n +2 "$T/f5a.jsonl" > "$T/e5"; tail -n +2 "$T/f6.jsonl" > "$T/e6"
cmp -s "$T/e5" "$T/e6" && { echo "seeds 5 and 6 with faults on: the same events"; fail=1; }
[ $fail -eq 0 ] && echo "sim_net_view: trace valid and deterministic; plain and SDL views list the connections"
exit $fail
