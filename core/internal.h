/* internal.h — core's private structures and aw__ functions.  Not installed; not for users. */
#ifndef AW_INTERNAL_H
#define AW_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Core's own calls into the public API are library code: they record no source line of their
 * own (the program's line that called into core stays the event's line) and the coroutines they
 * make are marked as the library's (awaitlab.h reads this). */
#define AW__CORE_INTERNAL 1

#include "aw_backend.h"
#include "aw_trace_time.h"
#include "aw_tracer.h"
#include "awaitlab.h"
#include "fiber.h"

/* Every future starts with a tag, so aw_await can tell what it was given, and so do the
 * synchronization primitives (core/sync.h), for the calls that take any of them.  A coroutine is
 * never a pointer to memory: aw_coro * is a handle (an odd value, see coro.c), so a stale one is
 * recognised instead of read after it was freed. */
enum {
    AW__TAG_FUTURE = 0x66757475u /* "futu" */,
    AW__TAG_SYNC = 0x73796e63u /* "sync": Lock, Semaphore, Queue... */,
    AW__TAG_SERVER = 0x73727672u /* "srvr": asyncio.Server (`async with server`) */,
    AW__TAG_READER = 0x72656164u /* "read": StreamReader (an AW_OBJECT value) */,
    AW__TAG_WRITER = 0x77726974u /* "writ": StreamWriter (an AW_OBJECT value) */
};
static inline bool aw__is_coro_handle(const void *p) { return ((uintptr_t)p & 1u) != 0; }
static inline bool aw__is_future_ptr(const void *p)
{
    return p && !aw__is_coro_handle(p) && *(const uint32_t *)p == AW__TAG_FUTURE;
}

/* ---- exceptions ---------------------------------------------------------------------------- */
struct aw_exc {
    int refs;
    const aw_exc_class *cls;
    size_t nargs;
    aw_value *args;          /* owned copies (aw__value_copy); a group's are (msg, [excs]) */
    char *str;               /* str(e), made once: args never change */
    size_t nattrs;           /* attributes beyond args (IncompleteReadError.partial...) */
    struct aw__exc_attr { const char *name; aw_value v; } *attrs;   /* owned copies */
};
/* e.name = v (a copy): the attributes a class's __init__ sets beyond args. */
void aw__exc_set_attr(aw_exc *e, const char *name, aw_value v);
aw_exc *aw__exc_make(const aw_exc_class *cls, size_t n, const aw_value *args);   /* copies args */
aw_exc *aw__exc_new_msg(const aw_exc_class *cls, const char *msg);   /* Type(msg); NULL: Type() */
aw_exc *aw__cancelled_error(const char *msg);
/* BaseExceptionGroup(msg, excs) with excs a list (AW_LIST) or a tuple (AW_TUPLE), as args keep it. */
aw_exc *aw__exc_group_make(const char *msg, aw_exc *const *excs, size_t n, aw_kind seq);          /* CancelledError(msg); NULL: no args */
/* What traces carry as an exception's text: str(e), or NULL when it has no args (so that
 * CancelledError() and CancelledError('') stay apart in traces, as they did before args). */
