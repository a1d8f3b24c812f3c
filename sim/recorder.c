/* recorder.c — tracer events -> JSON Lines (sim/trace-format.md), built with cJSON.
 *
 * One event = one cJSON object printed into a reusable buffer, then one write(): the kernel has
 * the whole line as soon as on_event returns, so a killed program loses nothing it reported.
 * Integers are written as raw JSON text (see format_u64): exact for every int64, and fast.
 */
#include "recorder.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utf8_clean.h"

struct aw_recorder {
    int fd;
    bool close_fd;
    bool header_done;
    bool failed;        /* a write failed: reported once, then nothing more is written */
    char *path;         /* for messages; NULL when opened on a descriptor */
    char *buf;          /* print buffer, grown as needed */
    size_t cap;
    uint64_t seq;
    uint64_t bytes;
};

/* Indexed by aw_event_kind; the order of aw_tracer.h.  A test checks each name against the
 * validator's table (viz/trace/trace_schema.c). */
static const char *const kind_names[AW_EV__COUNT] = {
    [AW_EV_LOOP_START] = "loop_start",
    [AW_EV_ITERATION] = "iteration",
    [AW_EV_SCHEDULED] = "scheduled",
    [AW_EV_HANDLE_CANCELLED] = "handle_cancelled",
    [AW_EV_TIMER_FIRED] = "timer_fired",
    [AW_EV_HANDLE_RUN] = "handle_run",
    [AW_EV_TASK_CREATED] = "task_created",
    [AW_EV_STEP_BEGIN] = "step_begin",
    [AW_EV_STEP_END] = "step_end",
    [AW_EV_AWAIT] = "await",
    [AW_EV_CORO_CREATED] = "coro_created",
    [AW_EV_FUTURE_CREATED] = "future_created",
    [AW_EV_FUTURE_DONE] = "future_done",
    [AW_EV_CALLBACKS] = "callbacks",
    [AW_EV_CANCEL_REQUESTED] = "cancel_requested",
    [AW_EV_CANCEL_DELIVERED] = "cancel_delivered",
    [AW_EV_UNCANCEL] = "uncancel",
    [AW_EV_TIMEOUT_ARMED] = "timeout_armed",
    [AW_EV_TIMEOUT_RESCHEDULED] = "timeout_rescheduled",
    [AW_EV_TIMEOUT_EXPIRED] = "timeout_expired",
    [AW_EV_TIMEOUT_DISARMED] = "timeout_disarmed",
    [AW_EV_GATHER] = "gather",
    [AW_EV_WAIT] = "wait",
    [AW_EV_CLOCK_JUMP] = "clock_jump",
    [AW_EV_IO_WAIT] = "io_wait",
    [AW_EV_IO_READY] = "io_ready",
    [AW_EV_OUTPUT] = "output",
    [AW_EV_BUSY] = "busy",
    [AW_EV_WARNING] = "warning",
    [AW_EV_LOOP_STOP] = "loop_stop",
    [AW_EV_LOOP_CLOSE] = "loop_close",
};

const char *aw_recorder_kind_name(aw_event_kind kind)
{
    return (unsigned)kind < AW_EV__COUNT ? kind_names[kind] : NULL;
}

/* ---- field writers (keys are string literals: the CS variants skip copying them) ---------- */

/* Decimal digits of v into buf (>= 21 bytes), NUL-terminated.  Hand-written because cJSON prints
 * every number through sprintf("%1.15g") and sscanf (about half of the recorder's time), and
 * because a double cannot hold every int64 anyway: numbers go in as raw JSON text. */
static void format_u64(char *buf, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
}

static void put_uint(cJSON *o, const char *key, uint64_t v)
{
    char num[24];
    format_u64(num, v);
    cJSON_AddItemToObjectCS(o, key, cJSON_CreateRaw(num));
}

static void put_int(cJSON *o, const char *key, int64_t v)
{
    char num[24];
    if (v < 0) {
        num[0] = '-';
        format_u64(num + 1, (uint64_t)0 - (uint64_t)v);
    } else {
        format_u64(num, (uint64_t)v);
    }
    cJSON_AddItemToObjectCS(o, key, cJSON_CreateRaw(num));
}

static void put_null(cJSON *o, const char *key) { cJSON_AddItemToObjectCS(o, key, cJSON_CreateNull()); }

