/* sdl_layout.c — where each part goes, for the window's size:
 *
 *   +-------------------------------------------------------------+
 *   | title: trace, step, iteration, clock, playing                |
 *   +-------------------------------------+-----------------------+
 *   |              axis (time ticks)      | example.py, current   |
 *   | lane names  | lanes ...             | line highlighted      |
 *   |             |                       +-----------------------+
 *   |             |                       | output so far         |
 *   +-------------------------------------+-----------------------+
 *   | the current event, in one sentence                           |
 *   | legend: states and marks                                     |
 *   +-------------------------------------------------------------+
 *
 * Lanes share the track's height (between 10 and 24 pixels each); when there are more than fit,
 * the wheel over the lane names scrolls them. */
#include "sdl_viewer.h"

static int clampi(int x, int lo, int hi) { return x < lo ? lo : x > hi ? hi : x; }

void view_layout(view *v)
{
    vlayout *L = &v->L;
    int w = v->w, h = v->h, pad = 8;
    int title_h = v->font_h[FONT_BOLD] + 12;
    int legend_h = 2 * (v->font_h[FONT_SMALL] + 8) + 6;
    int explain_h = 3 * v->font_h[FONT_SANS] + 14;
    L->title = (SDL_Rect){0, 0, w, title_h};
    L->legend = (SDL_Rect){pad, h - legend_h, w - 2 * pad, legend_h - 4};
    L->explain = (SDL_Rect){pad, L->legend.y - explain_h, w - 2 * pad, explain_h - 4};

    int top = title_h + pad, bottom = L->explain.y - pad;
    int main_h = bottom - top > 0 ? bottom - top : 0;
    int right_w = w >= 700 ? clampi(w * 34 / 100, 280, 520) : 0; /* no side panel in a narrow window */
    int left_w = w - right_w - (right_w ? pad : 0);

    /* the code panel takes what its lines need, up to 60%; the output gets the rest */
    int ncode = v->show_c && v->nc ? v->nc : v->ncode;
    int code_need = ncode ? (ncode + 1) * v->font_h[FONT_MONO] + 16 : 0;
    int code_h = right_w ? (code_need < main_h * 6 / 10 ? code_need : main_h * 6 / 10) : 0;
    int rx = left_w + pad;
    L->code = (SDL_Rect){rx, top, right_w - pad, code_h};
    int out_y = top + code_h + (code_h ? pad : 0);
    L->output = (SDL_Rect){rx, out_y, right_w - pad, right_w ? bottom - out_y : 0};

    int labels_w = clampi(left_w * 26 / 100, 90, 240);
    int axis_h = v->font_h[FONT_SMALL] + 14;
    L->labels = (SDL_Rect){pad, top + axis_h, labels_w - pad, main_h - axis_h};
    L->track = (SDL_Rect){labels_w + 4, top + axis_h, left_w - labels_w - 4 - 14, main_h - axis_h};
    if (L->track.w < 1) L->track.w = 1;
    if (L->track.h < 1) L->track.h = 1;
    L->axis = (SDL_Rect){L->track.x, top, L->track.w, axis_h};

    size_t n = v->nlanes ? v->nlanes : 1;
    int per = L->track.h / (int)n;
    L->lane_h = clampi(per - (per >= 22 ? 6 : 2), 10, 24);
    L->lane_pitch = L->lane_h + (L->lane_h >= 16 ? 6 : 2);
    L->lanes_fit = (size_t)(L->track.h / L->lane_pitch);
    if (L->lanes_fit < 1) L->lanes_fit = 1;
    if (v->lane_scroll + L->lanes_fit > v->nlanes)
        v->lane_scroll = v->nlanes > L->lanes_fit ? v->nlanes - L->lanes_fit : 0;
}

SDL_Rect lane_rect(const view *v, size_t lane)
{
    const vlayout *L = &v->L;
    if (lane < v->lane_scroll || lane >= v->lane_scroll + L->lanes_fit || lane >= v->nlanes)
        return (SDL_Rect){L->track.x, L->track.y, L->track.w, 0};
    int y = L->track.y + (int)(lane - v->lane_scroll) * L->lane_pitch + (L->lane_pitch - L->lane_h) / 2;
    return (SDL_Rect){L->track.x, y, L->track.w, L->lane_h};
}
