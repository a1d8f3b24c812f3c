#!/bin/sh
# awaitlab view in a real window, on a virtual X server (xvfb-run), driven by real key presses
# and mouse events (xdotool).  With AWAITLAB_VIEW_SHOTS=DIR the viewer saves each frame it draws
# after input (frame-NNNN.png and .json), so the test sees what the window shows.  Every wait is
# bounded.
#   tests/scripts/test_view_window.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
# Sanitized builds are several times slower: make san sets AW_TEST_TIME_SCALE, which stretches
# every bound below (never what is asserted).
SCALE=${AW_TEST_TIME_SCALE:-1}

if [ "$2" != --inside ]; then
    for tool in xvfb-run xdotool python3; do
        command -v $tool > /dev/null || { echo "FAIL: $tool is missing (make deps installs it)"; exit 1; }
    done
    # -a: a free display number; the whole test runs inside, at most 120 s (times SCALE)
    exec timeout $((120 * SCALE)) xvfb-run -a -s "-screen 0 1280x800x24" sh "$0" "$BUILD" --inside
fi

AW="$BUILD/awaitlab"
CHECK="python3 $HERE/viewcheck.py"
T=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$T"' EXIT
fail=0
D="$T/shots"
mkdir -p "$D"

# The latest frame's JSON file, and a field of it.
latest() { ls "$D"/frame-*.json 2>/dev/null | tail -n 1; }
field() { python3 -c "import json,sys; lay = json.load(open(sys.argv[1])); print($1)" "$(latest)"; }

# wait_for PYTHON-CONDITION [SECONDS]: until the latest frame's layout `lay` satisfies it.
wait_for() {
    n=0 limit=$((${2:-10} * 10 * SCALE))
    while [ $n -lt $limit ]; do
        f=$(latest)
        if [ -n "$f" ] && python3 -c "import json,sys; lay = json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "$f" 2> /dev/null; then
            return 0
        fi
        sleep 0.1
        n=$((n + 1))
    done
    echo "FAIL: no frame with ($1) after ${2:-10} s; the latest: $(latest)"
    [ -n "$(latest)" ] && python3 -c "import json,sys; l = json.load(open(sys.argv[1])); print({k: l[k] for k in ('step', 'count', 'help', 'playing', 'speed', 'width', 'height')}, l['timeline']['v0'], l['timeline']['v1'])" "$(latest)"
    fail=1
    return 1
}

# Under ASan (make san), no leak check for this one process: SDL's X11 driver initialises
# libdbus, which keeps allocations until exit, and LeakSanitizer cannot unwind through the
# system libraries (no frame pointers) to suppress them by name.  The viewer's own code is
# leak-checked by test_view_screenshot.sh (the same drawing, no X server).
# The software renderer: its pixels are the ones the layout describes, on any X server.
# (--axis time: the clicks below aim at instants of virtual time)
AWAITLAB_VIEW_SHOTS="$D" SDL_VIDEODRIVER=x11 SDL_RENDER_DRIVER=software \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:detect_leaks=0}" "$AW" view coroutines-create-task --size 1000x600 --axis time > "$T/log" 2>&1 &
pid=$!
wait_for 'lay["step"] == 0' 15 || { cat "$T/log"; exit 1; }
first=$(latest)
wid=$(timeout 10 xdotool search --sync --onlyvisible --name "awaitlab view" | head -n 1)
[ -n "$wid" ] || { echo "FAIL: no window named 'awaitlab view'"; exit 1; }
timeout 10 xdotool windowfocus --sync "$wid" || { echo "FAIL: cannot focus the window"; exit 1; }
count=$(field 'lay["count"]')

