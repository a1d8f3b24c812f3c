/* export_chrome.c — a trace as Chrome trace event JSON (see export_chrome.h).  Written with
 * printf and our own string escaping, so that times print exactly (µs with 3 decimals) and the
 * bytes never depend on a float formatter.
 *
 * Every event N owns a cell [pos[N], pos[N+1]) of the axis (pos strictly increasing).  A task
 * step from step_begin B to step_end E is the slice [pos[B], pos[E+1]]; a wait lies between two
 * steps of its task; instants and flow endpoints sit at the middle of their event's cell, so they
 * fall strictly inside the slice that encloses the event and never on a boundary. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "export_chrome.h"

#include "json_text_check.h"
#include "trace_schema.h"

/* The time axis: events at one instant are spread this far apart (ns); even, so that a cell's
 * middle is a whole nanosecond. */
#define MIN_GAP_NS 2
#define LOGICAL_NS 1000 /* the logical axis: one microsecond per event */

typedef struct slice {
    int64_t task, b, e;   /* step_begin and step_end events (e: the last event of the step) */
} slice;

typedef struct ex {
    const aw_model *m;
    FILE *out;
    bool first;           /* no event written yet (for the commas) */
    int64_t count;
    int64_t *pos;         /* [1..count+1]: where each event's cell begins, ns */
    int64_t *in_task;     /* [1..count]: the task whose step encloses the event, 0: none */
    slice *steps;         /* in step order */
    size_t nsteps;
    slice *by_task;       /* the same, by (task, b) */
} ex;

/* A JSON string: ", \ and control characters escaped; other bytes (UTF-8) as they are. */
static void jstr(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f) fprintf(out, "\\u%04x", *p);
            else fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* Nanoseconds as microseconds with 3 decimals: exact. */
static void jus(FILE *out, int64_t ns)
{
    uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    fprintf(out, "%s%" PRIu64 ".%03u", ns < 0 ? "-" : "", a / 1000, (unsigned)(a % 1000));
}

/* Starts an event: the separator, then {"ph":PH,"pid":1,"tid":TID,"name":NAME */
static void begin(ex *x, const char *ph, int64_t tid, const char *name)
{
    fputs(x->first ? "\n" : ",\n", x->out);
    x->first = false;
    fprintf(x->out, "{\"ph\":\"%s\",\"pid\":1,\"tid\":%" PRId64 ",\"name\":", ph, tid);
    jstr(x->out, name);
}

static void meta_name(ex *x, const char *what, int64_t tid, const char *value, int64_t sort)
{
    begin(x, "M", tid, what);
    fputs(",\"args\":{\"name\":", x->out);
    jstr(x->out, value);
    fputs("}}", x->out);
    if (sort >= 0 && tid >= 0) {
        begin(x, "M", tid, "thread_sort_index");
        fprintf(x->out, ",\"args\":{\"sort_index\":%" PRId64 "}}", sort);
    }
}

/* The middle of event s's cell. */
static int64_t mid(const ex *x, int64_t s) { return x->pos[s] + (x->pos[s + 1] - x->pos[s]) / 2; }

/* Opens a complete event [from, to) and its args: the caller adds more args, then "}}". */
static void complete(ex *x, int64_t tid, const char *name, const char *cat, int64_t from, int64_t to)
{
    begin(x, "X", tid, name);
    fprintf(x->out, ",\"cat\":\"%s\",\"ts\":", cat);
    jus(x->out, from);
    fputs(",\"dur\":", x->out);
    jus(x->out, to - from);
    fputs(",\"args\":{", x->out);
}

/* ,"time":"1.000" — the virtual time at event s, as the viewers show it */
static void arg_time(ex *x, const char *key, int64_t s)
{
    char buf[48];
    aw_model_event ev;
    int64_t t = aw_model_event_get(x->m, s, &ev) ? ev.t_ns : 0;
    fprintf(x->out, ",\"%s\":", key);
    jstr(x->out, aw_model_format_time(t, buf, sizeof buf));
}

/* ---- pass 1: the axis and the task steps ------------------------------------------------- */

