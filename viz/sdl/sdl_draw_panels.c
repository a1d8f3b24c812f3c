/* sdl_draw_panels.c — the parts around the timeline: the program's source with the current
 * task's line highlighted and the other live tasks' lines marked, the output so far in the
 * colours of the tasks that printed it, the loop's state (phase, await stack, ready queue,
 * timers), the narrative's current part, the current event in words, the legend.  Text wraps
 * rather than being cut while there is room. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdl_viewer.h"

static void panel(view *v, SDL_Rect r, const char *caption)
{
    fill_rect(v, r, pal(COL_PANEL));
    text_draw(v, FONT_SMALL, pal(COL_DIM), r.x + 8, r.y + 4, caption, r.w - 16);
}

static int panel_top(const view *v, SDL_Rect r) { return r.y + v->font_h[FONT_SMALL] + 8; }

/* ---- wrapped text ------------------------------------------------------------------------------ */

typedef struct wrap_ctx {
    view *v;
    int x, y, bottom, lines, font;
    SDL_Color c;
    bool measure;    /* count only */
} wrap_ctx;

static void wrapped_line(void *ud, const char *line, size_t len)
{
    wrap_ctx *w = ud;
    int lh = w->v->font_h[w->font];
    w->lines++;
    if (!w->measure && w->y + lh <= w->bottom) {
        char buf[1024];
        if (len >= sizeof buf) len = sizeof buf - 1;
        memcpy(buf, line, len);
        buf[len] = '\0';
        text_draw(w->v, w->font, w->c, w->x, w->y, buf, 0);
    }
    w->y += lh;
}

/* Draws s wrapped to width from (x, y), lines below `bottom` left out; returns the y after it. */
static int draw_wrapped(view *v, int font, SDL_Color c, int x, int y, int width, int bottom, const char *s)
{
    wrap_ctx w = {v, x, y, bottom, 0, font, c, false};
    if (s && *s) text_wrap(v, font, s, width, wrapped_line, &w);
    return w.y;
}

static int wrapped_lines(view *v, int font, int width, const char *s)
{
    wrap_ctx w = {v, 0, 0, 0, 0, font, {0, 0, 0, 255}, true};
    if (s && *s) text_wrap(v, font, s, width, wrapped_line, &w);
    return w.lines ? w.lines : 1;
}

/* ---- the code ----------------------------------------------------------------------------------- */

typedef struct code_mark {
    int line;
    int64_t task;
    bool focus;
} code_mark;

/* The current line of each live task (the focus task's first): where each task is. */
static int code_marks(const view *v, bool c_view, int nlines, code_mark *out, int max)
{
    int n = 0;
    int64_t ftask = 0;
    int fline = 0;
    bool own;
    if (aw_model_focus(v->st, &ftask, &fline, &own)) {
        if (c_view) fline = v->src.c_line_of ? v->src.c_line_of(v->src.ud, fline) : 0;
        if (fline >= 1 && fline <= nlines) out[n++] = (code_mark){fline, ftask, true};
    }
    size_t nt = aw_model_task_count(v->st);
    for (size_t i = 0; i < nt && n < max; i++) {
        aw_model_task t;
        if (!aw_model_task_at(v->st, i, &t) || t.id == ftask || aw_model_state_final(t.state) || t.line <= 0) continue;
        if (view_lane_of(v, t.id) == (size_t)-1) continue;
        int line = c_view ? (v->src.c_line_of ? v->src.c_line_of(v->src.ud, t.line) : 0) : t.line;
        if (line >= 1 && line <= nlines) out[n++] = (code_mark){line, t.id, false};
    }
    return n;
}

static const char *task_name(const view *v, int64_t id, char *buf, size_t size)
{
    aw_model_task t;
    if (aw_model_task_get(v->fin, id, &t) && t.name) snprintf(buf, size, "%s", t.name);
    else snprintf(buf, size, "task %lld", (long long)id);
    return buf;
}

SDL_Color task_colour(const view *v, int64_t id)
{
    for (size_t i = 0; i < v->nlanes_all; i++)
        if (v->lanes[i] == id) return pal_task(i);
    return pal(COL_TEXT);
}

typedef struct row_ctx {
    int *line_of, *n, cap;
    const char **start;
    int *len;
    int line;
} row_ctx;

