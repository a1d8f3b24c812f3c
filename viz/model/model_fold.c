/* model_fold.c — how each event changes the state of the loop: the one place that decides what
 * "task 3 is waiting on future 7" means.  Loading runs it over the whole trace (recording each
 * task's history and the keyframes); seeking runs it again from a keyframe, so both always agree.
 *
 * The fold is lenient: an event about a task it does not know (not created yet, already
 * finished, not a task) changes nothing.  The loader refuses what would break the model itself
 * (trace_model.c); everything else is shown as the trace says it.
 *
 * "Live" tasks (created, not finished) carry their changing state here; a finished task's state
 * never changes again, so it is read from its facts (final_step, result...) instead, and
 * keyframes need only the live ones.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

bool aw__fold_reserve(aw_model_state *st)
{
    size_t old = st->tasks_cap, need = st->m->nfut ? st->m->nfut : 1;
    if (need > old) {
        if (!aw__grow((void **)&st->tasks, &st->tasks_cap, need, sizeof *st->tasks)) return false;
        memset(st->tasks + old, 0, (st->tasks_cap - old) * sizeof *st->tasks);
    }
    old = st->ready_pos_cap;
    need = st->m->nhandle ? st->m->nhandle : 1;
    if (need > old) {
        if (!aw__grow((void **)&st->ready_pos, &st->ready_pos_cap, need, sizeof *st->ready_pos)) return false;
        memset(st->ready_pos + old, 0, (st->ready_pos_cap - old) * sizeof *st->ready_pos);
    }
    old = st->timer_pos_cap;
    if (need > old) {
        if (!aw__grow((void **)&st->timer_pos, &st->timer_pos_cap, need, sizeof *st->timer_pos)) return false;
        memset(st->timer_pos + old, 0, (st->timer_pos_cap - old) * sizeof *st->timer_pos);
    }
    return true;
}

/* Empties the ready queue, forgetting the positions of the handles it held. */
static void ready_clear(aw_model_state *st)
{
    for (size_t i = st->ready_off; i < st->ready_end; i++)
        if (st->ready[i]) st->ready_pos[st->ready[i]] = 0;
    st->nready = st->ready_off = st->ready_end = 0;
}

static void timers_clear(aw_model_state *st);

void aw__fold_reset(aw_model_state *st)
{
    st->step = st->iter = st->t_ns = 0;
    st->running = 0;
    st->nlive = 0;
    timers_clear(st);
    ready_clear(st);
}

/* Live as the event at st->step begins: created, and not finished before this step. */
static mtask *live_task(aw_model_state *st, int64_t id)
{
    const mfut *f = aw__fut(st->m, id, st->step);
    if (!f || !f->is_task || aw__task_facts(st->m, f)->final_step < st->step || (size_t)id >= st->tasks_cap)
        return NULL;
    return &st->tasks[id];
}

static bool push_id(int64_t **a, size_t *n, size_t *cap, int64_t id)
{
    if (!aw__grow((void **)a, cap, *n + 1, sizeof **a)) return false;
    (*a)[(*n)++] = id;
    return true;
}

static void live_remove(aw_model_state *st, int64_t id)
{
    uint32_t pos = st->tasks[id].live_pos;
    if (pos >= st->nlive || st->live[pos] != id) return;
    int64_t last = st->live[--st->nlive];
    st->live[pos] = last;
    st->tasks[last].live_pos = pos;
}

/* Records a change in the task's history (loading only).  Several changes within one event keep
 * only the last: a state is what holds after a whole event. */
static bool record(aw_model_state *st, int64_t id, const mtask *t)
{
    mtask_facts *f = aw__task_facts(st->rec, &st->rec->futs[id]);
    if (f->nhist && f->hist[f->nhist - 1].step == st->step) {
        f->hist[f->nhist - 1].state = t->state;
        f->hist[f->nhist - 1].on = (uint32_t)t->on;
    } else {
        size_t cap = f->hcap;
        if (!aw__grow((void **)&f->hist, &cap, (size_t)f->nhist + 1, sizeof *f->hist)) return false;
        f->hcap = (uint32_t)cap;
        f->hist[f->nhist++] = (mtrans){(uint32_t)st->step, (uint32_t)t->on, st->t_ns, t->state};
    }
    if (aw_model_state_final((aw_model_task_state)t->state)) {
        f->final_step = st->step;
        f->final_t = st->t_ns;
        f->final_state = t->state;
    }
    return true;
}

