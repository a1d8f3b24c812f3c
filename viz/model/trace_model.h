/* trace_model.h — one trace, loaded and indexed: the state of the loop at any step, for every
 * front end (the terminal viewer, the SDL viewer, exporters).  Reads traces only: no core, no
 * curses, no SDL.
 *
 *     aw_model_error err;
 *     aw_model *m = aw_model_load("run.jsonl", NULL, &err);      // NULL: refused, see err
 *     aw_model_state *st = aw_model_state_new(m);
 *     aw_model_seek(st, 42);                                     // state after event 42
 *     for (size_t i = 0; i < aw_model_task_count(st); i++) {
 *         aw_model_task t;
 *         aw_model_task_at(st, i, &t);                           // t.name, t.state, t.on...
 *     }
 *     char s[256];
 *     aw_model_explain(m, 42, s, sizeof s);                      // "Task-2 awaits ..."
 *     aw_model_state_free(st);
 *     aw_model_free(m);
 *
 * Steps.  Step N is the state after the trace's first N events (event N is the "current" one);
 * step 0 is before the first event; steps run from 0 to aw_model_event_count().  Event numbers
 * are the trace's `seq` (1-based).
 *
 * How it works, and what it costs.  Loading streams the file through viz/trace/trace_read.c (which
 * validates every line), stores each event in a compact binary form (varints, interned strings;
 * 10-20 bytes an event), records the facts that never change once they happen (a task's
 * creation, name and result, a handle's deadline, each task's history of states for the lanes)
 * and, every K events, a keyframe of what does change (the live tasks, the pending timers, the
 * ready queue).  aw_model_seek() restores the nearest keyframe at or before the target (or
 * continues from where the state is, when that is closer) and replays the events in between, so
 * any seek costs at most K event replays, in either direction.  The file is not needed after
 * loading.  The model is immutable after loading: any number of states may share it.
 *
 * Strings returned by the model live as long as the model.  Nothing here is thread-safe.
 */
#ifndef AW_TRACE_MODEL_H
#define AW_TRACE_MODEL_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace_read.h"

typedef struct aw_model aw_model;
typedef struct aw_model_state aw_model_state;

/* An integer field that is null (or does not belong to the event's kind). */
#define AW_MODEL_NULL INT64_MIN

/* ---- loading ---------------------------------------------------------------------------- */

typedef struct aw_model_options {
    /* Events between keyframes; 0: the default (512).  The loader spaces keyframes further
     * apart when the live state is large, so that keyframes stay under ~16 bytes an event. */
    int64_t keyframe_interval;
    aw_trace_limits limits;  /* the reader's bounds (line length); zeros: the defaults */
} aw_model_options;

typedef struct aw_model_error {
    aw_trace_status status;  /* why the trace was refused: INVALID, IO or UNSUPPORTED */
    char message[1024];      /* "FILE:LINE: reason", as `awaitlab validate` prints it */
} aw_model_error;

/* Loads a trace (path "-": standard input).  A truncated trace (last line cut) or an unfinished
 * one (no loop_close) loads, and says so through aw_model_status() and aw_model_warning().
 * Anything malformed is refused: NULL, with err (may be NULL) saying where and why.  opts may
 * be NULL. */
aw_model *aw_model_load(const char *path, const aw_model_options *opts, aw_model_error *err);
/* The same from an open stream (not closed); `name` is used in messages. */
aw_model *aw_model_load_file(FILE *f, const char *name, const aw_model_options *opts, aw_model_error *err);
void aw_model_free(aw_model *m);

/* AW_TRACE_OK, AW_TRACE_TRUNCATED or AW_TRACE_UNFINISHED. */
aw_trace_status aw_model_status(const aw_model *m);
bool aw_model_truncated(const aw_model *m);
/* The reader's warning for a truncated or unfinished trace ("FILE: unfinished: ..."), or "". */
const char *aw_model_warning(const aw_model *m);
const aw_trace_header *aw_model_header(const aw_model *m);   /* header.program may be NULL */
const char *aw_model_name(const aw_model *m);                  /* the file name given to load */
int64_t aw_model_event_count(const aw_model *m);
int64_t aw_model_end_time(const aw_model *m);                  /* t_ns of the last event (0 if none) */
int64_t aw_model_task_total(const aw_model *m);                /* tasks in the whole trace */
/* Bytes the model holds (for benchmarks: divide by the event count). */
size_t aw_model_memory(const aw_model *m);