void draw_code(view *v)
{
    SDL_Rect r = v->L.code;
    bool c_view = v->show_c && v->nc;
    char **lines = c_view ? v->c_lines : v->code_lines;
    int nlines = c_view ? v->nc : v->ncode;
    if (r.w <= 0 || r.h <= 0 || !nlines) return;
    char cap[300];
    snprintf(cap, sizeof cap, "%s%s", c_view ? v->src.code_file : v->src.code_name ? v->src.code_name : "example",
             v->nc ? (c_view ? "  (c: the Python)" : "  (c: the C port)") : "");
    panel(v, r, cap);
    code_mark cm[32];
    int ncm = code_marks(v, c_view, nlines, cm, 32);
    int hl = ncm && cm[0].focus ? cm[0].line : 0;
    int lh = v->font_h[FONT_MONO], top = panel_top(v, r);
    int fit = (r.y + r.h - top) / lh;
    if (fit < 1) return;
    int numw = text_width(v, FONT_MONO, "000 "), tw = r.w - 16 - numw;
    /* how many rows each line takes (long lines wrap), to keep the highlighted one in view */
    int *rows = malloc((size_t)nlines * sizeof *rows);
    if (!rows) return;
    int total = 0, hl_row = 0;
    for (int i = 0; i < nlines; i++) {
        rows[i] = text_width(v, FONT_MONO, lines[i]) <= tw ? 1 : wrapped_lines(v, FONT_MONO, tw, lines[i]);
        if (i + 1 == hl) hl_row = total;
        total += rows[i];
    }
    int first_row = 0;
    if (hl && total > fit) {
        first_row = hl_row - fit / 2;
        if (first_row + fit > total) first_row = total - fit;
        if (first_row < 0) first_row = 0;
    }
    cJSON *cj = v->layout ? cJSON_AddArrayToObject(v->layout, "code_lines") : NULL;
    int row = 0, bottom = top + fit * lh;
    for (int i = 1; i <= nlines; i++) {
        int nrows = rows[i - 1];
        if (row + nrows <= first_row) {
            row += nrows;
            continue;
        }
        int y = top + (row - first_row) * lh;
        row += nrows;
        if (y >= bottom) break;
        int hgt = nrows * lh;
        if (y + hgt > bottom) hgt = bottom - y;
        /* the tasks at this line: the focus one highlighted, the others tinted in their colour */
        int chip_x = r.x + r.w - 6;
        for (int k = ncm - 1; k >= 0; k--) {
            if (cm[k].line != i) continue;
            SDL_Color tc = task_colour(v, cm[k].task);
            if (cm[k].focus) {
                fill_rect(v, (SDL_Rect){r.x + 2, y, r.w - 4, hgt}, pal(COL_HILITE));
                fill_rect(v, (SDL_Rect){r.x + 2, y, 3, hgt}, pal(COL_PLAYHEAD));
            } else {
                fill_rect(v, (SDL_Rect){r.x + 2, y, r.w - 4, hgt}, pal_mix(tc, pal(COL_PANEL), 0.12));
                fill_rect(v, (SDL_Rect){r.x + 2, y, 3, hgt}, pal_mix(tc, pal(COL_PANEL), 0.5));
            }
        }
        char num[16];
        snprintf(num, sizeof num, "%3d", i);
        text_draw(v, FONT_MONO, pal(COL_DIM), r.x + 8, y, num, 0);
        if (nrows == 1) text_draw(v, FONT_MONO, pal(COL_TEXT), r.x + 8 + numw, y, lines[i - 1], 0);
        else draw_wrapped(v, FONT_MONO, pal(COL_TEXT), r.x + 8 + numw, y, tw, bottom, lines[i - 1]);
        /* the tasks' names at the line's right end, over the text if it is long */
        for (int k = 0; k < ncm; k++) {
            if (cm[k].line != i || !cm[k].task) continue;
            char name[64];
            task_name(v, cm[k].task, name, sizeof name);
            int font = cm[k].focus ? FONT_BOLD : FONT_SMALL;
            int nw = text_width(v, font, name) + 8;
            chip_x -= nw;
            SDL_Color tc = task_colour(v, cm[k].task);
            fill_rect(v, (SDL_Rect){chip_x, y + 1, nw, lh - 2}, cm[k].focus ? pal(COL_HILITE) : pal_mix(tc, pal(COL_PANEL), 0.12));
            text_draw(v, font, cm[k].focus ? tc : pal_mix(tc, pal(COL_PANEL), 0.75), chip_x + 4,
                      y + (lh - v->font_h[font]) / 2, name, 0);
            chip_x -= 4;
            if (cj) {
                cJSON *o = cJSON_CreateObject();
                cJSON_AddNumberToObject(o, "line", i);
                cJSON_AddNumberToObject(o, "task", (double)cm[k].task);
                cJSON_AddStringToObject(o, "name", name);
                cJSON_AddBoolToObject(o, "focus", cm[k].focus);
                cJSON_AddNumberToObject(o, "y", y);
                cJSON_AddItemToArray(cj, o);
            }
        }
        if (i == hl && v->layout) {
            cJSON *o = cJSON_AddObjectToObject(v->layout, "code_highlight");
            cJSON_AddNumberToObject(o, "line", i);
            cJSON_AddNumberToObject(o, "y", y);
            cJSON_AddNumberToObject(o, "h", hgt);
        }
    }
    free(rows);
}

