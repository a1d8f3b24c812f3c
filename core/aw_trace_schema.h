/* aw_trace_schema.h — the trace schema, written once: every event kind, its fields in the order
 * they are written, each field's type, and which member of core's aw_event it comes from.
 *
 * Header-only and data-only (X-macros), so that the three layers that speak the format share it
 * without linking each other:
 *   core/aw_tracer.h      makes the aw_event_kind enum (AW_EV_*) from it;
 *   sim/recorder.c        makes its writer from it (one put_TYPE(key, member) per field);
 *   viz/trace/trace_schema.c makes the validator's and the model's tables (AW_TK_*) from it.
 * sim/trace-format.md documents it for people; tests/scripts/test_trace_schema_doc.sh checks that
 * the document lists exactly these kinds and fields, in this order.
 *
 * A table entry:
 *     AW_TRACE_EV(ID, "name", FIELD...)       one event kind
 *     AW_TRACE_F(key, TYPE, member)           a field: JSON key, type (below), aw_event member
 *     AW_TRACE_E(key, LIST, member)           an enum field: its names are AW_TRACE_ENUM_<LIST>
 * Types: ID (integer >= 1; member 0 is an error), ID_NULL (id, or null when the member is 0),
 * COUNT (integer >= 0), COUNT_NULL (integer >= 0, or null when the member is negative: a
 * descriptor that is not there), INT (any int64), TIME (a time: a double member in seconds, >= 0, written
 * as integer ns, with its exact value in the event's `exact` object when the ns do not give it
 * back: core/aw_trace_time.h), TIME_NULL (a time, or null when the member is negative, infinite
 * or NaN: never / forever / call_soon), STR (string; a NULL member is written ""), STR_NULL
 * (string or null), BOOL (member != 0), IDS (array of ids: members ids / n_ids).
 *
 * Every event starts with AW_TRACE_HEAD's fields and may end with AW_TRACE_TAIL's, each left out
 * when it has nothing to say.  `exact` (an object) gives the exact seconds of each time field
 * whose ns do not give its double back, by the field's name without `_ns`:
 * {"t":0.30000000000000004,"deadline":1.3333333333333333}.  `file` and `line`: where in the
 * program's source the event comes from (the user statement that caused it), left out when the
 * loop or library code acts on its own; file null: the header's source_file.  The header's
 * source_file and source may be left out too (a program without a known source).
 */
#ifndef AW_TRACE_SCHEMA_DEF_H
#define AW_TRACE_SCHEMA_DEF_H

#define AW_TRACE_FORMAT_NAME "awaitlab-trace"
#define AW_TRACE_FORMAT_VERSION 3

/* Enum fields: the names, in the order of the values core uses (aw_tracer.h). */
#define AW_TRACE_ENUM_STEP_IN(V) V("start") V("resume") V("throw")
#define AW_TRACE_ENUM_STEP_END(V) V("await") V("yield") V("done") V("raised") V("cancelled")
#define AW_TRACE_ENUM_OUTCOME(V) V("result") V("exception") V("cancelled")
#define AW_TRACE_ENUM_WAIT_MODE(V) V("all_completed") V("first_completed") V("first_exception") V("as_completed")
#define AW_TRACE_ENUM_HANDLER(V) V("except") V("finally") V("raise")
#define AW_TRACE_ENUM_RUNNER(V) V("main") V("shutdown") V("closed")
#define AW_TRACE_ENUM_CLOCK(V) V("sim") V("real")
#define AW_TRACE_ENUM_SYNC_KIND(V)                                                             \
    V("Lock") V("Event") V("Condition") V("Semaphore") V("BoundedSemaphore") V("Barrier")      \
    V("Queue") V("PriorityQueue") V("LifoQueue")
#define AW_TRACE_ENUM_SYNC_OP(V)                                                               \
    V("created") V("acquire") V("release") V("block") V("wake") V("set") V("clear")           \
    V("notify") V("arrive") V("pass") V("reset") V("abort") V("put") V("get")                 \
    V("task_done") V("shutdown")

/* `net` events (the simulated network, sim/net_sim.c): what happened to a connection. */
#define AW_TRACE_ENUM_NET_OP(V)                                                                \
    V("listen") V("connect") V("established") V("refused") V("queued") V("accept")            \
    V("send") V("blocked") V("transmit") V("deliver") V("recv") V("shutdown") V("eof")        \
    V("close") V("abort") V("reset") V("lost") V("fault") V("drop") V("stall")  \
    V("window")

#define AW_TRACE_ENUM_TASKGROUP(V)                                                             \
    V("created") V("entered") V("child_added") V("child_done") V("aborting") V("exiting") V("exited")

