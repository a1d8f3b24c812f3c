/* sdl_view.h — the graphical viewer (SDL2), as the awaitlab command calls it.  Deliberately free
 * of SDL types, so that cli/ compiles without SDL's headers; everything SDL is in viz/sdl/.
 *
 * What it draws (one frame): a title bar; one lane per task (from the step it is created) over
 * steps or virtual time (see "The axis" below), coloured by the task's state, with marks for
 * timers firing, cancellations requested and delivered, timeouts expiring and output lines, and
 * arrows from each cause to the task it wakes (the current step's and the last few, fading); a
 * playhead at the current step; beside it the program's source with the current task's line
 * highlighted and the other live tasks' lines marked with their names, the output so far (each
 * line in the colour of the task that printed it, the lane names being the legend), the part of
 * the lesson's narrative the step is in; under the lanes the loop's state (the phase of the
 * iteration, the current task's await stack, the ready queue, the timers); the current event in
 * one sentence; a legend.  The part of the trace after the current step is drawn faded, so the
 * whole run stays in view (except in a quiz, which hides it).
 *
 * The axis.  x is steps (one event each) or virtual time.  The default is the step axis when
 * the steps bunch up at a few instants, the rule being: more than half of the steps shown (up
 * to asyncio.run's shutdown when it is folded) happen at an instant shared with at least 4 other
 * steps.  Then a time axis would stack them on one column and hide their order: lessons, whose
 * clock jumps from one sleep's end to the next, get the step axis, with the clock's value marked
 * where it changes; a real-clock recording gets the time axis.  `--axis` or the `a` key choose.
 *
 * Folding.  asyncio.run's shutdown (aw_model_shutdown_step() to the end: cancelling what is
 * left, shutting down async generators and the default executor) is one group step by default:
 * stepping goes over it at once, its tasks have no lanes and its steps no width.  The `x` key
 * expands it (and folds it again).
 *
 * Size.  Fonts scale with the window (1280 x 720 is scale 1; a projector's 1920 x 1080 is 1.5),
 * times --scale, changed in the window with ctrl+plus and ctrl+minus.  Panes take the room the
 * timeline does not need; long lines wrap rather than being cut.
 */
#ifndef AW_SDL_VIEW_H
#define AW_SDL_VIEW_H

#include <stdbool.h>
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
    /* The lesson's narrative.md (a numbered list of parts, each starting with a marker
     * `<!-- from output:K -->`, see lessons/README.md); the pane shows the part the current step
     * is in.  NULL: no narrative pane. */
    const char *narrative;
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
    double scale;             /* text size, times the window's own scale; 0: 1 */
    bool quiz;                /* predict the next step: at each step aw_model_quiz_at() accepts,
                                 stop before it, hide the future, ask, score the answers */
    bool expand_shutdown;     /* show asyncio.run's shutdown step by step (key x) */
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
