/* sdl_draw_timeline.c — the timeline: the axis with its ticks, one lane per task (its runs of
 * one state, from sdl_lanes.c), the marks, and the playhead at the current step.  The track
 * itself is one image (sdl_layer.c), redrawn only when the lanes change; the lane names, the
 * axis and its marks are drawn on every frame.
 *
 * When v->layout is set, every rectangle and mark drawn is also recorded there, in the order
 * drawn, so tests can check the PNG's pixels at the places the viewer says it drew. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdl_viewer.h"

static cJSON *rect_json(SDL_Rect r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "x", r.x);
    cJSON_AddNumberToObject(o, "y", r.y);
    cJSON_AddNumberToObject(o, "w", r.w);
    cJSON_AddNumberToObject(o, "h", r.h);
    return o;
}

static cJSON *rgb_json(SDL_Color c)
{
    int a[3] = {c.r, c.g, c.b};
    return cJSON_CreateIntArray(a, 3);
}

/* ---- the axis -------------------------------------------------------------------------------- */

/* A tick interval of 1, 2 or 5 times a power of ten, at least `raw`. */
static int64_t nice_step(double raw)
{
    int64_t p = 1;
    while ((double)p * 10 <= raw && p < INT64_MAX / 100) p *= 10;
    if ((double)p >= raw) return p;
    if ((double)(2 * p) >= raw) return 2 * p;
    if ((double)(5 * p) >= raw) return 5 * p;
    return 10 * p;
}

/* The ticks in view: their offsets from the axis's origin.  Returns how many (at most max). */
static int axis_ticks(const view *v, int64_t *origin, int64_t *rel, int max)
{
    int64_t span = v->v1 - v->v0;
    *origin = v->axis == AW_MODEL_AXIS_TIME ? v->t0 : 0;
    if (span <= 0 || v->L.track.w <= 0) return 0;
    int64_t step = nice_step((double)span * 110.0 / v->L.track.w);
    if (step < 1) step = 1;
    /* the first multiple of step (from the origin) at or after v0 */
    int64_t rel0 = v->v0 - *origin, k = rel0 / step;
    if (k * step < rel0) k++;
    int n = 0;
    for (int64_t r = k * step; *origin + r <= v->v1 && n < max; r += step) rel[n++] = r;
    return n;
}

static void draw_axis(view *v)
{
    const vlayout *L = &v->L;
    SDL_Rect a = L->axis;
    fill_rect(v, (SDL_Rect){a.x, a.y + a.h - 1, a.w, 1}, pal(COL_DIM));
    int64_t origin, rel[64];
    int n = axis_ticks(v, &origin, rel, 64);
    for (int i = 0; i < n; i++) {
        int x = (int)view_x_of(v, origin + rel[i]);
        fill_rect(v, (SDL_Rect){x, a.y + a.h - 5, 1, 5}, pal(COL_DIM));
        char t[48], label[64];
        if (v->axis == AW_MODEL_AXIS_TIME) snprintf(label, sizeof label, "%s s", aw_model_format_time(rel[i], t, sizeof t));
        else snprintf(label, sizeof label, "#%lld", (long long)rel[i]);
        int w = text_width(v, FONT_SMALL, label);
        if (x + w / 2 < a.x + a.w + 10) text_draw(v, FONT_SMALL, pal(COL_DIM), x - w / 2, a.y + 2, label, 0);
    }
    const aw_trace_header *hd = aw_model_header(v->m);
    bool real = hd && hd->clock && !strcmp(hd->clock, "real");
    const char *what = v->axis == AW_MODEL_AXIS_STEP ? "steps (a: time)" : real ? "real time (a: steps)" : "virtual time (a: steps)";
    text_draw(v, FONT_SMALL, pal(COL_DIM), L->labels.x, a.y + 2, what, L->labels.w);
    if (v->axis == AW_MODEL_AXIS_STEP) { /* the clock, where it changes: time is not hidden */
        int y2 = a.y + v->font_h[FONT_SMALL] + 4, last_end = INT32_MIN;
        text_draw(v, FONT_SMALL, pal(COL_PLAYHEAD), L->labels.x, y2, "clock", L->labels.w);
        int64_t s0 = v->v0 < 1 ? 1 : v->v0, s1 = v->v1 > v->count ? v->count : v->v1;
        if (v->folded && s1 > v->shutdown) s1 = v->shutdown;
        if (s1 - s0 > 4000) s1 = s0 + 4000; /* zoomed out on a long trace: the first ones */
        int64_t prev = s0 > 1 ? aw_model_step_time(v->m, s0 - 1) : INT64_MIN;
        for (int64_t st = s0; st <= s1; st++) {
            int64_t t = aw_model_step_time(v->m, st);
            if (t == prev) continue;
            prev = t;
            int x = (int)view_x_of(v, st);
            char tl[48], label[64];
            snprintf(label, sizeof label, "%s s", view_time(v, t, true, tl, sizeof tl));
            fill_rect(v, (SDL_Rect){x, y2, 1, a.y + a.h - y2}, pal(COL_PLAYHEAD));
            if (x + 3 > last_end) last_end = x + 3 + text_draw(v, FONT_SMALL, pal(COL_PLAYHEAD), x + 3, y2, label, 0) + 6;
        }
    }

}

