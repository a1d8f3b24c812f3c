/* sdl_viewer.h — what the SDL viewer's files share: the view (model, step, visible window,
 * layout, caches, interaction state) and each file's functions.  Internal to viz/sdl/.
 *
 *   sdl_main.c            aw_view_run: window loop, frame pacing, benchmark
 *   sdl_input.c           keys and mouse -> changes of the view
 *   sdl_prompt.c          the `t` and `/` prompts, messages
 *   sdl_shot.c            headless frames: software renderer on a surface, PNG, layout JSON
 *   sdl_data.c            what the view shows from the model: lanes, marks, axis, step, zoom
 *   sdl_lanes.c           lanes rasterised per pixel column, cached; runs of one state
 *   sdl_layer.c           the track as one image, redrawn only when the lanes change
 *   sdl_layout.c          where everything goes for a window size
 *   sdl_palette.c         colours and names of states and marks
 *   sdl_font.c            finding and opening the fonts
 *   sdl_text.c            text drawing with a texture cache, measuring, wrapping
 *   sdl_marks.c           the marks' shapes, and where they go
 *   sdl_draw.c            one frame: the title bar, then each part
 *   sdl_draw_timeline.c   axis, lanes, marks, playhead
 *   sdl_draw_panels.c     code, output, event sentence, legend
 *   sdl_draw_overlay.c    help and tooltip
 */
#ifndef AW_SDL_VIEWER_H
#define AW_SDL_VIEWER_H

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdbool.h>
#include <stdint.h>

#include <cJSON.h>

#include "sdl_view.h"
#include "trace_model.h"

/* ---- palette (sdl_palette.c) ----------------------------------------------------------------- */

typedef enum mark_kind {
    MARK_TIMER,          /* timer_fired: a timer's deadline passed (sleep, timeout, call_later) */
    MARK_CANCEL_REQ,     /* cancel_requested (accepted) */
    MARK_CANCEL_DELIV,   /* cancel_delivered: CancelledError thrown into the coroutine */
    MARK_TIMEOUT,        /* timeout_expired */
    MARK_OUTPUT,         /* output: a line printed */
    MARK__N
} mark_kind;

enum { COL_BG, COL_PANEL, COL_TEXT, COL_DIM, COL_GRID, COL_HILITE, COL_PLAYHEAD, COL_TITLE_BG, COL_TITLE_FG,
       COL_WARN, COL__N };

SDL_Color pal_state(aw_model_task_state s);          /* a lane's colour for the state */
SDL_Color pal_ghost(SDL_Color c);                    /* the same, faded: after the current step */
SDL_Color pal_mark(mark_kind k);
SDL_Color pal(int which);                            /* COL_* */
const char *pal_mark_name(mark_kind k);              /* "timer fired"... (legend, JSON) */
const char *pal_mark_id(mark_kind k);                /* "timer", "cancel_requested"... (JSON) */
/* The colour of a task (its output lines, its name in the code pane and the swatch before its
 * lane's name): the i-th task created gets TASK_COLOURS[i % AW_VIEW_TASK_COLOURS].  The test
 * (tests/scripts/viewcheck.py, TASK_COLOURS) holds the same table. */
#define AW_VIEW_TASK_COLOURS 8
SDL_Color pal_task(size_t i);
SDL_Color pal_arrow(void);                          /* cause -> effect arrows */
SDL_Color pal_mix(SDL_Color c, SDL_Color bg, double a);   /* c over bg at opacity a */

/* ---- fonts and text (sdl_font.c, sdl_text.c) ------------------------------------------------ */

enum { FONT_SANS, FONT_BOLD, FONT_MONO, FONT_SMALL, FONT__N };

typedef struct text_cache text_cache;

/* ---- the view -------------------------------------------------------------------------------- */

typedef struct vmark {
    int64_t step, t_ns;
    int32_t lane;        /* index into view.lanes; -1: no task (drawn on the axis) */
    uint8_t kind;        /* mark_kind */
} vmark;

/* A mark as drawn in the last frame (where the mouse finds it). */
typedef struct vdrawn {
    int x, y;
    size_t mark;         /* index into view.marks */
    size_t leader;       /* the first mark of its group (marks side by side at one instant) */
    int shift;           /* for a leader: how far its group moves left to stay in the track */
} vdrawn;

