/* model_source.c — the program's source and where each step is in it: the line an event comes
 * from, and the line the viewers highlight (the focus). */
#include <string.h>

#include "model_internal.h"

const char *aw_model_source(const aw_model *m) { return m->source; }
const char *aw_model_source_file(const aw_model *m) { return m->header.source_file; }

/* Only lines of the program's own source count (the file a trace leaves null). */
static int line_of(const aw_model *m, const aw_model_event *ev)
{
    if (ev->line == AW_MODEL_NULL || ev->line <= 0 || ev->line > INT32_MAX || !ev->file) return 0;
    return strcmp(ev->file, m->source_file) == 0 ? (int)ev->line : 0;
}

int aw_model_event_line(const aw_model *m, int64_t step)
{
    aw_model_event ev;
    return aw__mstore_get(&m->store, step, &ev) ? line_of(m, &ev) : 0;
}

bool aw_model_focus(const aw_model_state *st, int64_t *task, int *line, bool *own_line)
{
    const aw_model *m = st->m;
    aw_model_event ev;
    *task = 0;
    *line = 0;
    *own_line = false;
    if (st->step < 1 || !aw__mstore_get(&m->store, st->step, &ev)) return false;
    /* the task the step concerns: the one whose code runs, else the one the event is about */
    int64_t who = st->running ? st->running : ev.task ? ev.task : ev.kind == AW_TK_FUTURE_DONE ? ev.future : 0;
    if (ev.kind == AW_TK_STEP_END || ev.kind == AW_TK_STEP_BEGIN) who = ev.task;
    *task = who;
    if ((*line = line_of(m, &ev))) return *own_line = true;
    aw_model_task t;
    if (who && aw_model_task_get(st, who, &t) && t.file && !strcmp(t.file, m->source_file)) *line = t.line;
    /* the loop acting between steps: stay on the line the program was last at */
    const char *file;
    if (!*line && !who && aw_model_location(st, m->source_file, &file, line)) return true;
    return *line > 0;
}
