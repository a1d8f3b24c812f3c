#!/bin/sh
# `awaitlab export --format chrome` (viz/export/export_chrome.c): the Chrome trace event JSON of a lesson
# parses, names a thread per task, puts the tasks' runs and output lines where they happened,
# is byte-identical run to run, and bad input fails with a message.
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
python3 - "$T/a.json" "$T/d.json" <<'PY' || fail=1
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
assert abs(end(hello) - 1e6) < 1e-3 and abs(end(world) - 2e6) < 1e-3, (end(hello), end(world))
waits = [e for e in evs if e["ph"] == "X" and e["cat"] == "wait" and e["tid"] == world]
assert any(abs(e["dur"] - 2e6) < 1e-3 for e in waits), waits
out = {e["args"]["text"]: e for e in evs if e["ph"] == "i" and e["cat"] == "output"}
assert "hello" in out and "world" in out, sorted(out)
assert out["hello"]["tid"] == hello and out["world"]["tid"] == world, (out["hello"], out["world"])
assert out["hello"]["ts"] < out["world"]["ts"]
for e in evs:
    assert e["ph"] in ("M", "X", "i") and e["pid"] == 1, e
    if e["ph"] == "X": assert e["dur"] >= 0, e
# the trace file's export is the lesson's, but for nothing (the wall clock lines may differ)
d = json.load(open(sys.argv[2]))["traceEvents"]
strip = lambda l: [(e["ph"], e["tid"], e.get("cat"), e.get("ts"), e.get("dur")) for e in l]
assert strip(d) == strip(evs), "the trace file exports differently from the lesson"
PY

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
