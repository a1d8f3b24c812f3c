/* cmd_step.c — `awaitlab step NAME|TRACE [--at WHERE] [--plain] [--quiz] [--seed N]`: runs a lesson on the
 * simulated clock into a temporary trace (or reads a trace file), then steps through it in the
 * terminal viewer beside the document's example (or prints the steps as plain text: with --plain,
 * or when stdin/stdout is not a terminal, so that a pipe or a script never hangs).  --at WHERE
 * opens the viewer at one step, or with --plain prints the state at that step and exits.  --quiz
 * asks the learner to predict each scheduling decision before it is shown.
 * Exit: 0 ok, 1 invalid trace, 2 usage, unknown lesson, or the trace could not be made or shown,
 * 5 unsupported trace version. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_lessons.h"
#include "cli_viewer.h"
#include "cli_open.h"
#include "cli_where.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab step NAME|TRACE [--at WHERE] [--plain] [--quiz] [--seed N]\n"
               "Runs a lesson (see `awaitlab list`) on the simulated clock, or reads a trace file, and\n"
               "steps through what happened in the terminal: the document's example with the current\n"
               "line, each task's state, the clock, the event log in plain words, and the output so\n"
               "far.  ? lists the keys.\n"
               "  --at WHERE  open at one step: a number (0..events), 'end', or output:K (the step\n"
               "              that prints the K-th output line, 1-based); with --plain (or not on a\n"
               "              terminal) print the state at that step instead: the tasks with their\n"
               "              lines and await stacks, the ready queue, the timers, the output so far\n"
               "  --plain     print every step as plain text instead (the default when not on a\n"
               "              terminal)\n"
               "  --quiz      predict the next step: at each scheduling decision, choose what\n"
               "              happens before it is shown; a score at the end (needs a terminal)\n"
               "  --seed N    the simulator's seed for a lesson (default 0; a lesson about\n"
               "              schedules switches its variations on, as `awaitlab run --seed`)\n"
               "exit: 0 ok, 1 invalid trace, 2 usage error, unknown lesson, or no usable terminal,\n"
               "      5 unsupported trace version\n");
    return rc;
}

int cmd_step(int argc, char **argv)
{
    bool plain = false, quiz = false, seed_given = false;
    uint64_t seed = 0;
    const char *at_arg = NULL;
    const cli_option opts[] = {
        {"--at", NULL, CLI_TEXT, "WHERE", &at_arg, "a step (a number, end, or output:K)"},
        {"--plain", NULL, CLI_FLAG, NULL, &plain},
        {"--quiz", NULL, CLI_FLAG, NULL, &quiz},
        {"--seed", NULL, CLI_U64, "N", &seed, "a number", 0, 0, &seed_given},
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
    struct stat sb;
    bool is_file = strcmp(name, "-") == 0 || (stat(name, &sb) == 0 && !S_ISDIR(sb.st_mode));
    aw_model *m;
    const aw_lesson *lesson;
    if (is_file) { /* a trace file: as `awaitlab tui` reads it */
        if (seed_given) {
            fprintf(stderr, "awaitlab step: --seed goes with a lesson, and %s is a trace file\n", name);
            return 2;
        }
        cli_opened op;
        int rc = cli_open_model("step", name, NULL, &op);
        if (rc) return rc;
        m = op.model;
        lesson = op.lesson;
    } else {
        lesson = cli_lesson_find("step", name);
        if (!lesson) return 2;
        m = cli_lesson_model("step", lesson, seed, seed_given); /* recorded on the sim clock */
        if (!m) return 2;
    }
    int64_t at = -1;
    if (at_arg && cli_parse_where("step", m, at_arg, &at)) {
        aw_model_free(m);
        return 2;
    }
    int rc = cli_view("step", m, lesson, plain, quiz, at);
    aw_model_free(m);
    return rc;
}