/* The folded shutdown: one position at the end, said in words under the lanes. */
static void draw_fold_label(view *v)
{
    const vlayout *L = &v->L;
    SDL_Rect a = L->axis;
    if (v->folded) { /* the folded shutdown: one position at the end */
        int x = (int)view_x_of(v, view_step_pos(v, v->count));
        char buf[96];
        snprintf(buf, sizeof buf, "▸ asyncio.run shutdown (%lld steps, x)", (long long)(v->count - v->shutdown + 1));
        int w = text_width(v, FONT_SMALL, buf);
        (void)L;
        text_draw(v, FONT_SMALL, pal(COL_DIM), x - w > a.x ? x - w : a.x, a.y + 2, buf, 0); /* on the axis */
    }
}

static void layer_grid(view *v)
{
    int64_t origin, rel[64];
    int n = axis_ticks(v, &origin, rel, 64);
    for (int i = 0; i < n; i++)
        layer_fill(v, (SDL_Rect){(int)view_x_of(v, origin + rel[i]), v->L.track.y, 1, v->L.track.h}, pal(COL_GRID));
}

/* ---- lanes ----------------------------------------------------------------------------------- */

typedef struct run_ctx {
    view *v;
    SDL_Rect lane;
    bool strong;     /* this pass draws runs (true) or waits (false) */
    cJSON *runs;     /* layout: the runs drawn */
} run_ctx;

static bool is_strong(int state) { return state == AW_MODEL_RUNNING || state == AW_MODEL_BLOCKED; }

/* Running and blocked runs are often a single instant (a zero-width column on the time axis):
 * they are drawn at least 3 pixels wide, over their neighbours, so every run is seen. */
static void draw_run(void *ud, int x0, int x1, int state, bool ghost)
{
    run_ctx *c = ud;
    if (is_strong(state) != c->strong) return;
    if (c->strong && x1 - x0 < 3) x1 = x0 + 3 <= c->lane.w ? x0 + 3 : c->lane.w;
    SDL_Color col = pal_state((aw_model_task_state)state);
    if (ghost) col = pal_ghost(col);
    SDL_Rect r = {c->lane.x + x0, c->lane.y, x1 - x0, c->lane.h};
    if (aw_model_state_final((aw_model_task_state)state)) { /* a finished task: a thinner band, so */
        int h = c->lane.h / 2;                              /* the lane reads as ended, its outcome kept */
        r.y += (c->lane.h - h) / 2;
        r.h = h;
    }
    layer_fill(c->v, r, col);
    if (c->runs) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "x0", r.x);
        cJSON_AddNumberToObject(o, "x1", r.x + r.w);
        cJSON_AddNumberToObject(o, "y0", r.y);
        cJSON_AddNumberToObject(o, "y1", r.y + r.h);
        cJSON_AddStringToObject(o, "state", aw_model_state_name((aw_model_task_state)state));
        cJSON_AddBoolToObject(o, "ghost", ghost);
        cJSON_AddItemToObject(o, "rgb", rgb_json(col));
        cJSON_AddItemToArray(c->runs, o);
    }
}

static void draw_labels(view *v)
{
    const vlayout *L = &v->L;
    int64_t running = aw_model_state_running(v->st);
    for (size_t i = 0; i < v->lc.n; i++) {
        size_t lane = v->lc.first + i;
        SDL_Rect r = lane_rect(v, lane);
        if (r.h <= 0) continue;
        char label[160];
        view_lane_label(v, lane, label, sizeof label);
        int font = L->lane_h >= v->font_h[FONT_SANS] ? FONT_SANS : FONT_SMALL;
        int ty = r.y + (r.h - v->font_h[font]) / 2;
        bool is_running = v->lanes[lane] == running; /* the task whose step runs now: bold, green */
        int sw = v->font_h[FONT_SMALL] - 4; /* the task's colour: its output lines, its name in the code */
        fill_rect(v, (SDL_Rect){L->labels.x, r.y + (r.h - sw) / 2, sw, sw}, pal_task(lane));
        int lx = L->labels.x + sw + 6;
        text_draw(v, is_running ? FONT_BOLD : font, is_running ? pal_state(AW_MODEL_RUNNING) : pal(COL_TEXT), lx, ty,
                  label, L->labels.x + L->labels.w - 4 - lx);
    }
}

