#!/bin/sh
# test_tui_teaching.sh — the views that show why (driven through tmux): the loop pane (the phase,
# the ready queue in order, the timers by deadline), the current task's line highlighted and the
# other live tasks' lines marked with their names, the await stack, who woke whom, the event log
# in sentences with the raw fields on `r`, and asyncio.run's shutdown folded into one step.
#   sh tests/scripts/test_tui_teaching.sh BUILD
B=${1:-build}
. "$(dirname "$0")/tui_lib.sh"

# Unicode glyphs on a UTF-8 terminal, ASCII otherwise: the patterns accept both.
ARROW='(→|->)'
HERE='(◂|<)'
OTHER='(·|-)'

# to_step N: from the start, N steps forward (the trace is the same on every run; the sentences
# may change wording, so the steps are found by number)
to_step() {
    tui_keys g
    tui_wait 'step 0/'
    i=0
    while [ $i -lt "$1" ]; do
        tui_keys Right
        i=$((i + 1))
    done
    tui_wait "step $1/"
}

# ---- the loop pane: tutorial-cancel, where main has cancelled the worker ----------------------
tui_start 100x30 "$B/awaitlab" step tutorial-cancel
tui_wait 'tutorial-cancel  step 0/[0-9]+'
tui_wait ' Loop '
tui_wait 'ready  \(empty\)'
# after main's first await: Task-2's first step is ready, main's sleep(2) is the timer
to_step 17 # main awaits its sleep(2)
tui_wait 'ready  1\. Task-2: first step' "the ready queue does not show Task-2's first step"
tui_wait 'timers 2\.000  end the sleep\(2\) of' "the timer of main's sleep is not shown"
tui_wait 'iteration 1: run the ready handles'
# both tasks asleep: two timers, the earlier deadline first
to_step 28 # Task-2 suspends in its sleep(10)
tui_wait 'timers 2\.000  end the sleep\(2\) of'
tui_wait '10\.000  end the sleep\(10\) of'
a=$(tui_screen | grep -n 'timers 2\.000' | cut -d: -f1)
b=$(tui_screen | grep -n '10\.000  end the sleep(10)' | cut -d: -f1)
[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] || tui_fail "the timers are not in deadline order"
# the cancel: the wake-up of Task-2 is ready while its sleep(10) timer is still pending
to_step 47 # the wake-up of Task-2 joins the ready queue
tui_wait 'ready  1\. wake Task-2: the sleep\(10\)' "the ready queue does not show the wake-up"
tui_wait 'timers 10\.000  end the sleep\(10\) of'
# who woke whom: the loop runs that wake-up; main's cancel() caused it
to_step 52 # the loop runs that wake-up
tui_wait 'Task-1 main +(▶|>) woke Task-2' "the cause's row is not marked"
tui_wait 'Task-2 worker_task +(◀|<) woken by Task-1' "the woken task's row is not marked"
# the event log: sentences, the raw fields on r
tui_wait '^> +52 2\.000  [A-Z]'
tui_wait_not 'handle_run'
tui_keys r
tui_wait '^> 52 iter 5 t=2\.000s handle_run' "r does not show the raw fields"
tui_keys r
tui_wait '^> +52 2\.000  [A-Z]'
tui_keys q
[ "$(tui_exit_status)" = 0 ] || tui_fail "exit status"
tui_tmux kill-server

# ---- the focus line and the other tasks' lines (a taller terminal shows them together) --------
tui_start 100x40 "$B/awaitlab" step tutorial-create-tasks
tui_wait 'step 0/'
to_step 36 # Task-3 suspends in its sleep(1)
tui_wait "^> +5 +await asyncio\\.sleep\\(delay\\) +$HERE Task-3, Task-2 " "the focus line is not highlighted with its tasks"
tui_wait "^$OTHER +19 +result1 = await task1 +$HERE Task-1 " "main's line is not marked"
tui_wait "Task-3's await stack: worker \\(line 5\\) $ARROW sleep \\(asyncio\\)"
# the C port marks the C lines that port them
tui_keys c
tui_wait '^ C port: line [0-9]+'
tui_wait "^> +[0-9]+ .*$HERE Task-3, Task-2 " "the C port's focus line is not marked"
tui_keys q
[ "$(tui_exit_status)" = 0 ] || tui_fail "exit status"
tui_tmux kill-server

# ---- the await stack, outermost first, and the shutdown fold: tutorial-wait-for-slow ----------
tui_start 100x30 "$B/awaitlab" step tutorial-wait-for-slow
tui_wait 'step 0/84'
to_step 20 # main awaits slow_operation's sleep(5)
tui_wait "Task-1's await stack: main( \\(line 15\\)|:15) $ARROW wait_for \\(asyncio\\) $ARROW slow_operation( \\(line 6\\)|:6) $ARROW sleep \\(asyncio\\)" \
    "the await stack is not main -> wait_for -> slow_operation -> sleep"
# G: the shutdown is one group step; its tasks have no rows
tui_keys G
tui_wait 'step 84/84'
tui_wait '^> +56-84 3\.000  asyncio\.run shuts down: 29 steps \(press e to expand\)' "the shutdown is not folded"
tui_wait '^=>asyncio\.run shuts down: 29 steps'
tui_wait 'Tasks \(1\)' "shutdown's tasks have rows while it is folded"
# one step back leaves the group; one forward is the whole group again
tui_keys Left
tui_wait 'step 55/84'
tui_keys Right
tui_wait 'step 84/84'
# [ from the group goes back to an iteration before it, not into it
tui_keys '['
tui_wait 'step ([1-4][0-9]|5[0-5])/84' "[ from the folded shutdown did not leave it"
tui_keys G
tui_wait 'step 84/84'
# e expands: every step, shutdown's tasks included
tui_keys e
tui_wait 'expanded'
tui_wait_not 'asyncio\.run shuts down: 29 steps'
tui_keys Left
tui_wait 'step 83/84'
tui_wait 'Tasks \(3\)'
tui_wait 'Task-3 shutdown_default'
tui_keys g Right Right Right Right Right
tui_wait 'step 5/84'
tui_wait 'Tasks \(1\)' "tasks have rows before they exist"
# e folds it again: from inside it, the view moves to the group step
tui_keys G Left e
tui_wait 'step 84/84'
tui_wait 'asyncio\.run shuts down: 29 steps'
tui_keys '?'
tui_wait "e +asyncio.run's shutdown: fold"
tui_keys x
tui_keys q
[ "$(tui_exit_status)" = 0 ] || tui_fail "exit status"
echo "ok"
