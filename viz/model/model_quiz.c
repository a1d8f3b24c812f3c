/* model_quiz.c — the scheduling decisions a learner can predict (see trace_model.h): from the
 * state just before a step, which callback the loop runs next, which timer fires next, where a
 * CancelledError lands.  Choices are the real candidates, sorted alphabetically so that their
 * order does not give the answer away. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* Candidates beyond AW_MODEL_QUIZ_CHOICES: the answer and those nearest it are kept. */

static int cmp_choice(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

/* Sorts the choices and finds the answer again; false when two choices read the same (the
 * question would be ambiguous). */
static bool finish(aw_model_quiz *q, const char *answer)
{
    qsort(q->choices, q->n_choices, sizeof q->choices[0], cmp_choice);
    for (size_t i = 0; i + 1 < q->n_choices; i++)
        if (!strcmp(q->choices[i], q->choices[i + 1])) return false;
    for (size_t i = 0; i < q->n_choices; i++)
        if (!strcmp(q->choices[i], answer)) {
            q->answer = i;
            return q->n_choices >= 2;
        }
    return false;
}

static void add_choice(aw_model_quiz *q, const char *text)
{
    if (q->n_choices < AW_MODEL_QUIZ_CHOICES) snprintf(q->choices[q->n_choices++], sizeof q->choices[0], "%s", text);
}

/* (a) handle_run.  Asked at the first handle_run of an iteration, and at a later one only when a
 * handle queued during this iteration waits behind older ones: the lesson is FIFO, and a
 * newcomer going to the back of the queue is what a learner gets wrong; asking at every step of
 * a long run of the same queue would only repeat the first question. */
static bool quiz_handle(const aw_model *m, const aw_model_state *st, const aw_model_event *ev, aw_model_quiz *q)
{
    size_t n = aw_model_ready_count(st);
    if (n < 2 || aw_model_ready_at(st, 0) != ev->handle) return false;
    int64_t iter_start = aw_model_prev_iteration(m, ev->step);
    bool first = true, newcomer = false;
    aw_model_event e;
    for (int64_t s = iter_start + 1; s < ev->step && ev->step - s < 100000; s++)
        if (aw__mstore_get(&m->store, s, &e) && e.kind == AW_TK_HANDLE_RUN) {
            first = false;
            break;
        }
    for (size_t i = 1; i < n; i++) {
        const mhandle *h = aw__handle(m, aw_model_ready_at(st, i), ev->step - 1);
        if (h && h->step > iter_start && h->deadline_ns == AW_MODEL_NULL) newcomer = true;
    }
    if (!first && !newcomer) return false;
    snprintf(q->question, sizeof q->question, "Which callback does the loop run next?");
    char answer[160], b[160];
    aw_model_handle_describe(st, ev->handle, answer, sizeof answer);
    for (size_t i = 0; i < n && i < AW_MODEL_QUIZ_CHOICES; i++)
        add_choice(q, aw_model_handle_describe(st, aw_model_ready_at(st, i), b, sizeof b));
    /* when it was queued, and by whom */
    const mhandle *h = aw__handle(m, ev->handle, ev->step);
    char who[200] = "";
    aw__words w = {who, sizeof who, 0};
    int64_t queued = h ? h->step : 0;
    if (h && h->fired_step < ev->step) {
        queued = h->fired_step;
        aw__wput(&w, "when its timer fired");
    } else if (h && h->by) {
        aw__wput(&w, "by ");
        aw__words_task(&w, m, queued, h->by);
        int l = aw_model_event_line(m, queued);
        if (l > 0) aw__wput(&w, " at line %d", l);
    } else aw__wput(&w, "by the loop");
    char noun[200] = "";
    aw__words nw = {noun, sizeof noun, 0};
    aw__words_handle_noun(&nw, m, ev->step - 1, ev->handle);
    snprintf(q->rule, sizeof q->rule, "The ready queue is first in, first out: %s was queued first (at step %lld, %s).",
             noun, (long long)queued, who);
    return finish(q, answer);
}

/* (b) timer_fired: the earliest deadline fires first; equal deadlines in the order they were set. */
static bool quiz_timer(const aw_model *m, const aw_model_state *st, const aw_model_event *ev, aw_model_quiz *q)
{
    size_t n = aw_model_timer_count(st);
    if (n < 2) return false;
    aw_model_timer tm;
    if (!aw_model_timer_at(st, 0, &tm) || tm.handle != ev->handle) return false;
    snprintf(q->question, sizeof q->question, "Which timer fires next?");
    char answer[160] = "", b[160], t[48];
    for (size_t i = 0; i < n && i < AW_MODEL_QUIZ_CHOICES; i++) {
        if (!aw_model_timer_at(st, i, &tm)) continue;
        char c[160];
        snprintf(c, sizeof c, "%s (due at %s)", aw_model_handle_describe(st, tm.handle, b, sizeof b),
                 aw_model_format_time(tm.deadline_ns, t, sizeof t));
        if (i == 0) snprintf(answer, sizeof answer, "%s", c);
        add_choice(q, c);
    }
    (void)m;
    snprintf(q->rule, sizeof q->rule,
             "The earliest deadline fires first; equal deadlines in the order they were set: %s.", answer);
    return finish(q, answer);
}

/* "Task-2 at line 8 (await asyncio.sleep(10))" */
static void task_at(const aw_model *m, const aw_model_task *t, char *buf, size_t size)
{
    char src[128];
    size_t n = aw__source_line(m, t->line, src, sizeof src);
    if (n) snprintf(buf, size, "%s at line %d (%s)", t->name ? t->name : "?", t->line, src);
    else snprintf(buf, size, "%s at line %d", t->name ? t->name : "?", t->line);
}

/* (c) cancel_delivered: cancel() throws CancelledError into the task at the await where it is
 * suspended.  The candidates: every live task at the line it is at. */
static bool quiz_cancel(const aw_model *m, const aw_model_state *st, const aw_model_event *ev, aw_model_quiz *q)
{
    char answer[160] = "", c[160];
    for (size_t i = 0; i < aw_model_task_count(st); i++) {
        aw_model_task t;
        if (!aw_model_task_at(st, i, &t) || aw_model_state_final(t.state) || t.line <= 0 || !t.file ||
            !m->source_file || strcmp(t.file, m->source_file))
            continue;
        task_at(m, &t, c, sizeof c);
        if (t.id == ev->task) snprintf(answer, sizeof answer, "%s", c);
        else if (q->n_choices + 1 >= AW_MODEL_QUIZ_CHOICES) continue; /* keep room for the answer */
        add_choice(q, c);
    }
    if (!answer[0]) return false;
    snprintf(q->question, sizeof q->question, "Where does the CancelledError land?");
    int64_t ct = 0, cause = aw_model_cause(m, ev->step, &ct, NULL);
    char who[200] = "";
    aw__words w = {who, sizeof who, 0};
    aw_model_event req;
    if (cause && aw__mstore_get(&m->store, cause, &req) && req.kind == AW_TK_CANCEL_REQUESTED && req.via)
    {
        aw__wput(&w, "%s cancelled ", req.via);
        aw__words_task(&w, m, ev->step, ev->task);
    }
    else if (ct) {
        aw__words_task(&w, m, ev->step, ct);
        aw__wput(&w, " cancelled ");
        aw__words_task(&w, m, ev->step, ev->task);
        int l = aw_model_event_line(m, cause);
        if (l > 0) aw__wput(&w, " at line %d", l);
    } else {
        aw__words_task(&w, m, ev->step, ev->task);
        aw__wput(&w, " was cancelled");
    }
    snprintf(q->rule, sizeof q->rule,
             "cancel() throws CancelledError into the task at the await where it is suspended: %s; it lands "
             "in %s.", who, answer);
    return finish(q, answer);
}

bool aw_model_quiz_at(const aw_model *m, int64_t step, aw_model_quiz *q)
{
    memset(q, 0, sizeof *q);
    aw_model_event ev;
    if (!aw__mstore_get(&m->store, step, &ev)) return false;
    if (ev.kind != AW_TK_HANDLE_RUN && ev.kind != AW_TK_TIMER_FIRED && ev.kind != AW_TK_CANCEL_DELIVERED) return false;
    aw_model_state *st = aw_model_state_new(m);
    bool ok = false;
    if (st && aw_model_seek(st, step - 1) == step - 1) {
        if (ev.kind == AW_TK_HANDLE_RUN) ok = quiz_handle(m, st, &ev, q);
        else if (ev.kind == AW_TK_TIMER_FIRED) ok = quiz_timer(m, st, &ev, q);
        else ok = quiz_cancel(m, st, &ev, q);
    }
    aw_model_state_free(st);
    if (!ok) memset(q, 0, sizeof *q);
    return ok;
}
