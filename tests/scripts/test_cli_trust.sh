#!/bin/sh
# "A tool people can trust": lost output is never exit 0, trace text never reaches the terminal
# raw, validate accepts exactly what the viewers load, bad input is named clearly, and export -o
# keeps permissions and links.
#   tests/scripts/test_cli_trust.sh [BUILD]
. "$(dirname "$0")/cli_lib.sh"
G=tests/golden/tasks-gather.jsonl
H='{"format":"awaitlab-trace","version":2,"program":"p","clock":"sim","seed":0,"wall_start_ns":0}'
close() { printf '{"seq":%d,"iter":0,"t_ns":0,"ev":"loop_close"}\n' "$1"; }

# ---- lost output: every command, stdout on a full disk, exits 9 with the reason -------------
if [ -c /dev/full ]; then
    for cmd in "list" "show tasks-gather" "validate $G" "tui --plain $G" "diff $G $G" "run tasks-gather" \
               "export $G --format chrome" "step tasks-gather --plain"; do
        # shellcheck disable=SC2086
        "$AW" $cmd > /dev/full 2> "$T/err"
        rc=$?
        [ $rc = 9 ] && grep -q "cannot write to standard output" "$T/err" ||
            { echo "FAIL: awaitlab $cmd > /dev/full: exit $rc: $(cat "$T/err")"; fail=1; }
    done
    expect 9 "write failed" "$AW" run tasks-gather --trace /dev/full
    expect 9 "the trace is incomplete" env AWAITLAB_TRACE=/dev/full "$BUILD/programs/trace_cancel"
fi

# ---- messages ----------------------------------------------------------------------------------
expect 2 "awaitlab tui: tasks-gather is a lesson: use awaitlab step tasks-gather" "$AW" tui tasks-gather
expect 2 "awaitlab run: --trace needs a file name" "$AW" run tasks-gather --trace ''
expect 2 "is a directory" "$AW" validate "$T"
expect 2 "is a directory" "$AW" tui "$T"
"$AW" diff "$T/none.jsonl" "$G" > "$T/out" 2> "$T/err"
[ $? = 2 ] && [ ! -s "$T/out" ] && grep -q "^awaitlab diff: .*none.jsonl: cannot open" "$T/err" ||
    { echo "FAIL: diff errors belong on stderr, prefixed: out=$(cat "$T/out") err=$(cat "$T/err")"; fail=1; }
expect 8 "layout-json: cannot write $T/nodir/x.json: No such file or directory" "$AW" view tasks-gather --screenshot "$T/x.png" --layout-json "$T/nodir/x.json"
expect 2 "expected a decimal integer between 0 and 18446744073709551615" "$AW" step tasks-gather --seed 18446744073709551616
expect 2 "AWAITLAB_SEED='18446744073709551616'" env AWAITLAB_SEED=18446744073709551616 "$AW" run tasks-gather

# a lesson's source is the public document, never a path only this project's authors have
for l in tasks-gather coroutines-say-after tutorial-cancel; do
    "$AW" show $l | grep '^Source: ' > "$T/src"
    grep -q 'shared/seeds\|/usr/share\|\.\./' "$T/src" && { echo "FAIL: show $l cites a local path: $(cat "$T/src")"; fail=1; }
done
expect 0 "^Source: Python docs, \"Coroutines and Tasks\", https://docs.python.org/3/library/asyncio-task.html#coroutines, section" "$AW" show coroutines-say-after

# ---- lines: a limit, named, on every command that reads traces --------------------------------
for cmd in validate tui diff export; do
    extra=""; [ $cmd = diff ] && extra=$G; [ $cmd = export ] && extra="--format chrome"
    want=1; [ $cmd = diff ] && want=2   # diff: 2 is any error
    # shellcheck disable=SC2086
    expect $want "line 1 is longer than 16 MiB (--max-line)" timeout 30 "$AW" $cmd /dev/zero $extra
done
expect 1 "line 1 is longer than 100 bytes (--max-line)" "$AW" validate --max-line 100 "$G"
expect 0 "ok" "$AW" validate --max-line 16K "$G"
expect 2 "expected a number of bytes" "$AW" validate --max-line 0 "$G"
{ echo "$H"; printf '{"seq":1,"iter":0,"t_ns":0,"ev":"output","task":null,"text":'
  i=0; while [ $i -lt 70 ]; do printf '['; i=$((i + 1)); done; echo; } > "$T/deep.jsonl"
expect 1 "nested deeper than 64 levels" "$AW" validate "$T/deep.jsonl"