/* ---- the output ----------------------------------------------------------------------------- */

void draw_output(view *v)
{
    SDL_Rect r = v->L.output;
    if (r.w <= 0 || r.h <= 0) return;
    size_t n = aw_model_output_count(v->m, v->step);
    char cap[96];
    snprintf(cap, sizeof cap, "output (%zu line%s so far; each in its task's colour)", n, n == 1 ? "" : "s");
    panel(v, r, cap);
    int lh = v->font_h[FONT_MONO], top = panel_top(v, r), bottom = r.y + r.h - 4;
    char last[48]; /* the time column is as wide as its widest label, the last one */
    aw_model_output lo;
    view_time(v, n && aw_model_output_at(v->m, n - 1, &lo) ? lo.t_ns : 0, false, last, sizeof last);
    int tw = text_width(v, FONT_SMALL, last) + text_width(v, FONT_SMALL, "  ");
    int width = r.w - 16 - tw;
    /* the latest lines that fit, each wrapped: count back from the last */
    size_t first = n;
    int used = 0;
    while (first > 0) {
        aw_model_output o;
        if (!aw_model_output_at(v->m, first - 1, &o)) break;
        int rows = text_width(v, FONT_MONO, o.text) <= width ? 1 : wrapped_lines(v, FONT_MONO, width, o.text);
        if (top + (used + rows) * lh > bottom && first < n) break;
        used += rows;
        first--;
    }
    cJSON *oj = v->layout ? cJSON_AddArrayToObject(v->layout, "output_lines") : NULL;
    int y = top;
    for (size_t i = first; i < n; i++) {
        aw_model_output o;
        if (!aw_model_output_at(v->m, i, &o)) continue;
        int rows = text_width(v, FONT_MONO, o.text) <= width ? 1 : wrapped_lines(v, FONT_MONO, width, o.text);
        if (o.step == v->step) fill_rect(v, (SDL_Rect){r.x + 2, y, r.w - 4, rows * lh}, pal(COL_HILITE));
        char t[48];
        view_time(v, o.t_ns, false, t, sizeof t);
        text_draw(v, FONT_SMALL, pal(COL_DIM), r.x + 8, y + 2, t, 0);
        SDL_Color c = o.task ? task_colour(v, o.task) : pal(COL_TEXT);
        int x = r.x + 8 + tw;
        if (rows == 1) text_draw(v, FONT_MONO, c, x, y, o.text, 0);
        else draw_wrapped(v, FONT_MONO, c, x, y, width, bottom + lh, o.text);
        if (oj) {
            cJSON *j = cJSON_CreateObject();
            cJSON_AddNumberToObject(j, "index", (double)i + 1); /* 1-based, as output:K */
            cJSON_AddNumberToObject(j, "task", (double)o.task);
            cJSON_AddNumberToObject(j, "x", x);
            cJSON_AddNumberToObject(j, "y", y);
            cJSON_AddNumberToObject(j, "w", width);
            cJSON_AddNumberToObject(j, "h", rows * lh);
            cJSON_AddStringToObject(j, "text", o.text);
            cJSON_AddItemToArray(oj, j);
        }
        y += rows * lh;
    }
}

/* ---- the loop's state ------------------------------------------------------------------------- */