# Keys, as the terminal viewer has them.
xdotool key Right
wait_for 'lay["step"] == 1' && {
    # the frame changed on screen, and it is the frame the layout describes
    $CHECK same "${first%.json}.png" "$(latest | sed 's/json$/png/')" > /dev/null && { echo "FAIL: Right: the same picture"; fail=1; }
    $CHECK check "$(latest | sed 's/json$/png/')" "$(latest)" || fail=1
}
xdotool key n l
wait_for 'lay["step"] == 3'
xdotool key h
wait_for 'lay["step"] == 2'
xdotool key G
wait_for "lay['step'] == $count"
xdotool key g
wait_for 'lay["step"] == 0'
xdotool key bracketright
wait_for 'lay["step"] > 0'
xdotool key g o   # the first output line
out1=$("$AW" run coroutines-create-task --trace "$T/t.jsonl" > /dev/null && grep -m1 '"ev":"output"' "$T/t.jsonl" | sed 's/.*"seq":\([0-9]*\),.*/\1/')
wait_for "lay['step'] == $out1 and 'prints \"started at' in lay['explanation']"
xdotool key G n   # past the end: a message, no move
wait_for "lay['step'] == $count and 'last event' in lay['status']"
xdotool key g t 1 period 5 Return   # jump to a time: the first step at 1.5 s or later
wait_for 'lay["time_ns"] >= 1.5e9 and lay["step"] > 0 and lay["prompt"] == ""'
xdotool key g slash w o r l d Return   # search: the line that prints world
wait_for "'prints \"world\"' in lay['explanation']"
xdotool key c   # the C port beside the lanes, its current line highlighted
wait_for 'lay["c_port"] and lay["code_highlight"]["line"] > 0'
xdotool key c
wait_for 'not lay["c_port"]'
xdotool key question
wait_for 'lay["help"]'
xdotool key Escape
wait_for 'not lay["help"]'
# The keys come from one table (viz/keys), with the terminal's rule for the help: with the help
# open, a key only closes it (test_tui_create_task.sh drives the same keys: the same step).
xdotool key g question l l
wait_for 'not lay["help"] and lay["step"] == 1'
xdotool key plus
wait_for 'lay["speed"] == 16'
xdotool key minus minus
wait_for 'lay["speed"] == 4'
xdotool key g space
wait_for 'lay["playing"]'
xdotool key plus plus plus plus plus plus plus plus   # 1024 events/s
wait_for "not lay['playing'] and lay['step'] == $count and lay['speed'] == 1024" 20   # to the end, then stops

# The mouse: click on the timeline at 1.5 s seeks to the state at 1.5 s (after 1.000's events,
# whose playhead is at the 1.000 s column); the wheel zooms; a drag pans.
set -- $(python3 -c "
import json, sys
lay = json.load(open(sys.argv[1])); tl = lay['timeline']; tr = tl['track']
x = lambda t: int(tr['x'] + (t - tl['v0']) * tr['w'] / (tl['v1'] - tl['v0']))
print(x(1.5e9), tr['y'] + 5, x(1.0e9))" "$(latest)")
cx=$1 cy=$2 x1=$3
xdotool mousemove --window "$wid" "$cx" "$cy" click 1   # window coordinates
wait_for "abs(lay['timeline']['playhead_x'] - $x1) <= 1 and lay['step'] < $count"
span0=$(field 'lay["timeline"]["v1"] - lay["timeline"]["v0"]')
xdotool mousemove --window "$wid" "$cx" "$cy" click 4
wait_for "lay['timeline']['v1'] - lay['timeline']['v0'] < $span0"
v0=$(field 'lay["timeline"]["v0"]')
step=$(field 'lay["step"]')
xdotool mousemove --window "$wid" "$cx" "$cy" mousedown 1 mousemove --window "$wid" $((cx - 40)) "$cy" \
    mousemove --window "$wid" $((cx - 120)) "$cy" mouseup 1
wait_for "lay['timeline']['v0'] > $v0 and lay['step'] == $step"

# Hovering a mark says what happened there: the output mark where 'world' is printed.
xdotool key G
wait_for "lay['step'] == $count"
set -- $(python3 -c "
import json, sys
lay = json.load(open(sys.argv[1]))
print(*[(m['x'], m['y']) for l in lay['timeline']['lanes'] for m in l['marks'] if m.get('text') == 'world'][0])" "$(latest)")
xdotool mousemove --window "$wid" "$1" "$2"
wait_for "'prints \"world\"' in lay.get('tooltip', '')"

# The window is resizable: the frame follows.
xdotool windowsize "$wid" 1100 700
wait_for 'lay["width"] == 1100 and lay["height"] == 700'

# q quits, promptly and cleanly.
xdotool key q
n=0
while kill -0 $pid 2> /dev/null && [ $n -lt $((50 * SCALE)) ]; do sleep 0.1; n=$((n + 1)); done
if kill -0 $pid 2> /dev/null; then
    echo "FAIL: still running $((5 * SCALE)) s after q"
    fail=1
else
    wait $pid
    rc=$?
    [ $rc -eq 0 ] || { echo "FAIL: exit $rc after q:"; cat "$T/log"; fail=1; }
fi
pid=
exit $fail