# ---- validate accepts exactly what the viewers load -------------------------------------------
S='{"seq":1,"iter":0,"t_ns":0,"ev":"scheduled","handle":1,"deadline_ns":null,"callback":"f","task":null,"future":null}'
S2='{"seq":2,"iter":0,"t_ns":0,"ev":"scheduled","handle":1,"deadline_ns":null,"callback":"f","task":null,"future":null}'
{ echo "$H"; echo "$S"; echo "$S2"; close 3; } > "$T/twice.jsonl"
{ echo "$H"; close 1; close 2; } > "$T/after.jsonl"
printf '%s\n{"seq":1,"iter":0,"t_ns":0,"ev":"loop_close\\u0000garbage"}\n' "$H" > "$T/nul.jsonl"
printf '%s\n{"seq":1,"iter":0,"t_ns":0,"ev":"output","task":null,"text":"caf\351"}\n' "$H" > "$T/latin1.jsonl"
sed 's/"seed":0/"seed":18446744073709551616/' "$G" > "$T/seed.jsonl"
for f in twice after nul latin1 seed; do
    "$AW" validate "$T/$f.jsonl" > /dev/null 2> "$T/v.err"; v=$?
    "$AW" tui --plain "$T/$f.jsonl" > /dev/null 2> "$T/t.err"; t=$?
    [ $v = 1 ] && [ $t = 1 ] || { echo "FAIL: $f: validate exit $v, tui exit $t (both must refuse)"; fail=1; }
    sed 's/^awaitlab [a-z]*: //' "$T/v.err" > "$T/v2"; sed 's/^awaitlab [a-z]*: //' "$T/t.err" > "$T/t2"
    cmp -s "$T/v2" "$T/t2" || { echo "FAIL: $f: validate and tui say different things"; fail=1; }
done
expect 1 "handle 1 is created twice" "$AW" validate "$T/twice.jsonl"
expect 1 "after loop_close" "$AW" validate "$T/after.jsonl"
expect 1 'contains \\u0000' "$AW" validate "$T/nul.jsonl"
expect 1 "invalid UTF-8 (column 65)" "$AW" validate "$T/latin1.jsonl"
expect 1 "field 'seed'" "$AW" validate "$T/seed.jsonl"

# ---- terminal escapes: an ESC in a task name is shown as \x1b, never sent ------------------------
ESC=$(printf '\033')
sed "s/\"name\":\"Task-2\"/\"name\":\"${ESC}]0;pwned\\\\u0007\"/" "$G" > "$T/esc.jsonl"
"$AW" tui --plain "$T/esc.jsonl" > "$T/out" 2>&1
grep -q "$ESC" "$T/out" && { echo "FAIL: tui --plain printed a raw ESC"; fail=1; }
grep -q '\\x1b\]0;pwned\\x07' "$T/out" || { echo "FAIL: tui --plain does not show the ESC escaped"; fail=1; }
sed "s/\"name\":\"Task-2\"/\"name\":\"Task-9${ESC}[2J\"/" "$G" > "$T/esc2.jsonl"
"$AW" diff "$G" "$T/esc2.jsonl" > "$T/out" 2>&1
grep -q "$ESC" "$T/out" && { echo "FAIL: diff printed a raw ESC"; fail=1; }
printf '%s\n{"seq":1,"iter":0,"t_ns":0,"ev":"loop_close","\\u001b[2J":1}\n' "$H" > "$T/esc3.jsonl"
"$AW" validate "$T/esc3.jsonl" > "$T/out" 2>&1
grep -q "$ESC" "$T/out" && { echo "FAIL: validate's message printed a raw ESC"; fail=1; }
grep -q "field '\\\\x1b\[2J'" "$T/out" || { echo "FAIL: validate's message: $(cat "$T/out")"; fail=1; }

# ---- export -o: permissions kept, umask followed, links followed, replaced whole ---------------
( umask 027; "$AW" export "$G" --format chrome -o "$T/new.json" ) || fail=1
[ "$(stat -c %a "$T/new.json")" = 640 ] || { echo "FAIL: a new file ignores the umask: $(stat -c %a "$T/new.json")"; fail=1; }
echo old > "$T/private.json"; chmod 600 "$T/private.json"
"$AW" export "$G" --format chrome -o "$T/private.json" || fail=1
[ "$(stat -c %a "$T/private.json")" = 600 ] || { echo "FAIL: export widened a 0600 file"; fail=1; }
grep -q traceEvents "$T/private.json" || { echo "FAIL: export did not replace the file"; fail=1; }
echo old > "$T/target.json"; ln -s target.json "$T/link.json"
"$AW" export "$G" --format chrome -o "$T/link.json" || fail=1
[ -L "$T/link.json" ] || { echo "FAIL: export replaced the symlink with a file"; fail=1; }
grep -q traceEvents "$T/target.json" || { echo "FAIL: export did not write the link's target"; fail=1; }
ls "$T" | grep -q '\.tmp-' && { echo "FAIL: a temporary file was left behind"; fail=1; }

# ---- UTF-8: a long name is cut between characters ----------------------------------------------
long=$(i=0; while [ $i -lt 130 ]; do printf '\303\251'; i=$((i + 1)); done)  # 260 bytes of é
sed "s/\"name\":\"Task-2\"/\"name\":\"x${long}\"/" "$G" > "$T/long.jsonl"
"$AW" export "$T/long.jsonl" --format chrome -o "$T/long.json" || fail=1
python3 -c "import sys, json; json.load(open(sys.argv[1], encoding='utf-8', errors='strict'))" "$T/long.json" ||
    { echo "FAIL: export wrote invalid UTF-8"; fail=1; }

exit $fail