/* A heading (bold, dim) and a text after it, wrapped under the heading's end; returns the next y. */
static int fact(view *v, SDL_Rect r, int y, const char *head, const char *text, SDL_Color c)
{
    int bottom = r.y + r.h - 2;
    if (y + v->font_h[FONT_SANS] > bottom) return y;
    int x = r.x + 8, hw = text_draw(v, FONT_BOLD, pal(COL_DIM), x, y, head, 0);
    int tx = x + hw + 8;
    if (r.x + r.w - 8 - tx < r.w / 3) { /* too little room beside the heading: under it */
        y += v->font_h[FONT_BOLD];
        tx = x + 12;
    }
    return draw_wrapped(v, FONT_SANS, c, tx, y, r.x + r.w - 8 - tx, bottom, text);
}

void draw_state(view *v)
{
    SDL_Rect r = v->L.state;
    if (r.w <= 0 || r.h <= 0) return;
    panel(v, r, "the event loop, now");
    int y = panel_top(v, r);
    char buf[2048], t[48];
    aw_model_phase_describe(v->st, buf, sizeof buf);
    y = fact(v, r, y, "phase", buf, pal(COL_TEXT));

    /* the await stack of the current task: the focus, else the one running */
    int64_t task = 0;
    int line;
    bool own;
    if (!aw_model_focus(v->st, &task, &line, &own) || !task) task = aw_model_state_running(v->st);
    aw_model_frame fr[16];
    size_t depth = task ? aw_model_task_stack(v->st, task, fr, 16) : 0;
    if (depth) {
        size_t n = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < depth && i < 16; i++) {
            char one[160];
            if (fr[i].library) snprintf(one, sizeof one, "%s%s() [asyncio]", i ? " \u2192 " : "", fr[i].name);
            else if (fr[i].line) snprintf(one, sizeof one, "%s%s() line %d", i ? " \u2192 " : "", fr[i].name, fr[i].line);
            else snprintf(one, sizeof one, "%s%s()", i ? " \u2192 " : "", fr[i].name);
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", one);
            if (n >= sizeof buf) break;
        }
        aw_model_task tk;
        if (aw_model_task_get(v->st, task, &tk) && tk.on) {
            char on[200];
            aw_model_describe_future(v->m, v->step, tk.on, on, sizeof on);
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "  (awaits %s)", on);
        }
        char head[96], name[64];
        snprintf(head, sizeof head, "%s's await stack", task_name(v, task, name, sizeof name));
        y = fact(v, r, y, head, buf, task_colour(v, task));
        if (v->layout) {
            cJSON *o = cJSON_AddObjectToObject(v->layout, "await_stack");
            cJSON_AddNumberToObject(o, "task", (double)task);
            cJSON_AddStringToObject(o, "text", buf);
        }
    }

    size_t nr = aw_model_ready_count(v->st);
    cJSON *rj = v->layout ? cJSON_AddArrayToObject(v->layout, "ready_queue") : NULL;
    if (!nr) y = fact(v, r, y, "ready queue", "empty", pal(COL_DIM));
    for (size_t i = 0; i < nr; i++) {
        char d[300], head[48];
        aw_model_handle_describe(v->st, aw_model_ready_at(v->st, i), d, sizeof d);
        snprintf(head, sizeof head, i ? "   %zu." : "ready queue   %zu.", i + 1);
        if (i == 6 && nr > 7) {
            snprintf(d, sizeof d, "and %zu more", nr - 6);
            y = fact(v, r, y, "   ...", d, pal(COL_DIM));
            break;
        }
        y = fact(v, r, y, head, d, pal(COL_TEXT));
        if (rj) cJSON_AddItemToArray(rj, cJSON_CreateString(d));
    }
    size_t ntm = aw_model_timer_count(v->st);
    cJSON *tj = v->layout ? cJSON_AddArrayToObject(v->layout, "timers") : NULL;
    if (!ntm) y = fact(v, r, y, "timers", "none", pal(COL_DIM));
    for (size_t i = 0; i < ntm; i++) {
        aw_model_timer tm;
        if (!aw_model_timer_at(v->st, i, &tm)) continue;
        char d[300], head[80], line2[360];
        aw_model_handle_describe(v->st, tm.handle, d, sizeof d);
        view_time(v, tm.deadline_ns, true, t, sizeof t);
        snprintf(head, sizeof head, i ? "   at %s" : "timers   at %s", t);
        if (i == 6 && ntm > 7) {
            snprintf(line2, sizeof line2, "and %zu more", ntm - 6);
            y = fact(v, r, y, "   ...", line2, pal(COL_DIM));
            break;
        }
        y = fact(v, r, y, head, d, pal(COL_TEXT));
        if (tj) {
            snprintf(line2, sizeof line2, "%s %s", t, d);
            cJSON_AddItemToArray(tj, cJSON_CreateString(line2));
        }
    }
    /* asyncio's primitives, when the program has some: who holds each, who waits on it */
    aw_model_primitive prims[8];
    size_t np = aw_model_primitives(v->st, prims, 8);
    cJSON *pj = v->layout && np ? cJSON_AddArrayToObject(v->layout, "primitives") : NULL;
    for (size_t i = 0; i < np && i < 8; i++) {
        char d[600];
        aw_model_primitive_describe(v->st, &prims[i], d, sizeof d);
        y = fact(v, r, y, i ? "" : "sync", d, pal(COL_TEXT));
        if (pj) cJSON_AddItemToArray(pj, cJSON_CreateString(d));
    }
    if (np > 8) {
        char more[64];
        snprintf(more, sizeof more, "and %zu more", np - 8);
        y = fact(v, r, y, "   ...", more, pal(COL_DIM));
    }
    /* the simulated network, when the trace has some: each connection, its state, its bytes in
     * flight each way */
    aw_model_conn conns[8];
    size_t nc = aw_model_conns(v->st, conns, 8);
    cJSON *cj = v->layout && nc ? cJSON_AddArrayToObject(v->layout, "network") : NULL;
    for (size_t i = 0; i < nc && i < 8; i++) {
        char d[600];
        aw_model_conn_describe(&conns[i], d, sizeof d);
        y = fact(v, r, y, i ? "" : "net", d, pal(COL_TEXT));
        if (cj) cJSON_AddItemToArray(cj, cJSON_CreateString(d));
    }
    if (nc > 8) {
        char more[64];
        snprintf(more, sizeof more, "and %zu more", nc - 8);
        y = fact(v, r, y, "   ...", more, pal(COL_DIM));
    }
}

