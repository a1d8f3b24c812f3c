/* model_internal.h — what the trace model's files share (viz/model/trace_model.c, model_store.c,
 * model_fold.c, model_explain.c, model_lane.c, model_text.c).  Not for front ends: they use
 * trace_model.h.
 *
 * Three kinds of data:
 *   - the store: every event, compactly encoded (model_store.c);
 *   - facts: what never changes once it happened (a task's name and creation, a handle's
 *     deadline, a future's result, each task's history of states), recorded while loading and
 *     always read "as of step N" by comparing the step they happened at;
 *   - the state: what changes (model_fold.c), snapshotted into keyframes while loading.
 */
#ifndef AW_MODEL_INTERNAL_H
#define AW_MODEL_INTERNAL_H

#include "trace_model.h"
#include "trace_schema.h"

/* A step in the facts: 32 bits, half the memory of the futures' and handles' tables (the loader
 * refuses a trace of AW__MAX_EVENTS events or more, so every step and every id it creates fits). */
/* Ids beyond the events so far plus this many are refused by the dense tables (trace_model.c). */
#define AW_MODEL_ID_SLACK 65536

typedef uint32_t mstep;
#define AW__NEVER UINT32_MAX  /* "has not happened" for fact steps: after every step */
#define AW__MAX_EVENTS ((int64_t)UINT32_MAX - (1 << 17))

/* ---- the store (model_store.c) ------------------------------------------------------------- */

/* Events are grouped in blocks of 64 so that any event can be decoded after at most 63 others. */
#define MSTORE_BLOCK_SHIFT 6
#define MSTORE_BLOCK (1 << MSTORE_BLOCK_SHIFT)

typedef struct mblock {
    uint64_t off;            /* byte offset of the block's first event */
    int64_t iter, t_ns;      /* iter and t_ns of the event before the block (deltas start here) */
} mblock;

/* Where each schema field of each kind is decoded into aw_model_event. */
typedef struct mslot {
    uint8_t type;            /* aw_trace_ftype */
    uint8_t dest;            /* MSLOT_I64, MSLOT_STR, MSLOT_BOOL, MSLOT_IDS, MSLOT_SKIP */
    uint16_t off;            /* offsetof(aw_model_event, member) */
} mslot;
enum { MSLOT_SKIP, MSLOT_I64, MSLOT_STR, MSLOT_BOOL, MSLOT_IDS };
#define MSLOT_MAX 16

typedef struct mstore {
    uint8_t *bytes;
    size_t len, cap;
    mblock *blocks;
    size_t nblocks, bcap;
    int64_t n;                       /* events */
    int64_t last_iter, last_t;
    /* interned strings: id = offset + 1 into buf (0 = null) */
    char *sbuf;
    size_t slen, scap;
    uint32_t *stab;                  /* open addressing: string ids, 0 = empty */
    size_t stab_cap, scount;
    /* id arrays (gather children, wait futures) */
    int64_t *ids;
    size_t nids, idcap;
    mslot slots[AW_TK__COUNT][MSLOT_MAX];
    uint8_t nslots[AW_TK__COUNT];
    uint8_t tail_from[AW_TK__COUNT]; /* a kind's first tail slot (model_store.c's TAG_TAIL) */
    uint32_t default_file;           /* an event's `file` when it has a line and file is null */
    struct mexact_cache *exact_cache; /* numbers of `exact` objects already written (model_exact.h) */
} mstore;

/* Varints (7 bits a byte, low first) and zigzag for signed values: the store's events and the
 * keyframes. */