/* core's -1 ("never", "forever", "call_soon") becomes null */
static void put_ns_or_null(cJSON *o, const char *key, int64_t v)
{
    if (v < 0) put_null(o, key);
    else put_int(o, key, v);
}

static void put_id(cJSON *o, const char *key, unsigned id)
{
    if (id == 0) put_null(o, key);
    else put_uint(o, key, id);
}

static void put_str(cJSON *o, const char *key, const char *s)
{
    if (!s) {
        put_null(o, key);
        return;
    }
    char *clean = aw__utf8_clean(s); /* NULL when s is already valid UTF-8 (the usual case) */
    cJSON_AddItemToObjectCS(o, key, cJSON_CreateString(clean ? clean : s));
    free(clean);
}

static void put_bool(cJSON *o, const char *key, bool b) { cJSON_AddItemToObjectCS(o, key, cJSON_CreateBool(b)); }

/* An enum value as its name; an unknown value is written so that the validator flags it
 * (a core/recorder mismatch should be loud, not silently renamed). */
static void put_enum(cJSON *o, const char *key, int v, const char *const *names, int n)
{
    if (v >= 0 && v < n) {
        put_str(o, key, names[v]);
    } else {
        char s[32];
        snprintf(s, sizeof s, "unknown_%d", v);
        put_str(o, key, s);
    }
}

static void put_ids(cJSON *o, const char *key, const unsigned *ids, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        char num[24];
        format_u64(num, ids[i]);
        cJSON_AddItemToArray(arr, cJSON_CreateRaw(num));
    }
    cJSON_AddItemToObjectCS(o, key, arr);
}

static const char *const step_in_names[] = {"start", "resume", "throw"};
static const char *const step_end_names[] = {"await", "yield", "done", "raised", "cancelled"};
static const char *const done_names[] = {"result", "exception", "cancelled"};
static const char *const wait_names[] = {"all_completed", "first_completed", "first_exception", "as_completed"};

