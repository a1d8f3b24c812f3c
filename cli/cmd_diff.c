/* cmd_diff.c — `awaitlab diff A B [--context N]`: the first divergence between two traces'
 * schedules (sim/trace-format.md, "Comparing").  Exit 0 same, 1 different, 2 error.
 * argv[0] is the subcommand's name; the arguments follow.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_lessons.h"
#include "trace_diff.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab diff A B [--context N] [--schedule] [--max-line BYTES]\n"
               "Compares two traces event by event and shows the first divergence with N events\n"
               "of context (default 3) on each side.  --max-line BYTES: refuse a line longer than\n"
               "this (default 16M; K, M, G suffixes).\n"
               "  --schedule  compare them as schedules: the scheduling events and their outcomes\n"
               "              (printed text included), ids matched by creation order, source\n"
               "              lines, wall clock and source ignored (sim/trace-format.md,\n"
               "              \"Schedules\"): a CPython recording vs a C trace of one program\n"
               "exit: 0 same events (or schedule), 1 they differ, 2 error\n");
    return rc;
}

int cmd_diff(int argc, char **argv)
{
    long long context = 3;
    bool schedule = false;
    aw_trace_limits limits = {0};
    const cli_option opts[] = {
        {"--context", "-C", CLI_INT, "N", &context, "a number of events", 0, 1000000},
        {"--schedule", NULL, CLI_FLAG, NULL, &schedule},
        CLI_MAX_LINE_OPTION(&limits),
    };
    const char *files[CLI_MAX_POS];
    int nfiles, rc = cli_parse("diff", argc, argv, opts, CLI_COUNT(opts), files, CLI_MAX_POS, &nfiles);
    if (rc == CLI_HELP) return usage(stdout, 0);
    if (rc) return usage(stderr, rc);
    if (nfiles > 2) {
        fprintf(stderr, "awaitlab diff: too many files ('%s')\n", files[2]);
        return usage(stderr, 2);
    }
    if (nfiles != 2) return usage(stderr, 2);
    for (int i = 0; i < 2; i++)
        if (cli_lesson_hint("diff", files[i])) return 2;
    if (strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0) {
        fprintf(stderr, "awaitlab diff: only one of the traces can be standard input\n");
        return 2;
    }
    /* the comparison on stdout, problems on stderr (main.c checks that stdout was written) */
    if (schedule) return aw_trace_diff_schedules(files[0], files[1], (int)context, &limits, stdout, stderr);
    return aw_trace_diff_files_ex(files[0], files[1], (int)context, &limits, stdout, stderr);
}
