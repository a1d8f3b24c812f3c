/* cli_where.c — see cli_where.h. */
#include "cli_where.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole number made of digits only (no sign, no spaces), or false. */
static bool digits(const char *s, long long *out)
{
    if (!*s || strspn(s, "0123456789") != strlen(s)) return false;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE) return false;
    *out = v;
    return true;
}

int cli_parse_where(const char *cmd, const aw_model *m, const char *arg, int64_t *step)
{
    int64_t count = aw_model_event_count(m);
    size_t lines = aw_model_output_count(m, count);
    long long v;
    if (strcmp(arg, "end") == 0) {
        *step = count;
        return 0;
    }
    if (strncmp(arg, "output:", 7) == 0) {
        aw_model_output o;
        if (digits(arg + 7, &v) && v >= 1 && (unsigned long long)v <= lines && aw_model_output_at(m, (size_t)v - 1, &o)) {
            *step = o.step;
            return 0;
        }
        if (!lines)
            fprintf(stderr, "awaitlab %s: --at: %s but the trace printed no lines (use a step from 0 to %lld, or 'end')\n",
                    cmd, arg, (long long)count);
        else if (digits(arg + 7, &v))
            fprintf(stderr, "awaitlab %s: --at: %s but the trace printed %zu line%s (output:1 to output:%zu)\n", cmd, arg,
                    lines, lines == 1 ? "" : "s", lines);
        else
            fprintf(stderr, "awaitlab %s: --at: expected output:K with K from 1 to %zu (the K-th line printed), got '%s'\n",
                    cmd, lines, arg);
        return 2;
    }
    if (digits(arg, &v) && v <= count) {
        *step = v;
        return 0;
    }
    fprintf(stderr, "awaitlab %s: --at: expected a step from 0 to %lld (the trace has %lld events), 'end'", cmd,
            (long long)count, (long long)count);
    if (lines) fprintf(stderr, " or output:K (K from 1 to %zu)", lines);
    fprintf(stderr, ", got '%s'\n", arg);
    return 2;
}
