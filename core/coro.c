/* coro.c — coroutine objects and `await`.
 *
 * AW_CALL(f, args) makes a coroutine object and runs nothing, as calling an async def does.
 * Awaiting it runs the body right here, on the awaiting task's stack; wrapping it in a task
 * schedules it.  Objects that nothing consumed are reported when the loop closes, in CPython's
 * words ("coroutine 'nested' was never awaited"); CPython reports them when they are garbage
 * collected, which C cannot see, so the loop's close is the latest moment the rule allows.
 */
#include <alloca.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huge_map.h"
#include "internal.h"

/* ---- handles ----------------------------------------------------------------------------------
 * Why handles: AW_CALL's object is consumed by whatever awaits it or wraps it in a task, and freed
 * once it has run; a program that awaits the same aw_coro * twice would read freed memory.  So an
 * aw_coro * is not a pointer but (slot index, generation) packed into an odd integer: a slot of
 * this table holds the object as long as it lives (until it has run, or is closed); freeing it
 * frees the slot and bumps its generation, so every later use of the old handle finds a
 * generation that differs and raises RuntimeError("cannot reuse already awaited coroutine"), as
 * CPython does; a use while it runs raises "coroutine is being awaited already".  Memory stays
 * bounded by the number of coroutine objects alive at once (slots are reused), whatever the
 * number made.  A task owns its coroutine by handle until its first step starts it, so an await
 * of that coroutine before then runs it there and the task fails instead, as in CPython.
 * A generation comes back only after 2^32 (2^16 on 32-bit) uses of one slot. */
#define GEN_SHIFT (sizeof(uintptr_t) * 4)
#define INDEX_MAX (((uintptr_t)1 << (GEN_SHIFT - 1)) - 1)

/* 16 bytes: a sleeping task keeps two coroutines running (its own and the one it awaits), so two
 * slots, and the table was 80 of a copied-stacks task's ~1.2 KB with 40-byte slots (48 of 864 B
 * with 24-byte ones, `awaitlab_bench memory_copied`).  What only one state of a slot needs shares
 * a word: a generation is 32 bits anyway (GEN_SHIFT), an index fits 32 bits (INDEX_MAX), and a
 * slot holds an object or the recipe of one not made yet, never both. */
typedef struct handle_slot {
    uint32_t gen;
    union {
        unsigned lazy_id;            /* not made yet (recipe): the id it was given */
        bool running;                /* made (obj): started (awaited, or its task's first step) */
        uint32_t next_free;          /* free: the next free slot + 1; 0: end of the free list */
    };
    uintptr_t held;                  /* the aw__coro *, or a recipe's address | 1 (not made yet); 0: free */
} handle_slot;
_Static_assert(sizeof(void *) != 8 || sizeof(handle_slot) == 16, "handle_slot: 16 bytes (see above)");
_Static_assert(_Alignof(aw__coro_recipe) > 1, "a recipe's address has a free low bit");

static inline bool slot_is_recipe(const handle_slot *s) { return s->held & 1u; }
/* The object of a slot that holds one (not free, made). */
static inline aw__coro *slot_obj(const handle_slot *s) { return (aw__coro *)s->held; }
static inline const aw__coro_recipe *slot_recipe(const handle_slot *s)
{
    return (const aw__coro_recipe *)(s->held & ~(uintptr_t)1);
}

/* Per thread, like the coroutines themselves (one may be made before any loop exists). */
static _Thread_local handle_slot *slots;
static _Thread_local size_t n_slots, cap_slots, free_head;
static _Thread_local unsigned next_coro_id;

static aw_coro *handle_of(size_t index, uintptr_t gen)
{
    return (aw_coro *)(((gen & (((uintptr_t)1 << GEN_SHIFT) - 1)) << GEN_SHIFT) | ((uintptr_t)index << 1) | 1u);
}

/* The newest lazy coroutine (sleep(0)) while only its handle exists: a program writes
 * AW_AWAIT(aw_sleep(0)), whose await is the next thing to see the handle, so the slot is not
 * written at all.  The handle names the slot at the head of the free list, with the generation
 * that slot_new would give it; the await then only bumps that generation (the handle goes stale,
 * as when a slot is freed).  Anything else that looks at handles or changes the free list first
 * spills it into that slot (pending_spill), with the same handle and id, so a stored sleep(0)
 * behaves as before: reported if never awaited, RuntimeError if awaited twice.
 * (callgrind, awaitlab_bench switch: slot_new was ~33 of ~348 instructions a switch.) */
