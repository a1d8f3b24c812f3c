/* cli_viewer.c — see cli_viewer.h.  The viewer lives in viz/ and knows nothing of lessons, so the
 * lesson's texts and line map are handed over here. */
#include "cli_viewer.h"

#include <stdio.h>
#include <stdlib.h>

#include "tui.h"

/* The listing, or with a step the state at it. */
static int print_text(const aw_model *m, int64_t at)
{
    if (at < 0) {
        aw_model_print_listing(m, stdout);
        return 0;
    }
    aw_model_state *st = aw_model_state_new(m);
    if (!st || aw_model_seek(st, at) < 0) {
        aw_model_state_free(st);
        fprintf(stderr, "awaitlab: out of memory\n");
        return 2;
    }
    aw_model_print_snapshot(st, stdout);
    aw_model_state_free(st);
    return 0;
}

int cli_view(const aw_model *m, const aw_lesson *lesson, bool plain, int64_t at)
{
    if (plain || !aw_tui_available()) return print_text(m, at);
    aw_tui_doc doc = {0};
    aw_tui_line *map = NULL;
    doc.python = aw_model_source(m); /* the program the trace ran, as the trace carries it */
    if (lesson) {
        doc.title = lesson->name;
        if (!doc.python) doc.python = aw_lesson_python(lesson);
        doc.c_source = lesson->c_port;
        doc.c_file = lesson->c_file;
        map = calloc(lesson->line_map_len ? lesson->line_map_len : 1, sizeof *map);
        if (map) {
            for (size_t i = 0; i < lesson->line_map_len; i++)
                map[i] = (aw_tui_line){lesson->line_map[i].c_line, lesson->line_map[i].py_line};
            doc.line_map = map;
            doc.line_map_len = lesson->line_map_len;
        }
    }
    doc.start_step = at > 0 ? at : 0;
    int rc = aw_tui_run(m, lesson || doc.python || at > 0 ? &doc : NULL);
    free(map);
    if (rc == 3) { /* a terminal that cannot draw panes: the steps as text */
        fprintf(stderr, "awaitlab: this terminal cannot move its cursor; printing the steps instead\n");
        rc = print_text(m, at);
    }
    return rc;
}
