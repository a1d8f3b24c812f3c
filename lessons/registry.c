/* registry.c — the lessons of lessons.h, from the generated table (see lessons/embed.sh).
 *
 * The generated file cannot put a lesson's summary or main() into a static aw_lesson: they live
 * in the lesson's own lesson.c (its AW_LESSON), and C initializers cannot read another file's
 * constants.  So the table holds a pointer to each definition, and the aw_lesson list is filled
 * from both once, on first use. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

static aw_lesson *lessons;
static pthread_once_t lessons_once = PTHREAD_ONCE_INIT;

static void lessons_fill(void)
{
    size_t n = aw__lesson_entry_count;
    lessons = calloc(n ? n : 1, sizeof *lessons);
    if (!lessons) abort();
    for (size_t i = 0; i < n; i++) {
        const aw_lesson_entry *e = &aw__lesson_entries[i];
        lessons[i] = (aw_lesson){
            .name = e->name,
            .summary = e->def->summary,
            .wall_start_ns = e->def->wall_start_ns,
            .make_main = e->def->make_main,
            .vary = e->def->vary,
            .source = e->source,
            .example_py = e->example_py,
            .program_py = e->program_py,
            .narrative = e->narrative,
            .c_port = e->c_port,
            .c_file = e->c_file,
            .line_map = e->line_map,
            .line_map_len = e->line_map[0].c_line ? e->line_map_len : 0,
        };
    }
}

size_t aw_lesson_count(void) { return aw__lesson_entry_count; }

const aw_lesson *aw_lesson_at(size_t i)
{
    if (i >= aw__lesson_entry_count) return NULL;
    pthread_once(&lessons_once, lessons_fill);
    return &lessons[i];
}

const aw_lesson *aw_lesson_find(const char *name)
{
    for (size_t i = 0; name && i < aw__lesson_entry_count; i++)
        if (strcmp(aw__lesson_entries[i].name, name) == 0) return aw_lesson_at(i);
    return NULL;
}

int aw_lesson_py_line(const aw_lesson *l, int c_line)
{
    /* The map is in C line order (embed.sh reads lesson.c top to bottom): binary search. */
    size_t lo = 0, hi = l ? l->line_map_len : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->line_map[mid].c_line < c_line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < (l ? l->line_map_len : 0) && l->line_map[lo].c_line == c_line ? l->line_map[lo].py_line : 0;
}

const char *aw_lesson_python(const aw_lesson *l) { return *l->program_py ? l->program_py : l->example_py; }
const char *aw_lesson_python_name(const aw_lesson *l) { return *l->program_py ? "program.py" : "example.py"; }