/* The program's source, as the trace carries it (the header's source and source_file): the
 * Python example a lesson ports, or the program a recording ran.  NULL when the trace has none. */
const char *aw_model_source(const aw_model *m);
const char *aw_model_source_file(const aw_model *m);

/* ---- events ------------------------------------------------------------------------------ */

/* One event, decoded.  Which fields are set depends on the kind (sim/trace-format.md, with the
 * same names); the others are 0 (ids), AW_MODEL_NULL (numbers), NULL (strings) or false. */
typedef struct aw_model_event {
    int64_t step;            /* = seq, 1-based */
    int kind;                /* aw_trace_kind_id (trace_schema.h) */
    const char *kind_name;   /* the "ev" string */
    int64_t iter, t_ns;
    /* ids (0 = null) */
    int64_t task, future, handle, parent, by, scope, coro, sync, group, child, conn, stream;
    /* numbers (AW_MODEL_NULL = null) */
    int64_t deadline_ns, timeout_ns, count, line, cancelling, duration_ns, from_ns, to_ns, fd, ready,
        watched, errors, bytes, at_ns, nominal_ns, chosen_ns;
    /* strings (NULL = null); enums (reason, mode, action) point at the schema's names */
    const char *name, *coro_name, *callback, *what, *file, *text, *result, *exc, *message, *category,
        *clock, *reason, *mode, *via, *phase, *primitive, *op, *value, *action, *from, *to, *fault, *variation;
    /* the times' exact seconds where the ns lose them: the `exact` object's JSON text, or NULL
     * ({"t":0.30000000000000004}: sim/trace-format.md, Times) */
    const char *exact;
    bool accepted, raised, readable, writable, library;
    const int64_t *ids;      /* gather's `children`, wait's `futures` */
    size_t n_ids;
} aw_model_event;

/* false if step is outside 1..count. */
bool aw_model_event_get(const aw_model *m, int64_t step, aw_model_event *ev);
/* The line of the program's source that caused the event (the statement its task ran), or 0 when
 * the loop or library code acted on its own (or the line is in another file). */
int aw_model_event_line(const aw_model *m, int64_t step);
/* One sentence about the event in the program's words, in the context of the trace at that step:
 * "Task-2 resumes with CancelledError: Task-1 cancelled it at line 29.", "`await my_task` returns
 * None in Task-1.", "wait_for's timeout expires: it cancels slow_operation() in Task-1."  Tasks by
 * name, futures by what they are, lines of the Python example; never a C file or an internal id.
 * It starts with a capital letter unless it starts with Python spelled as Python ("asyncio.run
 * starts main()").  Returns buf ("" if out of range). */
char *aw_model_explain(const aw_model *m, int64_t step, char *buf, size_t size);
/* The event as `awaitlab diff` shows it: "#57 iter 12 t=1.500s handle_run handle=4 ...". */
char *aw_model_event_format(const aw_model *m, int64_t step, char *buf, size_t size);
/* The event as JSON, exactly as in the file up to key order and spacing (caller deletes). */
cJSON *aw_model_event_json(const aw_model *m, int64_t step);
/* "future 7, a timer due at 0.041", "task 'Task-2'", "future 6 (gather of 3)": what a future id
 * is, as known at `step`.  Returns buf. */
char *aw_model_describe_future(const aw_model *m, int64_t step, int64_t future, char *buf, size_t size);
/* A time as the viewers show it: seconds with at least 3 decimals ("1.000", "0.0005"). */
char *aw_model_format_time(int64_t t_ns, char *buf, size_t size);
/* One of an event's times (key: its field without "_ns": "t", "deadline", "timeout"...; ns: the
 * field's value) as aw_model_format_time writes it, except where the ns lose the double: then the
 * exact value of the event's `exact` object, Python's repr ("0.30000000000000004"). */
char *aw_model_format_event_time(const aw_model_event *ev, const char *key, int64_t ns, char *buf, size_t size);
/* The loop's time at `step` (t_ns: the state's or output's time there), exact as above: the
 * exact `t` an event carries from the first event at that time. */