typedef struct vlayout {
    SDL_Rect title;      /* the top bar */
    SDL_Rect axis;       /* time ticks, over the track */
    SDL_Rect labels;     /* lane names, left of the track */
    SDL_Rect track;      /* the lanes: x maps to the visible window of the axis */
    SDL_Rect code, output, explain, legend;
    SDL_Rect state;      /* the loop's state: phase, await stack, ready queue, timers */
    SDL_Rect narrative;  /* the lesson's current part (h 0: none) */
    SDL_Rect quiz;       /* the question, over the explanation's place (h 0: no question) */
    int lane_h, lane_pitch;  /* a lane's height, and from one lane's top to the next */
    size_t lanes_fit;        /* lanes that fit in the track */
} vlayout;

/* The visible lanes, one state per pixel column, for the current step and view. */
typedef struct vlane_cache {
    bool valid;
    int64_t v0, v1, step;
    int cells, axis;
    size_t first, n;
    uint8_t *vivid;      /* n x cells: the state at each column up to the step (NONE after) */
    uint8_t *ghost;      /* n x cells: the same for the whole trace (faded after the step) */
    size_t cap;
    uint64_t gen;        /* +1 each time the rows change */
} vlane_cache;

/* The track (lanes, grid, playhead line, lane marks) drawn as one image in memory, uploaded as
 * one texture: redrawn only when the lanes change (step, view, size), so frames that only move
 * the mouse or the tooltip cost one copy; and one texture instead of thousands of rectangles
 * and marks keeps GPU renderers (and their software emulations) fast. */
typedef struct vlayer {
    SDL_Rect r;              /* where it goes on the screen: the track, a little wider */
    uint8_t *px;             /* r.w x r.h pixels, R,G,B,A */
    size_t cap;
    SDL_Texture *tex;
    int tw, th;              /* the texture's size */
    bool valid;
    uint64_t gen;            /* the lane rows it shows (vlane_cache.gen) */
    SDL_Rect track;          /* and the layout it was drawn for */
    int lane_h, lane_pitch;
} vlayer;

typedef struct view {
    const aw_model *m;
    aw_model_state *st;      /* at `step` */
    aw_model_state *fin;     /* at the end: what the faded future shows */
    aw_view_source src;
    int64_t count, step;
    int64_t t0;              /* the clock at the first event: times are shown from it (a real
                                clock's trace starts at CLOCK_MONOTONIC's reading, not 0) */

    int64_t *lanes;          /* task ids, creation order: one lane each */
    size_t nlanes, lane_scroll;
    vmark *marks;            /* every mark of the trace, in step order (so in time order) */
    size_t nmarks;
    vdrawn *drawn;           /* the marks the last frame drew */
    size_t ndrawn, drawn_cap;

    aw_model_axis axis;
    int64_t a0, a1;          /* the whole axis (padded) */
    int64_t v0, v1;          /* the visible window of it */

    char **code_lines;       /* the example split into lines */
    int ncode;
    char **c_lines;          /* the C port, the same way */
    int nc;

    /* the narrative's parts: part i is current from step part_from[i] on */
    char **parts;
    int64_t *part_from;
    int nparts;

    /* asyncio.run's shutdown, folded into one group step (see sdl_view.h) */
    int64_t shutdown;        /* aw_model_shutdown_step(), 0: none */
    bool folded;             /* it is folded now */
    size_t nlanes_all;       /* lanes with the shutdown's tasks; nlanes is those shown */
    int64_t *late;           /* steps of timers that fired late (aw_model_timer_late > 0) */
    size_t nlate;

    /* scale */
    double scale_user;       /* --scale and ctrl+plus/minus */
    int font_px[FONT__N];    /* the point sizes the fonts are open at */

    /* quiz (--quiz) */
    bool quiz;
    int64_t quiz_step;       /* the step asked about (the view is at the step before); 0: none */
    aw_model_quiz q;
    int quiz_pick;           /* the choice picked, -1: not yet */
    int64_t quiz_done_upto;  /* steps up to here were asked already */
    int score, asked;
    SDL_Rect choice_rect[AW_MODEL_QUIZ_CHOICES];
    SDL_Renderer *r;
    int w, h;
    TTF_Font *font[FONT__N];
    int font_h[FONT__N];     /* line heights */
    text_cache *tc;
    vlayout L;
    vlane_cache lc;
    SDL_Texture *mark_tex[MARK__N][2];   /* each mark's shape, vivid and faded, at mark_size */
    uint8_t *mark_px[MARK__N][2];        /* the same as pixels, (mark_size + 2)^2 R,G,B,A */
    int mark_size;
    vlayer layer;
    cJSON *layout;           /* while not NULL, drawing also records its geometry here (tests) */

    /* interaction */
    bool playing, help, quit;
    bool show_c;             /* the code panel shows the C port (key c) */
    char prompt;             /* 0, or the prompt being typed: 't' (jump to a time), '/' (search) */
    char prompt_buf[128];
    char search[128];        /* the last search ("/" then Enter searches again) */
    char status[200];        /* a one-line message for the user, until the next key */
    int speed;               /* events per second while playing */
    double play_acc;         /* fractional events owed to playback */
    int mx, my;              /* the mouse, if mouse_in */
    bool mouse_in;
    bool dragging, drag_moved;
    int drag_x;
    int64_t drag_v0, drag_v1;
    uint64_t frame;          /* frames drawn: the text cache ages entries with it */
} view;

