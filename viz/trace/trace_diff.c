/* trace_diff.c — see trace_diff.h.  Both traces are streamed side by side; only the last
 * `context` common events are kept (as text), so comparing huge traces needs little memory.
 *
 * Output, in the spirit of a unified diff ("-" from A, "+" from B, " " common):
 *
 *     --- a.trace  (program 'x', clock sim, seed 1)
 *     +++ b.trace  (program 'x', clock sim, seed 1)
 *     first divergence at event #57 (a.trace:58, b.trace:58): scheduled; differs in deadline_ns
 *       #54 iter 12 t=1.000s step_end task=2 reason="await" future=7
 *     - #57 iter 12 t=1.000s scheduled handle=9 deadline_ns=2000000000 ...
 *     + #57 iter 12 t=1.000s scheduled handle=9 deadline_ns=2500000000 ...
 */
#include "trace_diff.h"

#include <cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "trace_fmt.h"
#include "trace_read.h"

#define LINE_MAX_SHOWN 400

typedef struct {
    char **lines; /* formatted context lines, a ring */
    int cap, len, head;
} ring;

static void ring_push(ring *r, const char *s)
{
    if (r->cap == 0) return;
    int slot = (r->head + r->len) % r->cap;
    if (r->len == r->cap) {
        slot = r->head;
        r->head = (r->head + 1) % r->cap;
        free(r->lines[slot]);
    } else {
        r->len++;
    }
    r->lines[slot] = strdup(s);
}

static void ring_free(ring *r)
{
    for (int i = 0; i < r->len; i++) free(r->lines[(r->head + i) % r->cap]);
    free(r->lines);
}

static void header_line(FILE *out, const char *mark, aw_trace_reader *r)
{
    const aw_trace_header *h = aw_trace_reader_header(r);
    fprintf(out, "%s %s  (program '%s', clock %s, seed %llu)\n", mark, aw_trace_reader_name(r),
            h->program ? h->program : "", h->clock, (unsigned long long)h->seed);
}

/* Header differences that do not make the schedules differ, but are worth saying. */
static void header_notes(FILE *out, aw_trace_reader *a, aw_trace_reader *b)
{
    const aw_trace_header *ha = aw_trace_reader_header(a), *hb = aw_trace_reader_header(b);
    const char *pa = ha->program ? ha->program : "", *pb = hb->program ? hb->program : "";
    if (strcmp(pa, pb) != 0) fprintf(out, "note: program differs: '%s' vs '%s'\n", pa, pb);
    if (strcmp(ha->clock, hb->clock) != 0) fprintf(out, "note: clock differs: %s vs %s\n", ha->clock, hb->clock);
    if (ha->seed != hb->seed)
        fprintf(out, "note: seed differs: %llu vs %llu\n", (unsigned long long)ha->seed,
                (unsigned long long)hb->seed);
}

/* The names of the fields that differ, "t_ns, deadline_ns". */
static void differing_fields(const cJSON *x, const cJSON *y, char *buf, size_t size)
{
    buf[0] = '\0';
    for (int pass = 0; pass < 2; pass++) {
        const cJSON *p = pass ? y : x, *q = pass ? x : y;
        for (const cJSON *c = p->child; c; c = c->next) {
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(q, c->string);
            if (pass == 1 && d) continue; /* already compared in the first pass */
            if (d && cJSON_Compare(c, d, 1)) continue;
            if (buf[0]) strncat(buf, ", ", size - strlen(buf) - 1);
            strncat(buf, c->string, size - strlen(buf) - 1);
            if (!d) strncat(buf, pass ? " (only in B)" : " (only in A)", size - strlen(buf) - 1);
        }
    }
}

/* The formatted event, or "(end: N events)" when the trace has ended. */
static const char *show(aw_trace_reader *r, int got, const aw_trace_event *ev, char *buf, size_t size)
{
    if (got > 0) return aw_trace_format_event(ev->json, buf, size);
    snprintf(buf, size, "(end of %s after %ld events)", aw_trace_reader_name(r), aw_trace_reader_count(r));
    return buf;
}

