/* sdl_draw_overlay.c — what is drawn over everything: the help (?) and the tooltip of the mark
 * or lane under the mouse. */
#include <stdio.h>
#include <string.h>

#include "sdl_viewer.h"
#include "view_keys.h"

/* Under the keys (which come from the table both viewers share: view_keys.h): the window's own. */
static const char *const help_extra[][2] = {
    {"ctrl +  ctrl -", "bigger / smaller text"},
    {"1-8  click", "answer the quiz (--quiz)"},
    {"click", "jump to that time"},
    {"wheel", "zoom time (over the names: scroll lanes)"},
    {"drag", "pan"},
    {"hover", "a mark or a lane: what it is"},
};

void draw_help(view *v)
{
    size_t nk = 0, nx = sizeof help_extra / sizeof help_extra[0];
    for (size_t i = 0; i < aw_view_binding_count(); i++) nk += (aw_view_binding_at(i)->viewers & AW_VIEWER_SDL) != 0;
    size_t n = nk + nx;
    int lh = v->font_h[FONT_SANS] + 4, kw = text_width(v, FONT_MONO, "ctrl +  ctrl -") + 30;
    int w = kw + text_width(v, FONT_SANS, "wheel: zoom time (over the names: scroll lanes)") + 40;
    int h = (int)n * lh + v->font_h[FONT_BOLD] + 36;
    SDL_Rect box = {(v->w - w) / 2, (v->h - h) / 2, w, h};
    fill_rect(v, (SDL_Rect){0, 0, v->w, v->h}, (SDL_Color){0, 0, 0, 90});
    fill_rect(v, box, pal(COL_TITLE_BG));
    SDL_Color fg = pal(COL_TITLE_FG);
    text_draw(v, FONT_BOLD, fg, box.x + 18, box.y + 12, "Keys and mouse", 0);
    int y = box.y + 20 + v->font_h[FONT_BOLD];
    for (size_t i = 0; i < aw_view_binding_count(); i++) {
        const aw_view_binding *b = aw_view_binding_at(i);
        if (!(b->viewers & AW_VIEWER_SDL)) continue;
        text_draw(v, FONT_MONO, pal(COL_HILITE), box.x + 18, y, b->keys_text, 0);
        text_draw(v, FONT_SANS, fg, box.x + 18 + kw, y, b->help, 0);
        y += lh;
    }
    for (size_t i = 0; i < nx; i++, y += lh) {
        text_draw(v, FONT_MONO, pal(COL_HILITE), box.x + 18, y, help_extra[i][0], 0);
        text_draw(v, FONT_SANS, fg, box.x + 18 + kw, y, help_extra[i][1], 0);
    }
}

typedef struct tip {
    char lines[8][256];
    int n;
} tip;

static void add_line(void *ud, const char *line, size_t len)
{
    tip *t = ud;
    if (t->n >= 8) return;
    if (len > 255) len = 255;
    memcpy(t->lines[t->n], line, len);
    t->lines[t->n++][len] = '\0';
}

/* What is under the mouse, as text: a mark's event, else the lane's state in that column. */
static bool tip_text(view *v, char *buf, size_t size)
{
    const vmark *mk = view_mark_at(v, v->mx, v->my);
    if (mk && view_future_hidden(v) && mk->step > v->step) mk = NULL;
    char t[48], more[768];
    if (mk) {
        view_time(v, mk->t_ns, true, t, sizeof t);
        aw_model_explain(v->m, mk->step, more, sizeof more);
        snprintf(buf, size, "#%lld  t=%s  (%s)\n%s", (long long)mk->step, t, pal_mark_name((mark_kind)mk->kind), more);
        return true;
    }
    const SDL_Rect *tr = &v->L.track;
    if (v->mx < tr->x || v->mx >= tr->x + tr->w || !v->lc.valid) return false;
    for (size_t i = 0; i < v->lc.n; i++) {
        SDL_Rect r = lane_rect(v, v->lc.first + i);
        if (r.h <= 0 || v->my < r.y || v->my >= r.y + r.h) continue;
        int c = v->mx - tr->x;
        const uint8_t *a = v->lc.vivid + i * (size_t)v->lc.cells, *g = v->lc.ghost + i * (size_t)v->lc.cells;
        int s = a[c] != AW_MODEL_NONE ? a[c] : g[c];
        if (s == AW_MODEL_NONE) return false;
        char label[160];
        view_lane_label(v, v->lc.first + i, label, sizeof label);
        snprintf(buf, size, "%s: %s%s", label, aw_model_state_name((aw_model_task_state)s),
                 a[c] == AW_MODEL_NONE ? " (after the current step)" : "");
        return true;
    }
    return false;
}

void draw_tooltip(view *v)
{
    char text[1024];
    if (!tip_text(v, text, sizeof text)) return;
    if (v->layout) cJSON_AddStringToObject(v->layout, "tooltip", text);
    tip t = {.n = 0};
    int maxw = v->font_h[FONT_SANS] * 26;
    text_wrap(v, FONT_SANS, text, maxw, add_line, &t);
    int w = 0;
    for (int i = 0; i < t.n; i++) {
        int lw = text_width(v, FONT_SANS, t.lines[i]);
        if (lw > w) w = lw;
    }
    int lh = v->font_h[FONT_SANS], h = t.n * lh + 10;
    w += 16;
    int x = v->mx + 14, y = v->my + 16;
    if (x + w > v->w) x = v->mx - w - 6;
    if (y + h > v->h) y = v->my - h - 6;
    if (x < 0) x = 0;
    if (y < 0) y = 0;
    fill_rect(v, (SDL_Rect){x, y, w, h}, pal(COL_TEXT));
    for (int i = 0; i < t.n; i++) text_draw(v, FONT_SANS, pal(COL_BG), x + 8, y + 5 + i * lh, t.lines[i], 0);
}
