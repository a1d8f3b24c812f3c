#!/bin/sh
# `awaitlab record` (sim/python/awaitlab_record) and `awaitlab diff --schedule`:
# - small programs using tasks, gather, wait_for, timeout scopes, shield, wait, as_completed,
#   cancel/uncancel, futures and call_soon/call_later are recorded, and every trace validates;
#   `awaitlab tui TRACE --plain` shows the program's own lines;
# - every way of starting a loop (asyncio.run, Runner, run_until_complete, top-level await);
# - the failures (no loop, raises, never finishes, cannot compile, cannot import): a message,
#   a non-zero exit, a valid but unfinished trace;
# - --wall-start (time.strftime, datetime.now), -- ARGS, --clock real, the installed recorder;
# - diff --schedule: same/different/error;
# - the recorder's cost on ~100,000 scheduling events (printed, not asserted).
# The lessons' schedules against CPython: tests/scripts/test_record_lessons.sh.
#   tests/scripts/test_record.sh [BUILD]
. "$(dirname "$0")/cli_lib.sh"

command -v python3 > /dev/null || { echo "FAIL: no python3 (CPython 3.11+) to record with (tests/deps.sh installs it)"; exit 1; }

# --- one program using most of asyncio ----------------------------------------------------------
cat > "$T/many.py" <<'EOF'
import asyncio

async def work(name, d, result=None):
    await asyncio.sleep(d)
    print(f"{name} done")
    return result if result is not None else name

async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("stubborn: cancelled once, uncancel and go on")
        asyncio.current_task().uncancel()
    await asyncio.sleep(0.5)
    return "survived"

async def main():
    loop = asyncio.get_running_loop()
    print(await asyncio.gather(work("a", 1), work("b", 0.5)))
    try:
        await asyncio.wait_for(work("slow", 5), timeout=1)
    except TimeoutError:
        print("wait_for timed out")
    try:
        async with asyncio.timeout(0.25):
            await asyncio.sleep(1)
    except TimeoutError:
        print("timeout scope expired")
    inner = asyncio.create_task(work("shielded", 1))
    try:
        await asyncio.wait_for(asyncio.shield(inner), 0.5)
    except TimeoutError:
        print("shield held:", await inner)
    done, pending = await asyncio.wait([asyncio.create_task(work("w1", 1)),
                                        asyncio.create_task(work("w2", 2))],
                                       return_when=asyncio.FIRST_COMPLETED)
    print(len(done), "done,", len(pending), "pending")
    for t in pending:
        t.cancel()
    for c in asyncio.as_completed([work("x", 0.3), work("y", 0.1)]):
        print("as_completed:", await c)
    t = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    t.cancel()
    print(await t)
    fut = loop.create_future()
    loop.call_soon(print, "call_soon ran")
    loop.call_later(0.2, fut.set_result, "future result")
    print(await fut)

asyncio.run(main())
EOF
expect 0 "future result" "$AW" record "$T/many.py" -o "$T/many.jsonl"
expect 0 "many.jsonl: ok" "$AW" validate "$T/many.jsonl"
for k in task_created step_begin step_end handle_run timer_fired future_created future_done callbacks \
         cancel_requested cancel_delivered uncancel timeout_armed timeout_expired timeout_disarmed \
         await await_return coro_created output iteration clock_jump gather loop_start loop_stop \
         loop_close runner handle_cancelled; do
    grep -q "\"ev\":\"$k\"" "$T/many.jsonl" || { echo "FAIL: many.py: no $k event"; fail=1; }
done
grep -q '"source_file":"many.py","source":"import asyncio' "$T/many.jsonl" ||
    { echo "FAIL: the header does not carry the program's source"; fail=1; }
grep -q '"ev":"output","task":1,"text":"wait_for timed out","file":null,"line":23' "$T/many.jsonl" ||
    { echo "FAIL: output events do not carry the program's line"; fail=1; }
grep -q '"coro_created".*"name":"sleep".*"library":true' "$T/many.jsonl" ||
    { echo "FAIL: asyncio's own coroutines are not marked library"; fail=1; }
