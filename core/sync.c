/* sync.c — what the synchronization primitives share: ids and traces, the deque of waiters,
 * blocking and waking one waiter, and `async with` (core/sync.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"

#define AW__SYNC_NAME(n) n,
static const char *const kind_names[] = {AW_TRACE_ENUM_SYNC_KIND(AW__SYNC_NAME)};
#undef AW__SYNC_NAME

static aw_loop *loop_or_die(const char *what)
{
    aw_loop *loop = aw__running_loop();
    if (!loop) {
        fprintf(stderr, "awaitlab: %s: no running event loop (make it inside a coroutine)\n", what);
        abort();
    }
    return loop;
}

void *aw__sync_alloc(size_t size, const char *what)
{
    void *p = aw__arena_alloc(loop_or_die(what), size);
    memset(p, 0, size);
    return p;
}

void aw__sync_init(aw__sync *s, int kind, const char *what, int64_t count, aw__sync *owner, bool quiet)
{
    aw_loop *loop = loop_or_die(what);
    s->tag = AW__TAG_SYNC;
    s->kind = kind;
    s->loop = loop;
    s->traced_as = owner ? owner : s;
    s->quiet = quiet;
    if (owner) return;
    s->id = ++loop->next_sync_id;
    aw__sync_trace(s, AW_SYNC_CREATED, loop->current_task, NULL, count, NULL);
}

void aw__sync_trace(const aw__sync *s, int op, aw_task *task, aw_future *fut, int64_t count, const char *value)
{
    if (!s->loop->opts.tracer) return;
    if (s->quiet && op != AW_SYNC_BLOCK && op != AW_SYNC_WAKE) return;
    const aw__sync *as = s->traced_as;
    AW__TRACE(s->loop, .kind = AW_EV_SYNC, .other = as->id, .b = as->kind, .reason = op,
              .task = aw__task_id(task), .future = fut ? fut->id : 0, .a = count < 0 ? 0 : count,
              .text = value, .name = as->name);
}

void aw__sync_trace_item(const aw__sync *s, int op, int64_t count, aw_value item)
{
    if (!s->loop->opts.tracer) return;
    char repr[512];
    aw_value_repr(item, repr, sizeof repr);
    aw__sync_trace(s, op, s->loop->current_task, NULL, count, repr);
}

void aw_sync_set_name(void *primitive, const char *name)
{
    aw__sync *s = primitive;
    if (!s || s->tag != AW__TAG_SYNC) return;
    s->name = name ? aw__arena_strdup(s->loop, name) : NULL;
}

unsigned aw_sync_id(const void *primitive)
{
    const aw__sync *s = primitive;
    return s && s->tag == AW__TAG_SYNC ? s->traced_as->id : 0;
}

/* ---- the deque of waiters ------------------------------------------------------------------- */
void aw__waiters_append(aw__waiters *ws, aw__waiter *w)
{
    w->next = NULL;
    w->prev = ws->tail;
    if (ws->tail)
        ws->tail->next = w;
    else
        ws->head = w;
    ws->tail = w;
    w->linked = true;
    ws->n++;
}

bool aw__waiters_remove(aw__waiters *ws, aw__waiter *w)
{
    if (!w->linked) return false;
    if (w->prev)
        w->prev->next = w->next;
    else
        ws->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        ws->tail = w->prev;
    w->prev = w->next = NULL;
    w->linked = false;
    ws->n--;
    return true;
}

aw__waiter *aw__waiters_popleft(aw__waiters *ws)
{
    aw__waiter *w = ws->head;
    if (w) aw__waiters_remove(ws, w);
    return w;
}

/* ---- blocking and waking -------------------------------------------------------------------- */
static const char *sync_type_name(const aw__sync *s) { return kind_names[s->traced_as->kind]; }

aw_status aw__sync_block(aw__sync *s, aw__waiters *ws, aw__waiter *w, const char *call)
{
    aw_loop *loop = aw__running_loop();
    *w = (aw__waiter){.on_heap = w->on_heap};
    if (loop != s->loop) /* mixins._LoopBoundMixin._get_loop */
        return aw__fail(AW_RuntimeError, "<asyncio.%s object> is bound to a different event loop", sync_type_name(s));
    aw_task *t = loop->current_task;
    if (!t) return aw__fail(AW_RuntimeError, "await outside a task: %s() must run inside a task", call);
    w->fut = aw__future_new_internal(loop);
    w->task = t;
    aw__waiters_append(ws, w);
    aw__sync_trace(s, AW_SYNC_BLOCK, t, w->fut, (int64_t)ws->n, call);
    return aw__await_future(w->fut, NULL, NULL, 0);
}

