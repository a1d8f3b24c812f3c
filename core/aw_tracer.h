/* aw_tracer.h — the one hook through which core reports every scheduling decision.
 *
 * Core knows nothing of JSON: it fills an aw_event and calls tracer->on_event.  sim/recorder.c
 * turns events into trace lines (sim/trace-format.md).  With no tracer set, each emission point
 * costs one predictable branch (see AW__TRACE in core/internal.h).
 *
 * Ids are small integers in creation order, per loop, never addresses: futures and tasks share
 * one id space ("future ids": a task is a future), handles have their own, coroutine objects
 * their own.  0 means "none".
 */
#ifndef AW_TRACER_H
#define AW_TRACER_H

#include <stddef.h>
#include <stdint.h>

#include "aw_trace_schema.h"

/* The event kinds, one per entry of the schema table (aw_trace_schema.h says, for each, which
 * members of aw_event below it reads). */
#define AW__EV_KIND(ID, name, fields) AW_EV_##ID,
typedef enum aw_event_kind { AW_TRACE_EVENTS(AW__EV_KIND, AW__UNUSED, AW__UNUSED) AW_EV__COUNT } aw_event_kind;
#undef AW__EV_KIND

/* How a step begins. */
enum { AW_STEP_IN_START = 0, AW_STEP_IN_RESUME = 1, AW_STEP_IN_THROW = 2 };

/* How a step ends. */
enum {
    AW_STEP_AWAIT = 0, /* suspended on `future` */
    AW_STEP_YIELD = 1, /* bare yield (sleep(0)): rescheduled with call_soon */
    AW_STEP_DONE = 2,  /* returned a result */
    AW_STEP_RAISED = 3,/* raised an exception (name) */
    AW_STEP_CANCELLED = 4 /* ended by CancelledError */
};

/* How a future completes, or how an await returns. */
enum { AW_DONE_RESULT = 0, AW_DONE_EXCEPTION = 1, AW_DONE_CANCELLED = 2 };

/* `wait` events: aw_wait_mode's values, and this one for as_completed. */
enum { AW_WAIT_MODE_AS_COMPLETED = 3 };

/* What a `handler` event marks in the program's own code. */
enum { AW_HANDLER_EXCEPT = 0, AW_HANDLER_FINALLY = 1, AW_HANDLER_RAISE = 2 };

/* asyncio.run's phases (`runner` events). */
enum { AW_RUNNER_MAIN = 0, AW_RUNNER_SHUTDOWN = 1, AW_RUNNER_CLOSED = 2 };

/* `sync` events (asyncio's synchronization primitives and queues): the primitive's kind (member
 * b) and the operation (member reason), in the order of the schema's SYNC_KIND and SYNC_OP lists.
 * Members: other = the primitive's id (its own id space), task, future = a waiter, a = count,
 * text = value, name = the primitive's name. */
enum {
    AW_SYNC_LOCK = 0, AW_SYNC_EVENT, AW_SYNC_CONDITION, AW_SYNC_SEMAPHORE, AW_SYNC_BOUNDED_SEMAPHORE,
    AW_SYNC_BARRIER, AW_SYNC_QUEUE, AW_SYNC_PRIORITY_QUEUE, AW_SYNC_LIFO_QUEUE
};
enum {
    AW_SYNC_CREATED = 0, /* made: count = initial value / maxsize / parties */
    AW_SYNC_ACQUIRE,     /* task acquired it: count = the value after (Lock: 1) */
    AW_SYNC_RELEASE,     /* count = the value after */
    AW_SYNC_BLOCK,       /* task must wait: future = its waiter, value = the call ("acquire"...) */
    AW_SYNC_WAKE,        /* the waiter `future` of `task` is set: task will resume */
    AW_SYNC_SET,         /* Event.set() */
    AW_SYNC_CLEAR,       /* Event.clear() */
    AW_SYNC_NOTIFY,      /* Condition.notify(n): count = n */
    AW_SYNC_ARRIVE,      /* a task enters Barrier.wait(): count = tasks in the barrier */
    AW_SYNC_PASS,        /* Barrier.wait() returns: count = the index it returns */
    AW_SYNC_RESET,       /* Barrier.reset() */
    AW_SYNC_ABORT,       /* Barrier.abort() */
    AW_SYNC_PUT,         /* an item is in the queue: value = its repr, count = qsize() after */
    AW_SYNC_GET,         /* an item left the queue: value = its repr, count = qsize() after */
    AW_SYNC_TASK_DONE,   /* Queue.task_done(): count = unfinished tasks after */
    AW_SYNC_SHUTDOWN     /* Queue.shutdown(immediate): count = 1 when immediate */
};

/* What a `taskgroup` event says the group did (AW_TRACE_ENUM_TASKGROUP's order). */
enum {
    AW_TG_CREATED = 0,     /* TaskGroup() */
    AW_TG_ENTERED = 1,     /* __aenter__: `task` is the parent task (the body) */
    AW_TG_CHILD_ADDED = 2, /* create_task: `child` joins */
    AW_TG_CHILD_DONE = 3,  /* `child` is done (`exc`: its exception, when it failed) */
    AW_TG_ABORTING = 4,    /* _abort(): the group cancels its remaining tasks */
    AW_TG_EXITING = 5,     /* __aexit__ starts: waits for the tasks (`exc`: what the body raised) */
    AW_TG_EXITED = 6       /* __aexit__ ends (`errors`: collected; `exc`: what it raises) */
};

/* `net` events (the simulated network, sim/net_sim.c), AW_TRACE_ENUM_NET_OP's order in member
 * reason.  Members: other = the connection's id (its own id space, 0: a listener's event),
 * b = the simulated descriptor concerned, a = bytes, text/message = "host:port" of the sending
 * and receiving ends (the direction the bytes or the packet travel), ta = when it arrives
 * (transmit, connect...), name = the seeded fault that caused it (NULL: none). */