"$AW" tui "$T/many.jsonl" --plain > "$T/many.plain" 2>&1 || { echo "FAIL: tui --plain many.jsonl"; fail=1; }
# the listing's line column: work()'s `await asyncio.sleep(d)` is line 4 of many.py
grep -Eq '^ +[0-9]+ +[0-9.]+ +[0-9]+ +4  ' "$T/many.plain" || { echo "FAIL: tui --plain does not show the program's lines"; fail=1; }
"$AW" step "$T/many.jsonl" --plain > "$T/many.step" 2>&1 || { echo "FAIL: step --plain many.jsonl"; fail=1; }
grep -Eq '^ +[0-9]+ +[0-9.]+ +[0-9]+ +4  ' "$T/many.step" || { echo "FAIL: step --plain does not show the program's lines"; fail=1; }
# Same program, same trace: byte-identical on the sim clock.
"$AW" record "$T/many.py" -o "$T/many2.jsonl" > /dev/null 2>&1
cmp -s "$T/many.jsonl" "$T/many2.jsonl" || { echo "FAIL: two recordings of many.py differ"; fail=1; }
expect 0 "same schedule" "$AW" diff --schedule "$T/many.jsonl" "$T/many2.jsonl"

# --- every way to start a loop ---------------------------------------------------------------------
printf 'import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print("runner")\nwith asyncio.Runner() as r:\n    r.run(main())\n' > "$T/runner.py"
printf 'import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print("ruc")\nloop = asyncio.new_event_loop()\nloop.run_until_complete(main())\nloop.close()\n' > "$T/ruc.py"
printf 'import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print("notebook")\nawait main()\n' > "$T/notebook.py"
for p in runner ruc notebook; do
    expect 0 "$p" "$AW" record "$T/$p.py" -o "$T/$p.jsonl"
    expect 0 "$p.jsonl: ok" "$AW" validate "$T/$p.jsonl"
    grep -q '"t_ns":1000000000,"ev":"output"' "$T/$p.jsonl" || { echo "FAIL: $p.py: no output at t=1s"; fail=1; }
done

# --- the wall clock, the program's arguments, the real clock ------------------------------------------
printf 'import asyncio, sys, time, datetime\nasync def main():\n    await asyncio.sleep(2)\n    print(time.strftime("%%X"), datetime.datetime.now().strftime("%%H:%%M:%%S"), sys.argv[1:])\nasyncio.run(main())\n' > "$T/wall.py"
expect 0 "17:14:34 17:14:34 \['x', '--y'\]" "$AW" record "$T/wall.py" -o "$T/wall.jsonl" --wall-start 17:14:32 -- x --y
expect 0 "17:14:34 17:14:34" "$AW" record "$T/wall.py" -o "$T/wall.jsonl" --wall-start 1757783672
expect 2 "expected HH:MM:SS or epoch seconds" "$AW" record "$T/wall.py" -o "$T/wall.jsonl" --wall-start noon
printf 'import asyncio\nasync def main():\n    await asyncio.sleep(0.05)\n    print("real")\nasyncio.run(main())\n' > "$T/real.py"
expect 0 "real" "$AW" record "$T/real.py" -o "$T/real.jsonl" --clock real
expect 0 "real.jsonl: ok" "$AW" validate "$T/real.jsonl"
grep -q '"clock":"real"' "$T/real.jsonl" || { echo "FAIL: --clock real not in the header"; fail=1; }
expect 2 "clock" "$AW" record "$T/real.py" --clock fast
expect 2 "which program" "$AW" record
expect 2 "cannot read" "$AW" record "$T/nope.py" -o "$T/nope.jsonl"
expect 2 "cannot run" "$AW" record "$T/real.py" -o "$T/x.jsonl" --python "$T/no-such-python"
# The default trace name: the program's, in the current directory.
( cd "$T" && "$AW" record notebook.py > /dev/null 2>&1 ) && [ -s "$T/notebook.jsonl" ] ||
    { echo "FAIL: record without -o did not write notebook.jsonl"; fail=1; }

# --- failures: a message, non-zero, a valid unfinished trace ---------------------------------------------
printf 'print("no loop here")\n' > "$T/noloop.py"
expect 3 "never started an asyncio event loop" "$AW" record "$T/noloop.py" -o "$T/noloop.jsonl"
printf 'import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    raise ValueError("boom")\nasyncio.run(main())\n' > "$T/raises.py"
expect 1 "ValueError: boom" "$AW" record "$T/raises.py" -o "$T/raises.jsonl"
grep -q 'raises.py", line 4, in main' "$T/out" || { echo "FAIL: the traceback does not name the program's line"; fail=1; }
grep -q 'awaitlab_record' "$T/out" && { echo "FAIL: the traceback shows the recorder's frames"; cat "$T/out"; fail=1; }
expect 4 "unfinished" "$AW" validate "$T/raises.jsonl"
printf 'import asyncio\nasync def main():\n    while True:\n        await asyncio.sleep(1)\n        print("tick")\nasyncio.run(main())\n' > "$T/forever.py"
expect 4 "stopped at --max-time 5 s" "$AW" record "$T/forever.py" -o "$T/forever.jsonl" --max-time 5
expect 4 "unfinished" "$AW" validate "$T/forever.jsonl"
[ "$(grep -c '"ev":"output"' "$T/forever.jsonl")" = 5 ] || { echo "FAIL: forever.py: not 5 ticks before --max-time 5"; fail=1; }
printf 'import asyncio\nasync def main(:\n    pass\n' > "$T/syntax.py"
expect 1 "SyntaxError" "$AW" record "$T/syntax.py" -o "$T/syntax.jsonl"
expect 4 "unfinished" "$AW" validate "$T/syntax.jsonl"
printf 'import asyncio\nimport no_such_module_here\n' > "$T/import.py"
expect 1 "ModuleNotFoundError: No module named 'no_such_module_here'" "$AW" record "$T/import.py" -o "$T/import.jsonl"
expect 4 "unfinished" "$AW" validate "$T/import.jsonl"
printf 'import asyncio\nasync def main():\n    await asyncio.get_running_loop().create_future()\nasyncio.run(main())\n' > "$T/deadlock.py"
expect 1 "nothing is ready and no timer is set" "$AW" record "$T/deadlock.py" -o "$T/deadlock.jsonl"
expect 4 "unfinished" "$AW" validate "$T/deadlock.jsonl"