#define AW_TRACE_ENUM_STREAM_OP(V)                                                             \
    V("connect") V("connected") V("listen") V("accept") V("fed") V("eof") V("wait")           \
    V("write") V("drain") V("pause_writing") V("resume_writing") V("pause_reading")           \
    V("resume_reading") V("write_eof") V("close") V("lost") V("server_close") V("wait_closed")

#define AW_TRACE_ENUM_VARIATION(V) V("cpu") V("executor") V("timer")

/* Every enum list, for code that makes one array of names per list. */
#define AW_TRACE_ENUMS(L) L(STEP_IN) L(STEP_END) L(OUTCOME) L(WAIT_MODE) L(HANDLER) L(RUNNER) L(CLOCK) L(SYNC_KIND) L(SYNC_OP) \
    L(TASKGROUP) L(NET_OP) L(STREAM_OP) L(VARIATION)

/* The header line (line 1). */
#define AW_TRACE_HEADER(F, E)                                                                     \
    F(format, STR, -)                                                                          \
    F(version, COUNT, -)                                                                       \
    F(program, STR_NULL, -)                                                                    \
    E(clock, CLOCK, -)                                                                         \
    F(seed, U64, -)                                                                            \
    F(wall_start_ns, INT, -)                                                                   \
    F(source_file, STR_NULL, -)                                                                \
    F(source, STR_NULL, -)

/* The first and last keys of every event. */
#define AW_TRACE_HEAD(F) F(seq, COUNT, -) F(iter, COUNT, iteration) F(t_ns, TIME, time) F(ev, STR, -)
#define AW_TRACE_TAIL(F) F(exact, EXACT, -) F(file, STR_NULL, file) F(line, COUNT, line)

