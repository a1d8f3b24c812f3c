#!/bin/sh
# `awaitlab export --format chrome` (viz/export/export_chrome.c): the Chrome trace event JSON of a lesson
# parses, names a thread per task, puts the tasks' runs and output lines where they happened,
# is byte-identical run to run, and bad input fails with a message.  Every lesson's export, on
# both axes, passes chrome_check.py (the Trace Event Format, field by field; flows that pair up).
#   tests/scripts/test_export.sh [BUILD]
. "$(dirname "$0")/cli_lib.sh"

"$AW" export coroutines-create-task --format chrome -o "$T/a.json" || { echo "FAIL: export -o"; fail=1; }
"$AW" export coroutines-create-task --format=chrome -o "$T/b.json" || { echo "FAIL: export --format="; fail=1; }
cmp -s "$T/a.json" "$T/b.json" || { echo "FAIL: two exports of the same lesson differ"; fail=1; }
"$AW" export coroutines-create-task --format chrome > "$T/c.json" || { echo "FAIL: export to stdout"; fail=1; }
cmp -s "$T/a.json" "$T/c.json" || { echo "FAIL: -o FILE and stdout differ"; fail=1; }
# a trace file gives what the lesson's name gives
"$AW" run coroutines-create-task --clock sim --trace "$T/ct.trace" > /dev/null || { echo "FAIL: run"; fail=1; }
"$AW" export "$T/ct.trace" --format chrome -o "$T/d.json" || { echo "FAIL: export of a trace file"; fail=1; }
"$AW" export coroutines-create-task --format chrome --axis time -o "$T/at.json" || { echo "FAIL: --axis time"; fail=1; }
"$AW" export "$T/ct.trace" --format chrome --axis=time -o "$T/dt.json" || { echo "FAIL: --axis=time"; fail=1; }
# on the time axis: virtual time (events at one instant are spread 2 ns apart: tolerance 1 us)
python3 - "$T/at.json" "$T/dt.json" <<'PY' || fail=1
import json, sys
doc = json.load(open(sys.argv[1]))
evs = doc["traceEvents"]
names = {e["tid"]: e["args"]["name"] for e in evs if e["ph"] == "M" and e["name"] == "thread_name"}
def tid_of(prefix):
    t = [tid for tid, n in names.items() if n.startswith(prefix)]
    assert len(t) == 1, (prefix, names)
    return t[0]
main, hello, world = tid_of("Task-1 (main)"), tid_of("Task-2 (say_after)"), tid_of("Task-3 (say_after)")
runs = lambda tid: [e for e in evs if e["ph"] == "X" and e["cat"] == "run" and e["tid"] == tid]
for t in (main, hello, world):
    assert runs(t), ("no running events", names[t])
end = lambda tid: max(e["ts"] + e["dur"] for e in runs(tid))
assert end(world) > end(hello), ("world ends before hello", end(world), end(hello))
assert abs(end(hello) - 1e6) < 1 and abs(end(world) - 2e6) < 1, (end(hello), end(world))
waits = [e for e in evs if e["ph"] == "X" and e["cat"] == "wait" and e["tid"] == world]
assert any(abs(e["dur"] - 2e6) < 1 for e in waits), waits
assert json.load(open(sys.argv[1]))["otherData"]["axis"] == "time"
out = {e["args"]["text"]: e for e in evs if e["ph"] == "i" and e["cat"] == "output"}
assert "hello" in out and "world" in out, sorted(out)
assert out["hello"]["tid"] == hello and out["world"]["tid"] == world, (out["hello"], out["world"])
assert out["hello"]["ts"] < out["world"]["ts"]
for e in evs:
    assert e["ph"] in ("M", "X", "i", "s", "f") and e["pid"] == 1, e
    if e["ph"] == "X": assert e["dur"] > 0, e
# the trace file's export is the lesson's, but for nothing (the wall clock lines may differ)
d = json.load(open(sys.argv[2]))["traceEvents"]
strip = lambda l: [(e["ph"], e["tid"], e.get("cat"), e.get("ts"), e.get("dur")) for e in l]
assert strip(d) == strip(evs), "the trace file exports differently from the lesson"
PY