# --- diff --schedule ----------------------------------------------------------------------------------
printf 'import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print("runner")\n\nasyncio.run(main())\n' > "$T/runner2.py"
"$AW" record "$T/runner2.py" -o "$T/runner2.jsonl" > /dev/null 2>&1
expect 0 "same schedule" "$AW" diff --schedule "$T/runner.jsonl" "$T/runner2.jsonl"
expect 1 "schedules differ" "$AW" diff --schedule "$T/runner.jsonl" "$T/ruc.jsonl"
grep -q '^  A iter' "$T/out" || { echo "FAIL: diff --schedule does not show the events"; fail=1; }
expect 2 "cannot open" "$AW" diff --schedule "$T/runner.jsonl" "$T/nope.jsonl"

# --- a reschedule that the timeout refuses (no longer entered: RuntimeError) changes nothing and
# is not recorded, as the core traces none (difffuzz seed 41926) ---------------------------------------
printf 'import asyncio\nasync def main():\n    try:\n        async with asyncio.timeout(0.1) as cm:\n            try:\n                await asyncio.sleep(1)\n            except asyncio.CancelledError:\n                cm.reschedule(None)\n    except RuntimeError:\n        print("refused")\nasyncio.run(main())\n' > "$T/resched.py"
expect 0 "refused" "$AW" record "$T/resched.py" -o "$T/resched.jsonl"
[ "$(grep -c '"ev":"timeout_rescheduled"' "$T/resched.jsonl")" = 0 ] ||
    { echo "FAIL: a refused reschedule is recorded as timeout_rescheduled"; fail=1; }

# --- the installed recorder ------------------------------------------------------------------------------
unset MAKEFLAGS MFLAGS MAKELEVEL
D="$T/dest"
if make --no-print-directory -s BUILD="$BUILD" PREFIX=/opt/aw DESTDIR="$D" install > "$T/log" 2>&1; then
    [ -f "$D/opt/aw/share/awaitlab/python/awaitlab_record/recorder.py" ] ||
        { echo "FAIL: make install did not install the recorder"; fail=1; }
    expect 0 "runner" env -u AWAITLAB_PYTHONPATH "$D/opt/aw/bin/awaitlab" record "$T/runner.py" -o "$T/inst.jsonl"
    grep -q "$D/opt/aw/share/awaitlab/python" "$T/inst.jsonl" 2>/dev/null
    make --no-print-directory -s BUILD="$BUILD" PREFIX=/opt/aw DESTDIR="$D" uninstall > "$T/log" 2>&1
    [ -e "$D/opt/aw/share/awaitlab" ] && { echo "FAIL: make uninstall left share/awaitlab"; fail=1; }
else
    echo "FAIL: make install"; cat "$T/log"; fail=1
fi

# --- the cost: ~100,000 scheduling events ---------------------------------------------------------------
cat > "$T/big.py" <<'EOF'
import asyncio
async def worker(n):
    for _ in range(n):
        await asyncio.sleep(0)
async def main():
    await asyncio.gather(*(worker(700) for _ in range(20)))
asyncio.run(main())
EOF
start=$(date +%s.%N)
"$AW" record "$T/big.py" -o "$T/big.jsonl" > /dev/null 2>&1 || { echo "FAIL: big.py"; fail=1; }
end=$(date +%s.%N)

all=$(($(wc -l < "$T/big.jsonl") - 1))
echo "record cost: $all events in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s"

[ $fail = 0 ] && echo "record: all ok"
exit $fail
