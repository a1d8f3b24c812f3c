/* export_chrome.h — a trace in the Chrome trace event format (the JSON object with
 * "traceEvents" that Perfetto and chrome://tracing open).  Front-end agnostic: a loaded model in,
 * text out.
 *
 *     aw_export_chrome(m, stdout);
 *
 * What it writes (pid 1; times are virtual time in microseconds, with 3 decimals, so nanoseconds
 * are exact):
 *   - metadata ("ph":"M"): process_name (the program), thread_name / thread_sort_index per task
 *     (tid = the task's future id; name "Task-2 (say_after)"), and tid 0 "loop" when something
 *     happens outside any task;
 *   - complete events ("ph":"X") for each task's segments: cat "run" for running and blocked
 *     (CPU-bound work holding the loop), cat "wait" for waiting on a future (args.on says which);
 *     ready / created / final states are not drawn;
 *   - instant events ("ph":"i", thread scope): each output line (cat "output", name and
 *     args.text the line) and each cancel request, cancel delivery and timeout expiry (cat
 *     "cancel" / "timeout", args.text the event explained in words; on the task concerned, else
 *     the requesting task, else tid 0).
 * Every event's args carry the trace steps it covers.  The same model gives the same bytes. */
#ifndef AW_EXPORT_CHROME_H
#define AW_EXPORT_CHROME_H

#include <stdio.h>

#include "trace_model.h"

/* 0, or -1 if writing failed (errno as the stream left it) or memory ran out. */
int aw_export_chrome(const aw_model *m, FILE *out);

#endif