char *aw_model_format_step_time(const aw_model *m, int64_t step, int64_t t_ns, char *buf, size_t size);

/* ---- navigation (all return a step in 0..count) -------------------------------------------- */

int64_t aw_model_step_iter(const aw_model *m, int64_t step);   /* the loop iteration at a step */
int64_t aw_model_step_time(const aw_model *m, int64_t step);   /* the clock at a step */
/* The first step of the next loop iteration after `step` (count if none). */
int64_t aw_model_next_iteration(const aw_model *m, int64_t step);
/* The first step of the iteration `step` is in, or of the previous one if `step` is already its
 * first step (0 if none). */
int64_t aw_model_prev_iteration(const aw_model *m, int64_t step);
/* The first step whose clock reads t_ns or later (count if none). */
int64_t aw_model_find_time(const aw_model *m, int64_t t_ns);
/* The next (or previous) output event after (before) `step`; -1 if none. */
int64_t aw_model_next_output(const aw_model *m, int64_t step);
int64_t aw_model_prev_output(const aw_model *m, int64_t step);
/* The first event after `from` (forward) or before it (backward), wrapping around, whose
 * sentence (aw_model_explain) or printed text contains `needle` (case-insensitive); -1 if none.
 * Raw fields (file names, kinds, callback names) are not searched: a search finds what is shown. */
int64_t aw_model_search(const aw_model *m, int64_t from, bool forward, const char *needle);

/* ---- output -------------------------------------------------------------------------------- */

typedef struct aw_model_output {
    int64_t step, t_ns;
    int64_t task;            /* 0: printed outside any task */
    const char *text;        /* one line, without its newline */
} aw_model_output;

/* Output lines printed up to and including `step`. */
size_t aw_model_output_count(const aw_model *m, int64_t step);
bool aw_model_output_at(const aw_model *m, size_t i, aw_model_output *out);   /* i in print order */

/* ---- the state at a step ------------------------------------------------------------------- */

typedef enum aw_model_task_state {
    AW_MODEL_NONE = 0,   /* not created yet at this step */
    AW_MODEL_CREATED,    /* created; its first step is not scheduled yet */
    AW_MODEL_READY,      /* its next step is in the ready queue */
    AW_MODEL_RUNNING,    /* its step is running */
    AW_MODEL_BLOCKED,    /* running CPU-bound code: the whole loop is blocked */
    AW_MODEL_WAITING,    /* suspended, awaiting a future (aw_model_task.on) */
    AW_MODEL_DONE,       /* finished with a result */
    AW_MODEL_FAILED,     /* finished with an exception */
    AW_MODEL_CANCELLED,  /* finished cancelled */
    AW_MODEL__STATES
} aw_model_task_state;

const char *aw_model_state_name(aw_model_task_state s);   /* "running", "waiting"... */
bool aw_model_state_final(aw_model_task_state s);          /* done, failed or cancelled */

typedef struct aw_model_task {
    int64_t id;                   /* its future id */
    const char *name;             /* "Task-1" (NULL if the trace has none) */
    const char *coro;             /* coroutine name, or NULL */
    int64_t parent;               /* creating task, 0: none */
    int64_t created_step;
    aw_model_task_state state;
    int64_t on;                   /* WAITING: the future it awaits; else 0 */
    int64_t since_step, since_t_ns;   /* when the current state began */
    int cancelling;               /* task.cancelling() */
    bool cancel_pending;          /* a cancellation is requested and not yet delivered */
    int64_t timeout_ns;           /* deadline of its innermost timeout scope, AW_MODEL_NULL: none */
    const char *file;             /* where it is: the line its code is at (running) or suspended
                                     at; file is the source file's name (NULL when unknown or
                                     finished) */
    int line;
    /* Final states, once the trace has said so: */
    const char *result;           /* DONE: repr of the result */
    const char *exc;              /* FAILED: exception type */
    const char *message;          /* FAILED / CANCELLED: the message, if any */
} aw_model_task;

typedef struct aw_model_timer {
    int64_t handle, deadline_ns;
    const char *callback;         /* "sleep", "timeout"... or NULL */
    int64_t task, future;         /* what it serves, 0: none */
} aw_model_timer;

