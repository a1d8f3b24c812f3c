/* lessons.h — the lessons: each a documentation example, its C port and a narrative.
 *
 * Each lessons/<name>/ folder holds example.py (the document's example, verbatim), source.txt
 * (which document and section), narrative.md (what happens and why, step by step), and
 * lesson.c (the C port, which ends with AW_LESSON(...)).  The build embeds the texts
 * (lessons/embed.sh generates the table), so the awaitlab command carries every lesson.
 *
 * Python line mapping: a line of lesson.c that ports a line of example.py (of program.py, when
 * the lesson has one: a fragment completed into the program the port runs) ends with a comment
 * `/ * py:N * /` (without the spaces); embed.sh collects these into line_map, so a viewer that
 * knows the C line of an event (await, print, task creation) can highlight the Python line. */
#ifndef AW_LESSONS_H
#define AW_LESSONS_H

#include <stddef.h>
#include <stdint.h>

#include "awaitlab.h"

typedef struct aw_lesson_line {
    int c_line;
    int py_line;
} aw_lesson_line;

typedef struct aw_lesson {
    const char *name;           /* "coroutines-say-after" */
    const char *summary;        /* one line, for `awaitlab list` */
    int64_t wall_start_ns;      /* the virtual wall clock at loop time 0 (Unix epoch, ns) */
    aw_coro *(*make_main)(void);/* main() of the example, as a coroutine object */
    aw_variations vary;         /* what a seed varies in this lesson (AW_LESSON_VARIES): switched on
                                   when a seed is given (`awaitlab run NAME --seed S`, explore);
                                   all 0 for a lesson about one schedule */
    /* Filled in from the folder's files by the generated table: */
    const char *source;         /* source.txt */
    const char *example_py;     /* example.py */
    const char *program_py;     /* program.py: the program the port runs when the example is a
                                   fragment (the example completed, each added line marked
                                   "# added"); "" when the example runs as it is */
    const char *narrative;      /* narrative.md */
    const char *c_port;         /* lesson.c */
    const char *c_file;         /* "lessons/<name>/lesson.c", as __FILE__ spells it */
    const aw_lesson_line *line_map;
    size_t line_map_len;
} aw_lesson;

/* The Python the port follows: program.py if the lesson has one, else example.py; and its name. */
const char *aw_lesson_python(const aw_lesson *l);
const char *aw_lesson_python_name(const aw_lesson *l);

/* Defined by each lesson.c (the generated table refers to it as lesson_<ident>_def, where ident
 * is the folder name with '-' replaced by '_'). */
typedef struct aw_lesson_def {
    const char *summary;
    int64_t wall_start_ns;
    aw_coro *(*make_main)(void);
    aw_variations vary;
} aw_lesson_def;

#define AW_LESSON(ident, summary_text, wall_start, main_name)                                  \
    static aw_coro *lesson_##ident##_make_main(void) { return AW_CALL(main_name); }            \
    const aw_lesson_def lesson_##ident##_def = {.summary = summary_text, .wall_start_ns = (wall_start), \
                                                .make_main = lesson_##ident##_make_main}

/* A lesson about the schedules a seed may give: the variations it switches on when a seed is
 * given, as aw_variations' designated initializers: AW_LESSON_VARIES(x, "...", 0, main, .cpu = 0.5). */
#define AW_LESSON_VARIES(ident, summary_text, wall_start, main_name, ...)                      \
    static aw_coro *lesson_##ident##_make_main(void) { return AW_CALL(main_name); }            \
    const aw_lesson_def lesson_##ident##_def = {.summary = summary_text, .wall_start_ns = (wall_start), \
                                                .make_main = lesson_##ident##_make_main,        \
                                                .vary = {__VA_ARGS__}}

size_t aw_lesson_count(void);
const aw_lesson *aw_lesson_at(size_t i);             /* in `awaitlab list` order */
const aw_lesson *aw_lesson_find(const char *name);   /* NULL if unknown */
/* The Python line for a C line of this lesson's port, or 0 (a line of program.py when the lesson
 * has one, else of example.py). */
int aw_lesson_py_line(const aw_lesson *l, int c_line);

#endif /* AW_LESSONS_H */