static bool set_state(aw_model_state *st, int64_t id, aw_model_task_state state, int64_t on)
{
    mtask *t = &st->tasks[id];
    if (t->state == state && t->on == on) return true;
    t->state = (uint8_t)state;
    t->on = on;
    t->since_step = st->step;
    t->since_t = st->t_ns;
    if (aw_model_state_final(state)) {
        live_remove(st, id);
        t->cancel_pending = 0;
    }
    return st->rec ? record(st, id, t) : true;
}

/* ---- timers and the ready queue ---------------------------------------------------------------- */

/* Pending timers are a binary heap by (deadline, handle): the order the loop fires them in, as
 * CPython's own heap (with creation order breaking ties).  timer_pos[h] is h's index + 1 in the
 * heap (0: not pending), so a timer is removed in O(log n) whatever the trace's order: a sorted
 * array would move the whole array for each timer set in descending deadline order. */
static bool timer_before(const aw_model *m, int64_t a, int64_t b)
{
    int64_t da = m->handles[a].deadline_ns, db = m->handles[b].deadline_ns;
    return da < db || (da == db && a < b);
}

static void heap_set(aw_model_state *st, size_t i, int64_t h)
{
    st->timers[i] = h;
    st->timer_pos[h] = (uint32_t)i + 1;
}