const char *aw__exc_text(const aw_exc *e);
void aw__set_in_flight(aw_exc *e);                      /* takes the reference */
/* Puts Type(msg) in flight and returns its status; fmt NULL: Type() with no args. */
aw_status aw__fail(const aw_exc_class *cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t aw__exc_repr(const aw_exc *e, char *buf, size_t size);   /* ValueError('boom') */
void aw__trace_handler(int what, const aw_exc *e);      /* the `handler` event (aw_except...) */

/* ---- values: copies an exception owns, and text written into a caller's buffer -------------- */
aw_value aw__value_copy(aw_value v);       /* strings and lists copied (malloc), exceptions ref'd */
void aw__value_free(aw_value v);           /* what aw__value_copy made */
/* A bounded writer with snprintf's contract: writes what fits (always terminated when size > 0)
 * and counts everything, so the caller learns the full length. */
typedef struct aw__out {
    char *buf;
    size_t size, len;
} aw__out;
void aw__out_write(aw__out *o, const char *s, size_t n);
void aw__out_puts(aw__out *o, const char *s);
void aw__out_printf(aw__out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void aw__value_repr_to(aw__out *o, aw_value v);
void aw__value_str_to(aw__out *o, aw_value v);
void aw__exc_repr_to(aw__out *o, const aw_exc *e);
void aw__tuple_repr_to(aw__out *o, size_t n, const aw_value *items);   /* (), (x,), (a, b) */
/* repr() of an AW_OBJECT (its tag says which): core/stream_common.c. */
void aw__object_repr_to(aw__out *o, const void *obj);
char *aw__out_strdup(void (*write)(aw__out *o, const void *arg), const void *arg);   /* malloc'd */

/* ---- recycled memory (recycle.c): small objects made and freed at every step -------------- */
void *aw__recycled_alloc(size_t size);   /* uninitialised; never NULL */
void aw__recycled_free(void *p, size_t size);   /* size: as allocated */
size_t aw__recycled_capacity(size_t size);      /* the bytes a block asked for with size holds */
void aw__recycled_trim(void);

/* ---- arena: values' strings and lists live until the loop is freed ------------------------- */
typedef struct aw__arena_block aw__arena_block;
void *aw__arena_alloc(aw_loop *loop, size_t size);
char *aw__arena_strdup(aw_loop *loop, const char *s);
void aw__arena_free(aw_loop *loop);
/* An executor job's strings (value.c): made in its worker thread, then adopted by the loop. */
void aw__arena_set_thread(aw__arena_block **blocks);    /* NULL: this thread's job ended */
void aw__arena_adopt(aw_loop *loop, aw__arena_block *blocks);
char *aw__arena_strdup_here(const char *s);   /* the running loop's arena, else the worker job's; NULL: neither */
void aw__arena_blocks_free(aw__arena_block *blocks);

/* ---- handles ------------------------------------------------------------------------------- */
/* An entry of the ready queue: a handle or a task whose step is due (ready_queue.h); 0: none. */
typedef uintptr_t aw__ready_entry;

struct aw_handle {
    aw_loop *loop;
    unsigned id;
    bool cancelled;
    bool scheduled;          /* in the timer heap */
    bool kept;               /* given to the program: never recycled before the loop is freed */
    int refs;                /* the queue it is in, plus core's own holders */
    double when;             /* timers: the deadline, loop.time() seconds; -1 for call_soon */
    uint64_t seq;            /* creation order: breaks deadline ties */
    aw_callback cb;
    void *arg;
    const char *name;        /* for traces (static or arena string) */
    unsigned serves_task;    /* trace: the task whose step this is, or 0 */
    unsigned serves_future;  /* trace: the future whose callback this is, or 0 */
    bool ran;
    aw_callback drop;        /* frees arg if the handle is discarded without running */
    bool live;               /* handed out (not in the free list) */
    union {
        aw__ready_entry next_ready;   /* live: the ready queue's link */
        aw_handle *next_free;    /* free: the free list's */
    };
    uint32_t ref_slot;       /* + 1: the program holds references to it (handle_ref.c); 0: none */
};
typedef struct aw__handle_chunk aw__handle_chunk;
void aw__handles_drop_unrun(aw_loop *loop);   /* aw_loop_free: before the futures go */
void aw__handles_free(aw_loop *loop);
/* handle_ref.c: references the program holds to call_soon handles, stale once recycled. */
aw_handle *aw__handle_publish(aw_handle *h);
aw_handle *aw__handle_resolve(const aw_handle *ref);   /* NULL: stale */
void aw__handle_unpublish(aw_handle *h);
static inline bool aw__is_handle_ref(const aw_handle *h) { return ((uintptr_t)h & 1u) != 0; }
aw_handle *aw__call_soon_traced(aw_loop *loop, aw_callback cb, void *arg, const char *name,
                                unsigned task, unsigned future);
/* A timer core itself holds (sleep, timeouts): released with aw__handle_release after cancel.
 * `when` is in loop.time() seconds: aw__later(loop, delay) for call_later's deadline. */
aw_handle *aw__timer_at_held(aw_loop *loop, double when, aw_callback cb, void *arg, const char *name,
                             unsigned task, unsigned future);
aw_handle *aw__call_soon_held(aw_loop *loop, aw_callback cb, void *arg, const char *name, unsigned task);
void aw__handle_release(aw_handle *h);
/* Time is CPython's (design.md, Semantics): doubles in seconds, computed with the same float
 * operations in the same order as Lib/asyncio.  call_later's deadline: `self.time() + delay`. */
static inline double aw__later(aw_loop *loop, double delay) { return aw_loop_time(loop) + delay; }
/* Python's None for a timeout or deadline: AW_NO_TIMEOUT (+inf), and NaN (which CPython's heap
 * never fires either).  Every finite value, negative ones included, is a real timeout. */
static inline bool aw__no_timeout(double s) { return !(s < AW_NO_TIMEOUT); }
/* A time as traces take it (TIME_NULL fields): null (-1) for None, a negative one as 0. */
static inline double aw__traced_time(double s) { return aw__no_timeout(s) ? -1 : s <= 0 ? 0 : s; }
aw_future *aw__future_new_internal(aw_loop *loop);   /* like aw_future_new, freed after detach */
void aw__hold_exc(aw_loop *loop, aw_exc *e);         /* keep e alive until the loop is freed */

/* ---- timer heap: ordered by (deadline, seq) ------------------------------------------------- */
typedef struct aw__timer_heap {
    aw_handle **items;
    size_t len, cap;
} aw__timer_heap;
bool aw__heap_push(aw__timer_heap *h, aw_handle *x);
aw_handle *aw__heap_pop(aw__timer_heap *h);
static inline aw_handle *aw__heap_top(const aw__timer_heap *h) { return h->len ? h->items[0] : NULL; }
void aw__heap_free(aw__timer_heap *h);

typedef struct aw__coro aw__coro;   /* coro.c: the object behind an aw_coro handle */

/* ---- futures and tasks ------------------------------------------------------------------------ */
typedef enum { AW__PENDING = 0, AW__FINISHED, AW__CANCELLED } aw__fstate;

typedef struct aw__done_cb {
    aw_done_fn fn;
    void *arg;
    bool wakes_task;   /* a task's wake-up: arg is the task (traces name it) */
} aw__done_cb;

/* What few futures need, kept out of the future itself (allocated by the first future that needs
 * it, freed with the future): callbacks after the first, what cancellation leaves behind, and
 * gather's hooks. */
typedef struct aw__future_extra {
    aw__done_cb *more;       /* callbacks after the first, in registration order */
    size_t n_more, cap_more;
    aw_exc *cancelled_exc;   /* the CancelledError a task's coroutine ended with */
    char *cancel_message;
    /* gather's future forwards cancel() to its children (CPython's _GatheringFuture). */
    bool (*cancel_hook)(aw_future *f, const char *msg);
    void *hook_data;
    void (*hook_free)(void *hook_data);   /* frees hook_data if the loop goes first */
    bool cancel_requested;   /* gather: a cancel() reached at least one child */
    const char *what;        /* what traces call a plain future awaited ("StreamReader._waiter"); NULL: "future" */
} aw__future_extra;

/* 80 bytes, the least block of a coroutine object (coro.c, object_size): a task's own coroutine
 * object, freed at its first step (recycle.c keeps it), is the block the future it then awaits
 * (an Event's or a Lock's waiter) is made in, instead of leaving a hole among the tasks while
 * the waiter takes a block of its own (`awaitlab_bench memory`: 4953 -> 4601 bytes per sleeping
 * task, with aw_task's packing below).  So what few futures use is in `extra`, the outcome is a
 * result or an exception, never both, and the first callback (most futures have one) is inline. */
struct aw_future {
    uint32_t tag;
    unsigned id;
    aw_loop *loop;
    int refs;                /* internal references (waiters, callbacks in flight) */
    unsigned state : 2;      /* aw__fstate */
    unsigned is_task : 1;
    unsigned user_held : 1;  /* the program may still use it (until aw_*_detach) */
    unsigned log_traceback : 1;   /* an exception nobody retrieved yet */
    unsigned has_exc : 1;    /* the outcome is `raised`, not `result` */
    unsigned first_wakes_task : 1;   /* first_fn is a task's wake-up (aw__done_cb.wakes_task) */
    union {
        aw_value result;     /* while pending, sleep() keeps the value its timer will set here */
        aw_exc *raised;      /* has_exc; read it with aw__future_exc */
    };
    aw_done_fn first_fn;     /* the first callback (NULL: none); the others are in extra->more */
    void *first_arg;
    aw_future *prev_all, *next_all;   /* the loop's list of live futures */
    aw__future_extra *extra; /* NULL until a future needs it */
};

_Static_assert(sizeof(void *) != 8 || sizeof(aw_future) == 80, "aw_future: a one-argument coroutine object's size");
static inline aw_exc *aw__future_exc(const aw_future *f) { return f->has_exc ? f->raised : NULL; }
static inline const char *aw__future_cancel_message(const aw_future *f)
{
    return f->extra ? f->extra->cancel_message : NULL;
}
aw__future_extra *aw__future_extra_of(aw_future *f);   /* made on first use */
void aw__future_set_what(aw_future *f, const char *what);   /* a static string */
const char *aw__future_what(const aw_future *f);             /* "future" unless set */
void aw__future_set_cancel_message(aw_future *f, const char *msg);   /* copied; NULL: none */

typedef enum { AW__STEP_NONE = 0, AW__STEP_AWAITING, AW__STEP_YIELDED, AW__STEP_FINISHED } aw__step_outcome;

/* 216 bytes (a 224-byte block of recycle.c and malloc): pointers first, then the small fields
 * packed, so that no padding is left between them.  What the body returned waits in
 * fut.result (unused while the task is pending) between its return and the task's finish. */
struct aw_task {
    aw_future fut;           /* first: a task is a future */
    aw_coro *coro;           /* its coroutine, by handle: started by the first step */
    const char *coro_name;   /* for reprs: "main" in coro=<main()> */
    char *name;              /* default_name, or malloc'd (a name the program gave) */
    aw__fiber *fiber;        /* allocated at the first step, released when done */
    aw_future *fut_waiter;
    aw_exc *throw_exc;       /* what the next resume throws in (NULL: resume normally) */
    aw_exc *step_exc;        /* what the scheduled step throws in */
    aw_exc *in_flight;       /* the exception the coroutine is handling / propagating */
    aw__coro *running;       /* the innermost coroutine running on the task's stack */
    aw__scope *scopes;       /* open `async with` scopes, innermost first */
    aw__ready_entry next_ready;   /* its step's link in the ready queue (ready_queue.h) */
    const char *site_file;   /* the program's statement this task is at (aw__site), for traces */
    int site_line;
    int num_cancels_requested;
    unsigned char outcome;   /* aw__step_outcome */
    bool must_cancel;
    bool step_scheduled;     /* a step is in the ready queue (at most one, as in CPython) */
    bool started;
    char default_name[sizeof "Task-18446744073709551615"];   /* "Task-N", any unsigned long N */
};
_Static_assert(sizeof(void *) != 8 || sizeof(aw_task) <= 216, "aw_task: a 224-byte block (see above)");

aw_future *aw__future_alloc(aw_loop *loop, size_t size, bool is_task);
void aw__future_ref(aw_future *f);
void aw__future_unref(aw_future *f);
void aw__future_free(aw_future *f);
bool aw__future_cancel_plain(aw_future *f, const char *msg);   /* Future.cancel, never Task's */
void aw__future_set_result_unless_cancelled(aw_future *f, aw_value v);
void aw__future_finish(aw_future *f, aw_value v);              /* set_result, no checks */
void aw__future_finish_exception(aw_future *f, aw_exc *e);     /* takes the reference */
/* A task's wake-up: traces say which task the callback wakes. */
void aw__future_add_wakeup(aw_future *f, aw_done_fn fn, aw_task *t);
aw_exc *aw__future_make_cancelled_error(aw_future *f);
aw_future *aw__ensure_future(aw_loop *loop, void *awaitable);  /* coro -> task; NULL: TypeError */
void aw__task_free(aw_task *t);
/* A step of t the ready queue holds as the task itself (ready_queue.h): run it
 * (aw__task_run_step, task_step.h), or, at the loop's end, give back what it holds without
 * running it. */
void aw__task_drop_step(aw_task *t);
void aw__task_report_unretrieved(aw_task *t);
aw_exc **aw__in_flight_slot(void);

/* ---- coroutines ----------------------------------------------------------------------------- */
/* The object behind an aw_coro handle.  Alive from AW_CALL until it has run (or is closed); the
 * handle only until something consumes it (await, create_task, close). */
struct aw__coro {
    unsigned id;
    int line;
    const char *name;
    aw_coro_body body;
    const char *file;
    aw__coro *caller;                        /* while running: the coroutine that awaits it */
    uint32_t slot : 31;                      /* its handle's slot (coro.c) while unconsumed */
    uint32_t exact_size : 1;                 /* its block is its exact size (coro.c, object_size) */
    /* 48 bytes before the arguments (the small fields packed): with copied stacks a task asleep
     * in `await ev.wait()` keeps two objects on the heap, each then a 16-byte malloc step
     * smaller.  Arguments of 1 GiB or more are refused (coro.c). */
    uint32_t args_size : 30;
    uint32_t consumed : 1;
    uint32_t in_frame : 1;                   /* running, in aw__coro_run's frame (coro.c) */
    _Alignas(max_align_t) unsigned char args[];
};
_Static_assert(sizeof(void *) != 8 || sizeof(aw__coro) == 48, "aw__coro: 48 bytes before the arguments");
/* The object of a handle, started now; NULL with CPython's words in *why when the handle is
 * stale (its coroutine ran, or was closed) or its coroutine is running. */
aw__coro *aw__coro_start(aw_coro *handle, const char **why);
/* A coroutine whose object is made only when something looks at it (coro.c): sleep(0), whose
 * await on a loop with no tracer is a bare yield returning None (CPython's __sleep0), the body
 * less what running it would only save and restore. */
typedef struct aw__coro_recipe {
    const char *name;
    aw_coro_body body;
    const void *args;
    size_t args_size;
} aw__coro_recipe;
aw_coro *aw__coro_new_lazy(const aw__coro_recipe *r);
const char *aw__coro_own(aw_coro *handle);  /* a task takes it: its name, or NULL if stale */
const char *aw__coro_file(aw_coro *handle);  /* where AW_CALL made it (NULL: stale or core's) */
/* Copied stacks: does a word of the coroutine's arguments point into the shared stack?  (true:
 * RuntimeError in flight; stack_escape.c) */
bool aw__coro_args_escape_stack(aw_coro *handle);

/* Copied stacks' constraint (stack_escape.c): true, with RuntimeError naming the task in flight,
 * when p (or a value's pointer, or any aligned word of bytes) points into the shared stack. */
bool aw__escapes_shared_stack(const void *p, const char *what);
bool aw__value_escapes_shared_stack(aw_value v, const char *what);
static inline bool aw__escapes_stack(const void *p, const char *what)
{
    return aw__fiber_stack_is_shared() && aw__escapes_shared_stack(p, what);
}
static inline bool aw__value_escapes_stack(aw_value v, const char *what)
{
    return aw__fiber_stack_is_shared() && aw__value_escapes_shared_stack(v, what);
}
bool aw__words_escape_stack(const void *bytes, size_t size, const char *what);
void aw__abort_if_refused(bool refused); /* for APIs with no status: the message, then abort */
int aw__coro_line(aw_coro *handle);
aw_value aw__coro_run(aw__coro *c);          /* runs the body here, exits its open scopes, frees c */
void aw__coro_free(aw__coro *c);             /* the object and its handle's slot */
void aw__coro_report_never_awaited(aw_loop *loop);

/* ---- scopes (`async with`): timeouts and task groups ---------------------------------------- */
/* An open scope, in its task's stack of open scopes.  Entered with aw__scope_push, left with
 * aw__scope_pop (by its own exit).  When a coroutine returns, the scopes it entered and did not
 * exit are exited by the core (scope.c): as Python's `async with` is when a `return` or an
 * exception leaves its body; one entered with the lower-level begin/enter calls (not a block)
 * also makes the coroutine raise RuntimeError, naming where it was entered. */
struct aw__scope {
    aw_status (*exit)(aw__scope *s, aw_status body);   /* __aexit__ (may await); pops s */
    const char *what;        /* "asyncio.timeout", "TaskGroup": for messages */
    const char *file;        /* where the program entered it */
    int line;
    aw__coro *frame;         /* the coroutine that entered it */
    aw_task *task;
    bool block;              /* entered by AW_TIMEOUT / AW_TASKGROUP */
    bool open;
    aw__scope *outer;        /* the task's next open scope (entered before this one) */
};
void aw__scope_push(aw__scope *s, aw_task *t, const char *what);
void aw__scope_pop(aw__scope *s);
/* At a coroutine's return: exits what c left open; returns the (possibly new) return value. */
aw_value aw__scopes_exit_frame(aw_task *t, aw__coro *c, aw_value v);

/* ---- the loop ------------------------------------------------------------------------------- */
struct aw_loop {
    aw_loop_options opts;
    aw_backend *backend;
    bool running, stopping, closed;
    uint64_t iteration;
    aw__ready_entry ready_head;       /* ready_queue.h */
    aw__ready_entry *ready_tail;      /* the last entry's link (&ready_head: empty) */
    size_t n_ready;
    aw__timer_heap timers;
    size_t timer_cancelled_count;
    uint64_t handle_seq;
    unsigned next_future_id, next_coro_id, next_scope_id, next_group_id;
    unsigned next_sync_id;            /* Lock, Event, Queue...: their own id space */
    struct aw__handle_chunk *handle_chunks;   /* every handle's memory (handle.c) */
    aw_handle *free_handles;
    aw_future *all_futures;           /* live futures, newest first */
    aw_task *current_task;
    aw__stack_pool *stacks;
    aw__arena_block *arena;
    aw_exc **held_excs;               /* exceptions referenced from arena values */
    size_t n_held_excs, cap_held_excs;
    struct aw__io_watch *io;          /* readers/writers by fd */
    size_t n_io;
    aw_status deadlock;               /* AW_ERROR: a virtual clock found nothing to wait for;
                                       * AW_TIMEOUT: it passed opts.time_limit (vary.c) */
    const char *via;                  /* the library function acting now ("wait_for"...), for traces */
    struct aw__threadsafe *threadsafe; /* call_soon_threadsafe's handoff queue (threadsafe.h) */
    struct aw__executor *executor;    /* the default executor (executor.c); NULL until used */
    /* Calls from other threads the loop knows will come (executor jobs in flight, an executor
     * shutting down): while there are any, waiting forever is waiting for them, not a deadlock. */
    size_t n_expected_threadsafe;
    /* The clock as the trace last said it (a clock_jump's `to`): a backend may report jumps of
     * its own during a wait (sim network events), and the loop's jump starts from there. */
    double clock_traced;
    struct aw__resource *resources;   /* streams' objects, freed with the loop (stream.h) */
    unsigned next_stream_id;          /* connections and servers: their own id space in traces */
};

#include "ready_queue.h"

/* The loop running in this thread: read at every await and step, so inline (loop.c owns it). */
extern _Thread_local aw_loop *aw__loop_running;
static inline aw_loop *aw__running_loop(void) { return aw__loop_running; }
static inline aw_task *aw__current_task(void) { return aw__loop_running ? aw__loop_running->current_task : NULL; }
void aw__set_running_loop(aw_loop *loop);
void aw__loop_stop_cb(void *arg);
/* vary.c: the seed's choice for `nominal` (a duration, or a wait for a timer), traced as a
 * `choice` event; `nominal` itself when that variation is off or the backend draws nothing. */
double aw__vary(aw_loop *loop, int variation, double nominal, unsigned task);
void aw__time_limit_note(void);

/* executor.c: loop.close()'s executor.shutdown(wait=False) (before the handoff queue closes),
 * freeing what is left of the executor, and asyncio.run's shutdown (with its 300 s). */
void aw__executor_close(aw_loop *loop);
/* executor.c: what an executor job's fn does as a thread.  Each returns false when this thread
 * runs no job.  sleep: the job's clock moves (simulated) or the worker sleeps (real); time: the
 * job's own clock, on the simulated clock only; print: a worker's line, to the loop's output
 * (real clock; inline on the simulated clock, the loop's thread prints as usual). */
bool aw__job_sleep(double seconds);
bool aw__job_time(double *now);
bool aw__job_print(const char *line, const char *file, int line_no);
/* clock.c: one line to the loop's output (its callback, else stdout); the caller serializes. */
void aw__print_line(aw_loop *loop, const char *line);
void aw__executor_free(aw_loop *loop);
aw_coro *aw__run_shutdown_default_executor(aw_loop *loop);

/* ---- tracing: one predictable branch when no tracer is set ---------------------------------- */
void aw__emit(aw_loop *loop, aw_event *ev);
#define AW__TRACE(loop, ...)                                                                   \
    do {                                                                                       \
        if (__builtin_expect((loop)->opts.tracer != NULL, 0)) {                                \
            aw_event aw__ev = {__VA_ARGS__};                                                   \
            aw__emit((loop), &aw__ev);                                                         \
        }                                                                                      \
    } while (0)
static inline unsigned aw__task_id(const aw_task *t) { return t ? t->fut.id : 0; }
/* aw__site for a task known to be running: the program's statement it is at (file NULL: core's
 * own call, which keeps the program's line). */
static inline void aw__task_site(aw_task *t, const char *file, int line)
{
    if (file) {
        t->site_file = file;
        t->site_line = line;
    }
}
/* Runs `stmt` as library function `name` acting (its trace events say "via": "name"). */
/* AW_CALL under the name CPython's coroutine has (its __qualname__: "Event.wait"), for the
 * library's coroutines that are methods in Python. */
#define AW__CALL_AS(display, name, ...)                                                        \
    aw_coro_new(display, (aw_coro_body)name##_body, &(struct name##_args){0, __VA_ARGS__},     \
                sizeof(struct name##_args), AW__HERE)

#define AW__VIA(loop, name, stmt)                                                              \
    do {                                                                                       \
        const char *aw__saved_via = (loop)->via;                                               \
        (loop)->via = (name);                                                                  \
        stmt;                                                                                  \
        (loop)->via = aw__saved_via;                                                           \
    } while (0)
void aw__warn(aw_loop *loop, const char *category, unsigned task, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same about a place in the program (file:line), which the trace records with the event. */
void aw__warn_at(aw_loop *loop, const char *category, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* stream_server.c: `async with server`'s __aexit__ (close, then wait_closed). */
aw_status aw__server_aexit(void *server);

/* ---- suspending the current task (only from inside a task's fiber) --------------------------- */
aw_status aw__suspend_on(aw_future *f);     /* await a pending future */
aw_status aw__yield(void);                  /* bare yield: one loop iteration */
aw_status aw__yield_thrown(aw_task *t);     /* the yield resumed with an exception thrown in */
/* aw__yield of running task t, inline: after a register switch each return lands where the other
 * stack's calls were pushed, so every frame between the await and the switch is a mispredicted
 * return per switch (sleep(0) went yielder -> aw__await -> its recipe -> aw__yield -> suspend). */
static inline aw_status aw__task_yield(aw_task *t)
{
    t->outcome = AW__STEP_YIELDED;
    aw__fiber_suspend(t->fiber, true);
    return t->throw_exc ? aw__yield_thrown(t) : AW_OK;
}
aw_status aw__await_future(aw_future *f, aw_value *out, const char *file, int line);
aw_status aw__take_outcome(aw_future *f, aw_value *out);   /* result() of a done future */

#endif /* AW_INTERNAL_H */
