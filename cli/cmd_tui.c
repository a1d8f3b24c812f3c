/* cmd_tui.c — `awaitlab tui TRACE [--plain]`: steps through any trace file in the terminal
 * viewer.  When the trace's program is a known lesson, the lesson's example is the source pane;
 * otherwise the source file of the current step, if it can be read from here.
 * Exit: 0 ok (a truncated or unfinished trace is shown, with a warning), 1 invalid trace,
 * 2 usage or unreadable file or no usable terminal, 5 unsupported trace version (as `validate`). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_viewer.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab tui TRACE [--plain]\n"
               "Steps through a trace (from `awaitlab run NAME --trace FILE` or AWAITLAB_TRACE=FILE) in\n"
               "the terminal: each task's state, the clock, the event log in plain words, the output so\n"
               "far, and the source line of each step.  \"-\" reads standard input.  ? lists the keys.\n"
               "  --plain   print every step as plain text instead (the default when not on a terminal)\n"
               "exit: 0 ok, 1 invalid trace, 2 usage or unreadable, 5 unsupported version\n");
    return rc;
}

int cmd_tui(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) return usage(stdout, 0);
    const char *path = NULL;
    bool plain = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--plain")) {
            plain = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "awaitlab tui: unknown option '%s'; valid options: --plain, --help\n", argv[i]);
            return 2;
        } else if (!path) {
            path = argv[i];
        } else {
            fprintf(stderr, "awaitlab tui: one trace at a time ('%s' and '%s')\n", path, argv[i]);
            return 2;
        }
    }
    if (!path) return usage(stderr, 2);

    aw_model_error err;
    aw_model *m = aw_model_load(path, NULL, &err);
    if (!m) {
        fprintf(stderr, "%s\n", err.message);
        return err.status == AW_TRACE_INVALID ? 1 : err.status == AW_TRACE_UNSUPPORTED ? 5 : 2;
    }
    if (aw_model_warning(m)[0]) fprintf(stderr, "warning: %s\n", aw_model_warning(m));
    const char *program = aw_model_header(m)->program;
    int rc = cli_view(m, program ? aw_lesson_find(program) : NULL, plain);
    aw_model_free(m);
    return rc;
}
