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