aw_model_state *aw_model_state_new(const aw_model *m);   /* at step 0; NULL if out of memory */
void aw_model_state_free(aw_model_state *st);
const aw_model *aw_model_state_model(const aw_model_state *st);
/* Moves to `step` (clamped to 0..count), forwards or backwards: at most one keyframe restore
 * and K event replays.  Returns the step reached; -1 if out of memory (the state is then at
 * step 0). */
int64_t aw_model_seek(aw_model_state *st, int64_t step);

int64_t aw_model_state_step(const aw_model_state *st);
int64_t aw_model_state_iter(const aw_model_state *st);    /* loop iteration */
int64_t aw_model_state_time(const aw_model_state *st);    /* virtual clock, ns */
int64_t aw_model_state_running(const aw_model_state *st); /* task whose step runs, 0: none */

/* Tasks created by this step, in creation order. */
size_t aw_model_task_count(const aw_model_state *st);
bool aw_model_task_at(const aw_model_state *st, size_t i, aw_model_task *out);
bool aw_model_task_get(const aw_model_state *st, int64_t id, aw_model_task *out);
/* "waiting on a timer due at 1.000", "ready", "done: 'hello'": a task's state in a phrase. */
char *aw_model_task_describe(const aw_model_state *st, const aw_model_task *t, char *buf, size_t size);

/* What a task waiting in asyncio's synchronization primitives waits on: the `block` event of the
 * waiter future it awaits (sim/trace-format.md, Synchronization events). */
typedef struct aw_model_sync {
    int64_t id;                   /* the primitive (sync events' `sync`) */
    const char *primitive;        /* "Lock", "Event", "Queue"... */
    const char *call;             /* the call it waits in: "acquire", "wait", "get", "put", "join" */
    const char *name;             /* the name the program gave the primitive, or NULL */
    int64_t step;                 /* the block event */
} aw_model_sync;

/* true when `task` is, at the state's step, waiting on a primitive (a Lock, a Queue...): fills
 * out (may be NULL), so that a viewer can say "waiting on Lock #1".  false otherwise. */
bool aw_model_waiting_on(const aw_model_state *st, int64_t task, aw_model_sync *out);
/* The same for a future: whether `future` is the waiter of a task blocked in a primitive. */
bool aw_model_sync_waiter(const aw_model *m, int64_t step, int64_t future, aw_model_sync *out);

/* A primitive at the state's step: who holds it and who waits on it (what a viewer draws beside
 * the tasks: "Lock #1: locked by Task-2; waiting: Task-3 (acquire)"). */
#define AW_MODEL_MAX_WAITERS 8
typedef struct aw_model_primitive {
    int64_t id;                   /* sync events' `sync` */
    const char *primitive;        /* "Lock", "Event", "Queue"... */
    const char *name;             /* the name the program gave it, or NULL */
    const char *op;               /* its latest operation ("acquire", "put", "set"...) */
    int64_t count;                /* after it: a Lock 1 when locked; a Semaphore its value; an
                                     Event 1 when set; a queue its qsize() */
    int64_t holder;               /* a Lock or Condition that is locked: the task that acquired it */
    int64_t waiters[AW_MODEL_MAX_WAITERS]; /* tasks blocked on it, in the order they blocked */
    size_t n_waiters;             /* how many (may exceed AW_MODEL_MAX_WAITERS) */
} aw_model_primitive;
/* The primitives made by the state's step, in creation order; fills at most `max`, returns how
 * many there are. */
size_t aw_model_primitives(const aw_model_state *st, aw_model_primitive *out, size_t max);
/* "Lock #1: locked by Task-2; waiting: Task-3, Task-4", "Event #1: not set; waiting: Task-2",
 * "Queue #1: 0 items; waiting: worker-1, worker-2". */
char *aw_model_primitive_describe(const aw_model_state *st, const aw_model_primitive *p, char *buf, size_t size);

/* A connection of the simulated network at the state's step (its `net` events, folded): what a
 * viewer draws beside the loop ("127.0.0.1:49152 → 127.0.0.1:8888: open; in flight: 12 B →"). */
typedef struct aw_model_conn {
    int64_t id;                   /* net events' `conn` */
    const char *client, *server;  /* "host:port" of each end */
    const char *state;            /* "connecting", "open", "closing" (one way is over), "closed",
                                     "refused", "reset", "dropped", "stalled" */
    int64_t in_flight[2];         /* bytes on the wire: [0] client → server, [1] server → client */
    const char *fault;            /* the seeded fault that struck it, or NULL */
} aw_model_conn;
/* The connections made by the state's step, in the order they were made; fills at most `max`,
 * returns how many there are. */