typedef struct pending_lazy {
    aw_coro *handle; /* NULL: none pending */
    size_t index;
    const aw__coro_recipe *recipe;
    unsigned id;
} pending_lazy;
static _Thread_local pending_lazy lazy_pending;

static aw_coro *slot_new(aw__coro *obj, const aw__coro_recipe *recipe, unsigned lazy_id);

static __attribute__((noinline)) void pending_spill(void)
{
    aw_coro *h = lazy_pending.handle;
    lazy_pending.handle = NULL;
    if (slot_new(NULL, lazy_pending.recipe, lazy_pending.id) != h) abort(); /* the free list moved under it */
}

static inline void settle_pending(void)
{
    if (lazy_pending.handle) pending_spill();
}

/* The live slot a handle names, its object made or not; NULL: stale.  (A pending handle's slot
 * is free until spilled: any other handle naming it is stale either way.) */
static inline handle_slot *slot_of_lazy(const aw_coro *h)
{
    if (h == lazy_pending.handle) pending_spill();
    uintptr_t v = (uintptr_t)h;
    if (!(v & 1u)) return NULL;
    size_t index = (size_t)((v & (((uintptr_t)1 << GEN_SHIFT) - 1)) >> 1);
    if (index >= n_slots) return NULL;
    handle_slot *s = &slots[index];
    uintptr_t gen = v >> GEN_SHIFT;
    return s->held && (s->gen & (((uintptr_t)1 << GEN_SHIFT) - 1)) == gen ? s : NULL;
}

static inline aw__coro *object_new(const char *name, aw_coro_body body, const void *args, size_t args_size,
                                   const char *file, int line, unsigned id);

/* A slot's object not made yet, made now: what the program asks of a coroutine it finds there,
 * as it would in the object AW_CALL makes. */
static __attribute__((noinline)) void slot_make(handle_slot *s)
{
    const aw__coro_recipe *r = slot_recipe(s);
    aw__coro *obj = object_new(r->name, r->body, r->args, r->args_size, NULL, 0, s->lazy_id);
    obj->slot = (uint32_t)(s - slots);
    s->held = (uintptr_t)obj;
    s->running = false;
}

static aw__coro *slot_object(handle_slot *s)
{
    if (slot_is_recipe(s)) slot_make(s);
    return slot_obj(s);
}

/* The live slot a handle names, with its object; NULL: stale.  Inline in its callers, as it was
 * before pending_spill made it look bigger to the compiler (spawn: ~30 instructions). */
static inline __attribute__((always_inline)) handle_slot *slot_of(const aw_coro *h)
{
    handle_slot *s = slot_of_lazy(h);
    if (s) slot_object(s);
    return s;
}

/* A slot never used before (the table grown if full): rare once the program runs, so kept out
 * of slot_new, whose common case, a slot freed before, then needs no registers saved. */
static __attribute__((noinline)) size_t slot_fresh(void)
{
    if (n_slots == cap_slots) {
        size_t cap = cap_slots ? cap_slots * 2 : 64;
        if (cap > INDEX_MAX) abort();
        handle_slot *grown = aw__big_grow(slots, cap_slots, cap, sizeof *grown); /* huge pages when big */
        slots = grown;
        cap_slots = cap;
    }
    slots[n_slots].gen = 0;
    return n_slots++;
}

/* obj NULL: not made yet, made from recipe when first needed (slot_object). */
static aw_coro *slot_new(aw__coro *obj, const aw__coro_recipe *recipe, unsigned lazy_id)
{
    settle_pending();
    size_t i;
    if (free_head) {
        i = free_head - 1;
        free_head = slots[i].next_free;
    } else {
        i = slot_fresh();
    }
    handle_slot *s = &slots[i];
    s->gen++;
    s->held = obj ? (uintptr_t)obj : (uintptr_t)recipe | 1u;
    if (obj) {
        s->running = false;
        obj->slot = i;
    } else {
        s->lazy_id = lazy_id;
    }
    return handle_of(i, s->gen);
}

static void slot_release(handle_slot *s)
{
    /* The table itself is never given back: its generations are what make old handles stale. */
    settle_pending();
    s->held = 0;
    s->next_free = (uint32_t)free_head;
    free_head = (size_t)(s - slots) + 1;
}

