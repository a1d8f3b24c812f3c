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

# coroutines-create-task at its last step, over time: main and two say_after tasks; 'world' runs
# last.  (asyncio.run's shutdown is folded: its tasks have no lanes.)
shot time-cct coroutines-create-task --axis time
layout end-coroutines-create-task 'ok(lay["timeline"]["axis"] == "step", "a lesson bunches up at instants: step axis")'
layout time-cct '
L = lanes(lay)
ok([l["label"] for l in L[:3]] == ["Task-1  main()", "Task-2  say_after()", "Task-3  say_after()"],
   "main and two say_after lanes first: %s" % [l["label"] for l in L])
ok(len(L) == 3, "no lanes for the tasks of the folded shutdown: %s" % [l["label"] for l in L])
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
shot time-cpu tutorial-cancel-cpu-bound --axis time
layout time-cpu '
worker = lanes(lay)[1]
ok("worker_with_await" in worker["label"], worker["label"])
c, b = runs(worker, "cancelled"), runs(worker, "blocked")
ok(c and b, "blocked and cancelled runs: %s" % [r["state"] for r in worker["runs"]])
orange, purple = tuple(lay["palette"]["cancelled"]), tuple(lay["palette"]["blocked"])
mid = (c[-1]["y0"] + c[-1]["y1"]) // 2   # the cause arrows and the marks cover much of this short run
ok(tuple(c[-1]["rgb"]) == orange and [pixel(img, x, mid) for x in range(c[-1]["x0"], c[-1]["x1"])].count(orange) >= 5,
   "cancelled colour")
ok(b[0]["x1"] - b[0]["x0"] > 200 and run_coverage(img, lay, worker, b[0]) > 0.9, "a long blocked run")
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
shot forced-time awaitables-coroutines --axis time
layout forced-time 'ok(lay["timeline"]["axis"] == "time", "--axis time")'

# A trace file of a lesson shows the lesson's example too.
"$AW" run tutorial-cancel --trace "$T/tc.jsonl" > /dev/null
shot file "$T/tc.jsonl"
layout file 'ok("code_highlight" in lay, "the example is shown for a lesson trace file")'

# ---- teaching views: expectations from the trace itself, not from what the viewer reports ----
"$AW" run tutorial-cancel --trace "$T/cancel.jsonl" > /dev/null
"$AW" run tutorial-cancel-cpu-bound --trace "$T/cpu.jsonl" > /dev/null
# trace NAME PYTHON: like layout, with `ev` (the trace's events) and `x_of(step_or_t)` (where
# the axis puts a position: from the track and the visible window, the general geometry).
trace() {
    name=$1 tr=$2
    layout "$name" "
from viewcheck import *
ev = read_trace('$tr')
def x_of(p):
    tl = lay['timeline']; tr = tl['track']
    return tr['x'] + (p - tl['v0']) * tr['w'] / (tl['v1'] - tl['v0'])
def lane_rect(task):
    return next(l['rect'] for l in lanes(lay) if l['task'] == task)
$3"
}

# Output lines in the colour of the task that printed them: the trace says who printed line K,
# the palette's table (viewcheck.TASK_COLOURS) what colour that task is.
shot out-cancel tutorial-cancel
trace out-cancel "$T/cancel.jsonl" '
order = task_order(ev)
outs = [e for e in ev if e["ev"] == "output"]
rows = {o["index"]: o for o in lay["output_lines"]}
ok(len(rows) == len(outs), "every output line shown: %d of %d" % (len(rows), len(outs)))
for k, e in enumerate(outs, 1):
    want = TASK_COLOURS[order.index(e["task"]) % 8]
    other = TASK_COLOURS[(order.index(e["task"]) + 1) % 8]
    r = rows[k]
    px = [pixel(img, x, y) for y in range(r["y"], r["y"] + r["h"]) for x in range(r["x"], r["x"] + r["w"])]
    ok(want in px, "output line %d (%s, task %d) has its task colour %s" % (k, e["text"], e["task"], want))
    ok(other not in px, "output line %d has no other task colour" % k)
'

# --at output:K is the step that prints the K-th line; the narrative part is the one whose
# marker (lessons/README.md) names the latest step at or before it.
for k in 1 6; do
    shot at-out$k tutorial-cancel --at output:$k
    trace at-out$k "$T/cancel.jsonl" "
outs = [e['seq'] for e in ev if e['ev'] == 'output']
ok(lay['step'] == outs[$k - 1], 'output:$k is step %d, not %d' % (outs[$k - 1], lay['step']))
starts = part_starts(open('$HERE/../../lessons/tutorial-cancel/narrative.md').read(), ev)
want = max(i for i, s in enumerate(starts) if s is not None and s <= lay['step']) + 1
ok(lay['narrative']['part'] == want, 'part %d at step %d, not %d' % (want, lay['step'], lay['narrative']['part']))
"
done
expect 2 "\-\-at: output:9 but the trace printed 8 lines" aw view tutorial-cancel --at output:9 --screenshot "$T/x.png"