/* sdl_data.c */
bool view_data_init(view *v, const aw_model *m, const aw_view_source *src);
void view_set_folded(view *v, bool folded);  /* asyncio.run's shutdown as one step, or all */
int view_part_at(const view *v, int64_t step);   /* the narrative part for a step, -1: none */
size_t view_lane_of(const view *v, int64_t task);   /* the task's lane, (size_t)-1: none */
bool view_future_hidden(const view *v);      /* a quiz hides what comes after the step */
/* Moves forward one step, or asks the quiz question first (quiz mode). */
void view_forward(view *v, int64_t to);
void quiz_answer(view *v, int choice);
void view_data_free(view *v);
void view_set_step(view *v, int64_t step);   /* clamps, seeks the state, keeps the playhead visible */
void view_fit(view *v);                      /* the whole axis */
void view_zoom(view *v, double factor, int x);   /* factor < 1 zooms in, around pixel column x */
void view_pan_to(view *v, int64_t v0, int64_t v1);
void view_set_axis(view *v, aw_model_axis axis);
int64_t view_step_pos(const view *v, int64_t step);   /* the step's position on the axis */
double view_x_of(const view *v, int64_t pos);         /* pixel x of an axis position */
int64_t view_pos_of(const view *v, int x);            /* axis position at pixel x */
int64_t view_step_at_x(const view *v, int x);         /* the step a click at x seeks to */
const char *view_lane_label(const view *v, size_t lane, char *buf, size_t size);
/* A loop time as seconds since the first event, with milliseconds ("1.000"), as `awaitlab run
 * --timestamps` prints them; `exact` keeps every digit that is not zero ("0.0005"). */
char *view_time(const view *v, int64_t t_ns, bool exact, char *buf, size_t size);

/* sdl_lanes.c */
void lanes_update(view *v);                  /* refreshes v->lc if the step or view changed */
void lanes_free(vlane_cache *lc);
/* The lane's columns as runs of one state: calls fn(ud, x0, x1, state, ghost) for each run of
 * visible lane `i` (0..lc.n-1), x in track pixels [x0, x1). */
void lanes_runs(const view *v, size_t i, void (*fn)(void *ud, int x0, int x1, int state, bool ghost), void *ud);

/* sdl_layout.c */
void view_layout(view *v);
SDL_Rect lane_rect(const view *v, size_t lane);   /* track-wide rect of a lane (h 0 if hidden) */

/* sdl_font.c */
int fonts_open(view *v);                     /* AW_VIEW_OK or AW_VIEW_NO_FONT (message printed) */
double view_scale(const view *v);            /* the window's scale times the user's */
/* Reopens the fonts if the scale changed their sizes (and clears the text cache); false if a
 * font could not be opened (the old ones are kept). */
bool fonts_rescale(view *v);
void fonts_close(view *v);

/* sdl_text.c */
text_cache *text_cache_new(void);
void text_cache_free(text_cache *tc);
void text_cache_age(view *v);                /* once a frame: drops textures unused for a while */
/* Draws s (UTF-8) with its top-left at x, y, cut at max_w pixels (0: no limit).  Returns the
 * width drawn. */
int text_draw(view *v, int font, SDL_Color c, int x, int y, const char *s, int max_w);
int text_width(view *v, int font, const char *s);
/* Breaks s into lines of at most width pixels (at spaces when possible): calls fn for each
 * line (not NUL-terminated: start and length). Returns the number of lines. */
