/* sdl_draw_panels.c — the parts around the timeline: the document's example with the current
 * line highlighted, the output so far, the current event in one sentence, the legend. */
#include <stdio.h>
#include <string.h>

#include "sdl_viewer.h"

static void panel(view *v, SDL_Rect r, const char *caption)
{
    fill_rect(v, r, pal(COL_PANEL));
    text_draw(v, FONT_SMALL, pal(COL_DIM), r.x + 8, r.y + 4, caption, r.w - 16);
}

/* The code line to highlight at the current step (1-based), or 0: the latest source location
 * in the C port, as it is (C view) or mapped to the example's line. */
static int current_code_line(const view *v, bool c_view, int nlines)
{
    int64_t task;
    int line;
    bool own;
    if (!aw_model_focus(v->st, &task, &line, &own)) return 0;
    if (c_view) line = v->src.c_line_of ? v->src.c_line_of(v->src.ud, line) : 0;
    return line >= 1 && line <= nlines ? line : 0;
}

void draw_code(view *v)
{
    SDL_Rect r = v->L.code;
    bool c_view = v->show_c && v->nc;
    char **lines = c_view ? v->c_lines : v->code_lines;
    int nlines = c_view ? v->nc : v->ncode;
    if (r.w <= 0 || r.h <= 0 || !nlines) return;
    char cap[300];
    snprintf(cap, sizeof cap, "%s%s", c_view ? v->src.code_file : v->src.code_name ? v->src.code_name : "example",
             v->nc ? (c_view ? "  (c: the example)" : "  (c: the C port)") : "");
    panel(v, r, cap);
    int lh = v->font_h[FONT_MONO], top = r.y + v->font_h[FONT_SMALL] + 8;
    int fit = (r.y + r.h - top) / lh, hl = current_code_line(v, c_view, nlines);
    if (fit < 1) return;
    int first = 1; /* keep the highlighted line in view, in the middle when the code is long */
    if (hl && nlines > fit) {
        first = hl - fit / 2;
        if (first + fit - 1 > nlines) first = nlines - fit + 1;
        if (first < 1) first = 1;
    }
    int numw = text_width(v, FONT_MONO, "000 ");
    for (int i = first; i < first + fit && i <= nlines; i++) {
        int y = top + (i - first) * lh;
        if (i == hl) {
            fill_rect(v, (SDL_Rect){r.x + 2, y, r.w - 4, lh}, pal(COL_HILITE));
            fill_rect(v, (SDL_Rect){r.x + 2, y, 3, lh}, pal(COL_PLAYHEAD));
            if (v->layout) {
                cJSON *o = cJSON_AddObjectToObject(v->layout, "code_highlight");
                cJSON_AddNumberToObject(o, "line", i);
                cJSON_AddNumberToObject(o, "y", y);
                cJSON_AddNumberToObject(o, "h", lh);
            }
        }
        char num[16];
        snprintf(num, sizeof num, "%3d", i);
        text_draw(v, FONT_MONO, pal(COL_DIM), r.x + 8, y, num, 0);
        text_draw(v, FONT_MONO, pal(COL_TEXT), r.x + 8 + numw, y, lines[i - 1], r.w - 16 - numw);
    }
}

void draw_output(view *v)
{
    SDL_Rect r = v->L.output;
    if (r.w <= 0 || r.h <= 0) return;
    size_t n = aw_model_output_count(v->m, v->step);
    char cap[64];
    snprintf(cap, sizeof cap, "output (%zu line%s so far)", n, n == 1 ? "" : "s");
    panel(v, r, cap);
    int lh = v->font_h[FONT_MONO], top = r.y + v->font_h[FONT_SMALL] + 8;
    int fit = (r.y + r.h - top) / lh;
    if (fit < 1) return;
    size_t first = n > (size_t)fit ? n - (size_t)fit : 0; /* the latest lines */
    char last[48];   /* the time column is as wide as its widest label, the last one */
    aw_model_output lo;
    view_time(v, n && aw_model_output_at(v->m, n - 1, &lo) ? lo.t_ns : 0, false, last, sizeof last);
    int tw = text_width(v, FONT_SMALL, last) + text_width(v, FONT_SMALL, "  ");
    for (size_t i = first; i < n; i++) {
        aw_model_output o;
        if (!aw_model_output_at(v->m, i, &o)) continue;
        int y = top + (int)(i - first) * lh;
        if (o.step == v->step) fill_rect(v, (SDL_Rect){r.x + 2, y, r.w - 4, lh}, pal(COL_HILITE));
        char t[48];
        view_time(v, o.t_ns, false, t, sizeof t);
        text_draw(v, FONT_SMALL, pal(COL_DIM), r.x + 8, y + 2, t, tw);
        text_draw(v, FONT_MONO, pal(COL_TEXT), r.x + 8 + tw, y, o.text, r.w - 16 - tw);
    }
}

