/* cmd_validate.c — `awaitlab validate [-q] TRACE...`: checks traces against
 * sim/trace-format.md.  Exit status (the first file that is not fine decides):
 *   0 valid and complete, 1 invalid, 2 usage or unreadable, 3 truncated (last line cut),
 *   4 unfinished (no loop_close), 5 unsupported version.
 * argv[0] is the subcommand's name; the arguments follow.
 */
#include <stdio.h>
#include <string.h>

#include "trace_model.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab validate [-q] TRACE...\n"
               "Checks each trace against sim/trace-format.md and reports the first problem as\n"
               "FILE:LINE: field 'x': reason.  \"-\" reads standard input.\n"
               "  -q  print nothing for valid traces\n"
               "exit: 0 valid, 1 invalid, 2 usage/unreadable, 3 truncated, 4 unfinished,\n"
               "      5 unsupported version\n");
    return rc;
}

int cmd_validate(int argc, char **argv)
{
    int quiet = 0, first = 1, rc = 0;
    for (; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
        if (strcmp(argv[first], "--") == 0) {
            first++;
            break;
        }
        if (strcmp(argv[first], "-q") == 0 || strcmp(argv[first], "--quiet") == 0) quiet = 1;
        else if (strcmp(argv[first], "-h") == 0 || strcmp(argv[first], "--help") == 0) return usage(stdout, 0);
        else {
            fprintf(stderr, "awaitlab validate: unknown option '%s'\n", argv[first]);
            return usage(stderr, 2);
        }
    }
    if (first >= argc) return usage(stderr, 2);

    for (int i = first; i < argc; i++) {
        /* The viewers' own loader: validate accepts exactly what tui, view and export load. */
        aw_model_error err;
        aw_model *m = aw_model_load(argv[i], NULL, &err);
        aw_trace_status st = m ? aw_model_status(m) : err.status;
        switch (st) {
        case AW_TRACE_OK:
            if (!quiet) printf("%s: ok, %lld events\n", argv[i], (long long)aw_model_event_count(m));
            break;
        case AW_TRACE_TRUNCATED:
        case AW_TRACE_UNFINISHED:
            fprintf(stderr, "warning: %s\n", aw_model_warning(m));
            break;
        default:
            fprintf(stderr, "%s\n", err.message);
            break;
        }
        aw_model_free(m);
        if (st != AW_TRACE_OK && rc == 0) rc = (int)st;
    }
    return rc;
}
