/* recorder.c — tracer events -> JSON Lines (sim/trace-format.md).
 *
 * Each event is written by hand (sim/json_out.h says why: speed, issue 15) into one buffer, and
 * the buffer goes to the file at each loop iteration boundary (before the `iteration` event),
 * right after an `io_wait` event (the loop may now block: the file holds everything up to the
 * wait), when it passes FLUSH_AT bytes, and at close: copied into the file's mapping for a
 * regular file (sim/file_map.h: no syscall), else with one write().  The buffer only ever holds
 * whole lines, so a program killed with SIGKILL leaves whole lines (see *Truncation* in the
 * format document) and loses at most the events of the iteration it was running.
 * Output is deterministic: ids, not addresses; integers only; the wall clock is never read here.
 */
#include "recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_map.h"
#include "json_out.h"
#include "../core/aw_trace_time.h"

/* Past this many pending bytes the buffer is written out even within an iteration (an iteration
 * that runs many handles should not grow the buffer without bound). */
#define FLUSH_AT (64 * 1024)
/* How many reprs of exact times are kept (repr_of). */
#define REPR_CACHE 8

/* The start every event line shares, {"seq":S,"iter":I,"t_ns":T, as text kept from event to
 * event: formatting its three numbers was a fifth of the recorder's instructions, while seq only
 * ever grows by one (its digits are incremented in place) and iter and t_ns seldom change (their
 * text is rewritten only when one does). */
typedef struct event_head {
    char seq[24]; /* the last seq's digits ("0" before the first event) */
    size_t seq_len;
    char iter_t[64]; /* ,"iter":I,"t_ns":T of the last event; iter_t_len 0: none yet */
    size_t iter_t_len;
    uint64_t iter;
    int64_t t_ns;
} event_head;

struct aw_recorder {
    int fd;
    bool close_fd;
    bool mapped;        /* lines go to the file through `map` (file_map.h), not write() */
    aw_file_map map;
    bool header_done;
    bool failed;        /* a write failed: reported once, then nothing more is written */
    char *path;         /* for messages; NULL when opened on a descriptor */
    json_out out;       /* whole lines not yet written */
    unsigned fork_gen;  /* fork_generation when out was last known to be this process's */
    uint64_t seq;
    event_head head;
    uint64_t bytes;     /* the trace's length so far: written, or pending in out */
    bool have_t;        /* the last event's loop time (t_ns and the double), for `exact` */
    int64_t last_t_ns;
    double last_t;
    struct repr_entry {
        double v;
        char text[40]; /* "" when unused */
    } repr_cache[REPR_CACHE];
    unsigned repr_next;
    /* The program's source (aw_recorder_set_source): written in the header, and the map from the
     * lines of its C port to its own lines. */
    char *source_file, *source, *port_file;
    aw_line_map_fn map_line;
    void *map_ud;
    /* The file named by the last located event (a copy; NULL with carried_null: file null).  A
     * located event in the same file writes only its line, and readers carry the file over
     * (format 3): most events are in the file of the one before (trace_bench: 147 -> 129 bytes
     * an event). */
    bool carrying;
    bool carried_null;
    char *carried_file;
};

/* ---- names, written once: each kind's `,"ev":"name"` and each enum value's `"name"` --------- */

/* A name with its punctuation, kept in a block of constant size so that it is copied with a few
 * moves rather than a call to memcpy (the slack has room for the block).  A longer name does
 * not compile ("initializer-string too long"). */
typedef struct lit {
    char s[32];
    size_t n;
} lit;
#define LIT(s) {s, sizeof(s) - 1}

static void put_lit(json_out *o, const lit *l)
{
    memcpy(o->buf + o->len, l->s, sizeof l->s);
    o->len += l->n;
}

