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
#include "../core/aw_trace_time.h"

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
    bool have_t;        /* the last event's loop time (t_ns and the double), for `exact` */
    int64_t last_t_ns;
    double last_t;
    /* The program's source (aw_recorder_set_source): written in the header, and the map from the
     * lines of its C port to its own lines. */
    char *source_file, *source, *port_file;
    aw_line_map_fn map_line;
    void *map_ud;
};

#define AW__KIND_NAME(ID, name, fields) [AW_EV_##ID] = name,
static const char *const kind_names[AW_EV__COUNT] = {AW_TRACE_EVENTS(AW__KIND_NAME, -, -)};
#undef AW__KIND_NAME

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

/* ---- times (core/aw_trace_time.h): ns, rounded, plus the exact double when they lose it ---- */
typedef struct exact_times {
    size_t n;
    const char *key[4];  /* the field's key ("t_ns"...): written without its "_ns" */
    double v[4];
} exact_times;

static void put_time(cJSON *o, exact_times *x, const char *key, double v)
{
    if (!(v >= 0)) v = 0;
    int64_t ns = aw_trace_time_ns(v);
    put_int(o, key, ns);
    if (v <= 4.6e9 && aw_trace_time_needs_exact(v, ns) && x->n < sizeof x->v / sizeof x->v[0]) {
        x->key[x->n] = key;
        x->v[x->n++] = v;
    }
}

/* The loop time: exact only when a reader would take another double (aw_trace_time_carried). */
static void put_loop_time(aw_recorder *r, cJSON *o, exact_times *x, double t)
{
    if (!(t >= 0)) t = 0;
    int64_t ns = aw_trace_time_ns(t);
    put_int(o, "t_ns", ns);
    if (t <= 4.6e9 && aw_trace_time_carried(r->have_t, r->last_t_ns, r->last_t, ns) != t) {
        x->key[x->n] = "t_ns";
        x->v[x->n++] = t;
    }
    r->have_t = true;
    r->last_t_ns = ns;
    r->last_t = t;
}

/* core's -1 ("never", "forever", "call_soon"), and an infinite deadline, become null */
static void put_time_or_null(cJSON *o, exact_times *x, const char *key, double v)
{
    if (!(v >= 0) || v == (double)INFINITY) put_null(o, key);
    else put_time(o, x, key, v);
}

/* "exact":{"t":0.30000000000000004,...}: each double as Python's repr() writes it (the shortest
 * digits that read back as the same double). */
static void put_exact(cJSON *o, const exact_times *x)
{
    if (!x->n) return;
    cJSON *obj = cJSON_CreateObject();
    for (size_t i = 0; i < x->n; i++) {
        char num[40], key[32];
        aw_value_repr(aw_float(x->v[i]), num, sizeof num);
        size_t len = strlen(x->key[i]);
        if (len > 3 && !strcmp(x->key[i] + len - 3, "_ns")) len -= 3;
        snprintf(key, sizeof key, "%.*s", (int)len, x->key[i]);
        cJSON_AddItemToObject(obj, key, cJSON_CreateRaw(num));
    }
    cJSON_AddItemToObjectCS(o, "exact", obj);
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

/* One array of names per enum list of the schema (enum_STEP_IN...), and its length. */
#define AW__NAME(n) n,
#define AW__ENUM_NAMES(L)                                                                      \
    __attribute__((unused)) static const char *const enum_##L[] = {AW_TRACE_ENUM_##L(AW__NAME)};                      \
    enum { n_enum_##L = sizeof enum_##L / sizeof enum_##L[0] };
AW_TRACE_ENUMS(AW__ENUM_NAMES)
#undef AW__ENUM_NAMES
#undef AW__NAME

/* How each schema type is written from its aw_event member. */
#define PUT_ID(o, k, e, m) put_id(o, k, (e)->m)
#define PUT_ID_NULL(o, k, e, m) put_id(o, k, (e)->m)
#define PUT_COUNT(o, k, e, m) put_int(o, k, (int64_t)(e)->m)
#define PUT_COUNT_NULL(o, k, e, m) ((e)->m < 0 ? put_null(o, k) : put_int(o, k, (int64_t)(e)->m))
#define PUT_INT(o, k, e, m) put_int(o, k, (int64_t)(e)->m)
#define PUT_TIME(o, k, e, m) put_time(o, x, k, (e)->m)
#define PUT_TIME_NULL(o, k, e, m) put_time_or_null(o, x, k, (e)->m)
#define PUT_STR(o, k, e, m) put_str(o, k, (e)->m ? (e)->m : "")
#define PUT_STR_NULL(o, k, e, m) put_str(o, k, (e)->m)
#define PUT_BOOL(o, k, e, m) put_bool(o, k, (e)->m != 0)
#define PUT_IDS(o, k, e, m) put_ids(o, k, (e)->m, (e)->n_##m)

/* The kind-specific fields, written from the schema table (core/aw_trace_schema.h). */
static void put_fields(cJSON *o, const aw_event *e, exact_times *x)
{
#define F(key, type, member) PUT_##type(o, #key, e, member);
#define E(key, list, member) put_enum(o, #key, (int)e->member, enum_##list, n_enum_##list);
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

/* Where the event comes from, in the program's source: a C port's lines become the lines of the
 * source it ports (aw_recorder_set_source), written with file null ("the header's source").
 * Events of the loop's own (line 0) have none: the keys are left out. */
static void put_site(const aw_recorder *r, cJSON *o, const aw_event *e)
{
    const char *file = e->file;
    int64_t line = e->line > 0 ? e->line : 0;
    if (file && r->port_file && !strcmp(file, r->port_file)) {
        line = r->map_line ? r->map_line(r->map_ud, (int)line) : 0;
        file = NULL;
    }
    if (line == 0) return; /* the loop or the library acting on its own: no location */
    put_str(o, "file", file);
    put_int(o, "line", line);
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
    put_str(o, "format", AW_TRACE_FORMAT_NAME);
    put_int(o, "version", AW_TRACE_FORMAT_VERSION);
    put_str(o, "program", program);
    put_str(o, "clock", clock ? clock : "real");
    put_uint(o, "seed", seed);
    put_int(o, "wall_start_ns", wall_start_ns);
    if (r->source_file) put_str(o, "source_file", r->source_file);
    if (r->source) put_str(o, "source", r->source);
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
    exact_times x = {0};
    put_loop_time(r, o, &x, e->time);
    const char *name = aw_recorder_kind_name(e->kind);
    if (name) {
        put_str(o, "ev", name);
        put_fields(o, e, &x);
        put_exact(o, &x);
        put_site(r, o, e);
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
    free(rec->source_file);
    free(rec->source);
    free(rec->port_file);
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
