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

/* Writes the lesson names separated by ", ". */
void cli_lesson_names(FILE *out);

/* Tells the recorder the lesson's source: the trace then carries the example and each event's
 * Python line (from the port's py:N tags) instead of lesson.c's lines.  false: out of memory. */
bool cli_lesson_record_source(aw_recorder *rec, const aw_lesson *l);

#endif
