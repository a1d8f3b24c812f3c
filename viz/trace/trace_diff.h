/* trace_diff.h — the first place where two traces' schedules differ (sim/trace-format.md,
 * "Comparing").  The C face of `awaitlab diff`, for regression tests:
 *
 *     ck_assert_int_eq(aw_trace_diff_files("expected.trace", "got.trace", 3, stderr), 0);
 */
#ifndef AW_TRACE_DIFF_H
#define AW_TRACE_DIFF_H

#include <stdio.h>

#include "trace_read.h"

enum { AW_DIFF_SAME = 0, AW_DIFF_DIFFERENT = 1, AW_DIFF_ERROR = 2 };

/* Compares the events of traces a and b.  Prints to `out` (may be NULL: silent) the first
 * divergence with `context` events before it (common to both) and after it (from each), or a
 * one-line summary when they are the same.  Errors (unreadable, invalid, unsupported version)
 * are printed to `out` too.  Returns AW_DIFF_SAME, AW_DIFF_DIFFERENT or AW_DIFF_ERROR. */
int aw_trace_diff_files(const char *a, const char *b, int context, FILE *out);
/* The same, with the readers' limits (may be NULL) and errors to `err` (may be NULL: to `out`),
 * each as one line "awaitlab diff: reason". */
int aw_trace_diff_files_ex(const char *a, const char *b, int context, const aw_trace_limits *limits, FILE *out,
                           FILE *err);

/* The same comparison, of the two traces' schedules (sim/trace-format.md, "Schedules"): the
 * scheduling events and their outcomes, ids matched by creation order, source locations and
 * the header's wall clock and source ignored.  Prints "same schedule (N events)" or the first
 * divergence with `context` schedule events on each side.  Same return codes. */
int aw_trace_diff_schedules(const char *a, const char *b, int context, const aw_trace_limits *limits, FILE *out,
                            FILE *err);

#endif /* AW_TRACE_DIFF_H */
