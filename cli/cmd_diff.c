/* cmd_diff.c — `awaitlab diff A B [--context N]`: the first divergence between two traces'
 * schedules (sim/trace-format.md, "Comparing").  Exit 0 same, 1 different, 2 error.
 * argv[0] is the subcommand's name; the arguments follow.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_diff.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab diff A B [--context N]\n"
               "Compares two traces event by event and shows the first divergence with N events\n"
               "of context (default 3) on each side.\n"
               "exit: 0 same events, 1 they differ, 2 error\n");
    return rc;
}

static int parse_context(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < 0 || v > 1000000) {
        fprintf(stderr, "awaitlab diff: --context: expected a number of events (0 or more), got '%s'\n", s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int cmd_diff(int argc, char **argv)
{
    const char *files[2];
    int nfiles = 0, context = 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) return usage(stdout, 0);
        if (strcmp(a, "--context") == 0 || strcmp(a, "-C") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "awaitlab diff: %s needs a number\n", a);
                return usage(stderr, 2);
            }
            if (parse_context(argv[++i], &context) < 0) return 2;
        } else if (strncmp(a, "--context=", 10) == 0) {
            if (parse_context(a + 10, &context) < 0) return 2;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "awaitlab diff: unknown option '%s'\n", a);
            return usage(stderr, 2);
        } else if (nfiles < 2) {
            files[nfiles++] = a;
        } else {
            fprintf(stderr, "awaitlab diff: too many files ('%s')\n", a);
            return usage(stderr, 2);
        }
    }
    if (nfiles != 2) return usage(stderr, 2);
    if (strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0) {
        fprintf(stderr, "awaitlab diff: only one of the traces can be standard input\n");
        return 2;
    }
    int rc = aw_trace_diff_files(files[0], files[1], context, stdout);
    fflush(stdout);
    return rc;
}