/* The kind-specific fields, in the order of sim/trace-format.md. */
static void put_fields(cJSON *o, const aw_event *e)
{
    switch (e->kind) {
    case AW_EV_LOOP_START:
        put_str(o, "clock", e->text);
        break;
    case AW_EV_ITERATION:
        put_int(o, "ready", e->a);
        put_ns_or_null(o, "timeout_ns", e->b);
        break;
    case AW_EV_SCHEDULED:
    case AW_EV_HANDLE_RUN:
        put_id(o, "handle", e->handle);
        if (e->kind == AW_EV_SCHEDULED) put_ns_or_null(o, "deadline_ns", e->a);
        put_str(o, "callback", e->name);
        put_id(o, "task", e->task);
        put_id(o, "future", e->future);
        break;
    case AW_EV_HANDLE_CANCELLED:
        put_id(o, "handle", e->handle);
        break;
    case AW_EV_TIMER_FIRED:
        put_id(o, "handle", e->handle);
        put_int(o, "deadline_ns", e->a);
        break;
    case AW_EV_TASK_CREATED:
        /* aw_tracer.h puts the new task's id in `future`; accept `task` too */
        put_id(o, "task", e->future ? e->future : e->task);
        put_str(o, "name", e->name);
        put_str(o, "coro", e->text);
        put_id(o, "parent", e->other);
        put_str(o, "file", e->file);
        put_int(o, "line", e->line);
        break;
    case AW_EV_STEP_BEGIN:
        put_id(o, "task", e->task);
        put_enum(o, "reason", e->reason, step_in_names, 3);
        break;
    case AW_EV_STEP_END:
        put_id(o, "task", e->task);
        put_enum(o, "reason", e->reason, step_end_names, 5);
        put_id(o, "future", e->future);
        put_str(o, "exc", e->name);
        break;
    case AW_EV_AWAIT:
        put_id(o, "task", e->task);
        put_id(o, "future", e->future);
        put_id(o, "coro", e->future ? 0 : e->other);
        put_str(o, "what", e->name);
        put_str(o, "file", e->file);
        put_int(o, "line", e->line);
        break;
    case AW_EV_CORO_CREATED:
        put_id(o, "coro", e->other);
        put_str(o, "name", e->name);
        put_id(o, "task", e->task);
        put_str(o, "file", e->file);
        put_int(o, "line", e->line);
        break;
    case AW_EV_FUTURE_CREATED:
        put_id(o, "future", e->future);
        put_id(o, "task", e->task);
        break;
    case AW_EV_FUTURE_DONE:
        put_id(o, "future", e->future ? e->future : e->task);
        put_enum(o, "reason", e->reason, done_names, 3);
        put_str(o, "result", e->reason == AW_DONE_RESULT ? e->text : NULL);
        put_str(o, "exc", e->name);
        put_str(o, "message", e->reason == AW_DONE_RESULT ? NULL : e->text);
        break;
    case AW_EV_CALLBACKS:
        put_id(o, "future", e->future);
        put_int(o, "count", e->a);
        break;
    case AW_EV_CANCEL_REQUESTED:
        put_id(o, "task", e->task);
        put_id(o, "future", e->future);
        put_id(o, "by", e->other);
        put_str(o, "message", e->text);
        put_int(o, "cancelling", e->a);
        put_bool(o, "accepted", e->reason != 0);
        break;
    case AW_EV_CANCEL_DELIVERED:
        put_id(o, "task", e->task);
        put_str(o, "message", e->text);
        break;
    case AW_EV_UNCANCEL:
        put_id(o, "task", e->task);
        put_int(o, "cancelling", e->a);
        break;
    case AW_EV_TIMEOUT_ARMED:
    case AW_EV_TIMEOUT_RESCHEDULED:
        put_id(o, "scope", e->other);
        put_id(o, "task", e->task);
        put_ns_or_null(o, "deadline_ns", e->a);
        break;
    case AW_EV_TIMEOUT_EXPIRED:
        put_id(o, "scope", e->other);
        put_id(o, "task", e->task);
        put_int(o, "deadline_ns", e->a);
        break;
    case AW_EV_TIMEOUT_DISARMED:
        put_id(o, "scope", e->other);
        put_id(o, "task", e->task);
        put_bool(o, "raised", e->reason != 0);
        break;
    case AW_EV_GATHER:
        put_id(o, "future", e->future);
        put_id(o, "task", e->task);
        put_ids(o, "children", e->ids, e->n_ids);
        break;
    case AW_EV_WAIT:
        put_id(o, "task", e->task);
        put_ids(o, "futures", e->ids, e->n_ids);
        /* aw_wait_mode 0..2; core passes -1 for as_completed */
        put_enum(o, "mode", e->a < 0 ? 3 : (int)e->a, wait_names, 4);
        put_ns_or_null(o, "timeout_ns", e->b);
        break;
    case AW_EV_CLOCK_JUMP:
        put_int(o, "from_ns", e->a);
        put_int(o, "to_ns", e->b);
        break;
    case AW_EV_IO_WAIT:
        put_ns_or_null(o, "timeout_ns", e->a);
        put_int(o, "watched", e->b);
        break;
    case AW_EV_IO_READY:
        put_int(o, "fd", e->a);
        put_bool(o, "readable", (e->reason & 1) != 0); /* AW_READABLE */
        put_bool(o, "writable", (e->reason & 2) != 0); /* AW_WRITABLE */
        break;
    case AW_EV_OUTPUT:
        put_id(o, "task", e->task);
        put_str(o, "text", e->text ? e->text : "");
        put_str(o, "file", e->file);
        put_int(o, "line", e->line);
        break;
    case AW_EV_BUSY:
        put_id(o, "task", e->task);
        put_int(o, "duration_ns", e->a);
        break;
    case AW_EV_WARNING:
        put_str(o, "category", e->name ? e->name : "");
        put_str(o, "message", e->text ? e->text : "");
        put_id(o, "task", e->task);
        put_id(o, "future", e->future);
        break;
    case AW_EV_LOOP_STOP:
    case AW_EV_LOOP_CLOSE:
    case AW_EV__COUNT:
        break;
    }
}

/* ---- output ---------------------------------------------------------------------------------- */

/* Traces that lost events, in this process: sim/env.c turns it into the exit status. */
static _Atomic unsigned trace_failures;
static void note_failure(void) { trace_failures++; }
unsigned aw_recorder_failures(void) { return trace_failures; }

static void write_line(aw_recorder *r, size_t len)
{
    if (r->failed) return;
    const char *p = r->buf;
    while (len > 0) {
        ssize_t n = write(r->fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            /* Keep the program running; the trace just stops here (a reader sees it unfinished). */
            fprintf(stderr, "awaitlab: trace %s: write failed: %s; tracing stops\n",
                    r->path ? r->path : "(fd)", n < 0 ? strerror(errno) : "no progress");
            r->failed = true;
            note_failure();
            return;
        }
        p += n;
        len -= (size_t)n;
        r->bytes += (uint64_t)n;
    }
}

