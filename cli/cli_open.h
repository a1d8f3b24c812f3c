/* cli_open.h — the TRACE|NAME argument of the viewers (`awaitlab view`, and any front end that
 * takes either): a trace file, or a lesson that is first run on the simulated clock into a
 * temporary trace.  Front-end agnostic: it returns a loaded model and, when the trace is a
 * lesson's, the lesson (for its Python example and the C-line -> Python-line map). */
#ifndef AW_CLI_OPEN_H
#define AW_CLI_OPEN_H

#include "lessons.h"
#include "trace_model.h"

typedef struct cli_opened {
    aw_model *model;           /* free with aw_model_free() */
    const aw_lesson *lesson;   /* the lesson run, or the one the trace's header names; or NULL */
} cli_opened;

/* `arg` is an existing file: it is loaded as a trace.  Otherwise it names a lesson, which runs
 * on the sim clock (seed AWAITLAB_SEED or 0, output and warnings not printed: they are in the trace).  Returns 0,
 * or after printing "awaitlab CMD: ..." to stderr an exit status as `awaitlab validate` and
 * `awaitlab tui` use them: 1 a malformed trace, 2 unknown lesson or unreadable file, 5 an
 * unsupported trace version.  A truncated or unfinished trace loads (the warning is printed).
 * limits (may be NULL) bound what a trace file may cost (--max-line). */
int cli_open_model(const char *cmd, const char *arg, const aw_trace_limits *limits, cli_opened *out);

/* Runs a lesson on the sim clock with the given seed and loads its trace (never written to a
 * named file).  seed_given: the seed was asked for, so the lesson's variations are on, as in
 * `awaitlab run NAME --seed S` (cli_lesson_vary).  NULL after printing "awaitlab CMD: ..." if the
 * trace cannot be made or read. */
aw_model *cli_lesson_model(const char *cmd, const aw_lesson *lesson, uint64_t seed, bool seed_given);

/* The first C line of the lesson's port that ports line py_line of its example, or 0.  The shape
 * of a line-mapping callback that viewers outside cli/ can take (ud: the aw_lesson). */
int cli_lesson_c_line(const void *lesson, int py_line);

#endif
