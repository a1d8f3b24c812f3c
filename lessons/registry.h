/* registry.h — what the generated table (build/gen/lesson_texts.c, by lessons/embed.sh) defines
 * and lessons/registry.c turns into the aw_lesson list of lessons.h.  Internal to lessons/. */
#ifndef AW_LESSONS_REGISTRY_H
#define AW_LESSONS_REGISTRY_H

#include "lessons.h"

/* One lesson folder: its AW_LESSON definition and its embedded files. */
typedef struct aw_lesson_entry {
    const char *name;
    const aw_lesson_def *def;
    const char *source, *example_py, *program_py, *narrative, *c_port;
    const char *c_file;
    const aw_lesson_line *line_map; /* sorted by c_line; a lone {0, 0} when there is no tag */
    size_t line_map_len;
} aw_lesson_entry;

extern const aw_lesson_entry aw__lesson_entries[];
extern const size_t aw__lesson_entry_count;

#endif
