/* model_stack.c — each task's await stack, outermost first: main, then what it awaits, down to
 * what the task is suspended in (main → wait_for → slow_operation → sleep), each frame with its
 * line, as CPython 3.14's asyncio.print_call_graph() shows it.
 *
 * A frame is made when a task is created (its own coroutine) and when it awaits a coroutine
 * (the awaited one runs on top); the frame goes when that await returns.  Frames are facts,
 * recorded once while loading in step order; a task's state holds only the index of its top
 * frame, so keyframes stay small and any seek restores the stack with the rest of the state.
 * Lines: the top frame of the program's own code is at the task's current line; a frame below
 * is at the line where it awaits the frame above it.  asyncio's own coroutines (sleep,
 * wait_for) are library frames: they have no line of the program.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* Which coroutines library code made: a bit per id within the id budget (trace_model.c's rule
 * for every dense table: the events so far plus AW_MODEL_ID_SLACK), and a set for ids beyond it,
 * which that rule would refuse elsewhere but which only name a coroutine here.  A trace naming
 * coroutine 2^40 must not ask for a table up to it.  An id lives in one of the two, never both. */
static size_t far_slot(const int64_t *ids, size_t cap, int64_t coro)
{
    size_t i = (size_t)((uint64_t)coro * 0x9E3779B97F4A7C15u >> 32) & (cap - 1);
    while (ids[i] && ids[i] != coro) i = (i + 1) & (cap - 1);
    return i;
}

/* The far set's slot holding coro, or NULL. */
static uint8_t *far_flag(const aw_model *m, int64_t coro)
{
    if (!m->far_cap) return NULL;
    size_t at = far_slot(m->far_coros, m->far_cap, coro);
    return m->far_coros[at] == coro ? &m->far_flags[at] : NULL;
}

static bool far_grow(aw_model *m)
{
    size_t cap = m->far_cap ? m->far_cap * 2 : 64;
    int64_t *ids = calloc(cap, sizeof *ids);
    uint8_t *flags = malloc(cap);
    if (!ids || !flags) {
        free(ids), free(flags);
        return false;
    }
    for (size_t i = 0; i < m->far_cap; i++)
        if (m->far_coros[i]) {
            size_t at = far_slot(ids, cap, m->far_coros[i]);
            ids[at] = m->far_coros[i];
            flags[at] = m->far_flags[i];
        }
    free(m->far_coros), free(m->far_flags);
    m->far_coros = ids, m->far_flags = flags, m->far_cap = cap;
    return true;
}

static bool far_add(aw_model *m, int64_t coro, bool library)
{
    if (2 * (m->nfar + 1) > m->far_cap && !far_grow(m)) return false;
    size_t at = far_slot(m->far_coros, m->far_cap, coro);
    m->far_coros[at] = coro, m->far_flags[at] = library;
    m->nfar++;
    return true;
}

static bool coro_set_library(aw_model *m, int64_t coro, bool library)
{
    if (coro <= 0) return true;
    uint8_t *far = far_flag(m, coro);
    if (far) {
        *far = library;
        return true;
    }
    size_t word = (size_t)((uint64_t)coro / 64);
    if ((uint64_t)coro > (uint64_t)m->store.n + AW_MODEL_ID_SLACK) return !library || far_add(m, coro, library);
    if (word >= m->library_words) {
        if (!library) return true; /* an id past the bits is not a library coroutine already */
        size_t old = m->library_words, cap = old;
        if (!aw__grow((void **)&m->library_bits, &cap, word + 1, sizeof *m->library_bits)) return false;
        memset(m->library_bits + old, 0, (cap - old) * sizeof *m->library_bits);
        m->library_words = cap;
    }
    uint64_t bit = (uint64_t)1 << (coro % 64);
    m->library_bits[word] = library ? m->library_bits[word] | bit : m->library_bits[word] & ~bit;
    return true;
}

bool aw__coro_is_library(const aw_model *m, int64_t coro)
{
    if (coro <= 0) return false;
    const uint8_t *far = far_flag(m, coro);
    if (far) return *far;
    size_t word = (size_t)((uint64_t)coro / 64);
    return word < m->library_words && (m->library_bits[word] >> (coro % 64) & 1);
}

static bool push_frame(aw_model *m, const aw_model_event *ev, int64_t coro, const char *name, bool library)
{
    if (!aw__grow((void **)&m->frames, &m->frame_cap, m->nframes + 1, sizeof *m->frames)) return false;
    uint32_t sid = name ? aw__mstore_intern(&m->store, name) : 0;
    if (name && !sid) return false;
    m->frames[m->nframes++] = (mframe){ev->step, coro, 0, sid, ev->line > 0 && ev->line <= INT32_MAX ? (int32_t)ev->line : 0,
                                       library};
    return true;
}

bool aw__frames_record(aw_model *m, const aw_model_event *ev)
{
    switch (ev->kind) {
    case AW_TK_CORO_CREATED: return coro_set_library(m, ev->coro, ev->library);
    case AW_TK_TASK_CREATED: return push_frame(m, ev, 0, ev->coro_name, false);
    case AW_TK_AWAIT:
        if (!ev->coro) return true;
        return push_frame(m, ev, ev->coro, ev->what, aw__coro_is_library(m, ev->coro));
    default: return true;
    }
}

uint32_t aw__frame_at_step(const aw_model *m, int64_t step)
{
    size_t lo = 0, hi = m->nframes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->frames[mid].step < step) lo = mid + 1;
        else hi = mid;
    }
    return lo < m->nframes && m->frames[lo].step == step ? (uint32_t)lo + 1 : 0;
}

uint32_t aw__frame_pop(const aw_model *m, uint32_t top, int64_t coro)
{
    for (uint32_t f = top; f; f = m->frames[f - 1].parent)
        if (m->frames[f - 1].coro == coro) return m->frames[f - 1].parent;
    return top; /* not on this stack: the trace says so, the stack stays */
}

size_t aw_model_task_stack(const aw_model_state *st, int64_t task, aw_model_frame *out, size_t max)
{
    const aw_model *m = st->m;
    const mfut *f = aw__fut(m, task, st->step);
    if (!f || !f->is_task || aw__task_facts(m, f)->final_step <= st->step || (size_t)task >= st->tasks_cap) return 0;
    const mtask *t = &st->tasks[task];
    /* innermost first while walking; written outermost first */
    size_t depth = 0;
    for (uint32_t i = t->top_frame; i; i = m->frames[i - 1].parent) depth++;
    size_t n = depth < max ? depth : max, k = depth;
    int line_above = 0;   /* the line where the parent awaits the frame just walked */
    for (uint32_t i = t->top_frame; i; i = m->frames[i - 1].parent) {
        const mframe *fr = &m->frames[i - 1];
        int line = fr->library ? 0 : i == t->top_frame ? t->loc_line : line_above;
        if (--k < n) out[k] = (aw_model_frame){aw__str(m, fr->name), line, fr->library != 0};
        line_above = fr->caller_line;
    }
    return depth;
}