/* After the divergence: up to `n` more events of one trace. */
static int show_after(FILE *out, const char *mark, aw_trace_reader *r, int n)
{
    aw_trace_event ev;
    char buf[LINE_MAX_SHOWN];
    for (int i = 0; i < n; i++) {
        int got = aw_trace_reader_next(r, &ev);
        if (got <= 0) break;
        fprintf(out, "%s %s\n", mark, aw_trace_format_event(ev.json, buf, sizeof buf));
    }
    aw_trace_status st = aw_trace_reader_status(r);
    return st == AW_TRACE_INVALID || st == AW_TRACE_IO ? -1 : 0;
}

static bool reader_failed(aw_trace_reader *r)
{
    aw_trace_status st = aw_trace_reader_status(r);
    return st == AW_TRACE_INVALID || st == AW_TRACE_IO || st == AW_TRACE_UNSUPPORTED;
}

/* A truncated last line is no reason to refuse a comparison: say it and compare the rest. */
static void end_note(FILE *out, aw_trace_reader *r)
{
    aw_trace_status st = aw_trace_reader_status(r);
    if (st == AW_TRACE_TRUNCATED || st == AW_TRACE_UNFINISHED)
        fprintf(out, "note: %s\n", aw_trace_reader_message(r));
}

int aw_trace_diff_files(const char *a, const char *b, int context, FILE *out)
{
    return aw_trace_diff_files_ex(a, b, context, NULL, out, NULL);
}

int aw_trace_diff_files_ex(const char *a, const char *b, int context, const aw_trace_limits *limits, FILE *out,
                           FILE *err)
{
    FILE *sink = out ? out : fopen("/dev/null", "w");
    if (!sink) return AW_DIFF_ERROR;
    FILE *errs = err ? err : sink;
    if (context < 0) context = 0;
    int rc = AW_DIFF_ERROR;
    ring common = {calloc((size_t)context + 1, sizeof(char *)), context, 0, 0};
    aw_trace_reader *ra = aw_trace_reader_open_limits(a, limits), *rb = aw_trace_reader_open_limits(b, limits);
    if (!ra || !rb || !common.lines) {
        fprintf(errs, "awaitlab diff: out of memory\n");
        goto done;
    }
    if (!aw_trace_reader_header(ra) || !aw_trace_reader_header(rb)) { /* includes a cut header */
        fprintf(errs, "awaitlab diff: %s\n", aw_trace_reader_message(!aw_trace_reader_header(ra) ? ra : rb));
        goto done;
    }

    aw_trace_event ea, eb;
    char fa[LINE_MAX_SHOWN], fb[LINE_MAX_SHOWN];
    for (;;) {
        int ga = aw_trace_reader_next(ra, &ea);
        int gb = aw_trace_reader_next(rb, &eb);
        if (reader_failed(ra) || reader_failed(rb)) {
            fprintf(errs, "awaitlab diff: %s\n", aw_trace_reader_message(reader_failed(ra) ? ra : rb));
            goto done;
        }
        if (ga <= 0 && gb <= 0) {
            header_notes(sink, ra, rb);
            end_note(sink, ra);
            end_note(sink, rb);
            fprintf(sink, "traces are the same: %ld events\n", aw_trace_reader_count(ra));
            rc = AW_DIFF_SAME;
            goto done;
        }
        /* Same text is the fast path; otherwise compare as JSON (key order, spacing). */
        bool same = ga > 0 && gb > 0 &&
                    ((ea.len == eb.len && memcmp(ea.text, eb.text, ea.len) == 0) || cJSON_Compare(ea.json, eb.json, 1));
        if (same) {
            ring_push(&common, aw_trace_format_event(ea.json, fa, sizeof fa));
            continue;
        }

        /* The first divergence. */
        header_line(sink, "---", ra);
        header_line(sink, "+++", rb);
        header_notes(sink, ra, rb);
        end_note(sink, ra);
        end_note(sink, rb);
        long at = (ga > 0 ? aw_trace_reader_count(ra) : aw_trace_reader_count(rb));
        if (ga > 0 && gb > 0) {
            char fields[256];
            differing_fields(ea.json, eb.json, fields, sizeof fields);
            const cJSON *ka = cJSON_GetObjectItemCaseSensitive(ea.json, "ev");
            const cJSON *kb = cJSON_GetObjectItemCaseSensitive(eb.json, "ev");
            fprintf(sink, "first divergence at event #%ld (%s:%ld, %s:%ld): ", at, aw_trace_reader_name(ra),
                    ea.line, aw_trace_reader_name(rb), eb.line);
            if (strcmp(ka->valuestring, kb->valuestring) != 0) /* other kinds: a field list is noise */
                fprintf(sink, "%s vs %s\n", ka->valuestring, kb->valuestring);
            else
                fprintf(sink, "%s; differs in %s\n", ka->valuestring, fields);
        } else {
            aw_trace_reader *ended = ga > 0 ? rb : ra, *goes_on = ga > 0 ? ra : rb;
            fprintf(sink, "first divergence at event #%ld: %s ends after %ld events; %s goes on\n", at,
                    aw_trace_reader_name(ended), aw_trace_reader_count(ended), aw_trace_reader_name(goes_on));
        }
        for (int i = 0; i < common.len; i++) fprintf(sink, "  %s\n", common.lines[(common.head + i) % common.cap]);
        fprintf(sink, "- %s\n", show(ra, ga, &ea, fa, sizeof fa));
        if (ga > 0 && show_after(sink, "-", ra, context) < 0) {
            fprintf(errs, "awaitlab diff: %s\n", aw_trace_reader_message(ra));
            goto done;
        }
        fprintf(sink, "+ %s\n", show(rb, gb, &eb, fb, sizeof fb));
        if (gb > 0 && show_after(sink, "+", rb, context) < 0) {
            fprintf(errs, "awaitlab diff: %s\n", aw_trace_reader_message(rb));
            goto done;
        }
        rc = AW_DIFF_DIFFERENT;
        goto done;
    }

done:
    aw_trace_reader_close(ra);
    aw_trace_reader_close(rb);
    ring_free(&common);
    if (!out) fclose(sink);
    return rc;
}

