#!/bin/sh
# awaitlab list / run / show: what they print and their exit codes, good input and bad.
#   tests/scripts/test_lessons_cli.sh [BUILD]
. "$(dirname "$0")/cli_lib.sh"

# list: every lesson folder, the issue's 15 first in its order, each with a summary.
"$AW" list > "$T/list" || { echo "FAIL: awaitlab list exited $?"; fail=1; }
first=$(awk 'NR == 1 {print $1}' "$T/list")
last=$(awk 'NR == 15 {print $1}' "$T/list")
want=$(ls lessons/*/lesson.c | wc -l)
[ "$(wc -l < "$T/list")" -eq "$want" ] || { echo "FAIL: list: want $want lessons:"; cat "$T/list"; fail=1; }
[ "$first" = awaitables-coroutines ] && [ "$last" = tutorial-future ] ||
    { echo "FAIL: list order: first '$first', 15th '$last'"; fail=1; }
awk 'NF < 3 { print "FAIL: list: no summary: " $0; bad = 1 } END { exit bad }' "$T/list" || fail=1
expect 0 "usage: awaitlab list" "$AW" list --help
expect 2 "unexpected argument 'x'" "$AW" list x

# run: output only what the program prints; errors name the problem and the choices.
expect 0 "^started at 17:13:52$" "$AW" run coroutines-say-after
expect 0 "^\[3.000\] finished at 17:13:55$" "$AW" run coroutines-say-after --timestamps
expect 0 "^\[2.000\] finished at 17:14:34$" "$AW" run --timestamps coroutines-create-task --clock=sim --seed 7
expect 0 "usage: awaitlab run NAME" "$AW" run --help
expect 0 "usage: awaitlab run NAME" "$AW" run coroutines-say-after -h
expect 2 "unknown lesson 'nope'; valid lessons: awaitables-coroutines, .*tutorial-future" "$AW" run nope
expect 2 "which lesson? valid lessons: awaitables-coroutines" "$AW" run
expect 2 "unknown option '--bogus'; valid options: --clock sim|real" "$AW" run coroutines-say-after --bogus
expect 2 "\-\-clock: expected 'sim' or 'real', got 'fake'" "$AW" run coroutines-say-after --clock fake
expect 2 "\-\-clock needs a value" "$AW" run coroutines-say-after --clock
expect 2 "\-\-seed: expected a decimal integer" "$AW" run coroutines-say-after --seed -1
expect 2 "\-\-seed: expected a decimal integer" "$AW" run coroutines-say-after --seed=12abc
expect 2 "one lesson at a time" "$AW" run coroutines-say-after tasks-gather
expect 2 "trace $T/no/such/dir/t.jsonl: " "$AW" run coroutines-say-after --trace "$T/no/such/dir/t.jsonl"
# Nothing but the program's lines on stdout (warnings go to stderr).
"$AW" run awaitables-coroutines > "$T/stdout" 2> "$T/stderr"
[ "$(cat "$T/stdout")" = 42 ] || { echo "FAIL: run awaitables-coroutines stdout:"; cat "$T/stdout"; fail=1; }
grep -q "RuntimeWarning: coroutine 'nested' was never awaited" "$T/stderr" ||
    { echo "FAIL: run awaitables-coroutines: no never-awaited warning:"; cat "$T/stderr"; fail=1; }
# --trace writes a valid, complete trace.
expect 0 "finished at" "$AW" run coroutines-say-after --trace "$T/t.jsonl"
expect 0 "t.jsonl: ok, " "$AW" validate "$T/t.jsonl"

# show: the example (numbered), its source, the C port and the narrative, under headings.
expect 0 "== The document's example (example.py) ==" "$AW" show tasks-gather
expect 0 "^   5      for i in range(2, number + 1):$" "$AW" show tasks-gather
expect 0 "^Source: .*asyncio-task" "$AW" show tasks-gather
expect 0 "== The C port lessons/tasks-gather/lesson.c ==" "$AW" show tasks-gather
expect 0 "AW_LESSON(tasks_gather" "$AW" show tasks-gather
expect 0 "== What happens, and why (narrative.md) ==" "$AW" show tasks-gather
expect 0 "usage: awaitlab show NAME" "$AW" show --help
expect 2 "unknown lesson 'nope'; valid lessons: awaitables-coroutines" "$AW" show nope
expect 2 "which lesson?" "$AW" show
expect 2 "unknown option '--bogus'" "$AW" show --bogus
exit $fail
