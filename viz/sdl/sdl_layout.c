/* sdl_layout.c — where each part goes, for the window's size and the fonts' (scaled) sizes:
 *
 *   +---------------------------------------------------------------------+
 *   | title: lesson, step, iteration, clock, playing                      |
 *   +-----------------------------------------------+---------------------+
 *   |            axis (steps or time)               | program.py: the     |
 *   | lane names | lanes, marks, cause arrows       | current task's line |
 *   |            |                                  | highlighted, others |
 *   +-----------------------+-----------------------+ marked with names   |
 *   | the loop: phase,      | the lesson: the part  +---------------------+
 *   | await stack, ready    | of the narrative this | output so far, in   |
 *   | queue, timers         | step is in (or quiz)  | the tasks' colours  |
 *   +-----------------------+-----------------------+---------------------+
 *   | the current event, in one sentence                                  |
 *   | legend: states, marks, arrows                                       |
 *   +---------------------------------------------------------------------+
 *
 * The timeline takes the height its lanes need (up to about half); the panes under it and on
 * the right take the rest.  The right column is as wide as the program's longest line needs,
 * between 30% and 48% of the window; longer lines wrap.  When there are more lanes than fit,
 * the wheel over the lane names scrolls them. */
#include <string.h>

#include "sdl_viewer.h"

static int clampi(int x, int lo, int hi) { return x < lo ? lo : x > hi ? hi : x; }

/* The widest line of the code shown, in pixels. */
static int code_width(view *v)
{
    bool c_view = v->show_c && v->nc;
    char **lines = c_view ? v->c_lines : v->code_lines;
    int n = c_view ? v->nc : v->ncode, w = 0;
    for (int i = 0; i < n; i++) {
        int lw = text_width(v, FONT_MONO, lines[i]);
        if (lw > w) w = lw;
    }
    return w;
}

static int legend_rows(view *v, int width);

void view_layout(view *v)
{
    vlayout *L = &v->L;
    int w = v->w, h = v->h, pad = v->font_h[FONT_SMALL] / 2 + 2;
    int title_h = v->font_h[FONT_BOLD] + 12;
    int legend_h = legend_rows(v, w - 2 * pad) * (v->font_h[FONT_SMALL] + 6) + 6;
    int explain_h = 2 * v->font_h[FONT_SANS] + 14;
    L->title = (SDL_Rect){0, 0, w, title_h};
    L->legend = (SDL_Rect){pad, h - legend_h, w - 2 * pad, legend_h - 4};
    L->explain = (SDL_Rect){pad, L->legend.y - explain_h, w - 2 * pad, explain_h - 4};

    int top = title_h + pad, bottom = L->explain.y - pad;
    int main_h = bottom - top > 0 ? bottom - top : 0;

    /* the right column: the code's width, within 30%..48% of the window */
    int numw = text_width(v, FONT_MONO, "000 ");
    int need_w = v->ncode ? code_width(v) + numw + 24 + text_width(v, FONT_SMALL, "Task-10") : 0;
    int right_w = w >= 700 ? clampi(need_w, w * 30 / 100, w * 48 / 100) : 0;
    int left_w = w - right_w - (right_w ? pad : 0);

    /* the code panel takes what its lines need, up to 62%; the output gets the rest */
    int ncode = v->show_c && v->nc ? v->nc : v->ncode;
    int code_need = ncode ? (ncode + 1) * v->font_h[FONT_MONO] + v->font_h[FONT_SMALL] + 16 : 0;
    int code_h = right_w ? (code_need < main_h * 62 / 100 ? code_need : main_h * 62 / 100) : 0;
    int rx = left_w + pad;
    L->code = (SDL_Rect){rx, top, right_w - pad, code_h};
    int out_y = top + code_h + (code_h ? pad : 0);
    L->output = (SDL_Rect){rx, out_y, right_w - pad, right_w ? bottom - out_y : 0};

    /* the timeline: as tall as its lanes need, within a third to 55% of the height */
    int label_w = 0;
    for (size_t i = 0; i < v->nlanes && i < 200; i++) {
        char label[160];
        int lw = text_width(v, FONT_BOLD, view_lane_label(v, i, label, sizeof label));
        if (lw > label_w) label_w = lw;
    }
    int swatch = v->font_h[FONT_SMALL] - 2;
    int labels_w = clampi(label_w + swatch + 2 * pad + 6, v->font_h[FONT_SANS] * 5, left_w * 32 / 100);
    int axis_h = v->axis == AW_MODEL_AXIS_STEP ? 2 * v->font_h[FONT_SMALL] + 10 : v->font_h[FONT_SMALL] + 14;
    int want_lane = v->font_h[FONT_SANS] + 8, want_pitch = want_lane + want_lane / 2;
    size_t nl = v->nlanes ? v->nlanes : 1;
    int tl_need = axis_h + (int)nl * want_pitch + want_pitch / 2;
    int tl_h = clampi(tl_need, main_h / 3, main_h * 55 / 100);
    if (tl_h > main_h) tl_h = main_h;
    L->labels = (SDL_Rect){pad, top + axis_h, labels_w - pad, tl_h - axis_h};
    L->track = (SDL_Rect){labels_w + 4, top + axis_h, left_w - labels_w - 4 - 14, tl_h - axis_h};
    if (L->track.w < 1) L->track.w = 1;
    if (L->track.h < 1) L->track.h = 1;
    L->axis = (SDL_Rect){L->track.x, top, L->track.w, axis_h};

    int per = L->track.h / (int)nl;
    L->lane_h = clampi(per * 2 / 3, 10, want_lane);
    L->lane_pitch = clampi(per, L->lane_h + 2, want_pitch);
    L->lanes_fit = (size_t)(L->track.h / L->lane_pitch);
    if (L->lanes_fit < 1) L->lanes_fit = 1;
    if (v->lane_scroll + L->lanes_fit > v->nlanes)
        v->lane_scroll = v->nlanes > L->lanes_fit ? v->nlanes - L->lanes_fit : 0;

    /* under the timeline: the loop's state, and the narrative beside it */
    int py = top + tl_h + pad, ph = bottom - py;
    if (ph < 0) ph = 0;
    int narr_w = v->nparts ? (left_w - 2 * pad) / 2 : 0;
    int state_w = left_w - pad - (narr_w ? narr_w + pad : 0);
    L->state = (SDL_Rect){pad, py, state_w, ph};
    L->narrative = (SDL_Rect){pad + state_w + pad, py, narr_w, narr_w ? ph : 0};
    L->quiz = (SDL_Rect){pad, py, left_w - pad, ph}; /* a quiz's question takes both panes */
}

SDL_Rect lane_rect(const view *v, size_t lane)
{
    const vlayout *L = &v->L;
    if (lane < v->lane_scroll || lane >= v->lane_scroll + L->lanes_fit || lane >= v->nlanes)
        return (SDL_Rect){L->track.x, L->track.y, L->track.w, 0};
    int y = L->track.y + (int)(lane - v->lane_scroll) * L->lane_pitch + (L->lane_pitch - L->lane_h) / 2;
    return (SDL_Rect){L->track.x, y, L->track.w, L->lane_h};
}

/* ---- the legend's items, laid out in rows (sdl_draw_panels.c draws them) ------------------------ */

static int legend_rows(view *v, int width) { return legend_walk(v, (SDL_Rect){0, 0, width, 0}, false); }