size_t aw_model_conns(const aw_model_state *st, aw_model_conn *out, size_t max);
/* "127.0.0.1:49152 → 127.0.0.1:8888: open; in flight: 12 B →, 3 B ←". */
char *aw_model_conn_describe(const aw_model_conn *c, char *buf, size_t size);

/* One frame of a task's await stack. */
typedef struct aw_model_frame {
    const char *name;             /* the coroutine's name ("main", "wait_for", "sleep") */
    int line;                     /* its current line in the program's source; 0: none (library
                                     code, or not started) */
    bool library;                 /* asyncio's own coroutine (sleep, wait_for, gather...) */
} aw_model_frame;

/* The task's await stack at the state's step, outermost first: its own coroutine (main), then
 * each coroutine it awaits, down to the one it is suspended in or running (what CPython 3.14's
 * asyncio.print_call_graph shows).  Fills at most `max` frames (the outermost ones) and returns
 * the depth; 0 for a task that is finished or not created.  What the innermost frame waits on
 * is aw_model_task.on. */
size_t aw_model_task_stack(const aw_model_state *st, int64_t task, aw_model_frame *out, size_t max);

/* Pending timers, by deadline (then creation). */
size_t aw_model_timer_count(const aw_model_state *st);
bool aw_model_timer_at(const aw_model_state *st, size_t i, aw_model_timer *out);
/* The ready queue (handle ids, in the order they will run). */
size_t aw_model_ready_count(const aw_model_state *st);
int64_t aw_model_ready_at(const aw_model_state *st, size_t i);

/* The source location (file:line) of the latest event that has one (an await, a print, a task
 * or coroutine creation) at or before the state's step, optionally only in `file` (NULL: any
 * file).  false if there is none. */
bool aw_model_location(const aw_model_state *st, const char *file, const char **file_out, int *line_out);

/* The line the viewers highlight at the state's step: the event's own line when the program
 * caused it, else the line of the task the event concerns (*own_line false: the loop acted);
 * *task is that task (0: none).  false when there is no line to show. */
bool aw_model_focus(const aw_model_state *st, int64_t *task, int *line, bool *own_line);

/* Everything the getters above say, as text (one fact per line): for tests and debugging. */
char *aw_model_state_dump(const aw_model_state *st);   /* caller frees */

/* ---- the loop's state and causes, in the program's words (model_loop.c, model_cause.c) -------- */

/* What a handle in the ready queue or a pending timer will do when it runs, in the program's
 * words, as known at the state's step: "Task-2: first step", "wake Task-1: its sleep(2) is done",
 * "end Task-2's sleep(10)", "wait_for's timeout of Task-1", "call print_done". */
char *aw_model_handle_describe(const aw_model_state *st, int64_t handle, char *buf, size_t size);

typedef enum aw_model_phase_kind {
    AW_MODEL_PHASE_OUTSIDE = 0,  /* before the loop runs, between runs, or after it closed */
    AW_MODEL_PHASE_POLL,         /* waiting for I/O (or, simulated, for the next timer) */
    AW_MODEL_PHASE_TIMERS,       /* moving the timers that are due to the ready queue */
    AW_MODEL_PHASE_RUN,          /* running the handles that were ready: `k` of `n` */
} aw_model_phase_kind;

typedef struct aw_model_phase {
    aw_model_phase_kind kind;
    int64_t iter;                /* the loop iteration */
    int64_t k, n;                /* RUN: the handle running is the k-th (1-based) of n */
} aw_model_phase;

/* Where the loop is in its iteration at the state's step (CPython's _run_once order). */
void aw_model_phase_at(const aw_model_state *st, aw_model_phase *out);
/* The same in words: "iteration 4: run the ready handles, 2 of 3". */
char *aw_model_phase_describe(const aw_model_state *st, char *buf, size_t size);

