/* export_chrome.h — a trace in the Chrome trace event format (the JSON object with
 * "traceEvents" that Perfetto and chrome://tracing open).  Front-end agnostic: a loaded model in,
 * text out.
 *
 *     aw_export_chrome(m, stdout);                                  // the axis chosen for the trace
 *     aw_export_chrome_axis(m, AW_EXPORT_AXIS_LOGICAL, stdout);
 *
 * The axis.  On the simulated clock virtual time rarely moves while a task's step runs: most
 * steps happen at one instant and would be drawn with no width.  The logical axis gives each
 * trace event one microsecond (event N at N µs), so every step has a width; args.time keeps
 * the virtual time.  The time axis is virtual time in µs (3 decimals: nanoseconds exact), each
 * event placed at least 2 ns after the one before, so that steps at one instant still have a
 * length.  AUTO picks logical when most task steps take no virtual time, else time.  The choice
 * and what it means are in "otherData" (axis, axis_unit).
 *
 * What it writes (pid 1; tid = a task's future id, tid 0 "loop"):
 *   - metadata ("ph":"M"): process_name (the program), thread_name / thread_sort_index per task
 *     (name "Task-2 (say_after)"), and tid 0 "loop" when anything is drawn on it;
 *   - complete events ("ph":"X"): each task step (step_begin to step_end), cat "run", named in the
 *     program's words, "worker_task (line 8)": the coroutine and the line the step starts at;
 *     CPU-bound work inside a step (a busy event), cat "busy", "blocked (CPU-bound)"; each wait
 *     between steps, cat "wait", "await sleep(2)"-style names and args.on; on the loop track, the
 *     loop's own events that woke a task (a timer's future done), cat "loop";
 *   - flow events ("ph":"s" / "f", cat "wake", one id per pair, "bp":"e"): who woke whom
 *     (aw_model_cause), from the cause event (inside the causing task's step, or its loop slice)
 *     to the woken task's step;
 *   - instant events ("ph":"i", thread scope): each output line (cat "output", name and
 *     args.text the line) and each cancel request, cancel delivery and timeout expiry (cat
 *     "cancel" / "timeout", args.text the event explained in words; on the task concerned, else
 *     the requesting task, else tid 0).
 * Every event's args carry the trace steps it covers.  The same model gives the same bytes. */
#ifndef AW_EXPORT_CHROME_H
#define AW_EXPORT_CHROME_H

#include <stdio.h>

#include "trace_model.h"

typedef enum aw_export_axis {
    AW_EXPORT_AXIS_AUTO = 0,   /* logical when most task steps take no virtual time, else time */
    AW_EXPORT_AXIS_LOGICAL,    /* one microsecond per trace event */
    AW_EXPORT_AXIS_TIME,       /* virtual time (events at one instant spread 2 ns apart) */
} aw_export_axis;

/* 0, or -1 if writing failed (errno as the stream left it) or memory ran out. */
int aw_export_chrome(const aw_model *m, FILE *out);
int aw_export_chrome_axis(const aw_model *m, aw_export_axis axis, FILE *out);

#endif