#define AW__KIND_NAME(ID, name, fields) [AW_EV_##ID] = name,
static const char *const kind_names[AW_EV__COUNT] = {AW_TRACE_EVENTS(AW__KIND_NAME, -, -)};
#undef AW__KIND_NAME
#define AW__KIND_EV(ID, name, fields) [AW_EV_##ID] = LIT(",\"ev\":\"" name "\""),
static const lit kind_ev[AW_EV__COUNT] = {AW_TRACE_EVENTS(AW__KIND_EV, -, -)};
#undef AW__KIND_EV

const char *aw_recorder_kind_name(aw_event_kind kind)
{
    return (unsigned)kind < AW_EV__COUNT ? kind_names[kind] : NULL;
}

/* One array of quoted names per enum list of the schema (enum_STEP_IN...), and its length. */
#define AW__QNAME(n) LIT("\"" n "\""),
#define AW__ENUM_NAMES(L)                                                                      \
    __attribute__((unused)) static const lit enum_##L[] = {AW_TRACE_ENUM_##L(AW__QNAME)};     \
    enum { n_enum_##L = sizeof enum_##L / sizeof enum_##L[0] };
AW_TRACE_ENUMS(AW__ENUM_NAMES)
#undef AW__ENUM_NAMES
#undef AW__QNAME

/* ---- field writers: `key` is the literal ,"name": (comma and colon included) ---------------- */

#define KEY(o, key) JSON_OUT_LIT(o, key)

static void put_null(json_out *o) { JSON_OUT_LIT(o, "null"); }

static void put_str(json_out *o, const char *s)
{
    if (s) aw__json_out_str(o, s);
    else put_null(o);
}

static void put_id(json_out *o, unsigned id)
{
    if (id == 0) put_null(o);
    else json_out_u64(o, id);
}

static void put_bool(json_out *o, bool b)
{
    if (b) JSON_OUT_LIT(o, "true");
    else JSON_OUT_LIT(o, "false");
}

/* An enum value as its name; an unknown value is written so that the validator flags it
 * (a core/recorder mismatch should be loud, not silently renamed). */
static void put_enum(json_out *o, int v, const lit *names, int n)
{
    if (v >= 0 && v < n) {
        put_lit(o, &names[v]);
    } else {
        char s[32];
        snprintf(s, sizeof s, "unknown_%d", v);
        aw__json_out_str(o, s);
    }
}

static void put_ids(json_out *o, const unsigned *ids, size_t n)
{
    if (!json_out_room(o, n * 11 + 2)) return; /* 10 digits and a comma each, the brackets */
    json_out_char(o, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) json_out_char(o, ',');
        json_out_u64(o, ids[i]);
    }
    json_out_char(o, ']');
}

/* ---- times (core/aw_trace_time.h): ns, rounded, plus the exact double when they lose it ---- */
typedef struct exact_times {
    size_t n;
    const char *key[4]; /* the field's key literal (,"deadline_ns":): written without its "_ns" */
    double v[4];
} exact_times;

static void put_time(json_out *o, exact_times *x, const char *key, double v)
{
    if (!(v >= 0)) v = 0;
    int64_t ns = aw_trace_time_ns(v);
    json_out_i64(o, ns);
    if (v <= 4.6e9 && aw_trace_time_needs_exact(v, ns) && x->n < sizeof x->v / sizeof x->v[0]) {
        x->key[x->n] = key;
        x->v[x->n++] = v;
    }
}

/* The loop time's ns (written by put_head); exact only when a reader would take another double
 * (aw_trace_time_carried). */
static int64_t loop_time_ns(aw_recorder *r, exact_times *x, double t)
{
    if (!(t >= 0)) t = 0;
    /* most events share the previous event's time: its ns, and no `exact` (carried) */
    int64_t ns = r->have_t && t == r->last_t ? r->last_t_ns : aw_trace_time_ns(t);
    if (t <= 4.6e9 && aw_trace_time_carried(r->have_t, r->last_t_ns, r->last_t, ns) != t) {
        x->key[x->n] = ",\"t_ns\":";
        x->v[x->n++] = t;
    }
    r->have_t = true;
    r->last_t_ns = ns;
    r->last_t = t;
    return ns;
}

