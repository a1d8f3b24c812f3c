#!/bin/sh
# Traces crafted to make the loader slow or huge load in time and memory within a small factor
# (5x, plus a floor so that tiny numbers do not make it flaky) of a normal trace of the same
# size: ids that jump (the model's tables are dense by id; coroutine ids are a set), handle_runs of handles that are not
# queued (a scan of the ready queue each), one endless line.  A quadratic load or a
# gigabyte-sized table fails here: memory is also capped (ulimit -v) so a regression fails fast
# instead of swapping the machine.
#   tests/scripts/test_trace_adversarial.sh [BUILD]
. "$(dirname "$0")/cli_lib.sh"
command -v python3 > /dev/null || { echo "skip: no python3"; exit 0; }
[ -x /usr/bin/time ] || { echo "skip: no /usr/bin/time"; exit 0; }

python3 - "$T" <<'PY'
import sys
d = sys.argv[1]
H = '{"format":"awaitlab-trace","version":2,"program":"p","clock":"sim","seed":0,"wall_start_ns":0}\n'
def task(seq, tid):
    return ('{"seq":%d,"iter":0,"t_ns":0,"ev":"task_created","task":%d,"name":"T","coro":"c",'
            '"parent":null,"file":null,"line":0}\n' % (seq, tid))
def sched(seq, h, deadline):
    return ('{"seq":%d,"iter":0,"t_ns":0,"ev":"scheduled","handle":%d,"deadline_ns":%s,"callback":"f",'
            '"task":null,"future":null}\n' % (seq, h, deadline))
def run(seq, h):
    return '{"seq":%d,"iter":0,"t_ns":0,"ev":"handle_run","handle":%d,"callback":"f","task":null,"future":null}\n' % (seq, h)
def close(seq):
    return '{"seq":%d,"iter":0,"t_ns":0,"ev":"loop_close"}\n' % seq
N = 20000
# 1: task ids that jump as far as the loader allows, every line (and a normal twin: 1, 2, 3...)
with open(d + '/ids.jsonl', 'w') as f:
    f.write(H + ''.join(task(i, i + 65536) for i in range(1, N + 1)) + close(N + 1))
with open(d + '/ids_normal.jsonl', 'w') as f:
    f.write(H + ''.join(task(i, i) for i in range(1, N + 1)) + close(N + 1))
# 1b: jumps beyond the budget: refused at once, naming the bound
with open(d + '/ids_far.jsonl', 'w') as f:
    f.write(H + ''.join(task(i, i * 65536) for i in range(1, N + 1)) + close(N + 1))
# 1c: coroutine ids far apart (a table by coroutine id would be petabytes) vs ids 1, 2, 3...
def coro(seq, cid):
    return ('{"seq":%d,"iter":0,"t_ns":0,"ev":"coro_created","coro":%d,"name":"sleep","task":null,'
            '"library":true,"file":null,"line":0}\n' % (seq, cid))
with open(d + '/coros_far.jsonl', 'w') as f:
    f.write(H + ''.join(coro(i, i << 40) for i in range(1, N + 1)) + close(N + 1))
with open(d + '/coros_normal.jsonl', 'w') as f:
    f.write(H + ''.join(coro(i, i) for i in range(1, N + 1)) + close(N + 1))
# 2: a long ready queue, then handle_run of timers that are not in it (normal: each handle run at once)
M = 150000
with open(d + '/runs.jsonl', 'w') as f:
    f.write(H)
    seq = 1
    for h in range(1, M + 1):
        f.write(sched(seq, h, 'null')); seq += 1
    for h in range(M + 1, 2 * M + 1):
        f.write(sched(seq, h, '1000')); seq += 1
    for h in range(M + 1, 2 * M + 1):
        f.write(run(seq, h)); seq += 1
    f.write(close(seq))
with open(d + '/runs_normal.jsonl', 'w') as f:
    f.write(H)
    seq = 1
    for h in range(1, 3 * M // 2 + 1):
        f.write(sched(seq, h, 'null')); seq += 1
        f.write(run(seq, h)); seq += 1
    f.write(close(seq))
# 4: timers set in descending deadline order, each new one fires first (normal: ascending)
with open(d + '/timers_desc.jsonl', 'w') as f:
    f.write(H + ''.join(sched(h, h, str(10**12 - h)) for h in range(1, M + 1)) + close(M + 1))
with open(d + '/timers_asc.jsonl', 'w') as f:
    f.write(H + ''.join(sched(h, h, str(h)) for h in range(1, M + 1)) + close(M + 1))
# 3: one 20 MB line (over the 16 MiB limit) vs a normal trace of about the same size
with open(d + '/long.jsonl', 'w') as f:
    f.write(H + 'x' * (20 << 20) + '\n')
with open(d + '/long_normal.jsonl', 'w') as f:
    f.write(H)
    n = (20 << 20) // 110
    f.write(''.join(task(i, i) for i in range(1, n + 1)) + close(n + 1))
PY

# ASan reserves terabytes of address space for its shadow: there the cap is left to the RSS
# comparison below.
VLIMIT=1500000
nm "$AW" 2>/dev/null | grep -q __asan_init && VLIMIT=unlimited

# measure NAME: runs validate on $T/NAME.jsonl; sets rc, kb (max RSS), secs
measure() {
    ( ulimit -v $VLIMIT; /usr/bin/time -f '%M %e' -o "$T/time" "$AW" validate -q "$T/$1.jsonl" ) > "$T/out" 2>&1
    rc=$?
    kb=$(cut -d' ' -f1 "$T/time" | tail -n 1); secs=$(cut -d' ' -f2 "$T/time" | tail -n 1)
}

# compare ADVERSARIAL NORMAL WANT_RC PATTERN
compare() {
    measure "$2"; nkb=$kb; nsecs=$secs
    measure "$1"
    [ "$rc" = "$3" ] || { echo "FAIL: $1: exit $rc (want $3): $(head -c 300 "$T/out")"; fail=1; }
    [ -z "$4" ] || grep -q -- "$4" "$T/out" || { echo "FAIL: $1: no '$4' in: $(head -c 300 "$T/out")"; fail=1; }
    if ! awk -v a="$kb" -v n="$nkb" 'BEGIN { exit !(a <= 5 * n + 20000) }'; then
        echo "FAIL: $1: $kb KB of memory, a normal trace of the same size takes $nkb KB"; fail=1
    fi
    if ! awk -v a="$secs" -v n="$nsecs" 'BEGIN { exit !(a <= 5 * n + 1) }'; then
        echo "FAIL: $1: $secs s, a normal trace of the same size takes $nsecs s"; fail=1
    fi
    echo "$1: $kb KB $secs s; normal: $nkb KB $nsecs s"
}

compare ids ids_normal 0 ""
compare ids_far ids_normal 1 "beyond the id budget of this trace"
compare coros_far coros_normal 0 ""
compare runs runs_normal 0 ""
compare timers_desc timers_asc 0 ""
compare long long_normal 1 "line 2 is longer than 16 MiB (--max-line)"
exit $fail
