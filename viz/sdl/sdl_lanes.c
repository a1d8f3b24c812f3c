/* sdl_lanes.c — the visible lanes, one state per pixel column, over the visible window only.  Two rows per lane: `vivid`, the lane up to the current
 * step, and `ghost`, the whole trace (drawn faded where vivid is empty).  The ghost rows change
 * only with the view; the vivid ones with the step too.  Both are kept until either changes.
 *
 * A finished task's last state lasts for ever, but in a simulated trace it often begins at the
 * very last instant (the loop closes right after), where it would be zero pixels wide.  So a
 * final state is drawn from where it begins to the end of the track.
 *
 * Rasterising uses aw_model_task_segments(), which finds the segments in the visible window by
 * binary search: zoomed in on a long trace, a lane costs what is visible, not its history. */
#include <stdlib.h>
#include <string.h>

#include "sdl_viewer.h"

void lanes_free(vlane_cache *lc)
{
    free(lc->vivid);
    free(lc->ghost);
    memset(lc, 0, sizeof *lc);
}

/* Fills the columns after a final state's start with it (see above). */
static void final_tail(const view *v, const aw_model_state *st, int64_t task, uint8_t *row, int cells)
{
    aw_model_task t;
    if (!aw_model_task_get(st, task, &t) || !aw_model_state_final(t.state)) return;
    int64_t p = v->axis == AW_MODEL_AXIS_STEP ? t.since_step : t.since_t_ns;
    double c = ((double)p - (double)v->v0) * cells / (double)(v->v1 - v->v0);
    int c0 = c < 0 ? 0 : c >= cells ? cells : (int)c;
    for (int i = c0; i < cells; i++)
        if (row[i] == AW_MODEL_NONE) row[i] = (uint8_t)t.state;
}

/* Which state a column shows when several touch it (as aw_model_task_lane() decides for the
 * terminal): a run, even of no duration, beats waiting; CPU-bound blocking beats a run; among
 * the rest the longest wins.  Unlike aw_model_task_lane(), the column of the current step keeps
 * what happened in it: the playhead already says where "now" is, and an instant's run at the
 * last step (a task printing and finishing) must stay visible. */
static int rank(int s) { return s == AW_MODEL_BLOCKED ? 2 : s == AW_MODEL_RUNNING ? 1 : 0; }

typedef struct raster_buf {
    aw_model_segment *seg;
    size_t cap;
    int64_t *best;   /* per column: the winning segment's overlap, -1: none yet */
    int cells;
} raster_buf;

static size_t segments(const view *v, int64_t task, int64_t step, raster_buf *rb)
{
    int64_t t0 = v->v0, t1 = v->v1;
    if (v->axis == AW_MODEL_AXIS_STEP) { /* the model clips by time: the steps' times bound them */
        t0 = aw_model_step_time(v->m, v->v0 < 1 ? 1 : v->v0);
        t1 = v->v1 >= v->count ? INT64_MAX : aw_model_step_time(v->m, v->v1 < 1 ? 1 : v->v1);
    }
    for (;;) {
        size_t n = aw_model_task_segments(v->m, task, step, t0, t1, rb->seg, rb->cap);
        if (n <= rb->cap) return n;
        aw_model_segment *g = realloc(rb->seg, n * sizeof *g);
        if (!g) return rb->cap; /* draw what fits */
        rb->seg = g;
        rb->cap = n;
    }
}