/* The next seq's digits: the last one's plus one, carried by hand. */
static void head_next_seq(event_head *h)
{
    size_t i = h->seq_len;
    while (i > 0 && h->seq[i - 1] == '9') h->seq[--i] = '0';
    if (i > 0) {
        h->seq[i - 1]++;
    } else { /* all nines: one digit more */
        memmove(h->seq + 1, h->seq, h->seq_len++);
        h->seq[0] = '1';
    }
}

/* {"seq":S,"iter":I,"t_ns":T for the next event.  Both texts are copied as blocks of their
 * buffers' constant sizes (a few moves, no memcpy call), which the slack has room for. */
static void put_head(json_out *o, event_head *h, uint64_t iter, int64_t t_ns)
{
    head_next_seq(h);
    if (h->iter_t_len == 0 || iter != h->iter || t_ns != h->t_ns) {
        json_out text = {h->iter_t, 0, sizeof h->iter_t, false}; /* the numbers' 20-byte blocks fit */
        JSON_OUT_LIT(&text, ",\"iter\":");
        json_out_u64(&text, iter);
        JSON_OUT_LIT(&text, ",\"t_ns\":");
        json_out_i64(&text, t_ns);
        h->iter_t_len = text.len;
        h->iter = iter;
        h->t_ns = t_ns;
    }
    JSON_OUT_LIT(o, "{\"seq\":");
    memcpy(o->buf + o->len, h->seq, sizeof h->seq);
    o->len += h->seq_len;
    memcpy(o->buf + o->len, h->iter_t, sizeof h->iter_t);
    o->len += h->iter_t_len;
}

/* core's -1 ("never", "forever", "call_soon"), and an infinite deadline, become null */
static void put_time_or_null(json_out *o, exact_times *x, const char *key, double v)
{
    if (!(v >= 0) || v == (double)INFINITY) put_null(o);
    else put_time(o, x, key, v);
}

/* Python's repr() of a double (aw_value_repr), for `exact`.  It searches for the shortest
 * digits with snprintf and strtod (thousands of instructions), and a time that needs `exact`
 * comes back in several events (a deadline: scheduled, clock_jump, the loop time, timer_fired),
 * so the last few are kept. */
static const char *repr_of(aw_recorder *r, double v)
{
    for (size_t i = 0; i < REPR_CACHE; i++)
        if (r->repr_cache[i].v == v && r->repr_cache[i].text[0]) return r->repr_cache[i].text;
    struct repr_entry *slot = &r->repr_cache[r->repr_next++ % REPR_CACHE];
    slot->v = v;
    aw_value_repr(aw_float(v), slot->text, sizeof slot->text);
    return slot->text;
}

/* ,"exact":{"t":0.30000000000000004,...}: each double as Python's repr() writes it (the shortest
 * digits that read back as the same double), under its field's name without `_ns`. */
static void put_exact(aw_recorder *r, json_out *o, const exact_times *x)
{
    if (!x->n) return;
    JSON_OUT_LIT(o, ",\"exact\":{");
    for (size_t i = 0; i < x->n; i++) {
        const char *num = repr_of(r, x->v[i]);
        const char *name = x->key[i] + 2;            /* after ,"  */
        size_t name_len = strlen(name) - 2;          /* before ": */
        if (name_len > 3 && !memcmp(name + name_len - 3, "_ns", 3)) name_len -= 3;
        if (i) json_out_char(o, ',');
        json_out_char(o, '"');
        json_out_raw(o, name, name_len);
        JSON_OUT_LIT(o, "\":");
        json_out_raw(o, num, strlen(num));
    }
    json_out_char(o, '}');
}

