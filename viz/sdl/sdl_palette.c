/* sdl_palette.c — the viewer's colours, in one place so that the legend, the lanes and the
 * layout JSON (which tests check against the PNG's pixels) cannot disagree.
 *
 * Lane states are told apart by hue and lightness both (running green, ready yellow, waiting pale
 * blue, blocked purple, done dark grey, failed red, cancelled orange), so that most colour-blind
 * readers can still separate the common ones; marks are dark shapes of different forms. */
#include "sdl_viewer.h"

SDL_Color pal_state(aw_model_task_state s)
{
    switch (s) {
    case AW_MODEL_CREATED: return (SDL_Color){205, 205, 205, 255};
    case AW_MODEL_READY: return (SDL_Color){244, 200, 66, 255};
    case AW_MODEL_RUNNING: return (SDL_Color){46, 160, 67, 255};
    case AW_MODEL_BLOCKED: return (SDL_Color){142, 68, 173, 255};
    case AW_MODEL_WAITING: return (SDL_Color){158, 196, 232, 255};
    case AW_MODEL_DONE: return (SDL_Color){96, 100, 108, 255};
    case AW_MODEL_FAILED: return (SDL_Color){200, 30, 45, 255};
    case AW_MODEL_CANCELLED: return (SDL_Color){236, 112, 32, 255};
    default: return pal(COL_BG);
    }
}

/* A third of the colour over the background: clearly "not yet", still recognisable. */
SDL_Color pal_ghost(SDL_Color c)
{
    SDL_Color b = pal(COL_BG);
    return (SDL_Color){(Uint8)((c.r + 2 * b.r) / 3), (Uint8)((c.g + 2 * b.g) / 3), (Uint8)((c.b + 2 * b.b) / 3),
                       255};
}

SDL_Color pal_mark(mark_kind k)
{
    switch (k) {
    case MARK_TIMER: return (SDL_Color){0, 105, 120, 255};
    case MARK_CANCEL_REQ: return (SDL_Color){190, 0, 20, 255};
    case MARK_CANCEL_DELIV: return (SDL_Color){190, 0, 20, 255};
    case MARK_TIMEOUT: return (SDL_Color){150, 70, 0, 255};
    case MARK_OUTPUT: return (SDL_Color){25, 55, 190, 255};
    default: return pal(COL_TEXT);
    }
}

SDL_Color pal(int which)
{
    switch (which) {
    case COL_BG: return (SDL_Color){250, 250, 247, 255};
    case COL_PANEL: return (SDL_Color){240, 240, 236, 255};
    case COL_TEXT: return (SDL_Color){28, 28, 30, 255};
    case COL_DIM: return (SDL_Color){120, 120, 125, 255};
    case COL_GRID: return (SDL_Color){222, 222, 218, 255};
    case COL_HILITE: return (SDL_Color){255, 236, 150, 255};
    case COL_PLAYHEAD: return (SDL_Color){20, 20, 90, 255};
    case COL_TITLE_BG: return (SDL_Color){38, 50, 72, 255};
    case COL_TITLE_FG: return (SDL_Color){240, 242, 246, 255};
    case COL_WARN: return (SDL_Color){255, 170, 90, 255};
    default: return (SDL_Color){255, 0, 255, 255};
    }
}

const char *pal_mark_name(mark_kind k)
{
    static const char *names[MARK__N] = {"timer fired", "cancel requested", "cancel delivered", "timeout expired",
                                         "output"};
    return k < MARK__N ? names[k] : "?";
}

const char *pal_mark_id(mark_kind k)
{
    static const char *ids[MARK__N] = {"timer", "cancel_requested", "cancel_delivered", "timeout", "output"};
    return k < MARK__N ? ids[k] : "?";
}

/* Dark, saturated and far apart in hue, so that text in them reads on the panels and two tasks'
 * lines are told apart.  Mirrored in tests/scripts/viewcheck.py (TASK_COLOURS). */
static const SDL_Color task_colours[AW_VIEW_TASK_COLOURS] = {
    {31, 87, 200, 255},  /* blue: Task-1, usually main() */
    {196, 40, 120, 255}, /* magenta */
    {0, 128, 110, 255},  /* teal */
    {170, 90, 0, 255},   /* brown */
    {110, 60, 190, 255}, /* violet */
    {100, 120, 0, 255},  /* olive */
    {200, 40, 30, 255},  /* red */
    {60, 80, 100, 255},  /* slate */
};

SDL_Color pal_task(size_t i) { return task_colours[i % AW_VIEW_TASK_COLOURS]; }

SDL_Color pal_arrow(void) { return (SDL_Color){214, 0, 110, 255}; }

SDL_Color pal_mix(SDL_Color c, SDL_Color bg, double a)
{
    return (SDL_Color){(Uint8)(c.r * a + bg.r * (1 - a) + 0.5), (Uint8)(c.g * a + bg.g * (1 - a) + 0.5),
                       (Uint8)(c.b * a + bg.b * (1 - a) + 0.5), 255};
}