/* The bytes of an object's block: never less than a future's.  In the default mode an object is
 * freed when its body starts (run_in_frame), and the future its task then awaits (an Event's
 * waiter) takes that block at once instead of leaving it as a hole among the tasks (`awaitlab_bench
 * memory`: 4554 -> 4474 bytes per sleeping task with the 48-byte header).  While a copied-stacks
 * loop exists, objects stay on the heap while they run, so they take their exact size there
 * (`awaitlab_bench memory_copied`: a task's own coroutine object 96 -> 80 bytes); the object
 * says which, for its free. */
static size_t object_size(size_t args_size, bool exact)
{
    size_t size = sizeof(aw__coro) + args_size;
    return exact || size >= sizeof(aw_future) ? size : sizeof(aw_future);
}

static __attribute__((noinline, cold)) void refuse_args_size(const char *name, size_t args_size)
{
    fprintf(stderr, "awaitlab: coroutine '%s': %zu bytes of arguments (1 GiB or more)\n", name, args_size);
    abort();
}

/* Inline in aw_coro_new: every spawn and every await of a made coroutine makes one. */
static inline __attribute__((always_inline)) aw__coro *object_new(const char *name, aw_coro_body body,
                                                                  const void *args, size_t args_size,
                                                                  const char *file, int line, unsigned id)
{
    if (args_size >= (size_t)1 << 30) refuse_args_size(name, args_size); /* args_size's 30 bits (internal.h) */
    bool exact = atomic_load_explicit(&aw__shared_stacks_live, memory_order_relaxed) != 0;
    aw__coro *c = aw__recycled_alloc(object_size(args_size, exact));
    memset(c, 0, sizeof *c);
    c->exact_size = exact;
    c->id = id;
    c->line = line;
    c->name = name;
    c->body = body;
    c->file = file;
    c->args_size = (uint32_t)args_size;
    memcpy(c->args, args, args_size);
    return c;
}

aw_coro *aw_coro_new(const char *name, aw_coro_body body, const void *args, size_t args_size,
                     const char *file, int line)
{
    aw__coro *c = object_new(name, body, args, args_size, file, line, ++next_coro_id);
    aw_coro *h = slot_new(c, NULL, 0);
    aw_loop *loop = aw__running_loop();
    if (loop && loop->current_task && file) aw__task_site(loop->current_task, file, line);
    /* file NULL: core made it (sleep, wait_for...): the library's body, the caller's line */
    if (loop)
        AW__TRACE(loop, .kind = AW_EV_CORO_CREATED, .other = c->id, .name = name,
                  .task = aw__task_id(loop->current_task), .b = file == NULL, .file = file, .line = line);
    return h;
}

/* sleep(0)'s object is made only if something looks at it: an await on a loop with no tracer
 * runs a bare yield instead, on the handle alone (CPython's sleep(0) too is a bare
 * yield with no frame of its own).  With a tracer, or no loop, it is made now: a tracer is told
 * of every object made (coro_created), with the id it has. */
aw_coro *aw__coro_new_lazy(const aw__coro_recipe *r)
{
    aw_loop *loop = aw__running_loop();
    if (!loop || loop->opts.tracer) return aw_coro_new(r->name, r->body, r->args, r->args_size, NULL, 0);
    settle_pending();
    if (!free_head) {
        /* a slot for it to name: a fresh one, put on the free list as if freed before */
        size_t i = slot_fresh();
        slots[i].held = 0;
        slots[i].next_free = (uint32_t)free_head;
        free_head = i + 1;
    }
    size_t i = free_head - 1;
    lazy_pending = (pending_lazy){handle_of(i, slots[i].gen + 1), i, r, ++next_coro_id};
    return lazy_pending.handle;
}

/* The pending handle awaited: consumed (it goes stale), as slot_new then slot_release would. */
static inline void consume_pending(void)
{
    slots[lazy_pending.index].gen++;
    lazy_pending.handle = NULL;
}

/* h's recipe if h is a spilled coroutine not made yet, which is then consumed (h goes stale);
 * else NULL. */
static const aw__coro_recipe *take_lazy(aw_coro *h)
{
    handle_slot *s = slot_of_lazy(h);
    if (!s || !slot_is_recipe(s)) return NULL;
    const aw__coro_recipe *r = slot_recipe(s);
    slot_release(s);
    return r;
}