# the default axis of a lesson whose steps all happen at instants: logical, one microsecond per
# event; every step a slice named by its coroutine and line; the wake-ups as flows
python3 - "$T/a.json" <<'PY' || fail=1
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["otherData"]["axis"] == "logical" and "microsecond" in doc["otherData"]["axis_unit"], doc["otherData"]
evs = doc["traceEvents"]
steps = [e for e in evs if e["ph"] == "X" and e["cat"] == "run"]
assert all(e["dur"] >= 1 for e in steps), steps
names = {e["name"] for e in steps}
assert "say_after (line 9)" in names or any(n.startswith("say_after (line ") for n in names), names
assert any(n.startswith("main (line ") for n in names), names
# a step's ts is its step_begin's number (us), its end the cell after its step_end
for e in steps:
    assert e["ts"] == e["args"]["step_start"] and e["ts"] + e["dur"] == e["args"]["step_end"] + 1, e
flows = [e for e in evs if e["ph"] in ("s", "f")]
assert len(flows) >= 6 and all(e["cat"] == "wake" for e in flows), flows
# hello's task (Task-2) is woken by the loop, after its sleep's timer: the flow starts on tid 0
tid2 = [e["tid"] for e in evs if e["ph"] == "M" and e["name"] == "thread_name" and e["args"]["name"].startswith("Task-2")][0]
fin = [e for e in flows if e["ph"] == "f" and e["tid"] == tid2]
start = {e["id"]: e for e in flows if e["ph"] == "s"}
assert any(start[f["id"]]["tid"] == 0 for f in fin), fin
PY

# every lesson, both axes: the Trace Event Format, field by field
for n in $("$AW" list | awk '{print $1}'); do
    "$AW" export "$n" --format chrome -o "$T/lesson-$n.json" || { echo "FAIL: export $n"; fail=1; }
    "$AW" export "$n" --format chrome --axis time -o "$T/lesson-$n.time.json" || { echo "FAIL: export $n --axis time"; fail=1; }
done
[ "$(ls "$T"/lesson-*.json | wc -l)" -ge 20 ] || { echo "FAIL: fewer lessons exported than expected"; fail=1; }
python3 "$(dirname "$0")/chrome_check.py" "$T"/lesson-*.json || fail=1

# a cancellation: marks as instant events
"$AW" export tutorial-wait-for-slow --format chrome > "$T/w.json" || { echo "FAIL: export wait-for-slow"; fail=1; }
python3 - "$T/w.json" <<'PY' || fail=1
import json, sys
evs = json.load(open(sys.argv[1]))["traceEvents"]
marks = {e["name"] for e in evs if e["ph"] == "i" and e["cat"] in ("cancel", "timeout")}
assert {"timeout expired", "cancel requested", "cancel delivered"} <= marks, marks
PY

# bad input
printf '{"format":"awaitlab-trace","version":2,"program":"p","clock":"sim","seed":0,"wall_start_ns":0}\nnot json\n' > "$T/bad.trace"
expect 1 "bad.trace:2" "$AW" export "$T/bad.trace" --format chrome
expect 2 "no-such-lesson" "$AW" export no-such-lesson --format chrome
expect 2 "unknown format 'svg'" "$AW" export coroutines-create-task --format svg
expect 2 "which format" "$AW" export coroutines-create-task
expect 2 "\-\-axis: expected 'logical' or 'time', got 'steps'" "$AW" export coroutines-create-task --format chrome --axis steps
expect 2 "which trace or lesson" "$AW" export --format chrome
expect 2 "unknown option '--bogus'" "$AW" export coroutines-create-task --format chrome --bogus
expect 2 "needs a value" "$AW" export coroutines-create-task --format chrome -o
expect 3 "cannot write $T/no/dir/x.json" "$AW" export coroutines-create-task --format chrome -o "$T/no/dir/x.json"
if [ -c /dev/full ]; then   # a write error: exit 3, and the device is left alone
    expect 3 "cannot write /dev/full" "$AW" export coroutines-create-task --format chrome -o /dev/full
    [ -c /dev/full ] || { echo "FAIL: export removed /dev/full"; fail=1; }
fi
expect 0 "usage: awaitlab export" "$AW" export --help
exit $fail
