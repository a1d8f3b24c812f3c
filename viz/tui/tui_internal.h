/* tui_internal.h — what the terminal viewer's files share: tui_app.c (the loop, keys, prompts),
 * tui_draw.c (the panes), tui_text.c (texts, source lines, writing UTF-8 into a cell range). */
#ifndef AW_TUI_INTERNAL_H
#define AW_TUI_INTERNAL_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "tui.h"

#define TUI_MIN_W 80
#define TUI_MIN_H 24

/* A text split into lines (the lines point into buf). */
typedef struct tui_text {
    char *buf;
    char **lines;
    int n;
} tui_text;

/* Colour pairs (used only when the terminal has colours; attributes alone must read well). */
enum {
    TUI_C_TITLE = 1,
    TUI_C_HEADER,
    TUI_C_CURRENT,   /* the current event, the current source line */
    TUI_C_DIM,
    TUI_C_RUNNING,
    TUI_C_READY,
    TUI_C_WAITING,
    TUI_C_BLOCKED,
    TUI_C_DONE,
    TUI_C_FAILED,
    TUI_C_OUTPUT,
    TUI_C_PROMPT,
    TUI_C_OTHER,     /* another live task's current source line (dimmer than the current) */
    TUI_C_RIGHT,     /* quiz: a right answer */
};

/* Glyphs: Unicode on a UTF-8 terminal, ASCII otherwise. */
typedef struct tui_glyphs {
    const char *arrow;            /* "→": the await stack's links */
    const char *here;             /* "◂": a task's name at the right edge of its source line */
    const char *woken, *waker;    /* "◀", "▶": who woke whom in the task rows */
    const char *dot;              /* "·": between a marker and a task's state */
} tui_glyphs;

typedef struct tui {
    const aw_model *m;
    aw_model_state *st;
    const aw_tui_doc *doc;
    int64_t n;                    /* events */
    bool color;
    bool show_c;                  /* the C port instead of the Python example */
    bool help;                    /* the help overlay is up */
    bool playing;
    int speed;                    /* index into tui_speeds */
    char msg[256];                /* a one-shot message for the status line */
    char search[128];             /* the last search */
    tui_text py, c;               /* the doc's texts */
    tui_text disk;                /* a source file read from disk (no doc) */
    char disk_path[512];
    bool disk_tried;
    int task_scroll;              /* first task row shown */
    int64_t focus_step;           /* the step the task rows were last scrolled for */
    tui_glyphs g;
    bool raw_log;                 /* the event log's raw fields instead of the sentences */
    /* asyncio.run's shutdown, folded into one group step (the fold: fold_start..n) */
    int64_t fold_start;           /* aw_model_shutdown_step(), 0: none */
    bool folded;
    /* --quiz: at each predictable step, the question first */
    bool quiz;
    unsigned char *quiz_asked;    /* [n + 1]: steps whose question was posed (asked once) */
    int64_t asking;               /* the step whose question is up (the state is the step before) */
    aw_model_quiz q;              /* its question */
    int64_t result_step;          /* the step whose answer is shown (0: none) */
    size_t chosen;                /* the learner's choice for result_step */
    int score, asked;             /* right answers, questions answered */
} tui;

/* Whether the fold hides `step`'s own row (inside the group, before its end). */
bool tui_folded_away(const tui *t, int64_t step);
/* Whether the task created at `created_step` has a row now (shutdown's tasks are folded away). */
bool tui_task_shown(const tui *t, int64_t created_step);

extern const int tui_speeds[];    /* events per second when playing */
extern const int tui_nspeeds;

/* tui_text.c */
void tui_text_init(tui_text *t, const char *s);    /* copies s (NULL: empty) */
void tui_text_free(tui_text *t);
/* Writes s at (y, x) into exactly w cells: UTF-8 decoded, control characters shown as '?',
 * tabs as spaces, cut at w cells, padded with spaces. */
void tui_put(int y, int x, int w, const char *s, attr_t attr);
/* The width in cells of s as tui_put would draw it. */
int tui_width(const char *s);
/* Splits s into at most `max` lines of at most w cells (at spaces when it can); returns the
 * number of lines; each out[i] is a malloc'd string (caller frees). */
int tui_wrap(const char *s, int w, char **out, int max);
/* The source to show now: sets *text, *title and *line (the 1-based line to highlight, 0: none)
 * and *note (why nothing is highlighted, or NULL). */
void tui_source(tui *t, const tui_text **text, const char **title, int *line, const char **note);
/* The line of the shown source that ports (or is) line `line` of the file `file` where a task is
 * (0: not in the shown source). */
int tui_source_line_of(tui *t, const char *file, int line);

/* tui_draw.c */
void tui_draw(tui *t, const char *prompt_label, const char *prompt_text);
attr_t tui_attr(const tui *t, int pair, attr_t fallback);

#endif /* AW_TUI_INTERNAL_H */