aw__waiter *aw__waiter_home(aw__waiter *on_stack)
{
    aw__waiter *w = aw__fiber_local_home(on_stack, sizeof *w);
    w->on_heap = w != on_stack;
    return w;
}

void aw__waiter_done(aw__waiter *w)
{
    if (w->fut) aw_future_detach(w->fut);
    w->fut = NULL;
    if (w->on_heap) aw__fiber_local_free(w, NULL);
}

void aw__sync_wake(const aw__sync *s, aw__waiter *w, int64_t count)
{
    aw__sync_trace(s, AW_SYNC_WAKE, w->task, w->fut, count, NULL);
    aw__future_finish(w->fut, aw__sync_true());
}

/* ---- async with ------------------------------------------------------------------------------ */
static aw__sync *context_manager(void *primitive)
{
    aw__sync *s = primitive;
    if (s && s->tag == AW__TAG_SYNC &&
        (s->kind == AW_SYNC_LOCK || s->kind == AW_SYNC_CONDITION || s->kind == AW_SYNC_SEMAPHORE ||
         s->kind == AW_SYNC_BOUNDED_SEMAPHORE))
        return s;
    return NULL;
}

static bool is_server(const void *p) { return p && *(const uint32_t *)p == AW__TAG_SERVER; }

aw_status aw__with_enter(void *primitive, const char *file, int line)
{
    aw__site(file, line);
    if (is_server(primitive)) return AW_OK; /* Server.__aenter__: returns self */
    aw__sync *s = context_manager(primitive);
    if (!s) {
        const aw__sync *any = primitive;
        return aw__fail(AW_TypeError, "'%s' object does not support the asynchronous context manager protocol",
                        any && any->tag == AW__TAG_SYNC ? sync_type_name(any) : "object");
    }
    switch (s->kind) {
    case AW_SYNC_LOCK: return aw__lock_acquire((aw_lock *)s);
    case AW_SYNC_CONDITION: return aw__lock_acquire(((aw_condition *)s)->lock);
    default: return aw__semaphore_acquire((aw_semaphore *)s);
    }
}

void aw__with_exit(aw__with_guard *g)
{
    aw__sync *s = context_manager(g->primitive);
    bool server = is_server(g->primitive);
    if (!s && !server) return;
    aw__site(g->file, g->line);
    /* __aexit__ runs while the block's own exception (if any) is in flight: keep it. */
    aw_exc **slot = aw__in_flight_slot();
    aw_exc *body = *slot;
    *slot = NULL;
    aw_status st;
    if (server) { /* Server.__aexit__: close(), await wait_closed() */
        st = aw__server_aexit(g->primitive);
        slot = aw__in_flight_slot();
        if (st != AW_OK) {
            aw__warn_at(aw__running_loop(), "RuntimeWarning", g->file, g->line, "%s:%d: async with Server: %s: %s",
                        g->file ? g->file : "?", g->line, aw_exc_type(*slot), aw_exc_message(*slot));
            aw_exc_unref(*slot);
        }
        *slot = body;
        return;
    }
    switch (s->kind) {
    case AW_SYNC_LOCK: st = aw__lock_release((aw_lock *)s); break;
    case AW_SYNC_CONDITION: st = aw__lock_release(((aw_condition *)s)->lock); break;
    default: st = aw__semaphore_release((aw_semaphore *)s); break;
    }
    slot = aw__in_flight_slot();
    if (st != AW_OK) { /* C cannot raise out of a block's end: say it, as an unraisable error */
        aw__warn_at(s->loop, "RuntimeWarning", g->file, g->line, "%s:%d: async with %s: %s: %s", g->file ? g->file : "?",
                    g->line, sync_type_name(s), aw_exc_type(*slot), aw_exc_message(*slot));
        aw_exc_unref(*slot);
    }
    *slot = body;
}