static int cmp_by_task(const void *a, const void *b)
{
    const slice *p = a, *q = b;
    if (p->task != q->task) return p->task < q->task ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

static int index_steps(ex *x, aw_export_axis axis, bool *logical)
{
    int64_t n = x->count;
    int64_t *t = malloc((size_t)(n + 2) * sizeof *t);
    x->pos = malloc((size_t)(n + 2) * sizeof *x->pos);
    x->in_task = calloc((size_t)(n + 2), sizeof *x->in_task);
    x->steps = malloc((size_t)(n / 2 + 1) * sizeof *x->steps);
    if (!t || !x->pos || !x->in_task || !x->steps) {
        free(t);
        return -1;
    }
    slice open = {0};
    size_t zero = 0;
    aw_model_event ev;
    for (int64_t s = 1; s <= n; s++) {
        if (!aw_model_event_get(x->m, s, &ev)) {
            t[s] = s > 1 ? t[s - 1] : 0;
            continue;
        }
        t[s] = ev.t_ns;
        if (ev.kind == AW_TK_STEP_BEGIN && ev.task) {
            if (open.task) x->steps[x->nsteps++] = (slice){open.task, open.b, s - 1}; /* never ended */
            open = (slice){ev.task, s, 0};
        }
        x->in_task[s] = open.task;
        if (ev.kind == AW_TK_STEP_END && open.task && ev.task == open.task) {
            x->steps[x->nsteps++] = (slice){open.task, open.b, s};
            if (t[s] == t[open.b]) zero++;
            open.task = 0;
        }
    }
    if (open.task) x->steps[x->nsteps++] = (slice){open.task, open.b, n};

    if (axis == AW_EXPORT_AXIS_AUTO)
        axis = (x->nsteps ? 2 * zero > x->nsteps : aw_model_end_time(x->m) == 0) ? AW_EXPORT_AXIS_LOGICAL
                                                                                 : AW_EXPORT_AXIS_TIME;
    *logical = axis == AW_EXPORT_AXIS_LOGICAL;
    for (int64_t s = 1; s <= n + 1; s++) {
        if (*logical) x->pos[s] = s * LOGICAL_NS;
        else if (s == 1) x->pos[s] = n ? t[1] : 0;
        else {
            int64_t want = s <= n ? t[s] : x->pos[s - 1];
            x->pos[s] = want >= x->pos[s - 1] + MIN_GAP_NS ? want : x->pos[s - 1] + MIN_GAP_NS;
        }
    }
    x->pos[0] = x->pos[1];
    free(t);
    x->by_task = malloc((x->nsteps ? x->nsteps : 1) * sizeof *x->by_task);
    if (!x->by_task) return -1;
    if (x->nsteps) memcpy(x->by_task, x->steps, x->nsteps * sizeof *x->steps);
    qsort(x->by_task, x->nsteps, sizeof *x->by_task, cmp_by_task);
    return 0;
}

/* The first of the task's steps that begins after event s (NULL: none); *prev the last one
 * that begins at or before it. */
static const slice *step_after(const ex *x, int64_t task, int64_t s, const slice **prev)
{
    size_t lo = 0, hi = x->nsteps;
    while (lo < hi) { /* first index with (task, b) > (task, s) */
        size_t m = lo + (hi - lo) / 2;
        const slice *p = &x->by_task[m];
        if (p->task < task || (p->task == task && p->b <= s)) lo = m + 1;
        else hi = m;
    }
    *prev = lo > 0 && x->by_task[lo - 1].task == task ? &x->by_task[lo - 1] : NULL;
    return lo < x->nsteps && x->by_task[lo].task == task ? &x->by_task[lo] : NULL;
}

/* ---- slices --------------------------------------------------------------------------------- */

static void step_slices(ex *x, const aw_model_state *end)
{
    for (size_t i = 0; i < x->nsteps; i++) {
        const slice *sl = &x->steps[i];
        aw_model_task t;
        const char *coro = aw_model_task_get(end, sl->task, &t) && t.coro ? t.coro : "task step";
        int line = 0;
        for (int64_t s = sl->b; s <= sl->e && !line; s++) line = aw_model_event_line(x->m, s);
        char name[256];
        if (line) snprintf(name, sizeof name, "%s (line %d)", coro, line);
        else snprintf(name, sizeof name, "%s", coro);
        name[aw_utf8_prefix(name, strlen(name))] = '\0';
        complete(x, sl->task, name, "run", x->pos[sl->b], x->pos[sl->e + 1]);
        fprintf(x->out, "\"step_start\":%" PRId64 ",\"step_end\":%" PRId64, sl->b, sl->e);
        aw_model_event b, e;
        if (aw_model_event_get(x->m, sl->b, &b) && b.reason) fprintf(x->out, ",\"begins\":\"%s\"", b.reason);
        if (aw_model_event_get(x->m, sl->e, &e) && e.kind == AW_TK_STEP_END && e.reason)
            fprintf(x->out, ",\"ends\":\"%s\"", e.reason);
        arg_time(x, "time", sl->b);
        fputs("}}", x->out);
    }
}

/* CPU-bound work (busy events): one cell, inside the step that ran it. */
static void busy_slices(ex *x)
{
    aw_model_event ev;
    for (int64_t s = 1; s <= x->count; s++) {
        if (!aw_model_event_get(x->m, s, &ev) || ev.kind != AW_TK_BUSY) continue;
        complete(x, x->in_task[s], "blocked (CPU-bound)", "busy", x->pos[s], x->pos[s + 1]);
        fprintf(x->out, "\"step\":%" PRId64 ",\"duration_ns\":%" PRId64, s,
                ev.duration_ns == AW_MODEL_NULL ? 0 : ev.duration_ns);
        arg_time(x, "time", s);
        fputs("}}", x->out);
    }
}

/* The waits between a task's steps, from the model's lanes. */
static int wait_slices(ex *x, const aw_model_task *t)
{
    size_t n = aw_model_task_segments(x->m, t->id, x->count, INT64_MIN, INT64_MAX, NULL, 0);
    if (!n) return 0;
    aw_model_segment *sg = malloc(n * sizeof *sg);
    if (!sg) return -1;
    n = aw_model_task_segments(x->m, t->id, x->count, INT64_MIN, INT64_MAX, sg, n);
    for (size_t i = 0; i < n; i++) {
        if (sg[i].state != AW_MODEL_WAITING) continue;
        int64_t s0 = sg[i].step_start < 1 ? 1 : sg[i].step_start > x->count ? x->count : sg[i].step_start;
        int64_t s1 = sg[i].step_end < s0 ? s0 : sg[i].step_end > x->count ? x->count : sg[i].step_end;
        int64_t from = x->pos[s0 + 1], to = x->pos[s1 + 1]; /* the state after event s0 ... s1 */
        const slice *prev, *next = step_after(x, t->id, s0, &prev);
        if (prev && x->pos[prev->e + 1] > from) from = x->pos[prev->e + 1];
        if (next && x->pos[next->b] < to) to = x->pos[next->b];
        if (to <= from) continue;
        char what[256], name[300];
        aw_model_describe_future(x->m, s0, sg[i].on, what, sizeof what);
        snprintf(name, sizeof name, "await %s", sg[i].on ? what : "(unknown)");
        name[aw_utf8_prefix(name, strlen(name))] = '\0';
        complete(x, t->id, name, "wait", from, to);
        fprintf(x->out, "\"step_start\":%" PRId64 ",\"step_end\":%" PRId64, sg[i].step_start, sg[i].step_end);
        if (sg[i].on) {
            fputs(",\"on\":", x->out);
            jstr(x->out, what);
        }
        arg_time(x, "time", s0);
        fputs("}}", x->out);
    }
    free(sg);
    return 0;
}

/* ---- flows: who woke whom ----------------------------------------------------------------- */

typedef struct flow {
    int64_t cause, cause_tid, effect, effect_tid;
} flow;

static int cmp_i64(const void *a, const void *b)
{
    int64_t p = *(const int64_t *)a, q = *(const int64_t *)b;
    return p < q ? -1 : p > q;
}

/* Each woken step's cause; the causes that happened outside any task get a slice on the loop
 * track (*loop, sorted, unique). */
static int find_flows(ex *x, flow **out, size_t *nout, int64_t **loop, size_t *nloop)
{
    *out = malloc((x->nsteps ? x->nsteps : 1) * sizeof **out);
    *loop = malloc((x->nsteps ? x->nsteps : 1) * sizeof **loop);
    *nout = *nloop = 0;
    if (!*out || !*loop) return -1;
    for (size_t i = 0; i < x->nsteps; i++) {
        const slice *sl = &x->steps[i];
        int64_t ct = 0, et = 0;
        int64_t c = aw_model_cause(x->m, sl->b, &ct, &et);
        if (c < 1 || c >= sl->b) continue;
        int64_t tid = ct && x->in_task[c] == ct ? ct : 0; /* inside the causing task's step, or the loop */
        if (!tid) (*loop)[(*nloop)++] = c;
        (*out)[(*nout)++] = (flow){c, tid, sl->b, sl->task};
    }
    qsort(*loop, *nloop, sizeof **loop, cmp_i64);
    size_t u = 0;
    for (size_t i = 0; i < *nloop; i++)
        if (!u || (*loop)[u - 1] != (*loop)[i]) (*loop)[u++] = (*loop)[i];
    *nloop = u;
    return 0;
}

/* A loop event that woke a task, named "done: future 3, a timer due at 2.000" or by its
 * sentence ("The next step of task 'Task-1' joins the ready queue (call_soon, handle 1)"). */
static void loop_slice(ex *x, int64_t s)
{
    aw_model_event ev;
    char what[256], name[300], text[512];
    if (!aw_model_event_get(x->m, s, &ev)) return;
    if (ev.kind == AW_TK_FUTURE_DONE && ev.future) {
        aw_model_describe_future(x->m, s, ev.future, what, sizeof what);
        snprintf(name, sizeof name, "done: %s", what);
    } else { /* the sentence, without its period */
        snprintf(name, sizeof name, "%s", aw_model_explain(x->m, s, text, sizeof text));
        size_t n = strlen(name);
        if (n > 1 && name[n - 1] == '.') name[n - 1] = '\0';
        if (!name[0]) snprintf(name, sizeof name, "%s", ev.kind_name ? ev.kind_name : "loop");
    }
    name[aw_utf8_prefix(name, strlen(name))] = '\0';
    complete(x, 0, name, "loop", x->pos[s], x->pos[s + 1]);
    fprintf(x->out, "\"step\":%" PRId64 ",\"text\":", s);
    jstr(x->out, aw_model_explain(x->m, s, text, sizeof text));
    arg_time(x, "time", s);
    fputs("}}", x->out);
}

static void flow_events(ex *x, const flow *f, size_t n, const aw_model_state *end)
{
    for (size_t i = 0; i < n; i++) {
        aw_model_task t;
        char name[256];
        snprintf(name, sizeof name, "wakes %s",
                 aw_model_task_get(end, f[i].effect_tid, &t) && t.name ? t.name : "a task");
        name[aw_utf8_prefix(name, strlen(name))] = '\0';
        for (int k = 0; k < 2; k++) {
            int64_t s = k ? f[i].effect : f[i].cause;
            begin(x, k ? "f" : "s", k ? f[i].effect_tid : f[i].cause_tid, name);
            fprintf(x->out, ",\"cat\":\"wake\",\"id\":%zu,", i + 1);
            if (k) fputs("\"bp\":\"e\",", x->out);
            fputs("\"ts\":", x->out);
            jus(x->out, mid(x, s));
            fprintf(x->out, ",\"args\":{\"step\":%" PRId64 "}}", s);
        }
    }
}

/* ---- instants ----------------------------------------------------------------------------- */

static void instant(ex *x, int64_t tid, const char *name, const char *cat, int64_t s, const char *text)
{
    begin(x, "i", tid, name);
    fprintf(x->out, ",\"cat\":\"%s\",\"s\":\"t\",\"ts\":", cat);
    jus(x->out, mid(x, s));
    fprintf(x->out, ",\"args\":{\"step\":%" PRId64 ",\"text\":", s);
    jstr(x->out, text);
    arg_time(x, "time", s);
    fputs("}}", x->out);
}

/* The marks: cancel requests and deliveries, timeout expiries. */
static bool mark(const aw_model_event *ev, const char **name, const char **cat)
{
    const char *k = ev->kind_name;
    if (!strcmp(k, "cancel_requested")) *name = "cancel requested", *cat = "cancel";
    else if (!strcmp(k, "cancel_delivered")) *name = "cancel delivered", *cat = "cancel";
    else if (!strcmp(k, "timeout_expired")) *name = "timeout expired", *cat = "timeout";
    else return false;
    return true;
}

/* A mark's thread: the task it is about; a plain future's cancellation goes to the task that
 * asked for it; 0 (the loop) when neither is known. */
static int64_t mark_tid(const aw_model_event *ev) { return ev->task ? ev->task : ev->by; }

/* Whether anything is drawn on tid 0 (then it gets a name). */
static bool loop_thread_used(const ex *x, size_t nloop)
{
    const aw_model *m = x->m;
    if (nloop) return true;
    aw_model_output o;
    for (size_t i = 0, n = aw_model_output_count(m, x->count); i < n; i++)
        if (aw_model_output_at(m, i, &o) && o.task == 0) return true;
    aw_model_event ev;
    const char *name, *cat;
    for (int64_t s = 1; s <= x->count; s++)
        if (aw_model_event_get(m, s, &ev) &&
            ((mark(&ev, &name, &cat) && mark_tid(&ev) == 0) || (ev.kind == AW_TK_BUSY && !x->in_task[s])))
            return true;
    return false;
}

int aw_export_chrome(const aw_model *m, FILE *out) { return aw_export_chrome_axis(m, AW_EXPORT_AXIS_AUTO, out); }

int aw_export_chrome_axis(const aw_model *m, aw_export_axis axis, FILE *out)
{
    ex x = {.m = m, .out = out, .first = true, .count = aw_model_event_count(m)};
    const aw_trace_header *h = aw_model_header(m);
    aw_model_state *st = aw_model_state_new(m);
    flow *flows = NULL;
    int64_t *loop = NULL;
    size_t nflows = 0, nloop = 0;
    bool logical = false;
    int rc = -1;
    if (!st || aw_model_seek(st, x.count) < 0 || index_steps(&x, axis, &logical) < 0 ||
        find_flows(&x, &flows, &nflows, &loop, &nloop) < 0)
        goto done;
    rc = 0;

    fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"format\":\"awaitlab-trace\",\"program\":", out);
    jstr(out, h->program ? h->program : aw_model_name(m));
    fputs(",\"clock\":", out);
    jstr(out, h->clock);
    fprintf(out, ",\"seed\":\"%" PRIu64 "\",\"events\":%" PRId64 ",\"axis\":\"%s\",\"axis_unit\":", h->seed,
            x.count, logical ? "logical" : "time");
    jstr(out, logical ? "one microsecond per trace event (event N at N us): virtual time does not move during "
                        "most task steps; args.time is the virtual time"
                      : "virtual time in microseconds; events at one instant are spread 2 ns apart so that every "
                        "task step has a length");
    fputs("},\"traceEvents\":[", out);

    meta_name(&x, "process_name", 0, h->program ? h->program : aw_model_name(m), -1);
    if (loop_thread_used(&x, nloop)) meta_name(&x, "thread_name", 0, "loop", 0);
    size_t ntasks = aw_model_task_count(st);
    for (size_t i = 0; i < ntasks; i++) {
        aw_model_task t;
        if (!aw_model_task_at(st, i, &t)) continue;
        char name[256];
        char idbuf[32];
        snprintf(idbuf, sizeof idbuf, "task %" PRId64, t.id);
        const char *tn = t.name ? t.name : idbuf;
        if (t.coro) snprintf(name, sizeof name, "%s (%s)", tn, t.coro);
        else snprintf(name, sizeof name, "%s", tn);
        name[aw_utf8_prefix(name, strlen(name))] = '\0'; /* a long name is cut between characters */
        meta_name(&x, "thread_name", t.id, name, (int64_t)i + 1);
    }
    step_slices(&x, st);
    busy_slices(&x);
    for (size_t i = 0; i < ntasks && rc == 0; i++) {
        aw_model_task t;
        if (aw_model_task_at(st, i, &t)) rc = wait_slices(&x, &t);
    }
    for (size_t i = 0; i < nloop; i++) loop_slice(&x, loop[i]);
    flow_events(&x, flows, nflows, st);
    /* instants, in step order: output lines and marks interleaved as they happened */
    size_t nout = aw_model_output_count(m, x.count), oi = 0;
    aw_model_output o;
    for (int64_t s = 1; s <= x.count && rc == 0; s++) {
        aw_model_event ev;
        const char *name, *cat;
        if (!aw_model_event_get(m, s, &ev)) continue;
        if (oi < nout && aw_model_output_at(m, oi, &o) && o.step == s) {
            instant(&x, o.task, o.text, "output", s, o.text);
            oi++;
        } else if (mark(&ev, &name, &cat)) {
            char buf[512];
            instant(&x, mark_tid(&ev), name, cat, s, aw_model_explain(m, s, buf, sizeof buf));
        }
    }
    fputs("\n]}\n", out);
    if (rc == 0 && (fflush(out) != 0 || ferror(out))) rc = -1;
done:
    aw_model_state_free(st);
    free(x.pos);
    free(x.in_task);
    free(x.steps);
    free(x.by_task);
    free(flows);
    free(loop);
    return rc;
}
