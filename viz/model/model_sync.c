/* model_sync.c — asyncio's synchronization primitives at a step: what each one holds and who
 * waits on it.  A primitive's state is its latest `sync` event at or before the step (the loader
 * keeps the steps of each one's events, model_internal.h msync); its waiters are the tasks whose
 * awaited future is one of its waiters (aw_model_waiting_on). */
#include <string.h>

#include "model_internal.h"

/* The index of the latest of p's events at or before `step`, or -1. */
static ptrdiff_t latest(const msync *p, int64_t step)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (p->steps[mid] <= step) lo = mid + 1;
        else hi = mid;
    }
    return (ptrdiff_t)lo - 1;
}

/* The events whose `count` is the primitive's state (a block's is its line of waiters, a
 * notify's how many it wakes...: sim/trace-format.md, Synchronization events). */
static bool tells_state(const char *op)
{
    static const char *const ops[] = {"created", "acquire", "release", "set", "clear", "put", "get", "wake"};
    for (size_t i = 0; op && i < sizeof ops / sizeof *ops; i++)
        if (!strcmp(op, ops[i])) return true;
    return false;
}

/* Its state at p->steps[i]: the count of the latest event that tells it (a queue is made empty:
 * its `created` count is its maxsize). */
static int64_t state_count(const aw_model *m, const msync *p, ptrdiff_t i)
{
    aw_model_event ev;
    for (; i >= 0; i--) {
        if (!aw__mstore_get(&m->store, p->steps[i], &ev) || !tells_state(ev.op)) continue;
        if (!strcmp(ev.op, "created") && ev.primitive && strstr(ev.primitive, "Queue")) return 0;
        return ev.count == AW_MODEL_NULL ? 0 : ev.count;
    }
    return 0;
}

static bool holds_a_lock(const char *primitive)
{
    return primitive && (!strcmp(primitive, "Lock") || !strcmp(primitive, "Condition"));
}

/* A locked Lock's holder: the task of its latest acquire (a release would be later). */
static int64_t holder(const aw_model *m, const msync *p, ptrdiff_t i)
{
    aw_model_event ev;
    for (; i >= 0; i--) {
        if (!aw__mstore_get(&m->store, p->steps[i], &ev) || !ev.op) continue;
        if (!strcmp(ev.op, "acquire")) return ev.task;
        if (!strcmp(ev.op, "release")) return 0;
    }
    return 0;
}

size_t aw_model_primitives(const aw_model_state *st, aw_model_primitive *out, size_t max)
{
    const aw_model *m = st->m;
    size_t n = 0;
    for (size_t id = 1; id < m->nsync; id++) {
        const msync *p = &m->syncs[id];
        ptrdiff_t i = p->n ? latest(p, st->step) : -1;
        aw_model_event ev;
        if (i < 0 || !aw__mstore_get(&m->store, p->steps[i], &ev)) continue; /* not made yet */
        if (n < max) {
            aw_model_primitive *o = &out[n];
            *o = (aw_model_primitive){.id = (int64_t)id, .primitive = ev.primitive, .name = ev.name, .op = ev.op,
                                      .count = state_count(m, p, i)};
            if (holds_a_lock(ev.primitive) && ev.count > 0) o->holder = holder(m, p, i);
        }
        n++;
    }
    /* The waiters (a task blocks on one primitive at a time), in the order they blocked: kept
     * sorted by their block events' steps as they are found. */
    size_t shown = n < max ? n : max;
    int64_t since[AW_MODEL_MAX_WAITERS];
    for (size_t j = 0; j < shown; j++) {
        for (size_t k = 0; k < aw_model_task_count(st); k++) {
            aw_model_task t;
            aw_model_sync sy;
            if (!aw_model_task_at(st, k, &t) || !aw_model_waiting_on(st, t.id, &sy) || sy.id != out[j].id) continue;
            size_t w = out[j].n_waiters < AW_MODEL_MAX_WAITERS ? out[j].n_waiters : AW_MODEL_MAX_WAITERS;
            size_t at = w;
            while (at > 0 && since[at - 1] > sy.step) at--;
            if (at < AW_MODEL_MAX_WAITERS) {
                size_t keep = w < AW_MODEL_MAX_WAITERS ? w : AW_MODEL_MAX_WAITERS - 1;
                memmove(&out[j].waiters[at + 1], &out[j].waiters[at], (keep - at) * sizeof *out[j].waiters);
                memmove(&since[at + 1], &since[at], (keep - at) * sizeof *since);
                out[j].waiters[at] = t.id;
                since[at] = sy.step;
            }
            out[j].n_waiters++;
        }
    }
    return n;
}

char *aw_model_primitive_describe(const aw_model_state *st, const aw_model_primitive *p, char *buf, size_t size)
{
    aw__words w = {buf, size, 0};
    if (size) buf[0] = '\0';
    aw__words_sync(&w, p->primitive, p->id, p->name);
    const char *kind = p->primitive ? p->primitive : "";
    bool queue = strstr(kind, "Queue") != NULL;
    if (!strcmp(kind, "Lock") || !strcmp(kind, "Condition")) {
        if (p->count > 0 && p->holder) {
            aw__wput(&w, ": locked by ");
            aw__words_task(&w, st->m, st->step, p->holder);
        } else {
            aw__wput(&w, p->count > 0 ? ": locked" : ": unlocked");
        }
    } else if (!strcmp(kind, "Event")) {
        aw__wput(&w, p->count > 0 ? ": set" : ": not set");
    } else if (strstr(kind, "Semaphore")) {
        aw__wput(&w, ": value %lld", (long long)p->count);
    } else if (queue) {
        aw__wput(&w, ": %lld item%s", (long long)p->count, p->count == 1 ? "" : "s");
    } else if (!strcmp(kind, "Barrier")) {
        aw__wput(&w, ": %s", p->op ? p->op : "");
    }
    if (p->n_waiters) {
        aw__wput(&w, "; waiting: ");
        size_t shown = p->n_waiters < AW_MODEL_MAX_WAITERS ? p->n_waiters : AW_MODEL_MAX_WAITERS;
        for (size_t i = 0; i < shown; i++) {
            aw_model_sync sy;
            if (i) aw__wput(&w, ", ");
            aw__words_task(&w, st->m, st->step, p->waiters[i]);
            if (aw_model_waiting_on(st, p->waiters[i], &sy) && sy.call) aw__wput(&w, " (%s)", sy.call);
        }
        if (p->n_waiters > shown) aw__wput(&w, " and %zu more", p->n_waiters - shown);
    }
    return buf;
}