const char *aw_coro_name(const aw_coro *h)
{
    handle_slot *s = slot_of(h);
    return s ? slot_obj(s)->name : NULL;
}

/* Consumed: no longer "never awaited".  (The report finds the others in the slots: every object
 * not yet freed has one.) */
static void mark_consumed(aw__coro *c) { c->consumed = true; }

/* Starts the coroutine of a handle: its object, now running (no longer "never awaited"); NULL
 * with *why set (CPython's words) when it cannot be.  Out of line: inlined in await_made, its slot
 * pointer stayed in a register that every frame under the await saves, a word that differs from
 * task to task in every copied-stacks image (stack_image.c: 160 -> 192 bytes a sleeping task). */
__attribute__((noinline)) aw__coro *aw__coro_start(aw_coro *h, const char **why)
{
    handle_slot *s = slot_of(h);
    if (!s) {
        *why = "cannot reuse already awaited coroutine";
        return NULL;
    }
    if (s->running) {
        *why = "coroutine is being awaited already";
        return NULL;
    }
    s->running = true;
    mark_consumed(slot_obj(s));
    return slot_obj(s);
}

/* A task takes the coroutine: no longer "never awaited" (the task will run it or report). */
const char *aw__coro_own(aw_coro *h)
{
    handle_slot *s = slot_of(h);
    if (!s) return NULL;
    mark_consumed(slot_obj(s));
    return slot_obj(s)->name;
}

bool aw__coro_args_escape_stack(aw_coro *h)
{
    if (!aw__fiber_stack_is_shared()) return false; /* the default mode makes no lazy object */
    handle_slot *s = slot_of(h);
    /* The first word is AW_COROUTINE's marker byte and its padding (stale stack bytes from the
     * compound literal): no pointer member can start there. */
    size_t skip = sizeof(void *);
    return s && slot_obj(s)->args_size > skip &&
           aw__words_escape_stack(slot_obj(s)->args + skip, slot_obj(s)->args_size - skip, "an argument of a new task's coroutine");
}

const char *aw__coro_file(aw_coro *h)
{
    handle_slot *s = slot_of(h);
    return s ? slot_obj(s)->file : NULL;
}

int aw__coro_line(aw_coro *h)
{
    handle_slot *s = slot_of(h);
    return s ? slot_obj(s)->line : 0;
}

void aw__coro_free(aw__coro *c)
{
    if (c->slot < n_slots && slots[c->slot].held == (uintptr_t)c) slot_release(&slots[c->slot]);
    mark_consumed(c);
    if (!c->in_frame) aw__recycled_free(c, object_size(c->args_size, c->exact_size));
}

/* coro.close(): a closed coroutine closes again without complaint.  One that is running (C
 * cannot throw GeneratorExit into its frame) is left to finish. */
void aw_coro_close(aw_coro *h)
{
    handle_slot *s = slot_of(h);
    if (s && !s->running) aw__coro_free(slot_obj(s));
}

static int by_creation(const void *a, const void *b)
{
    unsigned x = (*(aw__coro *const *)a)->id, y = (*(aw__coro *const *)b)->id;
    return (x > y) - (x < y);
}

/* Oldest first, as they were made. */
void aw__coro_report_never_awaited(aw_loop *loop)
{
    settle_pending();
    size_t n = 0;
    for (size_t i = 0; i < n_slots; i++)
        if (slot_is_recipe(&slots[i]) || (slots[i].held && !slot_obj(&slots[i])->consumed)) n++;
    if (!n) return;
    aw__coro **never = malloc(n * sizeof *never);
    if (!never) abort();
    n = 0;
    for (size_t i = 0; i < n_slots; i++)
        if (slot_is_recipe(&slots[i]) || (slots[i].held && !slot_obj(&slots[i])->consumed))
            never[n++] = slot_object(&slots[i]);
    qsort(never, n, sizeof *never, by_creation);
    for (size_t i = 0; i < n; i++) {
        aw__coro *c = never[i];
        aw__warn_at(loop, "RuntimeWarning", c->file, c->line, "%s:%d: RuntimeWarning: coroutine '%s' was never awaited",
                    c->file, c->line, c->name);
        aw__coro_free(c);
    }
    free(never);
}

/* Runs the body in the current task.  Like a Python frame, the body has its own "exception
 * being handled": the caller's is set aside and comes back unless the body raises. */
