/* view_keys.h — the viewers' keys, written once: each action, the keys that do it, and its line
 * in the help.  The terminal viewer (viz/tui) and the window (viz/sdl) both look their keys up
 * here and draw their help from it, so a key never means two things: a key either does the same
 * in both, or belongs to one of them only (the window's axis, the terminal's raw log), and the
 * table says which.
 *
 * Keys are ASCII characters, or the AW_VK_* codes below for keys that type nothing.  With the
 * help open, any key closes it and does nothing else (q still quits), in both viewers. */
#ifndef AW_VIEW_KEYS_H
#define AW_VIEW_KEYS_H

#include <stddef.h>

enum {
    AW_VK_RIGHT = 0x100, AW_VK_LEFT, AW_VK_UP, AW_VK_DOWN, AW_VK_HOME, AW_VK_END, AW_VK_PAGE_UP,
    AW_VK_PAGE_DOWN, AW_VK_ESCAPE, AW_VK_CTRL_C
};

typedef enum aw_view_action {
    AW_ACT_NONE = 0,
    AW_ACT_NEXT, AW_ACT_PREV, AW_ACT_NEXT_ITER, AW_ACT_PREV_ITER, AW_ACT_NEXT_OUTPUT, AW_ACT_PREV_OUTPUT,
    AW_ACT_PLAY, AW_ACT_FASTER, AW_ACT_SLOWER, AW_ACT_START, AW_ACT_END, AW_ACT_TIME, AW_ACT_SEARCH,
    AW_ACT_C_PORT, AW_ACT_SHUTDOWN, AW_ACT_SCROLL_DOWN, AW_ACT_SCROLL_UP, AW_ACT_PAGE_DOWN, AW_ACT_PAGE_UP,
    AW_ACT_RAW_LOG, AW_ACT_AXIS, AW_ACT_FIT, AW_ACT_HELP, AW_ACT_CLOSE, AW_ACT_QUIT,
    AW_ACT__COUNT
} aw_view_action;

/* Which viewer a binding belongs to. */
enum { AW_VIEWER_TUI = 1, AW_VIEWER_SDL = 2, AW_VIEWER_BOTH = 3 };

#define AW_VIEW_KEYS_MAX 4

typedef struct aw_view_binding {
    aw_view_action action;
    int keys[AW_VIEW_KEYS_MAX];  /* 0-terminated when shorter */
    const char *keys_text;       /* as the help shows them: "right  l  n" */
    const char *help;            /* what the action does */
    unsigned viewers;            /* AW_VIEWER_* */
} aw_view_binding;

/* The action of a key in a viewer (AW_VIEWER_TUI or AW_VIEWER_SDL); AW_ACT_NONE if none. */
aw_view_action aw_view_action_of(int key, unsigned viewer);

/* The table, in the help's order. */
size_t aw_view_binding_count(void);
const aw_view_binding *aw_view_binding_at(size_t i);

/* The quiz's answers: a digit '1'..'9' is choice 0..8 (-1: not a digit).  Not in the table:
 * they mean something only while a question is up. */
int aw_view_quiz_choice(int key);

#endif /* AW_VIEW_KEYS_H */