static void layer_lanes(view *v, cJSON *lanes_json)
{
    for (size_t i = 0; i < v->lc.n; i++) {
        size_t lane = v->lc.first + i;
        SDL_Rect r = lane_rect(v, lane);
        if (r.h <= 0) continue;
        /* the rail: where the lane is, from the task's creation (no lane before it exists) */
        aw_model_task tk = {0};
        int rx = r.x;
        if (aw_model_task_get(v->fin, v->lanes[lane], &tk)) {
            double cx = view_x_of(v, view_step_pos(v, tk.created_step));
            rx = cx < r.x ? r.x : cx > r.x + r.w ? r.x + r.w : (int)cx;
        }
        if (!view_future_hidden(v) || tk.created_step <= v->step)
            layer_fill(v, (SDL_Rect){rx, r.y + r.h / 2, r.x + r.w - rx, 1}, pal(COL_GRID));
        run_ctx c = {v, r, false, NULL};
        if (lanes_json) {
            char label[160];
            cJSON *lj = cJSON_CreateObject();
            cJSON_AddNumberToObject(lj, "task", (double)v->lanes[lane]);
            cJSON_AddStringToObject(lj, "label", view_lane_label(v, lane, label, sizeof label));
            cJSON_AddItemToObject(lj, "rect", rect_json(r));
            c.runs = cJSON_AddArrayToObject(lj, "runs");
            cJSON_AddArrayToObject(lj, "marks");
            cJSON_AddItemToArray(lanes_json, lj);
        }
        lanes_runs(v, i, draw_run, &c);
        c.strong = true;
        lanes_runs(v, i, draw_run, &c);
    }
}

/* ---- marks ----------------------------------------------------------------------------------- */

static void mark_json(view *v, cJSON *arr, const vdrawn *d, int size)
{
    const vmark *mk = &v->marks[d->mark];
    bool ghost = mk->step > v->step;
    SDL_Color c = pal_mark((mark_kind)mk->kind);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", pal_mark_id((mark_kind)mk->kind));
    cJSON_AddNumberToObject(o, "step", (double)mk->step);
    cJSON_AddNumberToObject(o, "x", d->x);
    cJSON_AddNumberToObject(o, "y", d->y);
    cJSON_AddNumberToObject(o, "size", size);
    cJSON_AddBoolToObject(o, "ghost", ghost);
    cJSON_AddItemToObject(o, "rgb", rgb_json(ghost ? pal_ghost(c) : c));
    aw_model_event ev;
    if (mk->kind == MARK_OUTPUT && aw_model_event_get(v->m, mk->step, &ev) && ev.text)
        cJSON_AddStringToObject(o, "text", ev.text);
    cJSON_AddItemToArray(arr, o);
}

/* The lanes' marks, into the track's image (after place_marks). */
static void layer_marks(view *v, cJSON *lanes_json, int size)
{
    for (size_t i = 0; i < v->ndrawn; i++) {
        const vdrawn *d = &v->drawn[i];
        const vmark *mk = &v->marks[d->mark];
        if (mk->lane < 0) continue;
        layer_mark(v, (mark_kind)mk->kind, d->x, d->y, size, mk->step > v->step);
        if (lanes_json)
            mark_json(v, cJSON_GetObjectItem(cJSON_GetArrayItem(lanes_json, (int)((size_t)mk->lane - v->lc.first)), "marks"),
                      d, size);
    }
}

/* The marks of no task, on the axis: every frame, on the renderer. */
static void draw_axis_marks(view *v, cJSON *axis_marks)
{
    int size = mark_size_for(v->L.lane_h);
    for (size_t i = 0; i < v->ndrawn; i++) {
        const vdrawn *d = &v->drawn[i];
        const vmark *mk = &v->marks[d->mark];
        if (mk->lane >= 0) continue;
        draw_mark_shape(v, (mark_kind)mk->kind, d->x, d->y, size, mk->step > v->step);
        if (axis_marks) mark_json(v, axis_marks, d, size);
    }
}

