#!/bin/sh
# test_tui_quiz.sh — `awaitlab step NAME --quiz` (driven through tmux): at each scheduling decision
# the viewer asks first (the step's sentence and the log hidden), a digit answers, then it shows
# right or wrong, the answer and the rule; the score at the end.  A first run answers 1 everywhere
# to learn the answers; a second answers the first question right, the second wrong, the rest
# right, and must end with "score: N-1 of N".  Without a terminal, --quiz refuses (exit 2).
#   sh tests/scripts/test_tui_quiz.sh BUILD
B=${1:-build}
. "$(dirname "$0")/tui_lib.sh"
LESSON=tasks-gather

"$B/awaitlab" step "$LESSON" --quiz < /dev/null > /dev/null 2> "$TUI_DIR/err"
rc=$?
[ $rc = 2 ] || { echo "FAIL: --quiz without a terminal: exit $rc, expected 2" >&2; exit 1; }
grep -q 'needs a terminal' "$TUI_DIR/err" || { echo "FAIL: --quiz without a terminal: no message" >&2; exit 1; }

ASK='Press 1-[0-9] to answer\.'
END='The end\. score: [0-9]+ of [0-9]+'

# next: jumps to the next question (G stops at the first one on the way) or to the end
next() {
    tui_keys G
    tui_wait "$ASK|$END"
}
asking() { tui_screen | grep -Eq "$ASK"; }

# ---- run 1: learn the answers ---------------------------------------------------------------------
tui_start 160x40 "$B/awaitlab" step "$LESSON" --quiz
tui_wait 'step 0/'
next
if ! asking; then
    tui_keys q
    tui_exit_status > /dev/null
    echo "ok (skipped: no question was posed: the quiz engine, aw_model_quiz_at, has not landed)"
    exit 0
fi
answers=""
n=0
while asking; do
    n=$((n + 1))
    # the answer is hidden: no sentence line, no event log
    tui_screen | grep -q '^=>' && tui_fail "question $n: the step's sentence shows before the answer"
    tui_screen | grep -Eq '^ Events \(' && tui_fail "question $n: the event log shows before the answer"
    tui_keys 1
    tui_wait 'Right!|Wrong: you chose 1\.'
    tui_wait '^ Rule: ' "question $n: no rule after the answer"
    tui_wait '^=>' "question $n: the step's sentence does not show after the answer"
    if tui_screen | grep -q 'Right!'; then a=1
    else a=$(tui_screen | sed -n 's/.*the answer is \([0-9]\)\. .*/\1/p' | head -n 1)
    fi
    [ -n "$a" ] || tui_fail "question $n: the answer is not shown"
    answers="$answers $a"
    next
done
tui_wait "$END"
[ "$n" -ge 2 ] || tui_fail "only $n question(s) in $LESSON: the test needs two"
tui_keys q
[ "$(tui_exit_status)" = 0 ] || tui_fail "exit status"
tui_tmux kill-server

# ---- run 2: one right, one wrong, the rest right ---------------------------------------------------
tui_start 160x40 "$B/awaitlab" step "$LESSON" --quiz
tui_wait 'step 0/'
i=0
for a in $answers; do
    i=$((i + 1))
    next
    asking || tui_fail "question $i was not asked again"
    if [ $i = 2 ]; then
        if [ "$a" = 1 ]; then k=2; else k=1; fi
        tui_keys $k
        tui_wait "Wrong: you chose $k\\." "a wrong answer is not called wrong"
        tui_wait "the answer is $a\\."
    else
        tui_keys "$a"
        tui_wait "Right!  $a\\." "a right answer is not called right"
    fi
    tui_wait "score: $((i - (i >= 2))) of $i"
done
next
tui_wait "The end\\. score: $((n - 1)) of $n" "the final score is not $((n - 1)) of $n"
tui_keys q
[ "$(tui_exit_status)" = 0 ] || tui_fail "exit status"
echo "ok ($n questions)"