/* ---- the narrative ---------------------------------------------------------------------------- */

void draw_narrative(view *v)
{
    SDL_Rect r = v->L.narrative;
    if (r.w <= 0 || r.h <= 0) return;
    int part = view_part_at(v, v->step);
    char cap[96];
    if (part >= 0) snprintf(cap, sizeof cap, "the lesson, part %d of %d", part + 1, v->nparts);
    else snprintf(cap, sizeof cap, "the lesson (%d parts)", v->nparts);
    panel(v, r, cap);
    const char *text = part >= 0 ? v->parts[part] : "Before the first part: step forward.";
    if (v->quiz && v->quiz_step && v->quiz_pick < 0) text = "(hidden until you answer the question)";
    draw_wrapped(v, FONT_SANS, pal(COL_TEXT), r.x + 8, panel_top(v, r), r.w - 16, r.y + r.h - 2, text);
    if (v->layout) {
        cJSON *o = cJSON_AddObjectToObject(v->layout, "narrative");
        cJSON_AddNumberToObject(o, "part", part + 1);
        cJSON_AddStringToObject(o, "text", text);
    }
}

/* ---- the quiz ----------------------------------------------------------------------------------- */

void draw_quiz(view *v)
{
    SDL_Rect r = v->L.quiz;
    bool over = v->step >= v->count && !v->quiz_step;
    if (!v->quiz || r.w <= 0 || r.h <= 0 || (!v->quiz_step && !over)) return;
    fill_rect(v, r, pal(COL_TITLE_BG));
    SDL_Color fg = pal(COL_TITLE_FG);
    int x = r.x + 12, y = r.y + 8, w = r.w - 24, bottom = r.y + r.h - 4;
    char buf[1024];
    cJSON *qj = v->layout ? cJSON_AddObjectToObject(v->layout, "quiz") : NULL;
    if (over) {
        snprintf(buf, sizeof buf, "Quiz over: %d right out of %d question%s.", v->score, v->asked, v->asked == 1 ? "" : "s");
        if (!v->asked) snprintf(buf, sizeof buf, "Quiz over: this trace had no step to predict.");
        draw_wrapped(v, FONT_BOLD, fg, x, y, w, bottom, buf);
        if (qj) cJSON_AddStringToObject(qj, "final", buf);
        return;
    }
    snprintf(buf, sizeof buf, "Predict step %lld:  %s", (long long)v->quiz_step, v->q.question);
    y = draw_wrapped(v, FONT_BOLD, fg, x, y, w, bottom, buf) + 4;
    cJSON *cj = qj ? cJSON_AddArrayToObject(qj, "choices") : NULL;
    if (qj) cJSON_AddStringToObject(qj, "question", v->q.question);
    for (size_t i = 0; i < v->q.n_choices && i < AW_MODEL_QUIZ_CHOICES; i++) {
        snprintf(buf, sizeof buf, "%zu.  %s", i + 1, v->q.choices[i]);
        int lines = wrapped_lines(v, FONT_SANS, w - 12, buf), hgt = lines * v->font_h[FONT_SANS] + 4;
        SDL_Rect cr = {x, y, w, hgt};
        SDL_Color bg = pal_mix(fg, pal(COL_TITLE_BG), 0.12);
        if (v->quiz_pick >= 0 && i == v->q.answer) bg = pal_state(AW_MODEL_RUNNING);
        else if (v->quiz_pick == (int)i) bg = pal_state(AW_MODEL_FAILED);
        fill_rect(v, cr, bg);
        draw_wrapped(v, FONT_SANS, fg, x + 6, y + 2, w - 12, bottom, buf);
        v->choice_rect[i] = cr;
        if (cj) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "text", v->q.choices[i]);
            cJSON_AddItemToObject(o, "rect", cJSON_CreateIntArray((int[]){cr.x, cr.y, cr.w, cr.h}, 4));
            cJSON_AddItemToArray(cj, o);
        }
        y += hgt + 3;
    }
    if (v->quiz_pick < 0) {
        snprintf(buf, sizeof buf, "Type 1-%zu or click a choice.   Score so far: %d of %d", v->q.n_choices, v->score, v->asked);
    } else {
        bool right = (size_t)v->quiz_pick == v->q.answer;
        snprintf(buf, sizeof buf, "%s  The answer is %zu: %s.  %s   (score %d of %d; right arrow: see it happen)",
                 right ? "Right!" : "Not quite.", v->q.answer + 1, v->q.choices[v->q.answer], v->q.rule, v->score,
                 v->asked);
    }
    draw_wrapped(v, FONT_SANS, fg, x, y + 2, w, bottom, buf);
    if (qj) {
        cJSON_AddNumberToObject(qj, "picked", v->quiz_pick);
        cJSON_AddStringToObject(qj, "status", buf);
    }
}

