/* sdl_view.h — the graphical viewer (SDL2), as the awaitlab command calls it.  Deliberately free
 * of SDL types, so that cli/ compiles without SDL's headers; everything SDL is in viz/sdl/.
 *
 * What it draws (one frame): a title bar; one lane per task over virtual time (or over steps,
 * when the whole trace happens at one instant), coloured by the task's state, with marks for
 * timers firing, cancellations requested and delivered, timeouts expiring and output lines; a
 * playhead at the current step; beside it the document's example with the current line
 * highlighted and the output so far; under it the current event in one sentence; a legend.
 * The part of the trace after the current step is drawn faded, so the whole run stays in view.
 */
#ifndef AW_SDL_VIEW_H
#define AW_SDL_VIEW_H

#include <stdint.h>

#include "trace_model.h"

/* The document shown beside the timeline (all optional). */
typedef struct aw_view_source {
    const char *title;      /* shown in the title bar (e.g. the lesson's name); NULL: the trace's */
    const char *code;       /* the example's text (Python), or NULL: no code panel */
    const char *code_name;  /* its caption, e.g. "example.py" */
    /* The current code line is the trace's own (aw_model_focus).  The C port (named code_file),
     * shown instead of the example with the `c` key, highlights c_line_of(ud, line): the C line
     * that ports it (0: none).  NULL: no C view. */
    const char *code_file;
    int (*c_line_of)(const void *ud, int py_line);
    const void *ud;
    const char *c_code;
} aw_view_source;

typedef struct aw_view_options {
    int width, height;        /* window or image size; 0: 1280 x 720 */
    int64_t at;               /* the first step shown; -1: 0 in a window, the end in a screenshot */
    int axis;                 /* AW_VIEW_AXIS_*: what x means */
    const char *screenshot;   /* render one frame to this PNG with no display, and return */
    const char *layout_json;  /* with screenshot: write the frame's geometry (lanes, runs and their
                                 colours, marks, playhead) here, for tests */
    int bench_frames;         /* > 0: render this many frames, each after a change of step and
                                 view (so nothing is served from the caches), print the frame
                                 times, and return (window or screenshot mode) */
} aw_view_options;

enum { AW_VIEW_AXIS_AUTO = 0, AW_VIEW_AXIS_TIME, AW_VIEW_AXIS_STEP };

/* Exit statuses of aw_view_run (and of `awaitlab view`). */
/* (1, 2 and 5 are the trace-reading statuses of `awaitlab validate` and `awaitlab tui`, which
 * cli/ returns before the viewer runs.) */
enum { AW_VIEW_OK = 0, AW_VIEW_USAGE = 2, AW_VIEW_NO_FONT = 6, AW_VIEW_SDL = 7, AW_VIEW_WRITE = 8 };

/* Shows the model (window) or renders it (screenshot).  Messages go to stderr, prefixed with
 * "awaitlab view: ".  Returns one of the statuses above.
 *
 * Environment: AWAITLAB_FONT=FILE.ttf draws all text with that font (default: DejaVu Sans and
 * DejaVu Sans Mono from /usr/share/fonts/truetype/dejavu/); AWAITLAB_VIEW_SHOTS=DIR makes a
 * window save each frame it draws (it draws when something changed: input, playback) as
 * DIR/frame-NNNN.png and DIR/frame-NNNN.json, the layout (the real-window tests read them). */
int aw_view_run(const aw_model *m, const aw_view_source *src, const aw_view_options *opts);

#endif /* AW_SDL_VIEW_H */