# Who woke whom: at the step where Task-2 gets its CancelledError, an arrow from the cancel()
# (the request on Task-2, on the lane of the task that called it) to Task-2's lane.
deliv=$(python3 -c "import json; print([e for e in map(json.loads, open('$T/cancel.jsonl')) if e.get('ev') == 'cancel_delivered' and e.get('task') == 2][0]['seq'])")
shot arrow tutorial-cancel --at "$deliv" --axis step
trace arrow "$T/cancel.jsonl" "
d = next(e for e in ev if e['seq'] == $deliv)
req = [e for e in ev if e['ev'] == 'cancel_requested' and e.get('task') == 2 and e['seq'] < d['seq']][-1]
a, b = lane_rect(req['by']), lane_rect(d['task'])
x0, y0 = x_of(req['seq']), a['y'] + a['h'] // 2
x1, y1 = x_of(d['seq']), b['y'] + b['h'] // 2
hits = 0
for i in range(20, 71, 5):   # along the segment, clear of the marks at its ends and the head
    x, y = int(x0 + (x1 - x0) * i / 100), int(y0 + (y1 - y0) * i / 100)
    hits += any(pixel(img, x, yy) == ARROW for yy in (y - 1, y, y + 1))
ok(hits >= 9, 'arrow colour along the cancel -> CancelledError segment: %d of 11 points' % hits)
"

# A late timer: main's sleep(1) ran 9 s late behind the CPU-bound work; a bracket from its
# deadline to when it ran, over the lane of the task it wakes.
shot late tutorial-cancel-cpu-bound --axis time
trace late "$T/cpu.jsonl" "
f = next(e for e in ev if e['ev'] == 'timer_fired' and e.get('deadline_ns') is not None and e['t_ns'] > e['deadline_ns'])
s = next(e for e in ev if e['ev'] == 'scheduled' and e.get('handle') == f['handle'])
r = lane_rect(s['task'])
xd, xr, y = x_of(f['deadline_ns']), x_of(f['t_ns']), r['y'] - 2
ok(xr - xd > 200, 'the delay is drawn wide: %d px' % (xr - xd))
cols = [pixel(img, int(xd + (xr - xd) * i / 10), yy) for i in range(2, 9) for yy in (y, y + 1)]
ok(cols.count(WARN) >= 10, 'the late bracket from due to ran: %s' % cols)
"

# Text scales: --scale 2 draws the title's glyphs about twice as tall (rows with light text in
# the dark title bar, counted in the PNG).
shot s1 tutorial-cancel --scale 1
shot s2 tutorial-cancel --scale 2
python3 - "$T/s1.png" "$T/s2.png" "$HERE" <<'EOF2' || fail=1
import sys
sys.path.insert(0, sys.argv[3])
from viewcheck import read_png, pixel
def glyph_rows(img):
    bar = (38, 50, 72)  # the title bar's colour (pal COL_TITLE_BG): rows of it with light text
    return sum(1 for y in range(0, 120) if pixel(img, 2, y) == bar and any(min(pixel(img, x, y)) > 200 for x in range(4, 150)))
h1, h2 = glyph_rows(read_png(sys.argv[1])), glyph_rows(read_png(sys.argv[2]))
if not (h1 > 5 and h2 >= 1.4 * h1):
    raise SystemExit('FAIL: glyphs %d px tall at scale 1, %d at scale 2' % (h1, h2))
EOF2
expect 2 "\-\-scale: expected a number from 0.5 to 4" aw view tutorial-cancel --scale 9 --screenshot "$T/x.png"

# asyncio.run's shutdown is one folded step: no lanes for its tasks, unless a step in it is asked.
trace out-cancel "$T/cancel.jsonl" '
sd = next(e["seq"] for e in ev if e["ev"] == "runner" and e.get("phase") == "shutdown")
late_tasks = [e["task"] for e in ev if e["ev"] == "task_created" and e["seq"] > sd]
ok(late_tasks and not any(l["task"] in late_tasks for l in lanes(lay)), "no lanes for %s" % late_tasks)
ok(lay["folded"] and lay["shutdown_step"] == sd, "folded at %d" % sd)
'
shot unfolded tutorial-cancel --at 110
layout unfolded 'ok(not lay["folded"] and len(lanes(lay)) == 4, "a step inside the shutdown unfolds it")'

# The quiz stops at the first scheduling decision (aw_model_quiz_at: in tutorial-cancel, which
# of the two sleeps' timers fires first): the question, its real candidates, and nothing of the
# steps after it (no faded runs of the future).
shot quiz tutorial-cancel --quiz
layout quiz 'q = lay.get("quiz", {})
ok(q.get("question") == "Which timer fires next?", "the first question: %s" % q)
ok(sorted(c["text"] for c in q.get("choices", [])) == ["end the sleep(10) of Task-2 (due at 10.000)", "end the sleep(2) of Task-1 (due at 2.000)"], "the two timers are the choices: %s" % q)
ok(lay["step"] < lay["count"], "the quiz stops before the end")
ok(not any(r.get("ghost") for ln in lay["timeline"]["lanes"] for r in ln.get("runs", [])), "nothing of the future is drawn")'

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
