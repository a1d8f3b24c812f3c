#!/bin/sh
# test_tui_create_task.sh — what a learner sees stepping through coroutines-create-task in the
# terminal viewer (80x24, driven through tmux): the first "hello" comes at clock 1.000, stepping
# back hides it again, the Python line of each await is highlighted, and the keys work.
#   sh tests/scripts/test_tui_create_task.sh BUILD
B=${1:-build}
. "$(dirname "$0")/tui_lib.sh"

tui_start 80x24 "$B/awaitlab" step coroutines-create-task
tui_wait 'coroutines-create-task  step 0/[0-9]+' "the viewer did not start at step 0"
tui_wait 'Before the first event'

# o: to the next output line.  The first is "started at ...", the second "hello".
tui_keys o
tui_wait 'Output \(1 line\)'
tui_wait '\[0\.000\] started at'
tui_keys o
tui_wait 'clock 1\.000 s' "the clock did not read 1.000 at the second output"
tui_wait '\[1\.000\] hello' "the output pane does not show hello"
tui_wait "Task-2 prints \"hello\"\\." "the sentence does not explain the print"
tui_wait 'Task-2 say_after  running'

# one step back: before the print, hello is not in the output pane
tui_keys Left
tui_wait 'Output \(1 line\)' "stepping back did not hide hello"
tui_wait_not '\[1\.000\] hello'
tui_wait 'clock 1\.000 s'
tui_wait "await asyncio.sleep\\(delay\\)\` returns None in Task-2"
tui_keys Left Left
tui_wait "Task-2 resumes: the sleep\\(1\\) it awaited is over\\."
tui_keys Right Right Right
tui_wait '\[1\.000\] hello'

# the Python line of an await is highlighted: search for main's first await
tui_keys g
tui_wait 'step 0/'
tui_keys / a w a i t s Space t a s k - 2 Enter
tui_wait "Task-1 awaits Task-2\\." "search did not find the await"
tui_wait '^> *22 +await task1' "line 22 (await task1 in program.py) is not highlighted"
tui_wait "Task-1 main +running"
tui_keys Right
tui_wait "Task-1 main +waiting on task 'Task-2'"
# c: the C port, on its own line
tui_keys c
tui_wait '^ C port: line [0-9]+'
tui_wait '^> *[0-9]+ +AW_AWAIT\(task1\);'
tui_keys c
tui_wait '^ Python: line 22'

# ] and [: loop iterations; t: a time; G: the end
tui_keys g ']'
tui_wait 'iteration 1( |$)'
tui_keys ']'
tui_wait 'iteration 2( |$)'
tui_keys '['
tui_wait 'iteration 1( |$)'
tui_keys t 2 Enter
tui_wait 'clock 2\.000 s' "t 2 did not jump to the clock reading 2.000"
tui_keys G
tui_wait 'step ([0-9]+)/\1 ' "G did not go to the last event"
tui_wait 'Output \(4 lines\)'
tui_wait "Task-1 main +done"

# ? shows the help, any key closes it
tui_keys '?'
tui_wait 'Press any key to close this help'
tui_keys x
tui_wait_not 'Press any key to close this help'
# the keys come from one table (viz/keys), with one rule for the help: with the help open, a key
# only closes it (test_view_window.sh drives the same keys in the window: the same step)
tui_keys g '?' l l
tui_wait 'step 1/' "? l l did not end at step 1 (the help's key must only close it)"

tui_keys q
st=$(tui_exit_status)
[ "$st" = 0 ] || tui_fail "the viewer did not exit with status 0 (status: $st)"
echo "ok"