static inline void aw__put_uv(uint8_t **p, uint64_t v)
{
    while (v >= 0x80) {
        *(*p)++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *(*p)++ = (uint8_t)v;
}
static inline uint64_t aw__get_uv(const uint8_t **p)
{
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
}
static inline uint64_t aw__zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static inline int64_t aw__unzigzag(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }
#define AW__UV_MAX 10   /* bytes of the longest varint */

/* A position for decoding events in order. */
typedef struct mcursor {
    int64_t next;                    /* the step the next decode returns */
    size_t off;
    int64_t iter, t_ns;
} mcursor;

bool aw__mstore_init(mstore *s);
void aw__mstore_free(mstore *s);
size_t aw__mstore_memory(const mstore *s);
/* Encodes a validated event (the reader's values); *out (may be NULL) gets the event as
 * aw__mstore_next would decode it.  false: out of memory / too large. */
bool aw__mstore_append(mstore *s, const aw_trace_event *ev, aw_model_event *out);
uint32_t aw__mstore_intern(mstore *s, const char *str);   /* 0 on failure */
const char *aw__mstore_str(const mstore *s, uint32_t id); /* NULL for 0 */
/* The id of a string that a decoded event points at (0 for NULL). */
static inline uint32_t aw__mstore_sid(const mstore *s, const char *str)
{
    return str ? (uint32_t)(str - s->sbuf) + 1 : 0;
}
/* A cursor whose next decode returns `step` (1..n). */
void aw__mstore_cursor(const mstore *s, int64_t step, mcursor *c);
/* Decodes the cursor's event and advances; false past the end. */
bool aw__mstore_next(const mstore *s, mcursor *c, aw_model_event *ev);
bool aw__mstore_get(const mstore *s, int64_t step, aw_model_event *ev);
cJSON *aw__mstore_json(const mstore *s, const aw_model_event *ev);

/* ---- facts --------------------------------------------------------------------------------- */

/* One change of a task's state, for the lanes: 20 bytes, not 24 (4-byte aligned: a task's
 * history has an entry for every step it takes, the biggest table after the futures'). */
typedef struct __attribute__((packed, aligned(4))) mtrans {
    uint32_t step;                   /* an mstep (declared below) */
    uint32_t on;
    int64_t t_ns;
    uint8_t state;
} mtrans;

/* A future id: a plain future or a task (tasks are futures).  The 32-bit members first, so that
 * no padding comes between them.  What only a task has is in its mtask_facts (a task for every
 * ~50 futures in a big trace: 32 of 120 bytes a future saved). */
typedef struct mfut {
    mstep created_step;              /* 0: not created (ids are >= 1, steps too) */
    mstep done_step;                 /* future_done, or AW__NEVER */
    mstep timer_step;                /* when `timer` was scheduled */
    mstep sync_step;                 /* a waiter: its `sync` block or the `stream` event that names it (0: none) */
    mstep what_step;                 /* the await that gave `what` (0: none) */
    uint32_t timer;                  /* the latest timer handle serving it (an id the trace created) */
    uint32_t n_children;
    uint32_t name, coro, result, exc, message;   /* string ids */
    uint32_t task_index;             /* tasks: position in creation order (and in task_facts) */
    int32_t created_line;            /* the program's line that made it (0: library code) */
    uint32_t what;                   /* string id: what asyncio calls it, from the first await of it */
    uint8_t is_task, is_gather, done_reason;
    int64_t parent;                  /* task: creating task; future: creating task */
    int64_t children;                /* gather: index into the ids pool */
    int64_t done_by;                 /* the task whose code completed it (0: a loop callback) */
} mfut;

/* A task's own facts, by task_index. */
typedef struct mtask_facts {
    mtrans *hist;                    /* state changes, in step order */
    uint32_t nhist, hcap;
    int64_t final_t;                 /* the clock at final_step */
    mstep final_step;                /* when the state became final, or AW__NEVER */
    uint8_t final_state;
} mtask_facts;

enum { MDONE_NONE, MDONE_RESULT, MDONE_EXCEPTION, MDONE_CANCELLED };

/* A handle's facts.  The clock when it was scheduled is not kept (8 of 56 bytes, a handle for
 * every 8 events): it is the time of the event at `step`, aw_model_step_time. */
typedef struct mhandle {
    mstep step;                      /* scheduled at; 0: unknown handle */
    mstep fired_step, run_step;      /* or AW__NEVER */
    uint32_t callback;
    int64_t deadline_ns;             /* AW_MODEL_NULL: call_soon */
    int64_t task, future;
    int64_t by;                      /* the task running when it was scheduled (0: none) */
} mhandle;

/* An event with a source location. */
typedef struct mloc {
    int64_t step;
    uint32_t file;
    int32_t line;
} mloc;

/* A frame of a task's await stack: the task's own coroutine, or one it awaits (model_stack.c).
 * Frames are facts: made once while loading, at the step of the event that makes them; a task's
 * state only says which frame is on top. */
typedef struct mframe {
    int64_t step;                    /* the task_created or await event that made it */
    int64_t coro;                    /* the coroutine id (0: the task's own coroutine) */
    uint32_t parent;                 /* index + 1 of the frame that awaits it, 0: none */
    uint32_t name;                   /* string id: the coroutine's name */
    int32_t caller_line;             /* the parent's line where it awaits this frame */
    uint8_t library;                 /* asyncio's own code (sleep, wait_for...): no line of the program */
} mframe;

/* Frames (model_stack.c). */
bool aw__frames_record(aw_model *m, const aw_model_event *ev);   /* while loading; false: out of memory */
uint32_t aw__frame_at_step(const aw_model *m, int64_t step);
bool aw__coro_is_library(const aw_model *m, int64_t coro);   /* made by library code (asyncio's own) */     /* index + 1 of the frame made at step, 0 */
uint32_t aw__frame_pop(const aw_model *m, uint32_t top, int64_t coro);   /* the top after coro returns */

/* ---- the state (model_fold.c) -------------------------------------------------------------- */

/* A live task's changing state (final tasks are read from their facts). */
typedef struct mtask {
    int64_t on, since_step, since_t, timeout_ns;
    int64_t timeout_scope;
    uint32_t loc_file;
    int32_t loc_line, cancelling;
    uint32_t live_pos;               /* index in aw_model_state.live */
    uint32_t top_frame;              /* index + 1 of the top of its await stack (0: none) */
    uint8_t state, cancel_pending;
} mtask;

struct aw_model_state {
    const aw_model *m;
    aw_model *rec;                   /* while loading: where facts and histories are recorded */
    int64_t step, iter, t_ns;
    int64_t running;                 /* task whose step runs */
    mtask *tasks;                    /* dense by future id; meaningful for live tasks only */
    size_t tasks_cap;
    int64_t *live;                   /* live tasks (created, not final), any order */
    size_t nlive, live_cap;
    int64_t *timers;                 /* pending timer handles, by (deadline, handle) */
    size_t ntimers, timers_cap;      /* a heap by (deadline, handle) (model_fold.c) */
    uint32_t *timer_pos;             /* by handle: index + 1 in the heap, 0: not pending */
    size_t timer_pos_cap;
    int64_t *sorted;                 /* cache: the timers in order, for aw_model_timer_at */
    size_t sorted_cap;
    int64_t sorted_step;             /* the step the cache is for, -1: none */
    /* The ready queue, in order, in ready[ready_off..ready_end); a removed handle leaves a 0
     * (compacted away later), and ready_pos[handle] is its index + 1 (0: not queued), so that
     * removing any handle, queued or not, costs O(1): loads stay linear whatever the trace. */
    int64_t *ready;
    size_t nready, ready_cap, ready_off, ready_end;   /* nready: handles queued (no holes) */
    uint32_t *ready_pos;             /* by handle id */
    size_t ready_pos_cap;
};

/* A snapshot of the state (its arrays live in aw_model.kbytes from off). */
typedef struct mkey {
    int64_t step, iter, t_ns, running;
    size_t off;
    uint32_t nlive, ntimers, nready;
} mkey;

/* A synchronization primitive (Lock, Event, Queue...): the steps of its `sync` events, in order,
 * so that its state at any step is its latest event at or before it (model_sync.c). */
typedef struct msync {
    int64_t *steps;
    size_t n, cap;
} msync;

/* A connection of the simulated network: the steps of its `net` events and its state after each,
 * so that its state at any step is one binary search away (model_net.c). */
typedef struct mconn_snap {
    int64_t in_flight[2];  /* [0] client → server, [1] server → client */
    uint8_t state;         /* MCONN_* */
    uint8_t closed;        /* bit 0: the client's end is closed or saw EOF, bit 1: the server's */
    uint8_t fault;         /* MCONN_FAULT_* */
} mconn_snap;
typedef struct mconn {
    int64_t *steps;
    mconn_snap *snaps;
    size_t n, cap;
} mconn;
/* What a socket is (model_sockets.c): a fact of a `net` event that names a socket (listen,
 * connect, accept: fd, conn, the address) or of a stream's first event (fd, stream, the address
 * its value gives).  In step order. */
typedef struct msock {
    int64_t step;
    int64_t fd;                      /* AW_MODEL_NULL: none */
    int64_t conn;                    /* the network's connection (0: none, a listener, a stream's fact) */
    int64_t stream;                  /* the stream (0: a `net` fact) */
    uint32_t addr;                   /* string id: a listener's own address, else the other end's */
    uint8_t role;                    /* listener, client's end, server's end, a StreamReader of its own */
} msock;
/* Records the facts of a `net` or `stream` event.  false: out of memory. */
bool aw__model_sockets_record(aw_model *m, const aw_model_event *ev);

/* Records a `net` event of a known connection (its first is `connect`).  false: out of memory. */
bool aw__model_net_record(aw_model *m, const aw_model_event *ev);
/* The sentence for a `net` event (aw_model_explain). */
void aw__model_net_explain(const aw_model *m, const aw_model_event *ev, char *buf, size_t size);

struct aw_model {
    char *name;
    aw_trace_header header;
    char *program, *clock;
    aw_trace_status status;
    char warning[1024];
    mstore store;

    mfut *futs;                      /* by future id */
    size_t nfut, fut_cap;            /* nfut = highest id + 1 */
    mhandle *handles;                /* by handle id */
    size_t nhandle, handle_cap;
    msync *syncs;                    /* by primitive id (sync events' `sync`) */
    size_t nsync, sync_cap;
    mconn *conns;                    /* by connection id (net events' `conn`) */
    size_t nconn, conn_cap;
    msock *socks;                    /* what sockets are, in step order (model_sockets.c) */
    size_t nsocks, sock_cap;
    uint32_t *stream_sock;           /* by stream id: index + 1 in socks of its first fact */
    size_t nstream_sock, stream_sock_cap;
    int64_t *task_ids;               /* in creation order */
    size_t ntasks, task_cap;
    mtask_facts *task_facts;         /* in creation order too */
    size_t task_facts_cap;
    int64_t *outputs;                /* steps of output events */
    size_t noutputs, out_cap;
    mloc *locs;                      /* events with a source location, in step order */
    size_t nlocs, loc_cap;
    char *source, *source_file;      /* the program's source (header), or NULL */
    mframe *frames;                  /* await-stack frames, in step order */
    size_t nframes, frame_cap;
    uint64_t *library_bits;          /* by coroutine id, a bit: made by library code */
    size_t library_words;
    int64_t *far_coros;              /* ids beyond the id budget, open addressing (0: empty), */
    uint8_t *far_flags;              /* each with its library flag: a huge id in a trace */
    size_t nfar, far_cap;            /* costs a slot, not a table up to it */
    int64_t end_t;

    mkey *keys;
    size_t nkeys, key_cap;
    uint8_t *kbytes;
    size_t klen, kcap;
    int64_t key_interval;
};

/* Applies one event (step st->step + 1) to the state.  While loading (st->rec set) it also
 * records each task's history and final state.  false: out of memory. */
bool aw__fold_apply(aw_model_state *st, const aw_model_event *ev);
/* Grows the dense arrays for ids up to the model's current sizes.  false: out of memory. */
bool aw__fold_reserve(aw_model_state *st);
void aw__fold_reset(aw_model_state *st);                   /* back to step 0 */
void aw__fold_tidy(aw_model_state *st);                    /* closes the ready queue's holes */
bool aw__fold_snapshot(const aw_model_state *st, aw_model *m);      /* appends a keyframe */
bool aw__fold_restore(aw_model_state *st, const mkey *k);   /* false: out of memory */

/* Facts as of a step. */
static inline const mfut *aw__fut(const aw_model *m, int64_t id, int64_t step)
{
    if (id <= 0 || (uint64_t)id >= m->nfut) return NULL;
    const mfut *f = &m->futs[id];
    return f->created_step && f->created_step <= step ? f : NULL;
}
static inline const mhandle *aw__handle(const aw_model *m, int64_t id, int64_t step)
{
    if (id <= 0 || (uint64_t)id >= m->nhandle) return NULL;
    const mhandle *h = &m->handles[id];
    return h->step && h->step <= step ? h : NULL;
}
/* A task's own facts (f must be a task's). */
static inline mtask_facts *aw__task_facts(const aw_model *m, const mfut *f) { return &m->task_facts[f->task_index]; }
static inline const char *aw__str(const aw_model *m, uint32_t id) { return aw__mstore_str(&m->store, id); }

/* ---- words (model_words.c): the one vocabulary of sentences, panes and snapshots ------------- */
typedef struct aw__words {
    char *buf;
    size_t size, len;
} aw__words;
void aw__wput(aw__words *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void aw__words_task(aw__words *w, const aw_model *m, int64_t step, int64_t id);     /* "Task-2" */
/* "Task-2", "the sleep(2) of Task-1", "the gather of Task-2 and Task-3", "the Future made at
 * line 15", "data on the client's end of TCP connection 1 (readline)", "the transport waiter of
 * the server's end of TCP connection 1" (a stream's, by its `stream` event), "asyncio's
 * Server.wait_closed waiter" (by the name its first await gave it) */
void aw__words_future(aw__words *w, const aw_model *m, int64_t step, int64_t id);
/* What the handle will do: "Task-2: first step", "wake Task-1: the sleep(2) of Task-1 is done" */
void aw__words_handle(aw__words *w, const aw_model *m, int64_t step, int64_t handle);

/* The same as a noun phrase, for sentences: "the first step of Task-2", "the wake-up of Task-1",
 * "the end of the sleep(2) of Task-1", "a done-callback of Task-1" */
void aw__words_handle_noun(aw__words *w, const aw_model *m, int64_t step, int64_t handle);
/* A primitive: "Lock #1", or "Lock 'forks[2]'" when the program named it */
/* The `stream` event (wait, drain, connect...) that made `future` a stream's waiter, if it is one. */
bool aw__stream_waiter(const aw_model *m, int64_t step, int64_t future, aw_model_event *ev);
/* A stream as one connection (model_sockets.c): "the client's end of TCP connection 1", "the
 * server's end of TCP connection 1", "the server on ('127.0.0.1', 8888)"; on the real clock "the
 * connection to ('127.0.0.1', 8888)", "the server's connection from ('127.0.0.1', 50000)". */
void aw__words_stream(aw__words *w, const aw_model *m, int64_t step, int64_t stream);
/* The network's connection under a stream (0: none known). */
int64_t aw__stream_conn(const aw_model *m, int64_t step, int64_t stream);
/* A descriptor as what it is: "the client's socket of TCP connection 1", "the server's listening
 * socket on 127.0.0.1:8888"; false when the trace never said (nothing written).  *listener: it
 * is a server's listening socket. */
bool aw__words_fd(aw__words *w, const aw_model *m, int64_t step, int64_t fd, bool *listener);
void aw__words_sync(aw__words *w, const char *primitive, int64_t id, const char *name);
/* Seconds as the program writes them: "2", "0.5" */
void aw__words_seconds(aw__words *w, int64_t ns);
/* Line `line` of the program's source, stripped of indentation and of a trailing comment; its
 * length (0: no such line). */
size_t aw__source_line(const aw_model *m, int line, char *buf, size_t size);
/* "`await asyncio.sleep(10)`": the await on that source line, quoted; false if it has none. */
bool aw__words_await_text(aw__words *w, const aw_model *m, int line);

/* Growing arrays: ensures room for `need` items of `size` bytes. */
bool aw__grow(void **p, size_t *cap, size_t need, size_t size);

#endif /* AW_MODEL_INTERNAL_H */