/* The event kinds, in the order of aw_event_kind. */
#define AW_TRACE_EVENTS(EV, F, E)                                                              \
    EV(LOOP_START, "loop_start", F(clock, STR, text))                                          \
    EV(ITERATION, "iteration", F(ready, COUNT, a) F(timeout_ns, TIME_NULL, tb))                \
    EV(SCHEDULED, "scheduled",                                                                 \
       F(handle, ID, handle) F(deadline_ns, TIME_NULL, ta) F(callback, STR_NULL, name)         \
       F(task, ID_NULL, task) F(future, ID_NULL, future))                                      \
    EV(HANDLE_CANCELLED, "handle_cancelled", F(handle, ID, handle))                            \
    EV(TIMER_FIRED, "timer_fired", F(handle, ID, handle) F(deadline_ns, TIME, ta))              \
    EV(HANDLE_RUN, "handle_run",                                                               \
       F(handle, ID, handle) F(callback, STR_NULL, name) F(task, ID_NULL, task)                \
       F(future, ID_NULL, future))                                                             \
    EV(TASK_CREATED, "task_created",                                                           \
       F(task, ID, future) F(name, STR_NULL, name) F(coro, STR_NULL, text)                     \
       F(parent, ID_NULL, other))                                                              \
    EV(STEP_BEGIN, "step_begin", F(task, ID, task) E(reason, STEP_IN, reason))                 \
    EV(STEP_END, "step_end",                                                                   \
       F(task, ID, task) E(reason, STEP_END, reason) F(future, ID_NULL, future)                \
       F(exc, STR_NULL, name))                                                                 \
    EV(AWAIT, "await",                                                                         \
       F(task, ID_NULL, task) F(future, ID_NULL, future) F(coro, ID_NULL, other)               \
       F(what, STR_NULL, name))                                                                \
    EV(AWAIT_RETURN, "await_return",                                                           \
       F(task, ID, task) F(future, ID_NULL, future) F(coro, ID_NULL, other)                    \
       E(reason, OUTCOME, reason) F(result, STR_NULL, text) F(exc, STR_NULL, name)             \
       F(message, STR_NULL, message))                                                          \
    EV(CORO_CREATED, "coro_created",                                                           \
       F(coro, ID, other) F(name, STR_NULL, name) F(task, ID_NULL, task)                       \
       F(library, BOOL, b))                                                                    \
    EV(FUTURE_CREATED, "future_created", F(future, ID, future) F(task, ID_NULL, task))         \
    EV(FUTURE_DONE, "future_done",                                                             \
       F(future, ID, future) E(reason, OUTCOME, reason) F(result, STR_NULL, text)              \
       F(exc, STR_NULL, name) F(message, STR_NULL, message) F(by, ID_NULL, other))             \
    EV(CALLBACKS, "callbacks", F(future, ID, future) F(count, COUNT, a))                       \
    EV(CANCEL_REQUESTED, "cancel_requested",                                                   \
       F(task, ID_NULL, task) F(future, ID_NULL, future) F(by, ID_NULL, other)                 \
       F(message, STR_NULL, text) F(cancelling, COUNT, a) F(accepted, BOOL, reason)            \
       F(via, STR_NULL, via))                                                                  \
    EV(CANCEL_DELIVERED, "cancel_delivered", F(task, ID, task) F(message, STR_NULL, text))     \
    EV(UNCANCEL, "uncancel", F(task, ID, task) F(cancelling, COUNT, a) F(via, STR_NULL, via))  \
    EV(TIMEOUT_ARMED, "timeout_armed",                                                         \
       F(scope, ID, other) F(task, ID_NULL, task) F(deadline_ns, TIME_NULL, ta)                \
       F(via, STR_NULL, via))                                                                  \
    EV(TIMEOUT_RESCHEDULED, "timeout_rescheduled",                                             \
       F(scope, ID, other) F(task, ID_NULL, task) F(deadline_ns, TIME_NULL, ta)                \
       F(via, STR_NULL, via))                                                                  \
    EV(TIMEOUT_EXPIRED, "timeout_expired",                                                     \
       F(scope, ID, other) F(task, ID_NULL, task) F(deadline_ns, TIME, ta)                      \
       F(via, STR_NULL, via))                                                                  \
    EV(TIMEOUT_DISARMED, "timeout_disarmed",                                                   \
       F(scope, ID, other) F(task, ID_NULL, task) F(raised, BOOL, reason)                      \
       F(via, STR_NULL, via))                                                                  \
    EV(TASKGROUP, "taskgroup",                                                                 \
       F(group, ID, other) E(action, TASKGROUP, reason) F(task, ID_NULL, task)                 \
       F(child, ID_NULL, future) F(errors, COUNT, a) F(exc, STR_NULL, name))                   \
    EV(GATHER, "gather", F(future, ID, future) F(task, ID_NULL, task) F(children, IDS, ids))   \
    EV(WAIT, "wait",                                                                           \
       F(task, ID_NULL, task) F(futures, IDS, ids) E(mode, WAIT_MODE, a)                       \
       F(timeout_ns, TIME_NULL, tb))                                                           \
    EV(HANDLER, "handler",                                                                     \
       F(task, ID, task) E(what, HANDLER, reason) F(exc, STR_NULL, name)                       \
       F(message, STR_NULL, text))                                                             \
    EV(RUNNER, "runner", E(phase, RUNNER, reason))                                             \
    EV(CLOCK_JUMP, "clock_jump", F(from_ns, TIME, ta) F(to_ns, TIME, tb))                      \
    EV(IO_WAIT, "io_wait", F(timeout_ns, TIME_NULL, ta) F(watched, COUNT, b))                  \
    EV(IO_READY, "io_ready", F(fd, COUNT, a) F(readable, BOOL, reason) F(writable, BOOL, b))   \
    EV(OUTPUT, "output", F(task, ID_NULL, task) F(text, STR, text))                            \
    EV(BUSY, "busy", F(task, ID_NULL, task) F(duration_ns, TIME, ta))                          \
    EV(WARNING, "warning",                                                                     \
       F(category, STR, name) F(message, STR, text) F(task, ID_NULL, task)                     \
       F(future, ID_NULL, future))                                                             \
    EV(SYNC, "sync",                                                                           \
       F(sync, ID, other) E(primitive, SYNC_KIND, b) E(op, SYNC_OP, reason)                    \
       F(task, ID_NULL, task) F(future, ID_NULL, future) F(count, COUNT, a)                    \
       F(value, STR_NULL, text) F(name, STR_NULL, name))                                       \
    EV(NET, "net",                                                                             \
       F(conn, ID_NULL, other) E(op, NET_OP, reason) F(fd, COUNT, b) F(bytes, COUNT, a)        \
       F(from, STR_NULL, text) F(to, STR_NULL, message) F(at_ns, TIME_NULL, ta)                \
       F(fault, STR_NULL, name))                                                               \
    EV(STREAM, "stream",                                                                       \
       F(stream, ID, other) E(op, STREAM_OP, reason) F(fd, COUNT_NULL, b)                      \
       F(task, ID_NULL, task)                                                                  \
       F(future, ID_NULL, future) F(bytes, COUNT, a) F(value, STR_NULL, text))                 \
    EV(CHOICE, "choice",                                                                       \
       E(variation, VARIATION, reason) F(task, ID_NULL, task) F(nominal_ns, TIME, ta)          \
       F(chosen_ns, TIME, tb))                                                                 \
    EV(LOOP_STOP, "loop_stop", )                                                               \
    EV(LOOP_CLOSE, "loop_close", )

#endif /* AW_TRACE_SCHEMA_DEF_H */