int text_wrap(view *v, int font, const char *s, int width, void (*fn)(void *ud, const char *line, size_t len),
              void *ud);

/* sdl_draw*.c */
void view_draw(view *v);
void draw_title(view *v);
void draw_timeline(view *v);
void draw_code(view *v);
void draw_output(view *v);
void draw_explain(view *v);
void draw_legend(view *v);
void draw_state(view *v);
SDL_Color task_colour(const view *v, int64_t id);   /* pal_task of the task's lane */
/* The legend's items in rows within r.w (drawn from r's top-left when draw); returns the rows. */
int legend_walk(view *v, SDL_Rect r, bool draw);
void draw_narrative(view *v);
void draw_quiz(view *v);
void draw_arrows(view *v);
void draw_help(view *v);
void draw_tooltip(view *v);
void fill_rect(view *v, SDL_Rect r, SDL_Color c);

/* sdl_marks.c: shapes and places */
void draw_mark_shape(view *v, mark_kind k, int cx, int cy, int size, bool ghost);   /* on the renderer */
/* The shape as (size + 2)^2 R,G,B,A pixels (with its outline), or NULL. */
const uint8_t *mark_pixels(view *v, mark_kind k, int size, bool ghost);
void marks_free_textures(view *v);
int mark_size_for(int lane_h);
/* Where the visible marks go, into v->drawn: one per kind, lane and pixel column; marks at one
 * instant side by side in event order; groups kept inside the track. */
void place_marks(view *v, int size);

/* sdl_layer.c */
bool layer_begin(view *v, SDL_Rect r);       /* a cleared image for r; false: out of memory */
void layer_fill(view *v, SDL_Rect r, SDL_Color c);   /* screen coordinates, clipped */
void layer_mark(view *v, mark_kind k, int cx, int cy, int size, bool ghost);
void layer_end(view *v);                     /* uploads it */
void layer_draw(view *v);                    /* copies it to the renderer */
void layer_free(view *v);

/* sdl_data.c: marks */
/* The mark drawn under the pixel (x, y) in the last frame, or NULL. */
const vmark *view_mark_at(const view *v, int x, int y);
/* Marks whose position lies in [p0, p1] on the axis: *first and the count. */
size_t view_marks_in(const view *v, int64_t p0, int64_t p1, size_t *first);
int64_t view_mark_pos(const view *v, const vmark *mk);

/* sdl_input.c */
void view_key(view *v, SDL_Keycode key);    /* keys that type nothing: arrows, Home, End, Esc */
void view_key_mod(view *v, SDL_Keycode key, Uint16 mod);   /* the same, with ctrl: text size */
void view_char(view *v, char c);             /* typed characters (layout-independent: '?', '+', 'G') */
void view_mouse(view *v, const SDL_Event *e);
void view_play_tick(view *v, double dt);     /* playback: advances by speed * dt events */

/* sdl_main.c */
/* Everything but the renderer: model data, fonts, text cache, layout, first step.  Returns
 * AW_VIEW_OK or a status (message printed). */
int view_open(view *v, const aw_model *m, const aw_view_source *src, SDL_Renderer *r, int w, int h,
              const aw_view_options *o, int64_t at);
void view_close(view *v);
void view_resize(view *v, int w, int h);
/* Draws `frames` frames, each after moving the step and the visible window (so the lane cache
 * is rebuilt every frame, as in playback with zooming), and prints the frame times. */
void view_bench(view *v, int frames, const char *what);

/* sdl_prompt.c: the one-line prompts of `t` and `/`, and messages */
void view_say(view *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void prompt_open(view *v, char which);
bool prompt_key(view *v, SDL_Keycode key);   /* true if the prompt took the key */
bool prompt_char(view *v, char c);           /* true if the prompt took the character */
const char *prompt_label(const view *v);

/* sdl_shot.c */
SDL_Surface *shot_surface(int w, int h);      /* RGBA32, for a software renderer */
int shot_write_png(view *v, const char *path); /* reads the renderer's pixels */
int shot_write_layout(view *v, const char *path);
/* Draws the current frame and saves it as PNG (and its geometry as JSON if layout_path). */
int shot_frame(view *v, const char *png_path, const char *layout_path);
int shot_run(const aw_model *m, const aw_view_source *src, const aw_view_options *o);

#endif /* AW_SDL_VIEWER_H */