static void raster(const view *v, const aw_model_state *st, int64_t task, int64_t step, uint8_t *row, raster_buf *rb)
{
    int cells = rb->cells;
    memset(row, AW_MODEL_NONE, (size_t)cells);
    for (int c = 0; c < cells; c++) rb->best[c] = -1;
    size_t n = segments(v, task, step, rb);
    double span = (double)(v->v1 - v->v0), per = span / cells;
    for (size_t i = 0; i < n; i++) {
        const aw_model_segment *s = &rb->seg[i];
        bool step_axis = v->axis == AW_MODEL_AXIS_STEP;
        double a = (double)(step_axis ? s->step_start : s->t_start_ns), b = (double)(step_axis ? s->step_end : s->t_end_ns);
        double ca = (a - (double)v->v0) / per, cb = (b - (double)v->v0) / per;
        if (cb < 0 || ca >= cells) continue;
        int c0 = ca < 0 ? 0 : (int)ca, c1 = cb >= cells ? cells - 1 : (int)cb;
        /* [a, b): b belongs to the next segment, unless this one is the open last one */
        if (i + 1 < n && b > a && c1 > c0 && (double)c1 == cb) c1--;
        for (int c = c0; c <= c1; c++) {
            double lo = (double)v->v0 + per * c, hi = lo + per;
            double ov = (b < hi ? b : hi) - (a > lo ? a : lo);
            int64_t len = ov > 0 ? (int64_t)ov : 0;
            int cur = row[c];
            if (rb->best[c] < 0 || rank(s->state) > rank(cur) || (rank(s->state) == rank(cur) && len > rb->best[c])) {
                row[c] = (uint8_t)s->state;
                rb->best[c] = len;
            }
        }
    }
    final_tail(v, st, task, row, cells);
}

void lanes_update(view *v)
{
    vlane_cache *lc = &v->lc;
    size_t first = v->lane_scroll, n = v->nlanes > first ? v->nlanes - first : 0;
    if (n > v->L.lanes_fit) n = v->L.lanes_fit;
    int cells = v->L.track.w;
    bool same_view = lc->valid && lc->v0 == v->v0 && lc->v1 == v->v1 && lc->cells == cells &&
                     lc->axis == (int)v->axis && lc->first == first && lc->n == n;
    if (same_view && lc->step == v->step) return;
    size_t need = n * (size_t)cells;
    if (need > lc->cap) {
        uint8_t *a = realloc(lc->vivid, need), *b = a ? realloc(lc->ghost, need) : NULL;
        if (a) lc->vivid = a;
        if (!a || !b) {
            lc->valid = false;
            lc->n = 0;
            return;
        }
        lc->ghost = b;
        lc->cap = need;
        same_view = false;
    }
    raster_buf rb = {NULL, 0, malloc((size_t)(cells > 0 ? cells : 1) * sizeof(int64_t)), cells};
    if (!rb.best) {
        lc->valid = false;
        lc->n = 0;
        return;
    }
    lc->v0 = v->v0, lc->v1 = v->v1, lc->cells = cells, lc->axis = (int)v->axis, lc->first = first, lc->n = n;
    for (size_t i = 0; i < n; i++) {
        int64_t task = v->lanes[first + i];
        if (view_future_hidden(v)) memset(lc->ghost + i * (size_t)cells, AW_MODEL_NONE, (size_t)cells);
        else if (!same_view) raster(v, v->fin, task, v->count, lc->ghost + i * (size_t)cells, &rb);
        if (v->step == v->count && !view_future_hidden(v)) memcpy(lc->vivid + i * (size_t)cells, lc->ghost + i * (size_t)cells, (size_t)cells);
        else raster(v, v->st, task, v->step, lc->vivid + i * (size_t)cells, &rb);
    }
    free(rb.best);
    free(rb.seg);
    lc->step = v->step;
    lc->valid = true;
    lc->gen++;
}

void lanes_runs(const view *v, size_t i, void (*fn)(void *ud, int x0, int x1, int state, bool ghost), void *ud)
{
    const vlane_cache *lc = &v->lc;
    if (!lc->valid || i >= lc->n) return;
    const uint8_t *a = lc->vivid + i * (size_t)lc->cells, *g = lc->ghost + i * (size_t)lc->cells;
    int start = 0, cur = -1;
    bool cur_ghost = false;
    for (int c = 0; c <= lc->cells; c++) {
        int s = -1;
        bool gh = false;
        if (c < lc->cells) {
            if (a[c] != AW_MODEL_NONE) s = a[c];
            else if (g[c] != AW_MODEL_NONE) s = g[c], gh = true;
        }
        if (s != cur || gh != cur_ghost) {
            if (cur >= 0) fn(ud, start, c, cur, cur_ghost);
            start = c;
            cur = s;
            cur_ghost = gh;
        }
    }
}
