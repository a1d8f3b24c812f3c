/* model_lane.c — each task's states over time, for timelines: the segments (from the history
 * the loader recorded while folding) and a lane rasterised into cells, so that a terminal (one
 * character a cell) and a window (one pixel a cell) draw the same picture. */
#include <string.h>

#include "model_internal.h"

/* Transitions of the task at or before `step`. */
static uint32_t hist_upto(const mtask_facts *f, int64_t step)
{
    uint32_t lo = 0, hi = f->nhist;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->hist[mid].step <= step) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static aw_model_segment segment(const mtask_facts *f, uint32_t i, uint32_t k, int64_t step, int64_t t_step)
{
    const mtrans *a = &f->hist[i];
    aw_model_segment s = {a->step, step, a->t_ns, t_step, (aw_model_task_state)a->state, a->on};
    if (i + 1 < k) {
        s.step_end = f->hist[i + 1].step;
        s.t_end_ns = f->hist[i + 1].t_ns;
    }
    return s;
}

size_t aw_model_task_segments(const aw_model *m, int64_t task, int64_t step, int64_t t_from, int64_t t_to,
                              aw_model_segment *out, size_t max)
{
    const mfut *fut = aw__fut(m, task, step);
    if (!fut || !fut->is_task) return 0;
    const mtask_facts *f = aw__task_facts(m, fut);
    uint32_t k = hist_upto(f, step);
    if (!k) return 0;
    int64_t t_step = aw_model_step_time(m, step);
    /* the first segment that ends at or after t_from: ends never decrease */
    uint32_t lo = 0, hi = k - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->hist[mid + 1].t_ns < t_from) lo = mid + 1;
        else hi = mid;
    }
    size_t n = 0;
    for (uint32_t i = lo; i < k && f->hist[i].t_ns <= t_to; i++) {
        aw_model_segment s = segment(f, i, k, step, t_step);
        if (s.t_end_ns < t_from) continue;
        if (n < max) out[n] = s;
        n++;
    }
    return n;
}

/* Which state a cell shows when several touch it: a run (even of no duration) beats everything,
 * a CPU-bound block beats a run; otherwise the longest. */
static int rank(aw_model_task_state s) { return s == AW_MODEL_BLOCKED ? 2 : s == AW_MODEL_RUNNING ? 1 : 0; }

void aw_model_task_lane(const aw_model *m, int64_t task, int64_t step, aw_model_axis axis, int64_t from,
                        int64_t to, size_t cells, aw_model_task_state *out)
{
    for (size_t c = 0; c < cells; c++) out[c] = AW_MODEL_NONE;
    const mfut *fut = aw__fut(m, task, step);
    if (!fut || !fut->is_task || cells == 0 || to <= from) return;
    const mtask_facts *f = aw__task_facts(m, fut);
    uint32_t k = hist_upto(f, step);
    int64_t t_step = axis == AW_MODEL_AXIS_TIME ? aw_model_step_time(m, step) : step;
    /* multiply before dividing: a point exactly on a cell boundary lands exactly on it */
    double span = (double)(to - from), ncell = (double)cells;
    /* best overlap so far per cell; -1: nothing yet */
    int64_t best[512];
    for (size_t base = 0; base < cells; base += 512) { /* in chunks: no allocation */
        size_t nc = cells - base < 512 ? cells - base : 512;
        for (size_t c = 0; c < nc; c++) best[c] = -1;
        for (uint32_t i = 0; i < k; i++) {
            aw_model_segment s = segment(f, i, k, step, t_step);
            int64_t a = axis == AW_MODEL_AXIS_TIME ? s.t_start_ns : s.step_start;
            int64_t b = axis == AW_MODEL_AXIS_TIME ? s.t_end_ns : s.step_end;
            if (b < from || a >= to) continue;
            double ca = ((double)a - (double)from) * ncell / span, cb = ((double)b - (double)from) * ncell / span;
            size_t c0 = ca <= (double)base ? base : (size_t)ca;
            size_t c1 = cb >= (double)(base + nc) ? base + nc - 1 : (size_t)cb;
            if (c0 < base) c0 = base;
            if (c1 > cells - 1) c1 = cells - 1;
            /* [a, b): b is the next segment's start; the last segment holds at b itself */
            if (i + 1 < k && b > a && c1 > c0 && (double)c1 == cb) c1--;
            for (size_t c = c0; c <= c1 && c < base + nc; c++) {
                double lo = (double)from + span * (double)c / ncell, hi = (double)from + span * (double)(c + 1) / ncell;
                double ov = ((double)b < hi ? (double)b : hi) - ((double)a > lo ? (double)a : lo);
                int64_t len = ov > 0 ? (int64_t)ov : 0;
                size_t j = c - base;
                aw_model_task_state cur = out[c];
                if (best[j] < 0 || rank(s.state) > rank(cur) || (rank(s.state) == rank(cur) && len > best[j])) {
                    out[c] = s.state;
                    best[j] = len;
                }
            }
        }
    }
    /* The cell of `step` itself shows the state at that step, as the task's row says it. */
    if (k) {
        aw_model_segment last = segment(f, k - 1, k, step, t_step);
        int64_t at = axis == AW_MODEL_AXIS_TIME ? last.t_end_ns : last.step_end;
        double c = ((double)at - (double)from) * ncell / span;
        if (at >= from && at < to && c < ncell) out[(size_t)c] = last.state;
    }
}
