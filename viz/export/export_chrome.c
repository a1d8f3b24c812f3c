/* export_chrome.c — a trace as Chrome trace event JSON (see export_chrome.h).  Written with
 * printf and our own string escaping, so that times print exactly (µs with 3 decimals) and the
 * bytes never depend on a float formatter. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "export_chrome.h"

#include "json_text_check.h"

typedef struct ex {
    const aw_model *m;
    FILE *out;
    bool first;   /* no event written yet (for the commas) */
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

static int task_segments(ex *x, const aw_model_task *t)
{
    int64_t end = aw_model_event_count(x->m);
    size_t n = aw_model_task_segments(x->m, t->id, end, INT64_MIN, INT64_MAX, NULL, 0);
    if (!n) return 0;
    aw_model_segment *s = malloc(n * sizeof *s);
    if (!s) return -1;
    n = aw_model_task_segments(x->m, t->id, end, INT64_MIN, INT64_MAX, s, n);
    for (size_t i = 0; i < n; i++) {
        const char *name, *cat;
        switch (s[i].state) {
        case AW_MODEL_RUNNING: name = "running", cat = "run"; break;
        case AW_MODEL_BLOCKED: name = "blocked (CPU-bound)", cat = "run"; break;
        case AW_MODEL_WAITING: name = "waiting", cat = "wait"; break;
        default: continue;
        }
        begin(x, "X", t->id, name);
        fprintf(x->out, ",\"cat\":\"%s\",\"ts\":", cat);
        jus(x->out, s[i].t_start_ns);
        fputs(",\"dur\":", x->out);
        jus(x->out, s[i].t_end_ns - s[i].t_start_ns);
        fprintf(x->out, ",\"args\":{\"step_start\":%" PRId64 ",\"step_end\":%" PRId64, s[i].step_start,
                s[i].step_end);
        if (s[i].state == AW_MODEL_WAITING && s[i].on) {
            char buf[256];
            fputs(",\"on\":", x->out);
            jstr(x->out, aw_model_describe_future(x->m, s[i].step_start, s[i].on, buf, sizeof buf));
        }
        fputs("}}", x->out);
    }
    free(s);
    return 0;
}

static void instant(ex *x, int64_t tid, const char *name, const char *cat, int64_t t_ns, int64_t step,
                    const char *text)
{
    begin(x, "i", tid, name);
    fprintf(x->out, ",\"cat\":\"%s\",\"s\":\"t\",\"ts\":", cat);
    jus(x->out, t_ns);
    fprintf(x->out, ",\"args\":{\"step\":%" PRId64 ",\"text\":", step);
    jstr(x->out, text);
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

/* Whether an output line or a mark happens outside any task (tid 0 then gets a name). */
static bool loop_thread_used(const aw_model *m)
{
    int64_t count = aw_model_event_count(m);
    aw_model_output o;
    for (size_t i = 0, n = aw_model_output_count(m, count); i < n; i++)
        if (aw_model_output_at(m, i, &o) && o.task == 0) return true;
    aw_model_event ev;
    const char *name, *cat;
    for (int64_t s = 1; s <= count; s++)
        if (aw_model_event_get(m, s, &ev) && mark(&ev, &name, &cat) && mark_tid(&ev) == 0) return true;
    return false;
}

int aw_export_chrome(const aw_model *m, FILE *out)
{
    ex x = {m, out, true};
    const aw_trace_header *h = aw_model_header(m);
    int64_t count = aw_model_event_count(m);
    aw_model_state *st = aw_model_state_new(m);
    if (!st || aw_model_seek(st, count) < 0) {
        aw_model_state_free(st);
        return -1;
    }
    int rc = 0;

    fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"format\":\"awaitlab-trace\",\"program\":", out);
    jstr(out, h->program ? h->program : aw_model_name(m));
    fputs(",\"clock\":", out);
    jstr(out, h->clock);
    fprintf(out, ",\"seed\":\"%" PRIu64 "\",\"events\":%" PRId64 "},\"traceEvents\":[", h->seed, count);

    meta_name(&x, "process_name", 0, h->program ? h->program : aw_model_name(m), -1);
    if (loop_thread_used(m)) meta_name(&x, "thread_name", 0, "loop (outside any task)", 0);
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
    for (size_t i = 0; i < ntasks && rc == 0; i++) {
        aw_model_task t;
        if (aw_model_task_at(st, i, &t)) rc = task_segments(&x, &t);
    }
    /* instants, in step order: output lines and marks interleaved as they happened */
    size_t nout = aw_model_output_count(m, count), oi = 0;
    aw_model_output o;
    for (int64_t s = 1; s <= count && rc == 0; s++) {
        aw_model_event ev;
        const char *name, *cat;
        if (!aw_model_event_get(m, s, &ev)) continue;
        if (oi < nout && aw_model_output_at(m, oi, &o) && o.step == s) {
            instant(&x, o.task, o.text, "output", o.t_ns, s, o.text);
            oi++;
        } else if (mark(&ev, &name, &cat)) {
            char buf[512];
            instant(&x, mark_tid(&ev), name, cat, ev.t_ns, s, aw_model_explain(m, s, buf, sizeof buf));
        }
    }
    fputs("\n]}\n", out);
    aw_model_state_free(st);
    if (rc == 0 && (fflush(out) != 0 || ferror(out))) rc = -1;
    return rc;
}
