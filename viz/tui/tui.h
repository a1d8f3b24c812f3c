/* tui.h — the terminal viewer (ncurses): steps through a trace model beside the document's
 * example.  A thin front end over trace_model.h; it knows nothing of lessons or core, so the
 * caller (cli/cmd_step.c, cli/cmd_tui.c) hands it the texts to show.
 *
 * Panes: the source (the document's Python example, the C port on `c`) with the line of the
 * current step highlighted; one row per task with its state and a lane over virtual time; the
 * clock and loop iteration (title bar); the event log with the current event and its sentence;
 * the output so far.  `?` lists the keys.
 */
#ifndef AW_TUI_H
#define AW_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_model.h"

typedef struct aw_tui_line {
    int c_line, py_line;          /* this line of the C port ports that line of the example */
} aw_tui_line;

/* What to show beside the trace.  Every field may be NULL / 0. */
typedef struct aw_tui_doc {
    const char *title;            /* the lesson's name */
    const char *python;           /* the document's example */
    const char *c_source;         /* the C port */
    const char *c_file;           /* the C port's path as trace locations spell it */
    const aw_tui_line *line_map;  /* sorted by c_line */
    size_t line_map_len;
    int64_t start_step;           /* the step the viewer opens at (0: the start) */
} aw_tui_doc;

/* true when standard input and output are both terminals: the viewer can run. */
bool aw_tui_available(void);

/* Runs the viewer until the user quits.  With no doc (or no texts), the source pane shows the
 * file of the current location when it can be read from the working directory.  Returns 0;
 * 2 if the terminal is unknown or memory runs out (a message is printed); 3 if the terminal
 * cannot move its cursor (TERM=dumb: nothing is drawn, the caller may print text instead). */
int aw_tui_run(const aw_model *m, const aw_tui_doc *doc);

#endif /* AW_TUI_H */
