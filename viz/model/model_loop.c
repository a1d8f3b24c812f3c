/* model_loop.c — what the loop will do next and where it is in its iteration: the ready queue's
 * and the timers' handles in the program's words, and the phase of CPython's _run_once
 * (poll for I/O, move the due timers, run the handles that were ready). */
#include <string.h>

#include "model_internal.h"

char *aw_model_handle_describe(const aw_model_state *st, int64_t handle, char *buf, size_t size)
{
    aw__words w = {buf, size, 0};
    if (size) buf[0] = '\0';
    aw__words_handle(&w, st->m, st->step, handle);
    return buf;
}

/* Events of one iteration are few; a pathological one is read no further than this. */
#define PHASE_SCAN_MAX 200000

void aw_model_phase_at(const aw_model_state *st, aw_model_phase *out)
{
    const aw_model *m = st->m;
    memset(out, 0, sizeof *out);
    out->iter = st->iter;
    if (st->step < 1 || st->iter < 1) return;
    aw_model_event ev;
    if (!aw__mstore_get(&m->store, st->step, &ev)) return;
    if (ev.kind == AW_TK_LOOP_STOP || ev.kind == AW_TK_LOOP_CLOSE || ev.kind == AW_TK_RUNNER) return;
    /* from the iteration's first event (its `iteration` event) to the state's step */
    int64_t first = aw_model_prev_iteration(m, st->step + 1);
    if (first < 1 || st->step - first > PHASE_SCAN_MAX) first = st->step;
    mcursor c;
    aw__mstore_cursor(&m->store, first, &c);
    int64_t ready = 0, fired = 0, ran = 0;
    aw_model_phase_kind kind = AW_MODEL_PHASE_POLL;
    while (c.next <= st->step && aw__mstore_next(&m->store, &c, &ev)) {
        switch (ev.kind) {
        case AW_TK_ITERATION: ready = ev.ready != AW_MODEL_NULL ? ev.ready : 0; kind = AW_MODEL_PHASE_POLL; break;
        case AW_TK_TIMER_FIRED: fired++; kind = AW_MODEL_PHASE_TIMERS; break;
        case AW_TK_HANDLE_RUN: ran++; kind = AW_MODEL_PHASE_RUN; break;
        case AW_TK_LOOP_STOP:
        case AW_TK_LOOP_CLOSE: kind = AW_MODEL_PHASE_OUTSIDE; break;
        default: break;
        }
    }
    out->kind = kind;
    if (kind == AW_MODEL_PHASE_RUN) {
        out->k = ran;
        out->n = ready + fired; /* _run_once runs what was ready once the due timers moved */
        if (out->n < out->k) out->n = out->k;
    }
}

char *aw_model_phase_describe(const aw_model_state *st, char *buf, size_t size)
{
    aw_model_phase p;
    aw_model_phase_at(st, &p);
    aw__words w = {buf, size, 0};
    if (size) buf[0] = '\0';
    switch (p.kind) {
    case AW_MODEL_PHASE_OUTSIDE: aw__wput(&w, "the loop is not running"); break;
    case AW_MODEL_PHASE_POLL: aw__wput(&w, "iteration %lld: wait for I/O or the next timer", (long long)p.iter); break;
    case AW_MODEL_PHASE_TIMERS: aw__wput(&w, "iteration %lld: move the due timers to the ready queue", (long long)p.iter); break;
    case AW_MODEL_PHASE_RUN:
        aw__wput(&w, "iteration %lld: run the ready handles, %lld of %lld", (long long)p.iter, (long long)p.k,
                 (long long)p.n);
        break;
    }
    return buf;
}