/* While its body runs, a coroutine object (up to FRAME_MAX bytes of arguments) lives in
 * aw__coro_run's frame, on the running task's stack, like a Python frame: a task asleep in
 * `await ev.wait()` keeps two coroutine objects alive (~190 bytes with malloc's headers), which
 * the stack's page, resident anyway, holds instead (the bench's task asleep on an Event: 4714 ->
 * 4521 bytes, measured with FRAME_MAX 0; the freed object's block is reused at once, since a
 * future is the same 80 bytes as a one-argument coroutine object).  Nothing points at the
 * object but its handle's slot (moved here) and the task's chain of running coroutines (set
 * here). */
#define FRAME_MAX 256u

static aw_value run_in_frame(aw_task *t, aw__coro *c);

/* The body of c, run by task t (NULL: outside any task), c on the heap or in a frame. */
static inline __attribute__((always_inline)) aw_value run_body(aw_task *t, aw__coro *c)
{
    /* The slot stays where it is for the whole body: a coroutine never changes task. */
    aw_exc **slot = t ? &t->in_flight : aw__in_flight_slot();
    aw_exc *callers = *slot;
    *slot = NULL;
    /* Keep a chain of the coroutines running on this task's stack: a task destroyed while
     * suspended frees them (C cannot unwind the frames, but it can free the objects). */
    if (t) {
        c->caller = t->running;
        t->running = c;
    }
    aw_value v = c->body(c->args);
    if (t) {
        /* `return` inside `async with`: the scopes the body left open are exited now. */
        if (t->scopes && t->scopes->frame == c) v = aw__scopes_exit_frame(t, c, v);
        t->running = c->caller;
    }
    aw__coro_free(c);
    if (v.kind == AW_RAISED) {
        if (!*slot) *slot = aw_exc_new_class(AW_RuntimeError, "a coroutine returned aw_reraise() with no exception");
        aw_exc_unref(callers);
    } else {
        aw_exc_unref(*slot);
        *slot = callers;
    }
    return v;
}

/* Copied stacks: the frame would move away while the task sleeps, and the handle's slot and the
 * task's chain point at it, so the object stays on the heap.  The body then runs in the caller's
 * own frame (always_inline, no frame of run_body's own): with copied stacks every frame on the
 * await path is in every sleeping task's image, and run_body's was 64 bytes per await level. */
static inline __attribute__((always_inline)) aw_value run_in_task(aw_task *t, aw__coro *c)
{
    if (c->args_size > FRAME_MAX || aw__fiber_stack_is_shared()) return run_body(t, c);
    return run_in_frame(t, c);
}

static __attribute__((noinline)) aw_value run_on_heap(aw__coro *c) { return run_body(aw__current_task(), c); }

/* A task's own coroutine (task.c): both calls are tail calls, so this function has no frame
 * (a prologue saving registers for the inlined body cost every spawn ~25 instructions). */
aw_value aw__coro_run(aw__coro *c)
{
    if (c->args_size > FRAME_MAX || aw__fiber_stack_is_shared()) return run_on_heap(c);
    return run_in_frame(aw__current_task(), c);
}

static __attribute__((noinline)) aw_value run_in_frame(aw_task *t, aw__coro *c)
{
    size_t size = sizeof *c + c->args_size;
    aw__coro *frame = alloca(size);
    memcpy(frame, c, size);
    frame->in_frame = true;
    if (c->slot < n_slots && slots[c->slot].held == (uintptr_t)c) slots[c->slot].held = (uintptr_t)frame;
    aw__recycled_free(c, object_size(c->args_size, c->exact_size));
    return run_body(t, frame);
}

/* ---- await ---------------------------------------------------------------------------------- */

static __attribute__((noinline)) void trace_await_return(aw_loop *loop, aw_task *t, unsigned future,
                                                        unsigned coro, aw_status st, aw_value v,
                                                        const char *file, int line)
{
    char result[512] = "";
    const aw_exc *e = st == AW_OK ? NULL : aw_exc_current();
    int reason = st == AW_OK ? AW_DONE_RESULT : st == AW_CANCELLED ? AW_DONE_CANCELLED : AW_DONE_EXCEPTION;
    if (st == AW_OK) aw_value_repr(v, result, sizeof result);
    AW__TRACE(loop, .kind = AW_EV_AWAIT_RETURN, .task = t->fut.id, .future = future, .other = coro,
              .reason = reason, .text = st == AW_OK ? result : NULL, .name = e ? aw_exc_type(e) : NULL,
              .message = e ? aw_exc_message(e) : NULL, .file = file, .line = line);
}