/* Prints `o` plus a newline into r->buf and writes it. */
static void emit(aw_recorder *r, cJSON *o)
{
    if (!o) return;
    for (;;) {
        /* cJSON may need a few bytes more than the text: keep 8 spare for that and the '\n' */
        if (r->buf && cJSON_PrintPreallocated(o, r->buf, (int)(r->cap - 8), 0)) break;
        size_t cap = r->cap ? r->cap * 2 : 4096;
        char *nb = cap <= INT_MAX ? realloc(r->buf, cap) : NULL;
        if (!nb) {
            fprintf(stderr, "awaitlab: trace: out of memory printing an event; tracing stops\n");
            r->failed = true;
            note_failure();
            cJSON_Delete(o);
            return;
        }
        r->buf = nb;
        r->cap = cap;
    }
    size_t len = strlen(r->buf);
    r->buf[len++] = '\n';
    write_line(r, len);
    cJSON_Delete(o);
}

static void write_header(aw_recorder *r, const char *program, const char *clock, uint64_t seed,
                         int64_t wall_start_ns)
{
    cJSON *o = cJSON_CreateObject();
    put_str(o, "format", "awaitlab-trace");
    put_int(o, "version", 1);
    put_str(o, "program", program);
    put_str(o, "clock", clock ? clock : "real");
    put_uint(o, "seed", seed);
    put_int(o, "wall_start_ns", wall_start_ns);
    emit(r, o);
    r->header_done = true;
}

static void rec_on_start(void *ud, const char *program, const char *clock, uint64_t seed,
                         int64_t wall_start_ns)
{
    aw_recorder *r = ud;
    if (!r->header_done) write_header(r, program, clock, seed, wall_start_ns);
}

static void rec_on_event(void *ud, const aw_event *e)
{
    aw_recorder *r = ud;
    if (r->failed) return;
    /* core calls on_start first; if it ever did not, the file must still start with a header */
    if (!r->header_done) write_header(r, NULL, NULL, 0, 0);
    cJSON *o = cJSON_CreateObject();
    put_uint(o, "seq", ++r->seq);
    put_uint(o, "iter", e->iteration);
    put_int(o, "t_ns", e->time_ns);
    const char *name = aw_recorder_kind_name(e->kind);
    if (name) {
        put_str(o, "ev", name);
        put_fields(o, e);
    } else {
        char s[32];
        snprintf(s, sizeof s, "unknown_%d", (int)e->kind);
        put_str(o, "ev", s);
    }
    emit(r, o);
}

static void rec_on_close(void *ud) { aw_recorder_close(ud); }

static const aw_tracer recorder_tracer = {rec_on_start, rec_on_event, rec_on_close};

const aw_tracer *aw_recorder_tracer(void) { return &recorder_tracer; }

void aw_recorder_attach(aw_recorder *rec, aw_loop_options *opts)
{
    opts->tracer = &recorder_tracer;
    opts->tracer_ud = rec;
}

aw_recorder *aw_recorder_open_fd(int fd, int close_fd)
{
    aw_recorder *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->fd = fd;
    r->close_fd = close_fd != 0;
    return r;
}

aw_recorder *aw_recorder_open(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (err && errlen) snprintf(err, errlen, "trace %s: %s", path, strerror(errno));
        return NULL;
    }
    aw_recorder *r = aw_recorder_open_fd(fd, 1);
    if (r) r->path = strdup(path);
    if (!r || !r->path) {
        if (err && errlen) snprintf(err, errlen, "trace %s: out of memory", path);
        if (r) free(r);
        close(fd);
        return NULL;
    }
    return r;
}

void aw_recorder_close(aw_recorder *rec)
{
    if (!rec) return;
    if (rec->close_fd && close(rec->fd) != 0 && !rec->failed) {
        fprintf(stderr, "awaitlab: trace %s: close failed: %s\n", rec->path ? rec->path : "(fd)",
                strerror(errno));
        note_failure();
    }
    free(rec->buf);
    free(rec->path);
    free(rec);
}

uint64_t aw_recorder_events(const aw_recorder *rec) { return rec->seq; }
uint64_t aw_recorder_bytes(const aw_recorder *rec) { return rec->bytes; }