/* Who woke whom.  The step whose event caused the event at `step`: for a task resuming, the step
 * that completed what it awaited (a set_result, a timer firing, a cancel); for a CancelledError
 * delivered, the cancel() that requested it; for a timeout's cancel request, the timeout
 * expiring; for a timer firing, the step that set it.  0 when there is none.  *cause_task (may be
 * NULL) gets the task whose code caused it (0: the loop itself, e.g. a timer) and *effect_task
 * the task the event wakes or hits (0: none). */
int64_t aw_model_cause(const aw_model *m, int64_t step, int64_t *cause_task, int64_t *effect_task);

/* A timer that ran late.  For a timer_fired event: how long after its deadline it fired (ns; 0
 * when on time) and the step of the CPU-bound work (busy) that held the loop meanwhile (0: none).
 * For any other event: 0. */
int64_t aw_model_timer_late(const aw_model *m, int64_t step, int64_t *held_by_step);

/* Where asyncio.run's shutdown begins (its `runner` "shutdown" event: main is done, Runner.close
 * cancels what is left and shuts down), or 0 when the trace has none.  Viewers fold the steps
 * from there to the end into one group step by default. */
int64_t aw_model_shutdown_step(const aw_model *m);

/* The state at the step as text anyone can paste (`awaitlab step NAME --at N --plain`), under the
 * headings `tasks:` (each: name, coroutine, state, `line N`, and an `await stack:` line),
 * `ready queue:` (in order), `timers:` (sorted), `output:` (so far). */
void aw_model_print_snapshot(const aw_model_state *st, FILE *out);

/* ---- predict the next step (model_quiz.c) ------------------------------------------------------ */

#define AW_MODEL_QUIZ_CHOICES 8

typedef struct aw_model_quiz {
    char question[256];                         /* "Which callback does the loop run next?" */
    char choices[AW_MODEL_QUIZ_CHOICES][160];   /* the real candidates, in an order that does
                                                   not give the answer away */
    size_t n_choices, answer;                   /* answer: index into choices */
    char rule[512];                             /* the rule that decided it, in words */
} aw_model_quiz;

/* Whether the event at `step` is a scheduling decision a learner can predict from the state just
 * before it — which handle runs next (the ready queue is FIFO), which timer fires next (deadline,
 * then creation order), where a CancelledError lands (the task's await) — with at least two real
 * candidates; fills q.  Choices are sorted alphabetically.  Which callback runs next is asked at
 * the first handle_run of an iteration, and later in it only when a newcomer waits in the queue
 * (model_quiz.c says why). */
bool aw_model_quiz_at(const aw_model *m, int64_t step, aw_model_quiz *q);

/* ---- lanes: each task's states over time (for timelines) ----------------------------------- */

typedef struct aw_model_segment {
    int64_t step_start, step_end;    /* the state holds from step_start until step_end */
    int64_t t_start_ns, t_end_ns;
    aw_model_task_state state;
    int64_t on;                      /* WAITING: the future */
} aw_model_segment;

/* The task's segments up to `step` that overlap the time window [t_from, t_to] (pass
 * INT64_MIN, INT64_MAX for all), oldest first.  The last one ends at `step` (still open).
 * Fills at most `max` and returns how many there are. */
size_t aw_model_task_segments(const aw_model *m, int64_t task, int64_t step, int64_t t_from, int64_t t_to,
                              aw_model_segment *out, size_t max);

typedef enum aw_model_axis { AW_MODEL_AXIS_TIME, AW_MODEL_AXIS_STEP } aw_model_axis;

/* The lane as `cells` cells covering [from, to) on the axis (virtual time in ns, or steps), up
 * to `step`: each cell gets the state it shows (AW_MODEL_NONE: before creation or after `step`).
 * A cell where the task ran, even for an instant, shows RUNNING (or BLOCKED); otherwise the
 * state that lasted longest in it.  The cell of `step` itself shows the task's state at `step`. */
void aw_model_task_lane(const aw_model *m, int64_t task, int64_t step, aw_model_axis axis, int64_t from,
                        int64_t to, size_t cells, aw_model_task_state *out);

/* ---- plain text ----------------------------------------------------------------------------- */

/* The whole trace as a readable listing: one line per event (step, time, iter, line: the event's
 * Python line or "-" where the loop itself acts, and its sentence), the output as it appears, and
 * the tasks' final states (what `awaitlab step --plain` prints). */
void aw_model_print_listing(const aw_model *m, FILE *out);

#endif /* AW_TRACE_MODEL_H */
