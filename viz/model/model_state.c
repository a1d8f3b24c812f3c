/* model_state.c — the state at a step: seeking (restore the nearest keyframe, or go on from
 * where the state is, then replay events through model_fold.c) and what trace_model.h's getters
 * read from it: tasks, pending timers, the ready queue. */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* ---- seeking ---------------------------------------------------------------------------------- */

aw_model_state *aw_model_state_new(const aw_model *m)
{
    aw_model_state *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->m = m;
    if (!aw__fold_reserve(st)) {
        aw_model_state_free(st);
        return NULL;
    }
    return st;
}

void aw_model_state_free(aw_model_state *st)
{
    if (!st) return;
    free(st->tasks);
    free(st->live);
    free(st->timers);
    free(st->timer_pos);
    free(st->sorted);
    free(st->ready);
    free(st->ready_pos);
    free(st);
}

const aw_model *aw_model_state_model(const aw_model_state *st) { return st->m; }

/* The last keyframe at or before `step`. */
static const mkey *key_before(const aw_model *m, int64_t step)
{
    size_t lo = 0, hi = m->nkeys; /* keys[0] is step 0 */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->keys[mid].step <= step) lo = mid;
        else hi = mid;
    }
    return &m->keys[lo];
}

int64_t aw_model_seek(aw_model_state *st, int64_t step)
{
    const aw_model *m = st->m;
    if (step < 0) step = 0;
    if (step > m->store.n) step = m->store.n;
    if (step == st->step) return step;
    const mkey *k = key_before(m, step);
    /* Go on from where we are when that replays fewer events than the keyframe would. */
    if (!(st->step < step && st->step >= k->step) && !aw__fold_restore(st, k)) goto oom;
    mcursor c;
    aw__mstore_cursor(&m->store, st->step + 1, &c);
    aw_model_event ev;
    while (st->step < step && aw__mstore_next(&m->store, &c, &ev))
        if (!aw__fold_apply(st, &ev)) goto oom;
    aw__fold_tidy(st); /* the getters read the ready queue without holes */
    return st->step;
oom:
    aw__fold_reset(st);
    return -1;
}

int64_t aw_model_state_step(const aw_model_state *st) { return st->step; }
int64_t aw_model_state_iter(const aw_model_state *st) { return st->iter; }
int64_t aw_model_state_time(const aw_model_state *st) { return st->t_ns; }
int64_t aw_model_state_running(const aw_model_state *st) { return st->running; }

/* ---- tasks ------------------------------------------------------------------------------------ */

size_t aw_model_task_count(const aw_model_state *st)
{
    const aw_model *m = st->m;
    size_t lo = 0, hi = m->ntasks; /* creation steps increase along task_ids */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->futs[m->task_ids[mid]].created_step <= st->step) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

bool aw_model_task_at(const aw_model_state *st, size_t i, aw_model_task *out)
{
    return i < aw_model_task_count(st) && aw_model_task_get(st, st->m->task_ids[i], out);
}

bool aw_model_task_get(const aw_model_state *st, int64_t id, aw_model_task *out)
{
    const aw_model *m = st->m;
    const mfut *f = aw__fut(m, id, st->step);
    if (!f || !f->is_task) return false;
    memset(out, 0, sizeof *out);
    out->id = id;
    out->name = aw__str(m, f->name);
    out->coro = aw__str(m, f->coro);
    out->parent = f->parent;
    out->created_step = f->created_step;
    out->timeout_ns = AW_MODEL_NULL;
    const mtask_facts *tf = aw__task_facts(m, f);
    if (tf->final_step <= st->step) {
        out->state = (aw_model_task_state)tf->final_state;
        out->since_step = tf->final_step;
        out->since_t_ns = tf->final_t;
        out->exc = aw__str(m, f->exc);
    } else {
        const mtask *t = &st->tasks[id];
        out->state = (aw_model_task_state)t->state;
        out->on = t->on;
        out->since_step = t->since_step;
        out->since_t_ns = t->since_t;
        out->cancelling = t->cancelling;
        out->cancel_pending = t->cancel_pending;
        out->timeout_ns = t->timeout_ns;
        out->file = aw__str(m, t->loc_file);
        out->line = t->loc_line;
    }
    if (f->done_step <= st->step) {
        out->result = aw__str(m, f->result);
        out->message = aw__str(m, f->message);
    }
    return true;
}

/* ---- timers, ready queue ---------------------------------------------------------------------- */

size_t aw_model_timer_count(const aw_model_state *st) { return st->ntimers; }

static const aw_model *sort_model;
static int by_deadline(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    int64_t dx = sort_model->handles[x].deadline_ns, dy = sort_model->handles[y].deadline_ns;
    return dx < dy ? -1 : dx > dy ? 1 : (x > y) - (x < y);
}

/* The heap in firing order, sorted once per step it is asked at (a cache: the state's content
 * does not change). */
static const int64_t *timers_sorted(const aw_model_state *cst)
{
    aw_model_state *st = (aw_model_state *)cst;
    if (st->sorted_step == st->step && st->sorted) return st->sorted;
    if (!aw__grow((void **)&st->sorted, &st->sorted_cap, st->ntimers ? st->ntimers : 1, sizeof *st->sorted)) return NULL;
    if (st->ntimers) memcpy(st->sorted, st->timers, st->ntimers * sizeof *st->sorted);
    sort_model = st->m;
    qsort(st->sorted, st->ntimers, sizeof *st->sorted, by_deadline);
    st->sorted_step = st->step;
    return st->sorted;
}

bool aw_model_timer_at(const aw_model_state *st, size_t i, aw_model_timer *out)
{
    const int64_t *sorted = i < st->ntimers ? timers_sorted(st) : NULL;
    if (!sorted) return false;
    const mhandle *h = &st->m->handles[sorted[i]];
    *out = (aw_model_timer){sorted[i], h->deadline_ns, aw__str(st->m, h->callback), h->task, h->future};
    return true;
}

size_t aw_model_ready_count(const aw_model_state *st) { return st->nready; }
int64_t aw_model_ready_at(const aw_model_state *st, size_t i)
{
    return i < st->nready ? st->ready[st->ready_off + i] : 0;
}
