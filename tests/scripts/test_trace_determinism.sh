#!/bin/sh
# Same program + same seed = byte-identical trace.  Three seeded programs (tasks, timers with
# tied deadlines, yields, CPU-bound work, gather, cancellation, wait_for, timeout scopes, shield,
# wait) run twice for each of 20 seeds on the sim clock; the second run changes what must not
# matter (working directory, stack size, so every address differs).  Also: the seed matters
# (not all 20 traces of a program are alike), and every trace validates.
#   tests/scripts/test_trace_determinism.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
AW="$BUILD/awaitlab"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
for p in trace_workers trace_cancel trace_timeouts; do
    prog="$BUILD/programs/$p"
    [ -x "$prog" ] || { echo "missing $prog (make builds it)"; exit 1; }
    for seed in $(seq 1 20); do
        a="$T/$p.$seed.a.trace"
        b="$T/$p.$seed.b.trace"
        AWAITLAB_CLOCK=sim AWAITLAB_SEED=$seed AWAITLAB_TRACE="$a" "$prog" > "$T/out.a" 2>&1 ||
            { echo "$p seed $seed: run 1 failed:"; cat "$T/out.a"; fail=1; }
        (cd "$T" && AWAITLAB_CLOCK=sim AWAITLAB_SEED=$seed AWAITLAB_STACK_SIZE=131072 AWAITLAB_TRACE="$b" \
            "$prog" > "$T/out.b" 2>&1) || { echo "$p seed $seed: run 2 failed:"; cat "$T/out.b"; fail=1; }
        if ! cmp -s "$a" "$b"; then
            echo "$p seed $seed: traces differ"
            "$AW" diff "$a" "$b"
            fail=1
        fi
        cmp -s "$T/out.a" "$T/out.b" || { echo "$p seed $seed: output differs"; fail=1; }
        "$AW" validate -q "$a" || fail=1
        tail -n +2 "$a" | cksum >> "$T/$p.sums" # the events only: the header names the seed
    done
    distinct=$(sort -u "$T/$p.sums" | wc -l)
    if [ "$distinct" -lt 10 ]; then
        echo "$p: only $distinct distinct schedules over 20 seeds: the seed barely matters"
        fail=1
    fi
    echo "$p: 20 seeds, each twice byte-identical; $distinct distinct schedules"
done
exit $fail