/* How each schema type is written from its aw_event member. */
#define PUT_ID(o, k, e, m) (KEY(o, k), put_id(o, (e)->m))
#define PUT_ID_NULL(o, k, e, m) (KEY(o, k), put_id(o, (e)->m))
#define PUT_COUNT(o, k, e, m) (KEY(o, k), json_out_i64(o, (int64_t)(e)->m))
#define PUT_COUNT_NULL(o, k, e, m) (KEY(o, k), (e)->m < 0 ? put_null(o) : json_out_i64(o, (int64_t)(e)->m))
#define PUT_INT(o, k, e, m) (KEY(o, k), json_out_i64(o, (int64_t)(e)->m))
#define PUT_TIME(o, k, e, m) (KEY(o, k), put_time(o, x, k, (e)->m))
#define PUT_TIME_NULL(o, k, e, m) (KEY(o, k), put_time_or_null(o, x, k, (e)->m))
#define PUT_STR(o, k, e, m) (KEY(o, k), put_str(o, (e)->m ? (e)->m : ""))
#define PUT_STR_NULL(o, k, e, m) (KEY(o, k), put_str(o, (e)->m))
#define PUT_BOOL(o, k, e, m) (KEY(o, k), put_bool(o, (e)->m != 0))
#define PUT_IDS(o, k, e, m) (KEY(o, k), put_ids(o, (e)->m, (e)->n_##m))

/* The kind-specific fields, written from the schema table (core/aw_trace_schema.h). */
static void put_fields(json_out *o, const aw_event *e, exact_times *x)
{
#define F(key, type, member) PUT_##type(o, ",\"" #key "\":", e, member);
#define E(key, list, member) (KEY(o, ",\"" #key "\":"), put_enum(o, (int)e->member, enum_##list, n_enum_##list));
#define EV(ID, name, fields)                                                                   \
    case AW_EV_##ID:                                                                           \
        fields break;
    switch (e->kind) {
        AW_TRACE_EVENTS(EV, F, E)
    case AW_EV__COUNT:
        break;
    }
#undef EV
#undef E
#undef F
}

/* Whether `file` is the file the last located event named (NULL: the header's source). */
static bool file_carried(const aw_recorder *r, const char *file)
{
    if (!r->carrying) return false;
    if (!file || r->carried_null) return !file && r->carried_null;
    return strcmp(file, r->carried_file) == 0;
}

/* Out of memory for the copy: nothing is carried, and the next event names its file again. */
static void carry_file(aw_recorder *r, const char *file)
{
    free(r->carried_file);
    r->carried_file = file ? strdup(file) : NULL;
    r->carried_null = !file;
    r->carrying = !file || r->carried_file;
}

/* Where the event comes from, in the program's source: a C port's lines become the lines of the
 * source it ports (aw_recorder_set_source), written with file null ("the header's source").
 * Events of the loop's own (line 0) have none: the keys are left out.  A file the event before
 * named already is left out too: "line" alone says "in the same file". */
static void put_site(aw_recorder *r, json_out *o, const aw_event *e)
{
    const char *file = e->file;
    int64_t line = e->line > 0 ? e->line : 0;
    if (file && r->port_file && !strcmp(file, r->port_file)) {
        line = r->map_line ? r->map_line(r->map_ud, (int)line) : 0;
        file = NULL;
    }
    if (line == 0) return; /* the loop or the library acting on its own: no location */
    if (!file_carried(r, file)) {
        JSON_OUT_LIT(o, ",\"file\":");
        put_str(o, file);
        carry_file(r, file);
    }
    JSON_OUT_LIT(o, ",\"line\":");
    json_out_i64(o, line);
}

/* ---- output ---------------------------------------------------------------------------------- */

/* Traces that lost events, in this process: sim/env.c turns it into the exit status. */
static _Atomic unsigned trace_failures;
static void note_failure(void) { trace_failures++; }
unsigned aw_recorder_failures(void) { return trace_failures; }

/* A forked child inherits the parent's pending lines; the parent writes them, so the child drops
 * them before it does anything with the recorder (pthread_atfork bumps the generation in it). */
static unsigned fork_generation;
static void count_fork(void) { fork_generation++; }
static pthread_once_t fork_hook_once = PTHREAD_ONCE_INIT;
static void install_fork_hook(void) { pthread_atfork(NULL, NULL, count_fork); }

