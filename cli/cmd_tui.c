/* cmd_tui.c — `awaitlab tui TRACE [--at WHERE] [--plain]`: steps through any trace file in the terminal
 * viewer.  When the trace's program is a known lesson, the lesson's example is the source pane;
 * otherwise the source file of the current step, if it can be read from here.
 * Exit: 0 ok (a truncated or unfinished trace is shown, with a warning), 1 invalid trace,
 * 2 usage or unreadable file or no usable terminal, 5 unsupported trace version (as `validate`). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_lessons.h"
#include "cli_viewer.h"
#include "cli_where.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab tui TRACE [--at WHERE] [--plain] [--max-line BYTES]\n"
               "Steps through a trace (from `awaitlab run NAME --trace FILE` or AWAITLAB_TRACE=FILE) in\n"
               "the terminal: each task's state, the clock, the event log in plain words, the output so\n"
               "far, and the source line of each step.  \"-\" reads standard input.  ? lists the keys.\n"
               "  --at WHERE        open at a step: a number (0..events), 'end', or output:K (the step\n"
               "                    that prints the K-th output line); with --plain (or not on a\n"
               "                    terminal) print the state at that step instead of every step\n"
               "  --plain           print every step as plain text instead (the default when not on\n"
               "                    a terminal)\n"
               "  --max-line BYTES  refuse a line longer than this (default 16M; K, M, G suffixes)\n"
               "exit: 0 ok, 1 invalid trace, 2 usage or unreadable, 5 unsupported version\n");
    return rc;
}

int cmd_tui(int argc, char **argv)
{
    bool plain = false;
    const char *at_arg = NULL;
    aw_model_options mo = {0};
    const cli_option opts[] = {
        {"--at", NULL, CLI_TEXT, "WHERE", &at_arg, "a step (a number, end, or output:K)"},
        {"--plain", NULL, CLI_FLAG, NULL, &plain},
        CLI_MAX_LINE_OPTION(&mo.limits),
    };
    const char *pos[CLI_MAX_POS];
    int npos, rc = cli_parse("tui", argc, argv, opts, CLI_COUNT(opts), pos, CLI_MAX_POS, &npos);
    if (rc == CLI_HELP) return usage(stdout, 0);
    if (rc) return rc;
    if (npos == 0) return usage(stderr, 2);
    if (npos > 1) {
        fprintf(stderr, "awaitlab tui: one trace at a time ('%s' and '%s')\n", pos[0], pos[1]);
        return 2;
    }
    const char *path = pos[0];
    if (cli_lesson_hint("tui", path)) return 2;

    aw_model_error err;
    aw_model *m = aw_model_load(path, &mo, &err);
    if (!m) {
        fprintf(stderr, "awaitlab tui: %s\n", err.message);
        return err.status == AW_TRACE_INVALID ? 1 : err.status == AW_TRACE_UNSUPPORTED ? 5 : 2;
    }
    if (aw_model_warning(m)[0]) fprintf(stderr, "awaitlab tui: warning: %s\n", aw_model_warning(m));
    int64_t at = -1;
    if (at_arg && cli_parse_where("tui", m, at_arg, &at)) {
        aw_model_free(m);
        return 2;
    }
    const char *program = aw_model_header(m)->program;
    rc = cli_view(m, program ? aw_lesson_find(program) : NULL, plain, at);
    aw_model_free(m);
    return rc;
}
