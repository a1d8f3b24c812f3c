/* cli_lessons.h — finding a lesson by name for the subcommands that take one (run, show, ...). */
#ifndef AW_CLI_LESSONS_H
#define AW_CLI_LESSONS_H

#include <stdbool.h>
#include <stdio.h>

#include "lessons.h"
#include "recorder.h"

/* The lesson called `name`; if there is none, prints "awaitlab CMD: unknown lesson 'NAME';
 * valid lessons: a, b, ..." to stderr and returns NULL (the caller exits with 2). */
const aw_lesson *cli_lesson_find(const char *cmd, const char *name);

/* When `arg` is no file but a lesson's name (a trace was expected), says "awaitlab CMD: NAME is
 * a lesson, not a trace file: use awaitlab step NAME" on stderr and returns true. */
bool cli_lesson_hint(const char *cmd, const char *arg);

/* Writes the lesson names separated by ", ". */
void cli_lesson_names(FILE *out);

/* Tells the recorder the lesson's source: the trace then carries the example and each event's
 * Python line (from the port's py:N tags) instead of lesson.c's lines.  false: out of memory. */
bool cli_lesson_record_source(aw_recorder *rec, const aw_lesson *l);

/* A seed picks one of the schedules a lesson is about: when seeded (a --seed, or AWAITLAB_SEED
 * set), the lesson's own variations (AW_LESSON_VARIES) go into o, each unless its AWAITLAB_VARY_*
 * variable already set it; unseeded, o keeps what it has (the default schedule). */
void cli_lesson_vary(const aw_lesson *l, aw_loop_options *o, bool seed_given);

#endif