/* ---- playhead -------------------------------------------------------------------------------- */

/* The playhead's column, or -1 when the current step is out of view. */
static int playhead_x(const view *v)
{
    int64_t p = view_step_pos(v, v->step);
    return p < v->v0 || p > v->v1 ? -1 : (int)view_x_of(v, p);
}

static void draw_playhead_head(view *v, int x)
{
    const vlayout *L = &v->L;
    SDL_Color c = pal(COL_PLAYHEAD);
    fill_rect(v, (SDL_Rect){x - 1, L->axis.y + L->axis.h - 8, 2, L->track.y - (L->axis.y + L->axis.h - 8)}, c);
    for (int i = 0; i < 6; i++) /* a small head on the axis */
        fill_rect(v, (SDL_Rect){x - 6 + i, L->axis.y + L->axis.h - 14 + i, 12 - 2 * i, 1}, c);
}

/* Redraws the track's image if the lanes or the layout changed since it was drawn (always when
 * recording the layout). */
static void update_layer(view *v, cJSON *lanes_json)
{
    const vlayout *L = &v->L;
    vlayer *ly = &v->layer;
    bool same = ly->valid && ly->gen == v->lc.gen && ly->lane_h == L->lane_h && ly->lane_pitch == L->lane_pitch &&
                !memcmp(&ly->track, &L->track, sizeof L->track);
    if (same && !lanes_json) return;
    /* a few pixels each side: marks at the track's edges are drawn whole */
    SDL_Rect r = {L->track.x - 8, L->track.y, L->track.w + 16, L->track.h};
    int size = mark_size_for(L->lane_h);
    if (!layer_begin(v, r)) {
        ly->valid = false;
        return;
    }
    layer_grid(v);
    layer_lanes(v, lanes_json);
    int px = playhead_x(v); /* under the marks: they are small, the line is long */
    if (px >= 0) layer_fill(v, (SDL_Rect){px - 1, L->track.y, 2, L->track.h}, pal(COL_PLAYHEAD));
    place_marks(v, size);
    layer_marks(v, lanes_json, size);
    layer_end(v);
    ly->gen = v->lc.gen;
    ly->track = L->track;
    ly->lane_h = L->lane_h, ly->lane_pitch = L->lane_pitch;
}

void draw_timeline(view *v)
{
    const vlayout *L = &v->L;
    cJSON *tl = NULL, *lanes_json = NULL, *axis_marks = NULL;
    if (v->layout) {
        tl = cJSON_AddObjectToObject(v->layout, "timeline");
        cJSON_AddItemToObject(tl, "track", rect_json(L->track));
        cJSON_AddItemToObject(tl, "axis_rect", rect_json(L->axis));
        cJSON_AddStringToObject(tl, "axis", v->axis == AW_MODEL_AXIS_TIME ? "time" : "step");
        cJSON_AddNumberToObject(tl, "v0", (double)v->v0);
        cJSON_AddNumberToObject(tl, "v1", (double)v->v1);
        cJSON_AddNumberToObject(tl, "lane_count", (double)v->nlanes);
        cJSON_AddNumberToObject(tl, "lane_scroll", (double)v->lane_scroll);
        lanes_json = cJSON_AddArrayToObject(tl, "lanes");
        axis_marks = cJSON_AddArrayToObject(tl, "axis_marks");
    }
    draw_axis(v);
    update_layer(v, lanes_json);
    layer_draw(v);
    draw_labels(v);
    draw_fold_label(v);
    draw_arrows(v);
    int px = playhead_x(v);
    if (px >= 0) draw_playhead_head(v, px);
    draw_axis_marks(v, axis_marks);
    if (tl) cJSON_AddNumberToObject(tl, "playhead_x", px);
    if (v->nlanes > v->lc.n) { /* say that some lanes are scrolled away */
        char buf[96];
        snprintf(buf, sizeof buf, "lanes %zu-%zu of %zu (wheel over the names scrolls)", v->lc.first + 1,
                 v->lc.first + v->lc.n, v->nlanes);
        text_draw(v, FONT_SMALL, pal(COL_DIM), L->labels.x, L->track.y + L->track.h - v->font_h[FONT_SMALL] + 2, buf,
                  0);
    }
    if (!v->nlanes) text_draw(v, FONT_SANS, pal(COL_DIM), L->track.x + 10, L->track.y + 10, "no tasks in this trace", 0);
}