static void adopt_after_fork(aw_recorder *r)
{
    if (r->fork_gen == fork_generation) return;
    r->fork_gen = fork_generation;
    r->bytes -= r->out.len;
    r->out.len = 0;
    r->carrying = false; /* the line that named it may be one of those dropped */
    if (r->mapped) {
        /* The parent appends to the mapped file at offsets only it knows: the child writes
         * nothing more there (and never trims it at close).  Not a failure of the child's. */
        aw_file_map_abandon(&r->map);
        r->mapped = false;
        r->failed = true;
    }
}

static void stop_tracing(aw_recorder *r, const char *why)
{
    fprintf(stderr, "awaitlab: trace %s: %s; tracing stops\n", r->path ? r->path : "(fd)", why);
    r->failed = true;
    r->out.len = 0;
    note_failure();
}

/* Stops writing through the mapping (a growth failed: no room, or the file system refused):
 * the file is trimmed to what it holds, and write() goes on from there and reports any error
 * itself.  false: the file could not even be trimmed. */
static bool leave_mapping(aw_recorder *r, int why)
{
    r->mapped = false;
    int e = aw_file_map_close(&r->map);
    if (e == 0) return true;
    char msg[300];
    snprintf(msg, sizeof msg, "growing the file failed (%s), and trimming it failed: %s", strerror(why), strerror(e));
    stop_tracing(r, msg);
    return false;
}

/* Writes the pending lines. */
static void flush(aw_recorder *r)
{
    const char *p = r->out.buf;
    size_t len = r->out.len;
    if (r->mapped && len > 0 && !r->failed) {
        uint64_t before = r->map.len;
        int e = aw_file_map_put(&r->map, p, len);
        size_t put = (size_t)(r->map.len - before);
        p += put;
        len -= put;
        if (e && !leave_mapping(r, e)) return;
    }
    while (len > 0 && !r->failed) {
        ssize_t n = write(r->fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            /* Keep the program running; the trace just stops here (a reader sees it unfinished). */
            char why[300];
            snprintf(why, sizeof why, "write failed: %s", n < 0 ? strerror(errno) : "no progress");
            stop_tracing(r, why);
            return;
        }
        p += n;
        len -= (size_t)n;
    }
    r->out.len = 0;
}

/* Ends the line begun at `start`: kept, or dropped if the buffer could not grow for it. */
static void end_line(aw_recorder *r, size_t start)
{
    if (r->out.oom) {
        r->out.len = start;
        r->out.oom = false;
        stop_tracing(r, "out of memory printing an event");
        return;
    }
    json_out_char(&r->out, '\n');
    r->bytes += r->out.len - start;
}

static void write_header(aw_recorder *r, const char *program, const char *clock, uint64_t seed,
                         int64_t wall_start_ns)
{
    json_out *o = &r->out;
    r->header_done = true;
    if (!json_out_room(o, 0)) {
        stop_tracing(r, "out of memory printing the header");
        return;
    }
    size_t start = o->len;
    JSON_OUT_LIT(o, "{\"format\":\"" AW_TRACE_FORMAT_NAME "\",\"version\":");
    json_out_i64(o, AW_TRACE_FORMAT_VERSION);
    JSON_OUT_LIT(o, ",\"program\":");
    put_str(o, program);
    JSON_OUT_LIT(o, ",\"clock\":");
    put_str(o, clock ? clock : "real");
    JSON_OUT_LIT(o, ",\"seed\":");
    json_out_u64(o, seed);
    JSON_OUT_LIT(o, ",\"wall_start_ns\":");
    json_out_i64(o, wall_start_ns);
    if (r->source_file) {
        JSON_OUT_LIT(o, ",\"source_file\":");
        put_str(o, r->source_file);
    }
    if (r->source) {
        JSON_OUT_LIT(o, ",\"source\":");
        put_str(o, r->source);
    }
    json_out_char(o, '}');
    end_line(r, start);
    flush(r); /* at once: a trace that exists has its header */
}