typedef struct wrap_ctx {
    view *v;
    int x, y, max_lines, lines, font;
    SDL_Color c;
} wrap_ctx;

static void draw_wrapped_line(void *ud, const char *line, size_t len)
{
    wrap_ctx *w = ud;
    if (w->lines++ >= w->max_lines) return;
    char buf[1024];
    if (len >= sizeof buf) len = sizeof buf - 1;
    memcpy(buf, line, len);
    buf[len] = '\0';
    text_draw(w->v, w->font, w->c, w->x, w->y, buf, 0);
    w->y += w->v->font_h[w->font];
}

void draw_explain(view *v)
{
    SDL_Rect r = v->L.explain;
    fill_rect(v, r, pal(COL_PANEL));
    char head[160], t[48], text[1024];
    if (v->step == 0) {
        snprintf(head, sizeof head, "step 0");
        snprintf(text, sizeof text, "Before the first event.  Right arrow steps forward, space plays, ? lists the keys; "
                                    "click the timeline to jump to a time.");
    } else {
        view_time(v, aw_model_state_time(v->st), true, t, sizeof t);
        snprintf(head, sizeof head, "#%lld  t=%s", (long long)v->step, t);
        aw_model_explain(v->m, v->step, text, sizeof text);
    }
    int hw = text_draw(v, FONT_BOLD, pal(COL_TEXT), r.x + 8, r.y + 6, head, 0);
    int x = r.x + 8 + (hw > 110 ? hw : 110) + 12;
    wrap_ctx w = {v, x, r.y + 6, (r.h - 8) / v->font_h[FONT_SANS], 0, FONT_SANS, pal(COL_TEXT)};
    text_wrap(v, FONT_SANS, text, r.x + r.w - 8 - x, draw_wrapped_line, &w);
    if (v->layout) cJSON_AddStringToObject(v->layout, "explanation", text);
}

void draw_legend(view *v)
{
    SDL_Rect r = v->L.legend;
    int sh = v->font_h[FONT_SMALL], y = r.y + 4, x = r.x;
    static const aw_model_task_state states[] = {AW_MODEL_CREATED, AW_MODEL_READY,     AW_MODEL_RUNNING,
                                                 AW_MODEL_WAITING, AW_MODEL_BLOCKED,   AW_MODEL_DONE,
                                                 AW_MODEL_FAILED,  AW_MODEL_CANCELLED};
    static const char *names[] = {"created", "ready", "running", "waiting", "blocked by CPU work",
                                  "done",    "failed", "cancelled"};
    x += text_draw(v, FONT_SMALL, pal(COL_DIM), x, y, "task states:", 0) + 10;
    cJSON *lj = v->layout ? cJSON_AddArrayToObject(v->layout, "legend") : NULL;
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        SDL_Rect sw = {x, y + 2, 22, sh - 3};
        fill_rect(v, sw, pal_state(states[i]));
        if (lj) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "state", aw_model_state_name(states[i]));
            cJSON_AddNumberToObject(o, "x", sw.x + sw.w / 2);
            cJSON_AddNumberToObject(o, "y", sw.y + sw.h / 2);
            cJSON_AddItemToArray(lj, o);
        }
        x += 26;
        x += text_draw(v, FONT_SMALL, pal(COL_TEXT), x, y, names[i], 0) + 14;
    }
    y += sh + 8;
    x = r.x;
    x += text_draw(v, FONT_SMALL, pal(COL_DIM), x, y, "marks:", 0) + 10;
    int size = mark_size_for(v->L.lane_h);
    for (int k = 0; k < MARK__N; k++) {
        draw_mark_shape(v, (mark_kind)k, x + size / 2 + 1, y + sh / 2, size, false);
        x += size + 6;
        x += text_draw(v, FONT_SMALL, pal(COL_TEXT), x, y, pal_mark_name((mark_kind)k), 0) + 14;
    }
    fill_rect(v, (SDL_Rect){x + 4, y, 2, sh}, pal(COL_PLAYHEAD));
    x += 12;
    x += text_draw(v, FONT_SMALL, pal(COL_TEXT), x, y, "current step", 0) + 14;
    SDL_Color faded = pal_ghost(pal_state(AW_MODEL_RUNNING));
    fill_rect(v, (SDL_Rect){x, y + 2, 22, sh - 3}, faded);
    x += 26;
    text_draw(v, FONT_SMALL, pal(COL_TEXT), x, y, "faded: after the current step", 0);
}