/* ---- the current event ------------------------------------------------------------------------ */

void draw_explain(view *v)
{
    SDL_Rect r = v->L.explain;
    fill_rect(v, r, pal(COL_PANEL));
    char head[160], t[48], text[1024];
    if (v->step == 0) {
        snprintf(head, sizeof head, "step 0");
        snprintf(text, sizeof text, "Before the first event.  Right arrow steps forward, space plays, ? lists the keys; "
                                    "click the timeline to jump to a step.");
    } else {
        view_time(v, aw_model_state_time(v->st), true, t, sizeof t);
        snprintf(head, sizeof head, "#%lld  t=%s", (long long)v->step, t);
        aw_model_explain(v->m, v->step, text, sizeof text);
        if (v->folded && v->step == v->count) {
            snprintf(text, sizeof text, "asyncio.run shuts down (%lld steps, folded into one; x shows them): main is done, "
                                        "what is left is cancelled, async generators and the default executor are "
                                        "shut down, and the loop is closed.",
                     (long long)(v->count - v->shutdown + 1));
        }
    }
    int hw = text_draw(v, FONT_BOLD, pal(COL_TEXT), r.x + 8, r.y + 6, head, 0);
    int min = text_width(v, FONT_BOLD, "#0000  t=0.000");
    int x = r.x + 8 + (hw > min ? hw : min) + 12;
    draw_wrapped(v, FONT_SANS, pal(COL_TEXT), x, r.y + 6, r.x + r.w - 8 - x, r.y + r.h, text);
    if (v->layout) cJSON_AddStringToObject(v->layout, "explanation", text);
}

/* ---- the legend ------------------------------------------------------------------------------------ */

enum { LEG_STATE, LEG_MARK, LEG_PLAYHEAD, LEG_FADED, LEG_ARROW, LEG_LATE, LEG_HEAD };

typedef struct leg_item {
    int kind, arg;
    const char *text;
} leg_item;

