#!/bin/sh
# awaitlab view --screenshot: frames rendered with no display, checked by their pixels against
# the geometry the viewer reports (--layout-json), for every lesson; what the lessons' lanes
# must show; determinism; a 100,000-event trace; bad input and its exit codes.
#   tests/scripts/test_view_screenshot.sh [BUILD]
. "$(dirname "$0")/cli_lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
CHECK="python3 $HERE/viewcheck.py"
unset DISPLAY WAYLAND_DISPLAY # a screenshot needs no display: prove it
export SDL_VIDEODRIVER=dummy

# The command, at most 60 s: no test waits for ever.
aw() { timeout 60 "$AW" "$@"; }

# shot NAME ARGS...: renders $T/NAME.png and $T/NAME.json; the pixels must match the layout.
shot() {
    name=$1
    shift
    if ! aw view "$@" --size 960x540 --screenshot "$T/$name.png" --layout-json "$T/$name.json" > "$T/out" 2>&1; then
        echo "FAIL: awaitlab view $* --screenshot exited $?:"
        cat "$T/out"
        fail=1
        return 1
    fi
    $CHECK check "$T/$name.png" "$T/$name.json" || { echo "FAIL: $name: pixels differ from the layout"; fail=1; }
}

# layout NAME PYTHON: runs the Python code with `lay` (the layout of NAME) and `img` (its PNG)
layout() {
    name=$1
    python3 - "$T/$name.png" "$T/$name.json" "$HERE" "$2" <<'EOF' || fail=1
import sys
sys.path.insert(0, sys.argv[3])
from viewcheck import read_png, load, lanes, pixel, run_coverage
img, lay = read_png(sys.argv[1]), load(sys.argv[2])
def lane_printing(text):
    for l in lanes(lay):
        if any(m.get('text') == text for m in l['marks']):
            return l
    raise SystemExit('FAIL: no lane has an output mark %r' % text)
def runs(lane, state):
    return [r for r in lane['runs'] if r['state'] == state]
def ok(cond, msg):
    if not cond:
        raise SystemExit('FAIL: ' + msg)
exec(sys.argv[4])
EOF
}

# Every lesson renders at its end, and its frame is consistent.
for l in $("$AW" list | awk '{print $1}'); do
    shot "end-$l" "$l"
done

# coroutines-create-task at its last step: main and two say_after tasks; 'world' runs last.
# (asyncio.run'"'"'s own shutdown steps may follow, as tasks of their own.)
layout end-coroutines-create-task '
L = lanes(lay)
ok([l["label"] for l in L[:3]] == ["Task-1  main()", "Task-2  say_after()", "Task-3  say_after()"],
   "main and two say_after lanes first: %s" % [l["label"] for l in L])
ok(all("say_after" not in l["label"] for l in L[3:]), "no other say_after lanes")
hello, world = lane_printing("hello"), lane_printing("world")
ok(hello["task"] == 2 and world["task"] == 3, "hello is Task-2, world Task-3")
h, w = runs(hello, "running")[-1], runs(world, "running")[-1]
ok(w["x1"] > h["x1"] + 100, "world runs last: %d vs %d" % (w["x1"], h["x1"]))
green = tuple(lay["palette"]["running"])
ok(pixel(img, h["x0"] + 1, h["y0"] + 1) == green, "hello run is green")
ok(pixel(img, w["x0"] + 1, w["y0"] + 1) == green, "world run is green")
for l in L:   # everything finished: each lane ends done, in the done colour
    d = runs(l, "done")[-1]
    ok(not d["ghost"] and d["x1"] == lay["timeline"]["track"]["x"] + lay["timeline"]["track"]["w"], "%s ends done" % l["label"])
    ok(run_coverage(img, lay, l, d) > 0.9, "%s: done band in its colour" % l["label"])
ok(lay["timeline"]["axis"] == "time" and lay["step"] == lay["count"], "time axis, last step")
ok(lay["code_highlight"]["line"] == 25, "line 25 (finished at) highlighted: %s" % lay.get("code_highlight"))
ok("closed" in lay["explanation"], "the last event explained: %s" % lay["explanation"])
'