/* The await expression at file:line returns (or raises) to the program: a step of its own in a
 * trace, and the task is back at that line. */
static inline void await_returned(aw_loop *loop, aw_task *t, unsigned future, unsigned coro, aw_status st,
                                  aw_value v, const char *file, int line)
{
    aw__task_site(t, file, line);
    if (loop->opts.tracer) trace_await_return(loop, t, future, coro, st, v, file, line);
}
/* The await path's cold halves, out of line: with copied stacks a sleeping task keeps every
 * frame on its await path (aw__await_future, await_made) in its saved image, and an inline trace
 * event or a formatted error made those frames 240 bytes each. */
static __attribute__((noinline, cold)) aw_status fail_await_outside_task(void)
{
    return aw__fail(AW_RuntimeError, "await outside a task: aw_await() must run inside a coroutine driven by a task");
}

static __attribute__((noinline, cold)) aw_status fail_foreign_future(aw_task *t, aw_future *f)
{
    /* tasks.py: f'Task {self!r} got Future {result!r} attached to a different loop' */
    return aw__fail(AW_RuntimeError, "Task <Task pending name='%s' coro=<%s() running>> got Future <%s %s> attached to a different loop",
                    t->name, t->coro_name, f->is_task ? "Task" : "Future", f->state == AW__PENDING ? "pending" : "finished");
}

static __attribute__((noinline, cold)) void trace_await_future(aw_loop *loop, aw_task *t, aw_future *f,
                                                               const char *file, int line)
{
    AW__TRACE(loop, .kind = AW_EV_AWAIT, .task = t->fut.id, .future = f->id,
              .name = f->is_task ? ((aw_task *)f)->name : aw__future_what(f), .file = file, .line = line);
}

static __attribute__((noinline, cold)) void trace_await_coro(aw_loop *loop, aw_task *t, const aw__coro *c,
                                                             const char *file, int line)
{
    AW__TRACE(loop, .kind = AW_EV_AWAIT, .task = t->fut.id, .name = c->name, .other = c->id, .file = file,
              .line = line);
}

static __attribute__((noinline, cold)) void trace_cancel_delivered(aw_loop *loop, aw_task *t)
{
    AW__TRACE(loop, .kind = AW_EV_CANCEL_DELIVERED, .task = t->fut.id, .text = aw__exc_text(aw_exc_current()));
}

/* f is done: its outcome goes to the await statement at file:line.  slept: the awaiting task
 * slept on f, and st says how it was woken. */
static inline __attribute__((always_inline)) aw_status await_done(aw_task *t, aw_future *f, aw_status st, bool slept,
                                                                  aw_value *out, const char *file, int line)
{
    aw_loop *loop = t->fut.loop;
    aw_value v = aw_none();
    if (slept && st == AW_CANCELLED && loop->opts.tracer) trace_cancel_delivered(loop, t);
    if (st == AW_OK) {
        st = aw__take_outcome(f, &v);
        /* A CancelledError reaches the coroutine: delivered if this task is being cancelled
         * (its cancel() reached the awaited future, e.g. a gather that failed with
         * CancelledError) or the awaited future itself was cancelled (sim/trace-format.md,
         * cancel_delivered); not when it merely awaits a cancelled task. */
        if (st == AW_CANCELLED && loop->opts.tracer &&
            ((f->state == AW__CANCELLED && !f->is_task) || t->num_cancels_requested > 0))
            trace_cancel_delivered(loop, t);
    }
    await_returned(loop, t, f->id, 0, st, v, file, line);
    if (st == AW_OK && out) *out = v;
    return st;
}

static __attribute__((noinline)) aw_status await_woken(aw_future *f, aw_status st, aw_value *out, const char *file,
                                                       int line)
{
    return await_done(aw__current_task(), f, st, true, out, file, line);
}

/* Copied stacks: the running task sleeps until f is done.  A function of its own, entered by a
 * tail call, whose frame under the suspension holds only f and the await's place (the task and
 * the loop are read again after it): with copied stacks that frame is in every sleeping task's
 * image, where aw__await_future's was 96 bytes.  (The default mode keeps the one frame: three
 * functions' entries and exits cost a spawn ~50 instructions.) */
