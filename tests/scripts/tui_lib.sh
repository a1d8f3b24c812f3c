# tui_lib.sh — driving the terminal viewer through tmux, for tests/scripts/test_tui_*.sh (sourced).
#
#   tui_start COLSxROWS COMMAND...   starts COMMAND in a private tmux server at that size
#   tui_keys KEY...                  sends keys (tmux names: Right, Left, Enter, Escape, C-c...)
#   tui_wait REGEX [what]            waits until the screen matches (bounded poll), else fails
#   tui_wait_not REGEX [what]        waits until the screen no longer matches
#   tui_screen                       prints the screen
#   tui_exit_status                  waits for the program to end, prints its exit status
# The tmux server is private (-L) and killed on exit, whatever happens.

TUI_SOCK="awaitlab-test-$$"
TUI_SESSION="viewer"
# Seconds any one wait may take; make san stretches it (AW_TEST_TIME_SCALE) for slower builds.
TUI_DEADLINE=${TUI_DEADLINE:-$((10 * ${AW_TEST_TIME_SCALE:-1}))}
TUI_DIR=$(mktemp -d "${TMPDIR:-/tmp}/awaitlab-tui-XXXXXX") || exit 1

tui_tmux() { tmux -L "$TUI_SOCK" "$@"; }

tui_cleanup() {
    tmux -L "$TUI_SOCK" kill-server >/dev/null 2>&1
    rm -rf "$TUI_DIR"
}
trap tui_cleanup EXIT
trap 'exit 1' INT TERM HUP

tui_fail() {
    echo "FAIL: $*" >&2
    echo "---- screen ----" >&2
    tui_screen >&2
    echo "----------------" >&2
    exit 1
}

tui_start() {
    size=$1
    shift
    command -v tmux >/dev/null 2>&1 || { echo "FAIL: tmux is not installed (make deps)" >&2; exit 1; }
    # The command's exit status goes to a file: tmux 3.3 sometimes marks a pane dead without one.
    rm -f "$TUI_DIR/status"
    # A UTF-8 terminal, as tmux is, whatever the locale of the machine running the tests (a bare
    # one has none set); a test may ask for another with `env LC_ALL=C cmd`.
    {
        echo 'export LANG=C.UTF-8'
        echo '"$@"'
        echo "echo \$? > '$TUI_DIR/status'"
    } > "$TUI_DIR/run.sh"
    tui_tmux -f /dev/null new-session -d -s "$TUI_SESSION" -x "${size%x*}" -y "${size#*x}" \
        sh "$TUI_DIR/run.sh" "$@" || { echo "FAIL: cannot start tmux" >&2; exit 1; }
    tui_tmux set-option -t "$TUI_SESSION" remain-on-exit on >/dev/null
}

tui_screen() { tui_tmux capture-pane -p -t "$TUI_SESSION" 2>/dev/null; }

tui_keys() { tui_tmux send-keys -t "$TUI_SESSION" "$@"; }

# Polls every 50 ms until the deadline: never a fixed sleep.
tui_poll() {
    want=$1
    regex=$2
    end=$(($(date +%s) + TUI_DEADLINE))
    while :; do
        if tui_screen | grep -Eq -- "$regex"; then found=1; else found=0; fi
        [ "$found" = "$want" ] && return 0
        [ "$(date +%s)" -ge "$end" ] && return 1
        sleep 0.05
    done
}

tui_wait() { tui_poll 1 "$1" || tui_fail "${2:-the screen never showed /$1/}"; }
tui_wait_not() { tui_poll 0 "$1" || tui_fail "${2:-the screen still shows /$1/}"; }

tui_exit_status() {
    end=$(($(date +%s) + TUI_DEADLINE))
    while [ ! -s "$TUI_DIR/status" ]; do
        [ "$(date +%s)" -ge "$end" ] && tui_fail "the viewer did not exit"
        sleep 0.05
    done
    cat "$TUI_DIR/status"
}