/* ---- comparing schedules (`awaitlab diff --schedule`, sim/trace-format.md "Schedules") ---------
 *
 * Each trace is projected to its scheduling events: the kinds below, each with the fields that
 * say what happened and to whom.  Task ids become T1, T2... in the order of their task_created
 * events, timeout scopes S1, S2... in the order they are armed; a future that is not a task is
 * "future" (internal futures differ between implementations; what waits on them does not).
 * Synchronization primitives become P1, P2... in the order they are created; a `sync` event's
 * waiter future is internal too, and left out.
 * Source locations, handle ids and the header's wall clock and source are not compared. */

typedef struct {
    int *task;        /* raw future id -> task ordinal (0: not a task) */
    int *scope;       /* raw scope id -> ordinal */
    int *sync;        /* raw primitive id -> ordinal */
    size_t ntask_cap, nscope_cap, nsync_cap;
    int tasks, scopes, syncs;
} sched_ids;

static bool grow_to(int **v, size_t *cap, size_t want)
{
    if (want < *cap) return true;
    size_t n = *cap ? *cap : 64;
    while (n <= want) n *= 2;
    int *p = realloc(*v, n * sizeof *p);
    if (!p) return false;
    memset(p + *cap, 0, (n - *cap) * sizeof *p);
    *v = p;
    *cap = n;
    return true;
}