static __attribute__((noinline)) aw_status await_pending(aw_future *f, aw_value *out, const char *file, int line)
{
    return await_woken(f, aw__suspend_on(f), out, file, line);
}

aw_status aw__await_future(aw_future *f, aw_value *out, const char *file, int line)
{
    aw_loop *loop = aw__running_loop();
    aw_task *t = loop ? loop->current_task : NULL;
    if (!t) return fail_await_outside_task();
    if (f->loop != loop) return fail_foreign_future(t, f);
    aw__task_site(t, file, line);
    if (loop->opts.tracer) trace_await_future(loop, t, f, file, line);
    if (f->state != AW__PENDING) return await_done(t, f, AW_OK, false, out, file, line);
    if (aw__fiber_stack_is_shared()) return await_pending(f, out, file, line);
    return await_done(t, f, aw__suspend_on(f), true, out, file, line);
}

static aw_status await_made(void *awaitable, aw_value *out, const char *file, int line);

/* A coroutine not made yet (sleep(0)) awaited by task t on a loop with no tracer: a bare yield
 * (internal.h, aw__coro_recipe). */
static inline aw_status await_lazy(aw_task *t, aw_value *out, const char *file, int line)
{
    aw__task_site(t, file, line);
    aw_status st = aw__task_yield(t);
    if (st == AW_OK && out) *out = aw_none();
    return st;
}

/* AW_AWAIT(aw_sleep(0)) is awaited first, without the checks and the frame that the others
 * need (their registers are saved only in await_made). */
aw_status aw__await(void *awaitable, aw_value *out, const char *file, int line)
{
    if (awaitable && awaitable == lazy_pending.handle) {
        aw_loop *loop = aw__running_loop();
        aw_task *t = loop ? loop->current_task : NULL;
        if (t && !loop->opts.tracer) {
            consume_pending();
            return await_lazy(t, out, file, line);
        }
    }
    return await_made(awaitable, out, file, line);
}

static __attribute__((noinline)) aw_status await_made(void *awaitable, aw_value *out, const char *file, int line)
{
    /* NULL from a call that failed (aw_gather, aw_create_task...): its exception, in flight,
     * propagates, as it would have in Python before any await. */
    if (!awaitable) {
        aw_exc *pending = aw_exc_current();
        return pending ? aw_exc_status(pending) : aw__fail(AW_TypeError, "'NoneType' object can't be awaited");
    }
    if (!aw__is_coro_handle(awaitable)) {
        if (aw__is_future_ptr(awaitable)) return aw__await_future(awaitable, out, file, line);
        return aw__fail(AW_TypeError, "object can't be awaited");
    }
    aw_loop *loop = aw__running_loop();
    aw_task *t = loop ? loop->current_task : NULL;
    if (t && !loop->opts.tracer && take_lazy(awaitable)) return await_lazy(t, out, file, line); /* a stored sleep(0) */
    const char *why;
    aw__coro *c = aw__coro_start(awaitable, &why);
    if (!c) return aw__fail(AW_RuntimeError, "%s", why);
    if (!t) {
        aw__coro_free(c);
        return fail_await_outside_task();
    }
    aw__task_site(t, file, line);
    if (loop->opts.tracer) trace_await_coro(loop, t, c, file, line);
    unsigned coro_id = c->id;
    aw_value v = run_in_task(t, c);
    aw_status st = v.kind == AW_RAISED ? aw_exc_status(aw_exc_current()) : AW_OK;
    /* (The loop again from t: one register fewer kept across the body, in a sleeping task's image.) */
    await_returned(t->fut.loop, t, 0, coro_id, st, v, file, line);
    if (st == AW_OK && out) *out = v;
    return st;
}

/* ensure_future: a coroutine becomes a task; a future stays itself. */
aw_future *aw__ensure_future(aw_loop *loop, void *awaitable)
{
    if (aw__is_coro_handle(awaitable)) {
        aw_task *t = aw_loop_create_task(loop, awaitable, NULL);
        return t ? &t->fut : NULL;
    }
    if (aw__is_future_ptr(awaitable)) return awaitable;
    aw__fail(AW_TypeError, "An asyncio.Future, a coroutine or an awaitable is required");
    return NULL;
}
