#!/bin/sh
# The trace commands' exit codes and messages (sim/trace-format.md), and the AWAITLAB_*
# environment applied by sim/env.c (bad values: a message and exit 2; one file per loop).
#   tests/scripts/test_trace_cli.sh [BUILD]
. "$(dirname "$0")/cli_lib.sh"

H='{"format":"awaitlab-trace","version":2,"program":"p","clock":"sim","seed":3,"wall_start_ns":0}'
E1='{"seq":1,"iter":0,"t_ns":0,"ev":"loop_start","clock":"sim"}'
E2='{"seq":2,"iter":1,"t_ns":5,"ev":"output","task":null,"text":"hi","file":"x.c","line":3}'
E2b='{"seq":2,"iter":1,"t_ns":5,"ev":"output","task":null,"text":"ho","file":"x.c","line":3}'
E3='{"seq":3,"iter":1,"t_ns":5,"ev":"loop_close"}'
printf '%s\n%s\n%s\n%s\n' "$H" "$E1" "$E2" "$E3" > "$T/ok.trace"
printf '%s\n%s\n%s\n%s\n' "$H" "$E1" "$E2b" "$E3" > "$T/other.trace"
printf '%s\n%s\n%s\n' "$H" "$E1" "$E2" > "$T/unfinished.trace"
printf '%s\n%s\n{"seq":2,"iter":1,"t_' "$H" "$E1" > "$T/truncated.trace"
printf '%s\n%s\n{"seq":2,"iter":1,"t_ns":5,"ev":"output","task":0,"text":"hi","file":"x.c","line":3}\n' "$H" "$E1" > "$T/bad.trace"
printf '{"format":"awaitlab-trace","version":4}\n' > "$T/v4.trace"

expect 0 "ok.trace: ok, 3 events" "$AW" validate "$T/ok.trace"
expect 1 "bad.trace:3: field 'task': expected an id (integer >= 1) or null, got 0" "$AW" validate "$T/bad.trace"
expect 2 "cannot open" "$AW" validate "$T/nope.trace"
expect 2 "usage: awaitlab validate" "$AW" validate
expect 2 "unknown option" "$AW" validate --bogus "$T/ok.trace"
expect 3 "warning: .*truncated.trace:3: truncated" "$AW" validate "$T/truncated.trace"
expect 4 "warning: .*unfinished: no loop_close event after 2 events" "$AW" validate "$T/unfinished.trace"
expect 5 "unsupported trace version 4 (this awaitlab reads versions 2 to 3)" "$AW" validate "$T/v4.trace"
expect 0 "ok, 3 events" sh -c "'$AW' validate - < '$T/ok.trace'"
expect 0 "usage" "$AW" validate --help

expect 0 "traces are the same: 3 events" "$AW" diff "$T/ok.trace" "$T/ok.trace"
expect 1 "first divergence at event #2 (.*ok.trace:3, .*other.trace:3): output; differs in text" \
    "$AW" diff "$T/ok.trace" "$T/other.trace"
expect 1 '^+ #2 iter 1 t=0.000000005s output text="ho" file="x.c" line=3' "$AW" diff "$T/ok.trace" "$T/other.trace" --context=0
expect 1 "ends after 2 events" "$AW" diff "$T/ok.trace" "$T/unfinished.trace"
expect 2 "unsupported trace version 4" "$AW" diff "$T/ok.trace" "$T/v4.trace"
expect 2 "field 'task'" "$AW" diff "$T/bad.trace" "$T/ok.trace"
expect 2 "usage: awaitlab diff" "$AW" diff "$T/ok.trace"
expect 2 "expected a number of events" "$AW" diff "$T/ok.trace" "$T/ok.trace" --context -1
expect 2 "needs a number" "$AW" diff "$T/ok.trace" "$T/ok.trace" --context

# The environment (sim/env.c).
P="$BUILD/programs/trace_two_loops"
[ -x "$P" ] || { echo "missing $P"; exit 1; }
expect 2 "AWAITLAB_CLOCK='fast': expected 'sim' or 'real'" env AWAITLAB_CLOCK=fast "$P"
expect 2 "AWAITLAB_SEED='12x': expected a decimal integer" env AWAITLAB_SEED=12x "$P"
expect 2 "AWAITLAB_SEED='-1'" env AWAITLAB_SEED=-1 "$P"
expect 2 "AWAITLAB_SEED='99999999999999999999'" env AWAITLAB_SEED=99999999999999999999 "$P"
expect 2 "AWAITLAB_TRACE: trace $T/no/such/dir/x.trace: No such file or directory" \
    env AWAITLAB_TRACE="$T/no/such/dir/x.trace" "$P"
expect 0 "hello from loop 2" env AWAITLAB_CLOCK=sim AWAITLAB_SEED=18446744073709551615 AWAITLAB_TRACE="$T/two.trace" "$P"
expect 0 "ok" "$AW" validate "$T/two.trace" "$T/two.trace.2"
grep -q '"seed":18446744073709551615' "$T/two.trace" || { echo "FAIL: seed not in the header"; fail=1; }
grep -q '"clock":"sim"' "$T/two.trace.2" || { echo "FAIL: second loop not on the sim clock"; fail=1; }
grep -q '"text":"hello from loop 2"' "$T/two.trace.2" || { echo "FAIL: second loop's trace"; fail=1; }
# no AWAITLAB_TRACE: no trace files appear
mkdir "$T/quiet"
(cd "$T/quiet" && AWAITLAB_CLOCK=sim "$P" > /dev/null) || { echo "FAIL: untraced run"; fail=1; }
[ -z "$(ls -A "$T/quiet" 2>/dev/null)" ] || { echo "FAIL: files written without AWAITLAB_TRACE"; fail=1; }
exit $fail
