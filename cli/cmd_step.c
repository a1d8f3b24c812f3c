/* cmd_step.c — `awaitlab step NAME [--plain] [--quiz] [--seed N]`: runs a lesson on the simulated clock
 * into a temporary trace, then steps through it in the terminal viewer beside the document's
 * example (or prints the steps as plain text: with --plain, or when stdin/stdout is not a
 * terminal, so that a pipe or a script never hangs).
 * Exit: 0 ok, 2 usage, unknown lesson, or the trace could not be made or shown. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_lessons.h"
#include "cli_viewer.h"
#include "cli_open.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab step NAME [--plain] [--quiz] [--seed N]\n"
               "Runs a lesson (see `awaitlab list`) on the simulated clock and steps through what\n"
               "happened in the terminal: the document's example with the current line, each task's\n"
               "state, the clock, the event log in plain words, and the output so far.  ? lists the keys.\n"
               "  --plain   print every step as plain text instead (the default when not on a terminal)\n"
               "  --quiz    predict the next step: at each scheduling decision, choose what happens\n"
               "            before it is shown; a score at the end (needs a terminal)\n"
               "  --seed N  the simulator's seed (default 0)\n"
               "exit: 0 ok, 2 usage error, unknown lesson, or no usable terminal\n");
    return rc;
}

int cmd_step(int argc, char **argv)
{
    bool plain = false, quiz = false;
    uint64_t seed = 0;
    const cli_option opts[] = {
        {"--plain", NULL, CLI_FLAG, NULL, &plain},
        {"--quiz", NULL, CLI_FLAG, NULL, &quiz},
        {"--seed", NULL, CLI_U64, "N", &seed, "a number"},
    };
    const char *pos[CLI_MAX_POS];
    int npos, prc = cli_parse("step", argc, argv, opts, CLI_COUNT(opts), pos, CLI_MAX_POS, &npos);
    if (prc == CLI_HELP) return usage(stdout, 0);
    if (prc) return prc;
    if (npos > 1) {
        fprintf(stderr, "awaitlab step: one lesson at a time ('%s' and '%s')\n", pos[0], pos[1]);
        return 2;
    }
    const char *name = npos ? pos[0] : NULL;
    if (!name) {
        fprintf(stderr, "awaitlab step: which lesson? valid lessons: ");
        cli_lesson_names(stderr);
        fprintf(stderr, "\n");
        return 2;
    }
    const aw_lesson *lesson = cli_lesson_find("step", name);
    if (!lesson) return 2;

    aw_model *m = cli_lesson_model("step", lesson, seed); /* recorded on the sim clock */
    if (!m) return 2;
    int rc = cli_view("step", m, lesson, plain, quiz);
    aw_model_free(m);
    return rc;
}
