/* model_nav.c — finding steps: by loop iteration, by time, by output line, by text; and the
 * source location and the output so far at a step.  Steps are found by binary search, since
 * iter, t_ns and the fact arrays never decrease along the trace. */
#include <string.h>

#include "model_internal.h"

/* ---- locations, output ------------------------------------------------------------------------ */

/* The index of the first item whose step is > step (items are in step order). */
static size_t locs_after(const mloc *a, size_t n, int64_t step)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid].step <= step) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static size_t steps_after(const int64_t *a, size_t n, int64_t step)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] <= step) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

bool aw_model_location(const aw_model_state *st, const char *file, const char **file_out, int *line_out)
{
    const aw_model *m = st->m;
    for (size_t i = locs_after(m->locs, m->nlocs, st->step); i > 0; i--) {
        const mloc *l = &m->locs[i - 1];
        const char *lf = aw__str(m, l->file);
        if (file && strcmp(lf, file) != 0) continue;
        if (file_out) *file_out = lf;
        if (line_out) *line_out = l->line;
        return true;
    }
    return false;
}

size_t aw_model_output_count(const aw_model *m, int64_t step)
{
    return steps_after(m->outputs, m->noutputs, step);
}

bool aw_model_output_at(const aw_model *m, size_t i, aw_model_output *out)
{
    aw_model_event ev;
    if (i >= m->noutputs || !aw__mstore_get(&m->store, m->outputs[i], &ev)) return false;
    *out = (aw_model_output){ev.step, ev.t_ns, ev.task, ev.text ? ev.text : ""};
    return true;
}

/* ---- navigation ------------------------------------------------------------------------------- */

int64_t aw_model_step_iter(const aw_model *m, int64_t step)
{
    aw_model_event ev;
    return aw__mstore_get(&m->store, step, &ev) ? ev.iter : 0;
}

int64_t aw_model_step_time(const aw_model *m, int64_t step)
{
    aw_model_event ev;
    return aw__mstore_get(&m->store, step, &ev) ? ev.t_ns : 0;
}

/* The first step in [lo, hi] whose iter (or time) is >= v; hi + 1 if none.  Both never decrease. */
static int64_t first_at_least(const aw_model *m, int64_t lo, int64_t hi, int64_t v, bool time)
{
    hi++;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int64_t x = time ? aw_model_step_time(m, mid) : aw_model_step_iter(m, mid);
        if (x < v) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

int64_t aw_model_next_iteration(const aw_model *m, int64_t step)
{
    int64_t n = m->store.n;
    if (step >= n) return n;
    if (step < 0) step = 0;
    int64_t s = first_at_least(m, step + 1, n, aw_model_step_iter(m, step) + 1, false);
    return s > n ? n : s;
}

int64_t aw_model_prev_iteration(const aw_model *m, int64_t step)
{
    if (step > m->store.n) step = m->store.n;
    if (step <= 1) return 0;
    int64_t first = first_at_least(m, 1, step, aw_model_step_iter(m, step), false);
    if (first < step) return first;
    if (first <= 1) return 0;
    return first_at_least(m, 1, first - 1, aw_model_step_iter(m, first - 1), false);
}

int64_t aw_model_find_time(const aw_model *m, int64_t t_ns)
{
    if (t_ns <= 0 || m->store.n == 0) return 0;
    int64_t s = first_at_least(m, 1, m->store.n, t_ns, true);
    return s > m->store.n ? m->store.n : s;
}

int64_t aw_model_next_output(const aw_model *m, int64_t step)
{
    size_t i = aw_model_output_count(m, step);
    return i < m->noutputs ? m->outputs[i] : -1;
}

int64_t aw_model_prev_output(const aw_model *m, int64_t step)
{
    size_t i = aw_model_output_count(m, step - 1);
    return i > 0 ? m->outputs[i - 1] : -1;
}