# The cancelled task: blocked by CPU work, then cancelled (orange), with cancel marks on its lane.
layout end-tutorial-cancel-cpu-bound '
worker = lanes(lay)[1]
ok("worker_with_await" in worker["label"], worker["label"])
c, b = runs(worker, "cancelled"), runs(worker, "blocked")
ok(c and b, "blocked and cancelled runs: %s" % [r["state"] for r in worker["runs"]])
orange, purple = tuple(lay["palette"]["cancelled"]), tuple(lay["palette"]["blocked"])
ok(tuple(c[-1]["rgb"]) == orange and run_coverage(img, lay, worker, c[-1]) > 0.9, "cancelled colour")
ok(b[0]["x1"] - b[0]["x0"] > 300 and run_coverage(img, lay, worker, b[0]) > 0.9, "a long blocked run")
ok(pixel(img, (b[0]["x0"] + b[0]["x1"]) // 2, b[0]["y0"] + 1) == purple, "purple at the middle of the block")
kinds = [m["kind"] for m in worker["marks"]]
ok("cancel_requested" in kinds and "cancel_delivered" in kinds, "cancel marks: %s" % kinds)
ok(kinds.index("cancel_requested") < kinds.index("cancel_delivered"), "requested before delivered")
'

# Step 0: nothing has happened yet; the whole run is shown faded.
shot start-cct coroutines-create-task --at 0
layout start-cct '
for l in lanes(lay):
    ok(l["runs"] and all(r["ghost"] for r in l["runs"]), "%s: all faded at step 0" % l["label"])
ok(lay["step"] == 0, "step 0")
'
# Mid-way (after the first timer): hello's lane is vivid up to the playhead, faded after it.
shot mid-cct coroutines-create-task --at 60
layout mid-cct '
px = lay["timeline"]["playhead_x"]
world = lane_printing("world")
ok(any(not r["ghost"] and r["x1"] <= px + 3 for r in world["runs"]), "vivid before the playhead")
ok(any(r["ghost"] and r["x0"] >= px - 3 for r in world["runs"]), "faded after the playhead")
'

# A lesson where time never moves is drawn over steps; --axis forces either.
shot steps awaitables-coroutines
layout steps 'ok(lay["timeline"]["axis"] == "step", "auto: step axis")'
shot forced-steps coroutines-create-task --axis step
layout forced-steps 'ok(lay["timeline"]["axis"] == "step", "--axis step")'

# A trace file of a lesson shows the lesson's example too.
"$AW" run tutorial-cancel --trace "$T/tc.jsonl" > /dev/null
shot file "$T/tc.jsonl"
layout file 'ok("code_highlight" in lay, "the example is shown for a lesson trace file")'

# Deterministic: the same frame twice, and with another video driver, has the same pixels
# (decoded: the bytes are libpng's business).
aw view coroutines-create-task --screenshot "$T/d1.png" > /dev/null 2>&1
SDL_VIDEODRIVER=offscreen timeout 60 "$AW" view coroutines-create-task --screenshot "$T/d2.png" > /dev/null 2>&1
$CHECK same "$T/d1.png" "$T/d2.png" > /dev/null || { echo "FAIL: two screenshots of one frame differ"; fail=1; }
$CHECK same "$T/d1.png" "$T/end-coroutines-create-task.png" > /dev/null 2>&1 &&
    { echo "FAIL: sizes 1280x720 and 960x540 gave the same image"; fail=1; }

# A long trace (about 100,000 events): renders in bounded time, frames measured.
if [ -x "$BUILD/programs/trace_big" ]; then
    AWAITLAB_CLOCK=sim AWAITLAB_TRACE="$T/big.jsonl" "$BUILD/programs/trace_big" || { echo "FAIL: trace_big"; fail=1; }
    shot big "$T/big.jsonl"
    layout big 'ok(lay["timeline"]["lane_count"] > 1000 and len(lanes(lay)) < 100, "many lanes, those that fit drawn")'
    expect 0 "draw ms: mean" aw view "$T/big.jsonl" --bench 20 --screenshot "$T/bench.png"
fi

# Bad input: a clear message and the documented exit status.
printf '{"format":"awaitlab-trace","version":2,"program":null,"clock":"sim","seed":0,"wall_start_ns":0}\n{"seq":1,"iter":0,"t_ns":0,"ev":"loop_start","clock":"sim"}\n{"seq":2,"it' > "$T/cut.jsonl"
printf '{"format":"awaitlab-trace","version":2}\n{"seq":1}\n' > "$T/bad.jsonl"
printf '{"format":"awaitlab-trace","version":9}\n' > "$T/v9.jsonl"
expect 0 "usage: awaitlab view TRACE|NAME" aw view --help
expect 2 "which trace or lesson" aw view
expect 2 "unknown lesson 'nope'; valid lessons: awaitables-coroutines" aw view nope
expect 2 "cannot open" aw view "$T/missing.jsonl" --screenshot "$T/x.png"
expect 1 "bad.jsonl" aw view "$T/bad.jsonl" --screenshot "$T/x.png"
expect 5 "unsupported trace version 9" aw view "$T/v9.jsonl" --screenshot "$T/x.png"
expect 0 "warning: .*truncated" aw view "$T/cut.jsonl" --screenshot "$T/cut.png"
expect 2 "unknown option '--bogus'" aw view tutorial-cancel --bogus
expect 2 "\-\-at: expected a step from 0 to" aw view tutorial-cancel --at 100000 --screenshot "$T/x.png"
expect 2 "\-\-at: expected a step" aw view tutorial-cancel --at -1 --screenshot "$T/x.png"
expect 2 "\-\-size: expected WxH" aw view tutorial-cancel --size 10x10 --screenshot "$T/x.png"
expect 2 "\-\-axis: expected 'time' or 'step'" aw view tutorial-cancel --axis space
expect 2 "\-\-layout-json goes with --screenshot" aw view tutorial-cancel --layout-json "$T/x.json"
expect 2 "\-\-screenshot needs a value" aw view tutorial-cancel --screenshot
expect 2 "one trace or lesson at a time" aw view tutorial-cancel tutorial-future
expect 6 "cannot open the font $T/nofont.ttf" env AWAITLAB_FONT="$T/nofont.ttf" timeout 60 "$AW" view tutorial-cancel --screenshot "$T/x.png"
expect 8 "$T/no/dir/x.png: No such file" aw view tutorial-cancel --screenshot "$T/no/dir/x.png"
expect 7 "cannot open a window: no display" aw view tutorial-cancel
expect 7 "cannot open a window: no display" env -u SDL_VIDEODRIVER timeout 60 "$AW" view tutorial-cancel
[ -e "$T/x.png" ] && { echo "FAIL: a refused view wrote an image"; fail=1; }

exit $fail