static void sift_up(aw_model_state *st, size_t i)
{
    int64_t h = st->timers[i];
    while (i > 0 && timer_before(st->m, h, st->timers[(i - 1) / 2])) {
        heap_set(st, i, st->timers[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(st, i, h);
}

static void sift_down(aw_model_state *st, size_t i)
{
    int64_t h = st->timers[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= st->ntimers) break;
        if (c + 1 < st->ntimers && timer_before(st->m, st->timers[c + 1], st->timers[c])) c++;
        if (!timer_before(st->m, st->timers[c], h)) break;
        heap_set(st, i, st->timers[c]);
        i = c;
    }
    heap_set(st, i, h);
}

static bool timer_add(aw_model_state *st, int64_t h)
{
    if (h <= 0 || (size_t)h >= st->timer_pos_cap || st->timer_pos[h]) return true; /* unknown or already pending */
    if (!aw__grow((void **)&st->timers, &st->timers_cap, st->ntimers + 1, sizeof *st->timers)) return false;
    st->timers[st->ntimers++] = h;
    sift_up(st, st->ntimers - 1);
    return true;
}

/* Returns whether h was a pending timer. */
static bool timer_remove(aw_model_state *st, int64_t h)
{
    if (h <= 0 || (size_t)h >= st->timer_pos_cap || !st->timer_pos[h]) return false;
    size_t i = st->timer_pos[h] - 1;
    st->timer_pos[h] = 0;
    int64_t last = st->timers[--st->ntimers];
    if (i < st->ntimers) {
        heap_set(st, i, last);
        sift_up(st, i);
        sift_down(st, st->timer_pos[last] - 1);
    }
    return true;
}

/* Empties the heap, forgetting the positions of the handles it held. */
static void timers_clear(aw_model_state *st)
{
    for (size_t i = 0; i < st->ntimers; i++) st->timer_pos[st->timers[i]] = 0;
    st->ntimers = 0;
}

/* Moves the queued handles to the front of the array, in order, closing the holes. */
static void ready_compact(aw_model_state *st)
{
    size_t o = 0;
    for (size_t i = st->ready_off; i < st->ready_end; i++) {
        int64_t h = st->ready[i];
        if (!h) continue;
        st->ready[o] = h;
        st->ready_pos[h] = (uint32_t)++o;
    }
    st->ready_off = 0;
    st->ready_end = o;
}

void aw__fold_tidy(aw_model_state *st)
{
    if (st->ready_end - st->ready_off != st->nready) ready_compact(st);
}

static bool ready_queued(const aw_model_state *st, int64_t h)
{
    return h > 0 && (uint64_t)h < st->ready_pos_cap && st->ready_pos[h];
}

/* The loop runs the ready queue from the front, so the usual removal is the first handle; any
 * other leaves a hole, and holes are compacted once they outnumber the queued handles (each
 * removal is O(1), amortized). */
static void ready_remove(aw_model_state *st, int64_t h)
{
    if (!ready_queued(st, h)) return; /* e.g. a timer handle: never in the queue */
    st->ready[st->ready_pos[h] - 1] = 0;
    st->ready_pos[h] = 0;
    st->nready--;
    while (st->ready_off < st->ready_end && !st->ready[st->ready_off]) st->ready_off++;
    if (st->nready == 0) st->ready_off = st->ready_end = 0;
    else if (st->ready_end - st->ready_off > 2 * st->nready + 64) ready_compact(st);
}

/* A handle the model does not know (never scheduled) is not queued: the fold is lenient, and a
 * handle id from the trace must not size an array.  A handle already queued stays where it is. */
static bool ready_push(aw_model_state *st, int64_t h)
{
    if (!aw__handle(st->m, h, st->step) || (uint64_t)h >= st->ready_pos_cap || ready_queued(st, h)) return true;
    if (st->ready_end == st->ready_cap && st->ready_end - st->nready > st->ready_cap / 4) ready_compact(st);
    if (!aw__grow((void **)&st->ready, &st->ready_cap, st->ready_end + 1, sizeof *st->ready)) return false;
    st->ready[st->ready_end++] = h;
    st->ready_pos[h] = (uint32_t)st->ready_end;
    st->nready++;
    return true;
}

/* ---- one event -------------------------------------------------------------------------------- */

static aw_model_task_state final_of_reason(const char *reason)
{
    if (!strcmp(reason, "result") || !strcmp(reason, "done")) return AW_MODEL_DONE;
    if (!strcmp(reason, "cancelled")) return AW_MODEL_CANCELLED;
    return AW_MODEL_FAILED; /* "exception", "raised" */
}

bool aw__fold_apply(aw_model_state *st, const aw_model_event *ev)
{
    st->step = ev->step;
    st->iter = ev->iter;
    st->t_ns = ev->t_ns;
    if (st->rec && !aw__fold_reserve(st)) return false;
    mtask *t;

    /* CPU-bound work holds the loop: it ends when anything else happens. */
    if (st->running && (t = live_task(st, st->running)) && t->state == AW_MODEL_BLOCKED &&
        !set_state(st, st->running, AW_MODEL_RUNNING, 0))
        return false;

    /* Where the program is: an event with a line is at the line its running task is at. */
    if (ev->file && ev->line > 0) {
        int64_t who = ev->kind == AW_TK_STEP_BEGIN || ev->kind == AW_TK_STEP_END || !st->running ? ev->task
                                                                                                 : st->running;
        if ((t = live_task(st, who))) {
            t->loc_file = aw__mstore_sid(&st->m->store, ev->file);
            t->loc_line = ev->line > INT32_MAX ? INT32_MAX : (int32_t)ev->line;
        }
    }

    switch (ev->kind) {
    case AW_TK_TASK_CREATED: {
        const mfut *f = aw__fut(st->m, ev->task, st->step);
        if (!f || !f->is_task || f->created_step != st->step || (size_t)ev->task >= st->tasks_cap) break;
        t = &st->tasks[ev->task];
        memset(t, 0, sizeof *t);
        t->timeout_ns = AW_MODEL_NULL;
        t->live_pos = (uint32_t)st->nlive;
        t->top_frame = aw__frame_at_step(st->m, st->step);
        if (!push_id(&st->live, &st->nlive, &st->live_cap, ev->task)) return false;
        return set_state(st, ev->task, AW_MODEL_CREATED, 0);
    }
    case AW_TK_SCHEDULED:
        if (ev->deadline_ns != AW_MODEL_NULL) return timer_add(st, ev->handle);
        if (!ready_push(st, ev->handle)) return false;
        /* call_soon of something that serves a task: its next step is now queued */
        if ((t = live_task(st, ev->task)) && t->state != AW_MODEL_RUNNING && t->state != AW_MODEL_BLOCKED)
            return set_state(st, ev->task, AW_MODEL_READY, 0);
        break;
    case AW_TK_TIMER_FIRED:
        timer_remove(st, ev->handle);
        return ready_push(st, ev->handle);
    case AW_TK_HANDLE_RUN:
        ready_remove(st, ev->handle);
        timer_remove(st, ev->handle);
        break;
    case AW_TK_HANDLE_CANCELLED:
        /* Most cancelled handles are timers (sleep, timeouts): no need to scan the ready queue. */
        if (!timer_remove(st, ev->handle)) ready_remove(st, ev->handle);
        break;
    case AW_TK_STEP_BEGIN:
        st->running = ev->task;
        if (live_task(st, ev->task)) return set_state(st, ev->task, AW_MODEL_RUNNING, 0);
        break;
    case AW_TK_STEP_END:
        if (st->running == ev->task) st->running = 0;
        if (!live_task(st, ev->task)) break;
        if (!strcmp(ev->reason, "await")) return set_state(st, ev->task, AW_MODEL_WAITING, ev->future);
        if (!strcmp(ev->reason, "yield")) return set_state(st, ev->task, AW_MODEL_READY, 0);
        return set_state(st, ev->task, final_of_reason(ev->reason), 0);
    case AW_TK_FUTURE_DONE:
        if (live_task(st, ev->future)) return set_state(st, ev->future, final_of_reason(ev->reason), 0);
        break;
    case AW_TK_AWAIT:
        if (ev->coro && (t = live_task(st, ev->task))) {
            uint32_t f = aw__frame_at_step(st->m, st->step);
            if (!f) break;
            if (st->rec) st->rec->frames[f - 1].parent = t->top_frame; /* a fact, learnt as it happens */
            t->top_frame = f;
        }
        break;
    case AW_TK_AWAIT_RETURN:
        if (ev->coro && (t = live_task(st, ev->task))) t->top_frame = aw__frame_pop(st->m, t->top_frame, ev->coro);
        break;
    case AW_TK_BUSY:
        if (live_task(st, ev->task)) return set_state(st, ev->task, AW_MODEL_BLOCKED, 0);
        break;
    case AW_TK_CANCEL_REQUESTED:
        if (ev->accepted && (t = live_task(st, ev->task))) {
            t->cancelling = (int32_t)ev->cancelling;
            t->cancel_pending = 1;
        }
        break;
    case AW_TK_CANCEL_DELIVERED:
        if ((t = live_task(st, ev->task))) t->cancel_pending = 0;
        break;
    case AW_TK_UNCANCEL:
        if ((t = live_task(st, ev->task))) t->cancelling = (int32_t)ev->cancelling;
        break;
    case AW_TK_TIMEOUT_ARMED:
    case AW_TK_TIMEOUT_RESCHEDULED:
        /* the innermost scope: the one armed last (or rescheduled while innermost) */
        if ((t = live_task(st, ev->task)) && (ev->kind == AW_TK_TIMEOUT_ARMED || t->timeout_scope == ev->scope)) {
            t->timeout_scope = ev->scope;
            t->timeout_ns = ev->deadline_ns;
        }
        break;
    case AW_TK_TIMEOUT_DISARMED:
        if ((t = live_task(st, ev->task)) && t->timeout_scope == ev->scope) {
            t->timeout_scope = 0;
            t->timeout_ns = AW_MODEL_NULL;
        }
        break;
    default: break;
    }
    return true;
}

/* ---- keyframes -------------------------------------------------------------------------------- */

/* Layout in kbytes: varints, since a keyframe is mostly small numbers (ids, deltas, zeros): per
 * live task its id and mtask's fields (steps and times as deltas from the keyframe's), then the
 * pending timers' and the queued handles' ids.  A third of a memcpy'd mtask (64 bytes a task),
 * and keyframes were a fifth of the model's memory. */
#define KEY_TASK_MAX (10 * AW__UV_MAX + 2)

/* AW_MODEL_NULL as 0, anything else shifted by one. */
static uint64_t nullable_uv(int64_t v) { return v == AW_MODEL_NULL ? 0 : aw__zigzag(v) + 1; }
static int64_t nullable_of(uint64_t u) { return u ? aw__unzigzag(u - 1) : AW_MODEL_NULL; }

static void put_task(uint8_t **p, const aw_model_state *st, int64_t id, const mtask *t)
{
    aw__put_uv(p, (uint64_t)id);
    aw__put_uv(p, aw__zigzag(t->on));
    aw__put_uv(p, aw__zigzag(st->step - t->since_step));
    aw__put_uv(p, aw__zigzag(st->t_ns - t->since_t));
    aw__put_uv(p, nullable_uv(t->timeout_ns));
    aw__put_uv(p, aw__zigzag(t->timeout_scope));
    aw__put_uv(p, t->loc_file);
    aw__put_uv(p, aw__zigzag(t->loc_line));
    aw__put_uv(p, aw__zigzag(t->cancelling));
    aw__put_uv(p, t->top_frame);
    *(*p)++ = t->state;
    *(*p)++ = t->cancel_pending;
}

static int64_t get_task(const uint8_t **p, const mkey *k, mtask *t)
{
    int64_t id = (int64_t)aw__get_uv(p);
    memset(t, 0, sizeof *t);
    t->on = aw__unzigzag(aw__get_uv(p));
    t->since_step = k->step - aw__unzigzag(aw__get_uv(p));
    t->since_t = k->t_ns - aw__unzigzag(aw__get_uv(p));
    t->timeout_ns = nullable_of(aw__get_uv(p));
    t->timeout_scope = aw__unzigzag(aw__get_uv(p));
    t->loc_file = (uint32_t)aw__get_uv(p);
    t->loc_line = (int32_t)aw__unzigzag(aw__get_uv(p));
    t->cancelling = (int32_t)aw__unzigzag(aw__get_uv(p));
    t->top_frame = (uint32_t)aw__get_uv(p);
    t->state = *(*p)++;
    t->cancel_pending = *(*p)++;
    return id;
}

bool aw__fold_snapshot(const aw_model_state *st, aw_model *m)
{
    size_t need = st->nlive * KEY_TASK_MAX + (st->ntimers + st->nready) * AW__UV_MAX;
    if (!aw__grow((void **)&m->kbytes, &m->kcap, m->klen + need, 1) ||
        !aw__grow((void **)&m->keys, &m->key_cap, m->nkeys + 1, sizeof *m->keys))
        return false;
    mkey *k = &m->keys[m->nkeys++];
    *k = (mkey){st->step, st->iter, st->t_ns, st->running, m->klen, (uint32_t)st->nlive, (uint32_t)st->ntimers,
                (uint32_t)st->nready};
    if (need == 0) return true; /* kbytes may still be NULL, and NULL + 0 is undefined */
    uint8_t *start = m->kbytes + m->klen, *p = start;
    for (size_t i = 0; i < st->nlive; i++) put_task(&p, st, st->live[i], &st->tasks[st->live[i]]);
    for (size_t i = 0; i < st->ntimers; i++) aw__put_uv(&p, (uint64_t)st->timers[i]);
    for (size_t i = st->ready_off; i < st->ready_end; i++) /* the queued handles, without holes */
        if (st->ready[i]) aw__put_uv(&p, (uint64_t)st->ready[i]);
    m->klen += (size_t)(p - start);
    return true;
}

bool aw__fold_restore(aw_model_state *st, const mkey *k)
{
    const aw_model *m = st->m;
    if (!aw__fold_reserve(st) || !aw__grow((void **)&st->live, &st->live_cap, k->nlive, sizeof *st->live) ||
        !aw__grow((void **)&st->timers, &st->timers_cap, k->ntimers, sizeof *st->timers) ||
        !aw__grow((void **)&st->ready, &st->ready_cap, k->nready, sizeof *st->ready))
        return false;
    static const uint8_t no_bytes[1]; /* only empty snapshots so far: kbytes is NULL (NULL + 0 is UB) */
    const uint8_t *p = m->kbytes ? m->kbytes + k->off : no_bytes;
    st->step = k->step;
    st->iter = k->iter;
    st->t_ns = k->t_ns;
    st->running = k->running;
    st->nlive = k->nlive;
    for (uint32_t i = 0; i < k->nlive; i++) {
        mtask t;
        int64_t id = get_task(&p, k, &t);
        t.live_pos = i;
        st->tasks[id] = t;
        st->live[i] = id;
    }
    timers_clear(st);
    for (uint32_t i = 0; i < k->ntimers; i++) { /* a heap as it was: still a heap */
        st->timers[i] = (int64_t)aw__get_uv(&p);
        st->timer_pos[st->timers[i]] = i + 1;
    }
    st->ntimers = k->ntimers;
    ready_clear(st);
    for (uint32_t i = 0; i < k->nready; i++) {
        st->ready[i] = (int64_t)aw__get_uv(&p);
        st->ready_pos[st->ready[i]] = i + 1;
    }
    st->nready = st->ready_end = k->nready;
    return true;
}