enum {
    AW_NET_LISTEN = 0,  /* a listener on `from` */
    AW_NET_CONNECT,     /* connect(): the SYN leaves, arrives at `at` */
    AW_NET_ESTABLISHED, /* the client's connect completed (SYN-ACK arrived) */
    AW_NET_REFUSED,     /* the client's connect failed: ECONNREFUSED */
    AW_NET_QUEUED,      /* the handshake is over: the connection waits in the listener's backlog */
    AW_NET_ACCEPT,      /* accept() took it: `fd` is the new descriptor */
    AW_NET_SEND,        /* send(): `bytes` entered the send buffer */
    AW_NET_BLOCKED,     /* send(): EAGAIN, the send buffer is full (backpressure) */
    AW_NET_TRANSMIT,    /* `bytes` leave on the link, arrive at `at` */
    AW_NET_DELIVER,     /* `bytes` arrive in the receiver's buffer */
    AW_NET_RECV,        /* recv(): the program read `bytes` (0: it read the EOF) */
    AW_NET_SHUTDOWN,    /* shutdown(SHUT_WR): a FIN follows what is buffered */
    AW_NET_EOF,         /* the FIN arrived: the receiver reads EOF after its data */
    AW_NET_CLOSE,       /* close(): a FIN follows what is buffered */
    AW_NET_ABORT,       /* close with a reset (abort, or unread data): `bytes` discarded */
    AW_NET_RESET,       /* a reset arrived: ECONNRESET; `bytes` unread and discarded */
    AW_NET_LOST,        /* `bytes` never reach the program (`fault` says why; null: peer closed) */
    AW_NET_FAULT,       /* a seeded fault is planned: `fault` at byte `bytes` of from -> to */
    AW_NET_DROP,        /* the connection drops (fault): nothing more arrives either way */
    AW_NET_STALL,       /* the receiver stops reading (fault): its buffer fills */
    AW_NET_WINDOW       /* the receiver's window opens by `bytes` (it read them): more may go */
};

/* What a `stream` event says happened to a connection or server (AW_TRACE_ENUM_STREAM_OP's
 * order): `stream` is its id, `bytes` a count, `value` the words that go with it. */
enum {
    AW_STREAM_CONNECT = 0, /* open_connection starts connecting: value = the address; future = its wait */
    AW_STREAM_CONNECTED,   /* a transport is made on a connected socket: value = the peer's address,
                            * future = the transport's waiter (connection_made runs first) */
    AW_STREAM_LISTEN,      /* start_server listens: value = the address, bytes = its port */
    AW_STREAM_ACCEPT,      /* the server accepted a connection (stream: the server; bytes: the new id) */
    AW_STREAM_FED,         /* the reader got `bytes` bytes (data_received) */
    AW_STREAM_EOF,         /* the reader got EOF */
    AW_STREAM_WAIT,        /* a task waits for data: future = the reader's waiter, value = the call */
    AW_STREAM_WRITE,       /* write(): `bytes` bytes, of which the socket did not take value's count */
    AW_STREAM_DRAIN,       /* drain() waits: the writer is paused (future = its waiter) */
    AW_STREAM_PAUSE_WRITING,  /* over the high-water mark: bytes = buffered */
    AW_STREAM_RESUME_WRITING, /* down to the low-water mark: bytes = buffered */
    AW_STREAM_PAUSE_READING,  /* the reader holds more than 2 * limit: bytes = buffered */
    AW_STREAM_RESUME_READING,
    AW_STREAM_WRITE_EOF,   /* write_eof(): the peer reads EOF after what is buffered */
    AW_STREAM_CLOSE,       /* close() (or abort(): value "abort") */
    AW_STREAM_LOST,        /* connection_lost(exc): value = repr(exc), or null for a clean close;
                            * future = the protocol's _closed, which it completes */
    AW_STREAM_SERVER_CLOSE, /* Server.close(): no more connections accepted */
    AW_STREAM_WAIT_CLOSED  /* StreamWriter.wait_closed() waits: future = the protocol's _closed */
};

/* What a `choice` event varied (AW_TRACE_ENUM_VARIATION's order; aw_variations says how). */
enum { AW_VARY_CPU = 0, AW_VARY_EXECUTOR = 1, AW_VARY_TIMER = 2 };

typedef struct aw_event {
    aw_event_kind kind;
    uint64_t iteration;  /* loop iteration (0 before the first) */
    double time;         /* loop time in seconds (loop.time(); virtual in sim) */
    unsigned task;       /* task's future id, 0: none */
    unsigned future;     /* future id, 0: none */
    unsigned handle;     /* handle id, 0: none */
    unsigned other;      /* parent / requesting task / scope / coroutine id */
    int reason;
    int64_t a, b;
    double ta, tb;       /* times in seconds (deadlines, timeouts, durations); see the schema */
    const char *name;
    const char *text;
    const char *message;
    const char *via;     /* the library function acting ("wait_for", "gather"...), NULL: the program */
    const char *file;    /* the user statement that caused the event (NULL/0: the loop itself) */
    int line;
    const unsigned *ids;
    size_t n_ids;
} aw_event;

struct aw_tracer {
    /* Called once when the loop is created (header information) and once per event. */
    void (*on_start)(void *ud, const char *program, const char *clock, uint64_t seed,
                     int64_t wall_start_ns);
    void (*on_event)(void *ud, const aw_event *ev);
    void (*on_close)(void *ud);
};

#endif /* AW_TRACER_H */
