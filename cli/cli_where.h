/* cli_where.h — the WHERE of `--at WHERE` (awaitlab step, tui, view): one step of a loaded trace,
 * spelled as a step number (0 to the number of events), `end`, or `output:K` (the step that
 * prints the K-th output line, 1-based). */
#ifndef AW_CLI_WHERE_H
#define AW_CLI_WHERE_H

#include <stdint.h>

#include "trace_model.h"

/* 0 with *step set, or 2 (a usage error) after "awaitlab CMD: --at: ..." on stderr naming the
 * valid range: "--at: output:9 but the trace printed 5 lines (output:1 to output:5)". */
int cli_parse_where(const char *cmd, const aw_model *m, const char *arg, int64_t *step);

#endif