static void rec_on_start(void *ud, const char *program, const char *clock, uint64_t seed,
                         int64_t wall_start_ns)
{
    aw_recorder *r = ud;
    adopt_after_fork(r);
    if (!r->header_done && !r->failed) write_header(r, program, clock, seed, wall_start_ns);
}

static void rec_on_event(void *ud, const aw_event *e)
{
    aw_recorder *r = ud;
    adopt_after_fork(r);
    if (r->failed) return;
    /* core calls on_start first; if it ever did not, the file must still start with a header */
    if (!r->header_done) write_header(r, NULL, NULL, 0, 0);
    /* an iteration boundary: the file gets every event of the iterations before this one */
    if (e->kind == AW_EV_ITERATION && r->out.len) flush(r);
    json_out *o = &r->out;
    if (r->failed || !json_out_room(o, 0)) {
        if (!r->failed) stop_tracing(r, "out of memory printing an event");
        return;
    }
    size_t start = o->len;
    exact_times x = {0};
    r->seq++;
    put_head(o, &r->head, e->iteration, loop_time_ns(r, &x, e->time));
    if ((unsigned)e->kind < AW_EV__COUNT) {
        put_lit(o, &kind_ev[e->kind]);
        put_fields(o, e, &x);
        put_exact(r, o, &x);
        put_site(r, o, e);
    } else {
        char s[32];
        snprintf(s, sizeof s, "unknown_%d", (int)e->kind);
        JSON_OUT_LIT(o, ",\"ev\":");
        aw__json_out_str(o, s);
    }
    json_out_char(o, '}');
    end_line(r, start);
    /* the loop may block in its wait now: the file holds everything up to it */
    if (o->len >= FLUSH_AT || e->kind == AW_EV_IO_WAIT) flush(r);
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
    pthread_once(&fork_hook_once, install_fork_hook);
    aw_recorder *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->fd = fd;
    r->close_fd = close_fd != 0;
    r->fork_gen = fork_generation;
    r->head.seq[0] = '0';
    r->head.seq_len = 1;
    return r;
}

aw_recorder *aw_recorder_open(const char *path, char *err, size_t errlen)
{
    /* read and write: a shared mapping needs both (file_map.h) */
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (err && errlen) snprintf(err, errlen, "trace %s: %s", path, strerror(errno));
        return NULL;
    }
    aw_recorder *r = aw_recorder_open_fd(fd, 1);
    if (r) r->path = strdup(path);
    if (r && r->path) r->mapped = aw_file_map_open(&r->map, fd); /* else write(): pipes, devices */
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
    adopt_after_fork(rec);
    flush(rec);
    if (rec->mapped) {
        rec->mapped = false;
        int e = aw_file_map_close(&rec->map);
        if (e && !rec->failed) {
            char why[300];
            snprintf(why, sizeof why, "trimming the file to its %llu bytes failed: %s",
                     (unsigned long long)rec->map.len, strerror(e));
            stop_tracing(rec, why);
        }
    }
    if (rec->close_fd && close(rec->fd) != 0 && !rec->failed) {
        fprintf(stderr, "awaitlab: trace %s: close failed: %s\n", rec->path ? rec->path : "(fd)",
                strerror(errno));
        note_failure();
    }
    aw__json_out_free(&rec->out);
    free(rec->path);
    free(rec->source_file);
    free(rec->source);
    free(rec->port_file);
    free(rec->carried_file);
    free(rec);
}

uint64_t aw_recorder_events(const aw_recorder *rec) { return rec->seq; }
uint64_t aw_recorder_bytes(const aw_recorder *rec) { return rec->bytes; }

bool aw_recorder_set_source(aw_recorder *rec, const char *source_file, const char *source, const char *port_file,
                            aw_line_map_fn map_line, void *map_ud)
{
    rec->source_file = source_file ? strdup(source_file) : NULL;
    rec->source = source ? strdup(source) : NULL;
    rec->port_file = port_file ? strdup(port_file) : NULL;
    rec->map_line = map_line;
    rec->map_ud = map_ud;
    return !(source_file && !rec->source_file) && !(source && !rec->source) && !(port_file && !rec->port_file);
}