static const cJSON *field(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* " key=value" for one field, with ids mapped; a time field in exact seconds ("deadline=1.3s"). */
typedef enum { V_PLAIN, V_TASK, V_FUT, V_SCOPE, V_SYNC, V_TIME } vkind;

static void put(char *buf, size_t size, size_t *len, const char *key, const cJSON *v, vkind k, sched_ids *ids,
                const aw_trace_event *e)
{
    if (*len >= size) return;
    char val[300], name[64];
    if (k == V_TIME && v && cJSON_IsNumber(v)) {
        snprintf(name, sizeof name, "%.*s", (int)strlen(key) - 3, key); /* deadline_ns -> deadline */
        aw_trace_format_seconds(aw_trace_event_seconds(e, key), val, sizeof val);
        int n = snprintf(buf + *len, size - *len, " %s=%s", name, val);
        if (n > 0) *len += (size_t)n;
        return;
    }
    if (!v || cJSON_IsNull(v)) {
        snprintf(val, sizeof val, "null");
    } else if (k != V_PLAIN && cJSON_IsNumber(v)) {
        size_t raw = v->valuedouble >= 0 && v->valuedouble < 1e9 ? (size_t)v->valuedouble : 0;
        if (k == V_SCOPE) {
            int o = raw < ids->nscope_cap ? ids->scope[raw] : 0;
            snprintf(val, sizeof val, o ? "S%d" : "scope?", o);
        } else if (k == V_SYNC) {
            int o = raw < ids->nsync_cap ? ids->sync[raw] : 0;
            snprintf(val, sizeof val, o ? "P%d" : "primitive?", o);
        } else {
            int o = raw < ids->ntask_cap ? ids->task[raw] : 0;
            if (o) snprintf(val, sizeof val, "T%d", o);
            else snprintf(val, sizeof val, "%s", k == V_FUT ? "future" : "task?");
        }
    } else if (cJSON_IsString(v)) {
        char *s = cJSON_PrintUnformatted(v);
        snprintf(val, sizeof val, "%s", s ? s : "?");
        free(s);
    } else if (cJSON_IsBool(v)) {
        snprintf(val, sizeof val, "%s", cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNumber(v)) {
        snprintf(val, sizeof val, "%.0f", v->valuedouble);
    } else {
        snprintf(val, sizeof val, "?");
    }
    int n = snprintf(buf + *len, size - *len, " %s=%s", key, val);
    if (n > 0) *len += (size_t)n;
}

/* The schedule form of one event into buf, or 0 when the kind is not part of a schedule. */
/* Times are compared exactly: the loop time and the deadlines and durations as the doubles the
 * trace records (sim/trace-format.md, Times), written as Python's repr. */
static int project(const aw_trace_event *e, sched_ids *ids, char *buf, size_t size, bool *oom)
{
    const cJSON *ev = e->json;
    const char *kind = field(ev, "ev")->valuestring;
    const cJSON *task = field(ev, "task"), *fut = field(ev, "future");
    size_t len = 0;
    long long iter = (long long)field(ev, "iter")->valuedouble;
    char t[48];
    aw_trace_format_seconds(e->t, t, sizeof t);
    int n = snprintf(buf, size, "iter %lld t=%s %s", iter, t, kind);
    len = n > 0 ? (size_t)n : 0;
#define P(k, vk) put(buf, size, &len, k, field(ev, k), vk, ids, e)
    if (!strcmp(kind, "task_created")) {
        size_t raw = (size_t)task->valuedouble;
        if (!grow_to(&ids->task, &ids->ntask_cap, raw)) return *oom = true, 0;
        ids->task[raw] = ++ids->tasks;
        P("task", V_TASK); P("name", V_PLAIN); P("coro", V_PLAIN); P("parent", V_TASK);
    } else if (!strcmp(kind, "timeout_armed")) {
        size_t raw = (size_t)field(ev, "scope")->valuedouble;
        if (!grow_to(&ids->scope, &ids->nscope_cap, raw)) return *oom = true, 0;
        ids->scope[raw] = ++ids->scopes;
        P("scope", V_SCOPE); P("task", V_TASK); P("deadline_ns", V_TIME); P("via", V_PLAIN);
    } else if (!strcmp(kind, "timeout_rescheduled") || !strcmp(kind, "timeout_expired")) {
        P("scope", V_SCOPE); P("task", V_TASK); P("deadline_ns", V_TIME); P("via", V_PLAIN);
    } else if (!strcmp(kind, "timeout_disarmed")) {
        P("scope", V_SCOPE); P("task", V_TASK); P("raised", V_PLAIN); P("via", V_PLAIN);
    } else if (!strcmp(kind, "runner")) {
        P("phase", V_PLAIN);
    } else if (!strcmp(kind, "loop_start") || !strcmp(kind, "loop_stop") || !strcmp(kind, "loop_close")) {
        /* the kind says it all */
    } else if (!strcmp(kind, "step_begin")) {
        P("task", V_TASK); P("reason", V_PLAIN);
    } else if (!strcmp(kind, "step_end")) {
        P("task", V_TASK); P("reason", V_PLAIN); P("future", V_FUT); P("exc", V_PLAIN);
    } else if (!strcmp(kind, "handle_run")) {
        P("callback", V_PLAIN); P("task", V_TASK); P("future", V_FUT);
    } else if (!strcmp(kind, "future_done")) {
        size_t raw = (size_t)fut->valuedouble;
        if (raw >= ids->ntask_cap || !ids->task[raw]) return 0; /* a plain future: internal */
        P("future", V_FUT); P("reason", V_PLAIN); P("result", V_PLAIN); P("exc", V_PLAIN); P("message", V_PLAIN);
    } else if (!strcmp(kind, "cancel_requested")) {
        if (cJSON_IsNull(task)) return 0; /* of a plain future: what it causes is compared */
        P("task", V_TASK); P("by", V_TASK); P("message", V_PLAIN); P("cancelling", V_PLAIN);
        P("accepted", V_PLAIN); P("via", V_PLAIN);
    } else if (!strcmp(kind, "cancel_delivered")) {
        P("task", V_TASK); P("message", V_PLAIN);
    } else if (!strcmp(kind, "uncancel")) {
        P("task", V_TASK); P("cancelling", V_PLAIN); P("via", V_PLAIN);
    } else if (!strcmp(kind, "output")) {
        P("task", V_TASK); P("text", V_PLAIN);
    } else if (!strcmp(kind, "busy")) {
        P("task", V_TASK); P("duration_ns", V_TIME);
    } else if (!strcmp(kind, "choice")) { /* where two seeds' schedules part */
        P("variation", V_PLAIN); P("task", V_TASK); P("nominal_ns", V_TIME); P("chosen_ns", V_TIME);
    } else if (!strcmp(kind, "sync")) {
        const cJSON *op = field(ev, "op"), *id = field(ev, "sync");
        if (cJSON_IsString(op) && !strcmp(op->valuestring, "created") && cJSON_IsNumber(id)) {
            size_t raw = (size_t)id->valuedouble;
            if (!grow_to(&ids->sync, &ids->nsync_cap, raw)) return *oom = true, 0;
            ids->sync[raw] = ++ids->syncs;
        }
        P("sync", V_SYNC); P("primitive", V_PLAIN); P("op", V_PLAIN); P("task", V_TASK); P("count", V_PLAIN);
        P("value", V_PLAIN);
    } else {
        return 0;
    }
#undef P
    return 1;
}

typedef struct {
    aw_trace_reader *r;
    sched_ids ids;
    long count;        /* schedule events so far */
    long line;         /* file line of the last one */
    char cur[1024];
} sched_side;

/* 1: the next schedule event is in s->cur; 0: the end; -1: an error (message in the reader, or oom). */
static int sched_next(sched_side *s, bool *oom)
{
    aw_trace_event ev;
    while (aw_trace_reader_next(s->r, &ev) > 0) {
        if (project(&ev, &s->ids, s->cur, sizeof s->cur, oom)) {
            s->count++;
            s->line = ev.line;
            return 1;
        }
        if (*oom) return -1;
    }
    return reader_failed(s->r) ? -1 : 0;
}

/* "differs in callback: A sleep, B timeout" when both are of one kind; else the two kinds. */
static void sched_words(FILE *out, const char *a, const char *b)
{
    char ka[64] = "", kb[64] = "";
    sscanf(a, "iter %*s t=%*s %63s", ka);
    sscanf(b, "iter %*s t=%*s %63s", kb);
    if (strcmp(ka, kb) != 0) {
        fprintf(out, "A has a %s event where B has a %s event\n", ka, kb);
        return;
    }
    long ia = 0, ib = 0;
    char ta[32] = "", tb[32] = "";
    sscanf(a, "iter %ld t=%31s", &ia, ta);
    sscanf(b, "iter %ld t=%31s", &ib, tb);
    if (ia != ib) fprintf(out, "both have %s, but in loop iteration %ld in A and %ld in B\n", ka, ia, ib);
    else if (strcmp(ta, tb) != 0) fprintf(out, "both have %s, but at t=%s in A and t=%s in B\n", ka, ta, tb);
    else fprintf(out, "both have %s, with different fields\n", ka);
}

int aw_trace_diff_schedules(const char *a, const char *b, int context, const aw_trace_limits *limits, FILE *out,
                            FILE *err)
{
    FILE *sink = out ? out : fopen("/dev/null", "w");
    if (!sink) return AW_DIFF_ERROR;
    FILE *errs = err ? err : sink;
    if (context < 0) context = 0;
    int rc = AW_DIFF_ERROR;
    bool oom = false;
    ring common = {calloc((size_t)context + 1, sizeof(char *)), context, 0, 0};
    sched_side sa = {aw_trace_reader_open_limits(a, limits), {0}, 0, 0, ""};
    sched_side sb = {aw_trace_reader_open_limits(b, limits), {0}, 0, 0, ""};
    if (!sa.r || !sb.r || !common.lines) {
        fprintf(errs, "awaitlab diff: out of memory\n");
        goto done;
    }
    if (!aw_trace_reader_header(sa.r) || !aw_trace_reader_header(sb.r)) {
        fprintf(errs, "awaitlab diff: %s\n", aw_trace_reader_message(!aw_trace_reader_header(sa.r) ? sa.r : sb.r));
        goto done;
    }
    for (;;) {
        int ga = sched_next(&sa, &oom), gb = sched_next(&sb, &oom);
        if (ga < 0 || gb < 0) {
            if (oom) fprintf(errs, "awaitlab diff: out of memory\n");
            else fprintf(errs, "awaitlab diff: %s\n", aw_trace_reader_message(ga < 0 ? sa.r : sb.r));
            goto done;
        }
        if (ga == 0 && gb == 0) {
            end_note(sink, sa.r);
            end_note(sink, sb.r);
            fprintf(sink, "same schedule (%ld events)\n", sa.count);
            rc = AW_DIFF_SAME;
            goto done;
        }
        if (ga && gb && strcmp(sa.cur, sb.cur) == 0) {
            ring_push(&common, sa.cur);
            continue;
        }
        const char *na = aw_trace_reader_name(sa.r), *nb = aw_trace_reader_name(sb.r);
        fprintf(sink, "A = %s\nB = %s\n", na, nb);
        end_note(sink, sa.r);
        end_note(sink, sb.r);
        long at = ga ? sa.count : sb.count;
        if (ga && gb) {
            fprintf(sink, "the schedules differ at scheduling event #%ld (A line %ld, B line %ld): ", at, sa.line,
                    sb.line);
            sched_words(sink, sa.cur, sb.cur);
        } else {
            fprintf(sink, "the schedules differ after %ld common scheduling events: %s ends there, %s goes on\n",
                    at - 1, ga ? "B" : "A", ga ? "A" : "B");
        }
        for (int i = 0; i < common.len; i++) fprintf(sink, "    %s\n", common.lines[(common.head + i) % common.cap]);
        for (int side = 0; side < 2; side++) {
            sched_side *s = side ? &sb : &sa;
            int got = side ? gb : ga;
            const char *mark = side ? "B" : "A";
            if (!got) {
                fprintf(sink, "  %s (end of the schedule)\n", mark);
                continue;
            }
            fprintf(sink, "  %s %s\n", mark, s->cur);
            for (int i = 0; i < context; i++) {
                int g = sched_next(s, &oom);
                if (g < 0) {
                    fprintf(errs, "awaitlab diff: %s\n", oom ? "out of memory" : aw_trace_reader_message(s->r));
                    goto done;
                }
                if (g == 0) break;
                fprintf(sink, "  %s %s\n", mark, s->cur);
            }
        }
        rc = AW_DIFF_DIFFERENT;
        goto done;
    }
done:
    aw_trace_reader_close(sa.r);
    aw_trace_reader_close(sb.r);
    free(sa.ids.task);
    free(sa.ids.scope);
    free(sa.ids.sync);
    free(sb.ids.task);
    free(sb.ids.scope);
    free(sb.ids.sync);
    ring_free(&common);
    if (!out) fclose(sink);
    return rc;
}
