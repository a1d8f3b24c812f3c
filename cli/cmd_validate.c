/* cmd_validate.c — `awaitlab validate [-q] TRACE...`: checks traces against
 * sim/trace-format.md.  Exit status (the first file that is not fine decides):
 *   0 valid and complete, 1 invalid, 2 usage or unreadable, 3 truncated (last line cut),
 *   4 unfinished (no loop_close), 5 unsupported version.
 * argv[0] is the subcommand's name; the arguments follow.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_lessons.h"
#include "trace_model.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab validate [-q] [--max-line BYTES] TRACE...\n"
               "Checks each trace against sim/trace-format.md and reports the first problem as\n"
               "FILE:LINE: field 'x': reason.  \"-\" reads standard input.\n"
               "  -q, --quiet       print nothing for valid traces\n"
               "  --max-line BYTES  refuse a line longer than this (default 16M; K, M, G suffixes)\n"
               "exit: 0 valid, 1 invalid, 2 usage/unreadable, 3 truncated, 4 unfinished,\n"
               "      5 unsupported version\n");
    return rc;
}

int cmd_validate(int argc, char **argv)
{
    bool quiet = false;
    aw_model_options mo = {0};
    const cli_option opts[] = {
        {"--quiet", "-q", CLI_FLAG, NULL, &quiet},
        CLI_MAX_LINE_OPTION(&mo.limits),
    };
    const char *pos[CLI_MAX_POS];
    int npos, rc = cli_parse("validate", argc, argv, opts, CLI_COUNT(opts), pos, CLI_MAX_POS, &npos);
    if (rc == CLI_HELP) return usage(stdout, 0);
    if (rc) return usage(stderr, rc);
    if (npos == 0) return usage(stderr, 2);

    for (int i = 0; i < npos; i++) {
        /* The viewers' own loader: validate accepts exactly what tui, view and export load. */
        aw_model_error err;
        aw_model *m = aw_model_load(pos[i], &mo, &err);
        if (!m && cli_lesson_hint("validate", pos[i])) {
            if (rc == 0) rc = 2;
            continue;
        }
        aw_trace_status st = m ? aw_model_status(m) : err.status;
        switch (st) {
        case AW_TRACE_OK:
            if (!quiet) printf("%s: ok, %lld events\n", pos[i], (long long)aw_model_event_count(m));
            break;
        case AW_TRACE_TRUNCATED:
        case AW_TRACE_UNFINISHED:
            /* incomplete, not invalid (a killed program's trace); a trace cut inside its header
             * has no model, only the loader's message */
            fprintf(stderr, "awaitlab validate: warning: %s\n", m ? aw_model_warning(m) : err.message);
            break;
        default:
            fprintf(stderr, "awaitlab validate: %s\n", err.message);
            break;
        }
        aw_model_free(m);
        if (st != AW_TRACE_OK && rc == 0) rc = (int)st;
    }
    return rc;
}