int legend_walk(view *v, SDL_Rect r, bool draw)
{
    static const aw_model_task_state states[] = {AW_MODEL_CREATED, AW_MODEL_READY,     AW_MODEL_RUNNING,
                                                 AW_MODEL_WAITING, AW_MODEL_BLOCKED,   AW_MODEL_DONE,
                                                 AW_MODEL_FAILED,  AW_MODEL_CANCELLED};
    static const char *names[] = {"created", "ready", "running", "waiting", "blocked by CPU work",
                                  "done",    "failed", "cancelled"};
    leg_item items[40];
    int n = 0;
    items[n++] = (leg_item){LEG_HEAD, 0, "task states:"};
    for (int i = 0; i < 8; i++) items[n++] = (leg_item){LEG_STATE, (int)states[i], names[i]};
    items[n++] = (leg_item){LEG_HEAD, 0, "marks:"};
    for (int k = 0; k < MARK__N; k++) items[n++] = (leg_item){LEG_MARK, k, pal_mark_name((mark_kind)k)};
    items[n++] = (leg_item){LEG_ARROW, 0, "cause \u2192 what it wakes"};
    items[n++] = (leg_item){LEG_LATE, 0, "late timer: due \u2192 ran"};
    items[n++] = (leg_item){LEG_PLAYHEAD, 0, "current step"};
    items[n++] = (leg_item){LEG_FADED, 0, v->quiz ? "(the future is hidden: quiz)" : "faded: after the current step"};
    int sh = v->font_h[FONT_SMALL], x = r.x, y = r.y + 4, rows = 1, sw = sh * 2;
    int size = mark_size_for(v->L.lane_h);
    cJSON *lj = draw && v->layout ? cJSON_AddArrayToObject(v->layout, "legend") : NULL;
    for (int i = 0; i < n; i++) {
        leg_item *it = &items[i];
        int icon = it->kind == LEG_HEAD ? 0 : it->kind == LEG_MARK ? size + 6 : it->kind == LEG_PLAYHEAD ? 12 : sw + 4;
        int need = icon + text_width(v, FONT_SMALL, it->text) + 14;
        if (x > r.x && (x + need > r.x + r.w || (it->kind == LEG_HEAD && i > 0))) {
            x = r.x;
            y += sh + 6;
            rows++;
        }
        if (draw) {
            switch (it->kind) {
            case LEG_STATE: {
                SDL_Rect s = {x, y + 2, sw - 4, sh - 3};
                fill_rect(v, s, pal_state((aw_model_task_state)it->arg));
                if (lj) {
                    cJSON *o = cJSON_CreateObject();
                    cJSON_AddStringToObject(o, "state", aw_model_state_name((aw_model_task_state)it->arg));
                    cJSON_AddNumberToObject(o, "x", s.x + s.w / 2);
                    cJSON_AddNumberToObject(o, "y", s.y + s.h / 2);
                    cJSON_AddItemToArray(lj, o);
                }
                break;
            }
            case LEG_MARK: draw_mark_shape(v, (mark_kind)it->arg, x + size / 2 + 1, y + sh / 2, size, false); break;
            case LEG_PLAYHEAD: fill_rect(v, (SDL_Rect){x + 4, y, 2, sh}, pal(COL_PLAYHEAD)); break;
            case LEG_FADED: fill_rect(v, (SDL_Rect){x, y + 2, sw - 4, sh - 3}, pal_ghost(pal_state(AW_MODEL_RUNNING))); break;
            case LEG_ARROW:
                fill_rect(v, (SDL_Rect){x, y + sh / 2 - 1, sw - 8, 2}, pal_arrow());
                for (int k = 0; k < 5; k++)
                    fill_rect(v, (SDL_Rect){x + sw - 9 + k, y + sh / 2 - 4 + k, 1, 9 - 2 * k}, pal_arrow());
                break;
            case LEG_LATE:
                fill_rect(v, (SDL_Rect){x, y + sh / 2, sw - 4, 2}, pal(COL_WARN));
                fill_rect(v, (SDL_Rect){x, y + 2, 2, sh - 4}, pal(COL_WARN));
                fill_rect(v, (SDL_Rect){x + sw - 6, y + 2, 2, sh - 4}, pal(COL_WARN));
                break;
            default: break;
            }
            text_draw(v, FONT_SMALL, it->kind == LEG_HEAD ? pal(COL_DIM) : pal(COL_TEXT), x + icon, y, it->text, 0);
        }
        x += need;
    }
    return rows;
}

void draw_legend(view *v) { legend_walk(v, v->L.legend, true); }
