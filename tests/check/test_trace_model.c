/* test_trace_model.c — the trace model (viz/model/trace_model.h): for every step of every trace we can
 * make, the state reached by seeking equals the state reached by stepping one event at a time,
 * forwards and backwards, whatever the keyframe spacing; the lanes agree with the states; every
 * event decodes back to its JSON and has a sentence; malformed traces are refused with file, line
 * and reason, truncated and unfinished ones load and say so.
 *
 * The traces: tests/golden/ (every .jsonl) if present, every lesson (`awaitlab list`, then
 * `awaitlab run NAME --trace`), and the trace test programs with a few seeds.  They are made
 * once, before the tests fork, in a temporary folder.  $AWAITLAB_BUILD is the build folder. */
#include "support_core.h"
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recorder.h"
#include "trace_model.h"
#include "trace_schema.h"

static char tmpdir[256];
static char *traces[256];
static size_t ntraces;
static const char *build;

/* ---- making traces ---------------------------------------------------------------------------- */

static void add_trace(const char *path)
{
    struct stat sb;
    if (ntraces < sizeof traces / sizeof traces[0] && stat(path, &sb) == 0 && sb.st_size > 0)
        traces[ntraces++] = strdup(path);
}

static void make_lesson_traces(void)
{
    char cmd[1024], line[512];
    snprintf(cmd, sizeof cmd, "'%s/awaitlab' list 2>/dev/null", build);
    FILE *p = popen(cmd, "r");
    if (!p) return;
    while (fgets(line, sizeof line, p)) {
        char name[128];
        if (sscanf(line, "%127s", name) != 1) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/lesson-%s.jsonl", tmpdir, name);
        snprintf(cmd, sizeof cmd, "'%s/awaitlab' run '%s' --trace '%s' >/dev/null 2>&1", build, name, path);
        if (system(cmd) == -1) continue; /* a lesson that raises still leaves its trace */
        add_trace(path);
    }
    pclose(p);
}

static void make_program_traces(void)
{
    const char *progs[] = {"trace_cancel", "trace_timeouts", "trace_workers", "trace_net", "stream_echo"};
    for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++)
        for (int seed = 0; seed < 3; seed++) {
            char path[512], cmd[1024];
            snprintf(path, sizeof path, "%s/%s-%d.jsonl", tmpdir, progs[i], seed);
            snprintf(cmd, sizeof cmd,
                     "AWAITLAB_CLOCK=sim AWAITLAB_SEED=%d AWAITLAB_TRACE='%s' '%s/programs/%s' >/dev/null 2>&1", seed,
                     path, build, progs[i]);
            if (system(cmd) == -1) continue;
            add_trace(path);
        }
}

static void add_golden(void)
{
    DIR *d = opendir("tests/golden");
    if (!d) return;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n > 6 && !strcmp(e->d_name + n - 6, ".jsonl")) {
            char path[512];
            snprintf(path, sizeof path, "tests/golden/%s", e->d_name);
            add_trace(path);
        }
    }
    closedir(d);
}

static aw_model *load(const char *path, int64_t k)
{
    aw_model_options o = {k};
    aw_model_error err;
    aw_model *m = aw_model_load(path, &o, &err);
    ck_assert_msg(m != NULL, "%s: %s", path, err.message);
    return m;
}

/* ---- seek == step ------------------------------------------------------------------------------- */

static char *dump_at(aw_model_state *st, int64_t step)
{
    ck_assert_int_eq(aw_model_seek(st, step), step);
    char *d = aw_model_state_dump(st);
    ck_assert_ptr_nonnull(d);
    return d;
}

static void check_trace_seeks(const char *path, int64_t k)
{
    aw_model *m = load(path, k);
    int64_t n = aw_model_event_count(m);
    char **ref = calloc((size_t)n + 1, sizeof *ref);
    /* the reference: one event at a time, forwards, from step 0 */
    aw_model_state *fwd = aw_model_state_new(m);
    for (int64_t s = 0; s <= n; s++) ref[s] = dump_at(fwd, s);

    /* backwards, one event at a time */
    aw_model_state *back = aw_model_state_new(m);
    ck_assert_int_eq(aw_model_seek(back, n), n);
    for (int64_t s = n; s >= 0; s--) {
        char *d = dump_at(back, s);
        ck_assert_msg(!strcmp(d, ref[s]), "%s (K=%lld): stepping back to %lld differs:\n--- forward\n%s--- back\n%s",
                      path, (long long)k, (long long)s, ref[s], d);
        free(d);
    }
    /* jumps: each step reached from far away (alternately before and after it), on a fresh state too */
    aw_model_state *jump = aw_model_state_new(m);
    for (int64_t s = 0; s <= n; s++) {
        aw_model_seek(jump, s % 2 ? 0 : n);
        char *d = dump_at(jump, s);
        ck_assert_msg(!strcmp(d, ref[s]), "%s (K=%lld): seeking to %lld differs:\n--- stepped\n%s--- seeked\n%s",
                      path, (long long)k, (long long)s, ref[s], d);
        free(d);
        aw_model_state *fresh = aw_model_state_new(m);
        d = dump_at(fresh, s);
        ck_assert_msg(!strcmp(d, ref[s]), "%s: fresh seek to %lld differs", path, (long long)s);
        free(d);
        aw_model_state_free(fresh);
    }
    for (int64_t s = 0; s <= n; s++) free(ref[s]);
    free(ref);
    aw_model_state_free(fwd);
    aw_model_state_free(back);
    aw_model_state_free(jump);
    aw_model_free(m);
}

START_TEST(seek_equals_step)
{
    ck_assert_msg(ntraces > 0, "no traces to test (build the programs first)");
    const int64_t ks[] = {1, 3, 64, 0};
    for (size_t t = 0; t < ntraces; t++)
        for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) check_trace_seeks(traces[t], ks[i]);
}
END_TEST

/* ---- lanes agree with states, events round-trip, sentences exist -------------------------------- */

START_TEST(lanes_match_states)
{
    for (size_t t = 0; t < ntraces; t++) {
        aw_model *m = load(traces[t], 0);
        aw_model_state *st = aw_model_state_new(m);
        int64_t n = aw_model_event_count(m);
        for (int64_t s = 0; s <= n; s++) {
            aw_model_seek(st, s);
            for (size_t i = 0; i < aw_model_task_count(st); i++) {
                aw_model_task task;
                ck_assert(aw_model_task_at(st, i, &task));
                aw_model_segment seg[4096];
                size_t ns = aw_model_task_segments(m, task.id, s, INT64_MIN, INT64_MAX, seg, 4096);
                ck_assert_msg(ns > 0 && ns <= 4096, "%s: task %lld has %zu segments at %lld", traces[t],
                              (long long)task.id, ns, (long long)s);
                aw_model_segment *last = &seg[ns - 1];
                ck_assert_msg(last->state == task.state && last->step_end == s,
                              "%s step %lld: task %lld is %s but its lane ends %s", traces[t], (long long)s,
                              (long long)task.id, aw_model_state_name(task.state), aw_model_state_name(last->state));
                ck_assert_int_eq(last->step_start, task.since_step);
                for (size_t j = 1; j < ns; j++) {
                    ck_assert_int_eq(seg[j].step_start, seg[j - 1].step_end);
                    ck_assert_int_le(seg[j - 1].t_start_ns, seg[j].t_start_ns);
                }
                /* a lane over the whole trace shows the current state in its last touched cell */
                aw_model_task_state cells[40];
                aw_model_task_lane(m, task.id, s, AW_MODEL_AXIS_STEP, 0, n + 1, 40, cells);
                size_t c = (size_t)((double)s * 40 / (double)(n + 1));
                if (c > 39) c = 39;
                /* wider than the rasteriser's chunk: the same picture, finer */
                static aw_model_task_state wide[1300];
                aw_model_task_lane(m, task.id, s, AW_MODEL_AXIS_STEP, 0, n + 1, 1300, wide);
                size_t wc = (size_t)((double)s * 1300 / (double)(n + 1));
                ck_assert_int_eq(wide[wc < 1300 ? wc : 1299], task.state);
                ck_assert_msg(cells[c] != AW_MODEL_NONE, "%s: task %lld (created %lld) has no state in cell %zu at step %lld of %lld",
                              traces[t], (long long)task.id, (long long)task.created_step, c, (long long)s, (long long)n);
            }
        }
        aw_model_state_free(st);
        aw_model_free(m);
    }
}
END_TEST

START_TEST(events_round_trip_and_explain)
{
    for (size_t t = 0; t < ntraces; t++) {
        aw_model *m = load(traces[t], 0);
        FILE *f = fopen(traces[t], "r");
        ck_assert_ptr_nonnull(f);
        char *line = NULL;
        size_t cap = 0;
        ck_assert_int_gt(getline(&line, &cap, f), 0); /* header */
        cJSON *carried = NULL; /* format 3: a located event may leave out the file before it */
        for (int64_t s = 1; s <= aw_model_event_count(m); s++) {
            ck_assert_int_gt(getline(&line, &cap, f), 0);
            cJSON *want = cJSON_Parse(line), *got = aw_model_event_json(m, s);
            const cJSON *file = cJSON_GetObjectItemCaseSensitive(want, "file");
            if (file) {
                cJSON_Delete(carried);
                carried = cJSON_Duplicate(file, 1);
            } else if (cJSON_GetObjectItemCaseSensitive(want, "line")) {
                ck_assert_msg(carried != NULL, "%s: event %lld leaves out a file never named", traces[t], (long long)s);
                cJSON_AddItemToObject(want, "file", cJSON_Duplicate(carried, 1));
            }
            ck_assert_msg(cJSON_Compare(want, got, 1), "%s: event %lld decodes differently:\n%s", traces[t],
                          (long long)s, line);
            cJSON_Delete(want);
            cJSON_Delete(got);
            char buf[1024];
            aw_model_explain(m, s, buf, sizeof buf);
            /* a capital letter, or Python as Python spells it ("asyncio.run starts main()",
             * "`await my_task` returns None", "wait_for's timeout expires") */
            bool python = buf[0] == '`' || !strncmp(buf, "asyncio.", 8) || !strncmp(buf, "wait_for", 8) ||
                          !strncmp(buf, "gather", 6) || (buf[0] >= 'a' && buf[0] <= 'z' && strstr(buf, "() ") &&
                                                         strstr(buf, "() ") == buf + strcspn(buf, "( "));
            ck_assert_msg(strlen(buf) > 10 && ((buf[0] >= 'A' && buf[0] <= 'Z') || python),
                          "%s: event %lld: sentence '%s'", traces[t], (long long)s, buf);
            aw_model_event_format(m, s, buf, sizeof buf);
            ck_assert_msg(buf[0] == '#', "%s: event %lld formats as '%s'", traces[t], (long long)s, buf);
        }
        cJSON_Delete(carried);
        free(line);
        fclose(f);
        aw_model_free(m);
    }
}
END_TEST

/* A task awaiting a sleep: "Task-2 awaits the sleep(10) of Task-2, a timer due at 10.000", and
 * the state agrees. */
START_TEST(sleep_await_sentence)
{
    bool seen = false;
    for (size_t t = 0; t < ntraces && !seen; t++) {
        aw_model *m = load(traces[t], 0);
        for (int64_t s = 1; s <= aw_model_event_count(m) && !seen; s++) {
            aw_model_event ev;
            aw_model_event_get(m, s, &ev);
            if (ev.kind != AW_TK_AWAIT || !ev.future) continue;
            char buf[512];
            aw_model_explain(m, s, buf, sizeof buf);
            if (strstr(buf, ", a timer due at ")) {
                ck_assert_msg(strstr(buf, " awaits the sleep(") && !strncmp(buf, "Task-", 5), "sentence: %s", buf);
                aw_model_state *st = aw_model_state_new(m);
                aw_model_seek(st, s + 1); /* after the step_end */
                aw_model_task task;
                ck_assert(aw_model_task_get(st, ev.task, &task));
                ck_assert_int_eq(task.state, AW_MODEL_WAITING);
                ck_assert_int_eq(task.on, ev.future);
                aw_model_state_free(st);
                seen = true;
            }
        }
        aw_model_free(m);
    }
    ck_assert_msg(seen, "no trace awaits a sleep");
}
END_TEST

/* Every task that blocks in a primitive is listed among its waiters right after (in the order
 * they blocked, aw_model_primitives), with the call it waits in; a Lock that is locked names the
 * task of its latest acquire; an Event's state follows its set/clear. */
static const aw_model_primitive *find_primitive(const aw_model_primitive *p, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].id == id) return &p[i];
    return NULL;
}

/* ---- exact times: three sleep(0.1) end at 0.30000000000000004, whose ns (300000000) read back as
 * 0.3: the trace's `exact` keeps the double, and the model's words show it where they differ. */
AW_COROUTINE(three_tenths)
{
    for (int i = 0; i < 3; i++) AW_AWAIT(aw_sleep(0.1));
    aw_print("after three sleep(0.1)");
    AW_AWAIT(aw_sleep(0.5));
    return aw_none();
}

static void quiet_output(aw_loop *loop, const char *line, void *ud) { (void)loop, (void)line, (void)ud; }

START_TEST(exact_times_in_words)
{
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/exact.jsonl", tmpdir);
    aw_recorder *rec = aw_recorder_open(path, err, sizeof err);
    ck_assert_msg(rec != NULL, "%s", err);
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.output = quiet_output;
    aw_recorder_attach(rec, &o);
    ck_assert_int_eq(aw_run(AW_CALL(three_tenths), &o, NULL), AW_OK);
    aw_model *m = load(path, 0);
    int64_t printed = 0, timer = 0;
    char b[1024], t[48];
    for (int64_t s = 1; s <= aw_model_event_count(m); s++) {
        aw_model_event ev;
        aw_model_event_get(m, s, &ev);
        if (ev.kind == AW_TK_OUTPUT) printed = s;
        if (ev.kind == AW_TK_SCHEDULED && ev.deadline_ns == 300000000) timer = s; /* 0.2 + 0.1 */
    }
    ck_assert_int_gt(printed, 0);
    ck_assert_int_gt(timer, 0);
    /* the event's own time, and the time of the step (state, output) */
    aw_model_event ev;
    aw_model_event_get(m, printed, &ev);
    ck_assert_str_eq(aw_model_format_step_time(m, printed, ev.t_ns, t, sizeof t), "0.30000000000000004");
    ck_assert_ptr_null(ev.exact); /* the time is carried from the clock_jump before it */
    ck_assert_str_eq(aw_model_format_time(ev.t_ns, t, sizeof t), "0.300"); /* what the ns alone say */
    /* a deadline: the third sleep's, 0.2 + 0.1, and the sentence about it */
    aw_model_event_get(m, timer, &ev);
    ck_assert_str_eq(aw_model_format_event_time(&ev, "deadline", ev.deadline_ns, t, sizeof t), "0.30000000000000004");
    aw_model_explain(m, timer, b, sizeof b);
    ck_assert_msg(strstr(b, "A timer is set for 0.30000000000000004:"), "%s", b);
    /* an event without `exact` is written from its ns */
    aw_model_event_get(m, 1, &ev);
    ck_assert_ptr_null(ev.exact);
    ck_assert_str_eq(aw_model_format_event_time(&ev, "t", 1500000000, t, sizeof t), "1.500");
    /* the text dump: the step list and the output at the exact time */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    aw_model_print_listing(m, f);
    fclose(f);
    ck_assert_msg(strstr(text, "[0.30000000000000004] after three sleep(0.1)"), "%s", text);
    char want[64]; /* the step list: the print's step at the carried exact time */
    snprintf(want, sizeof want, "%6lld  0.30000000000000004", (long long)printed);
    ck_assert_msg(strstr(text, want), "%s", text);
    free(text);
    aw_model_free(m);
}
END_TEST

START_TEST(primitives_show_waiters_and_holders)
{
    size_t blocks = 0;
    for (size_t t = 0; t < ntraces; t++) {
        aw_model *m = load(traces[t], 0);
        aw_model_state *st = aw_model_state_new(m);
        for (int64_t s = 1; s <= aw_model_event_count(m); s++) {
            aw_model_event ev;
            aw_model_event_get(m, s, &ev);
            if (ev.kind != AW_TK_SYNC || !ev.op) continue;
            aw_model_seek(st, s);
            aw_model_primitive prims[64];
            size_t np = aw_model_primitives(st, prims, 64);
            const aw_model_primitive *p = find_primitive(prims, np < 64 ? np : 64, ev.sync);
            if (!p) continue; /* an inner primitive speaking as its owner has the owner's id */
            ck_assert_str_eq(p->op, ev.op);
            if (!strcmp(ev.op, "acquire") && !strcmp(ev.primitive, "Lock")) ck_assert_int_eq(p->holder, ev.task);
            if (!strcmp(ev.op, "set")) ck_assert_int_eq(p->count, 1);
            if (!strcmp(ev.op, "clear")) ck_assert_int_eq(p->count, 0);
            if (strcmp(ev.op, "block")) continue;
            /* the task's step ends next: then it is waiting on this primitive */
            aw_model_seek(st, s + 2 <= aw_model_event_count(m) ? s + 2 : s);
            np = aw_model_primitives(st, prims, 64);
            p = find_primitive(prims, np < 64 ? np : 64, ev.sync);
            ck_assert(p);
            bool listed = false;
            for (size_t w = 0; w < p->n_waiters && w < AW_MODEL_MAX_WAITERS; w++) listed |= p->waiters[w] == ev.task;
            if (p->n_waiters <= AW_MODEL_MAX_WAITERS) ck_assert_msg(listed, "%s step %lld: task %lld not among the waiters",
                                                                   traces[t], (long long)s, (long long)ev.task);
            char buf[600];
            aw_model_primitive_describe(st, p, buf, sizeof buf);
            ck_assert_msg(strstr(buf, "waiting: ") && strstr(buf, ev.value ? ev.value : "?"), "%s", buf);
            blocks++;
        }
        aw_model_state_free(st);
        aw_model_free(m);
    }
    ck_assert_msg(blocks > 0, "no trace blocks in a primitive (the sync lessons)");
}
END_TEST

START_TEST(navigation)
{
    for (size_t t = 0; t < ntraces; t++) {
        aw_model *m = load(traces[t], 0);
        int64_t n = aw_model_event_count(m);
        for (int64_t s = 0; s < n; s++) {
            int64_t nx = aw_model_next_iteration(m, s);
            ck_assert_int_gt(nx, s);
            if (nx < n || aw_model_step_iter(m, n) > aw_model_step_iter(m, s)) {
                ck_assert_int_gt(aw_model_step_iter(m, nx), aw_model_step_iter(m, s));
                ck_assert_int_eq(aw_model_step_iter(m, nx - 1), aw_model_step_iter(m, s));
            }
            int64_t pv = aw_model_prev_iteration(m, s + 1);
            ck_assert_int_le(pv, s);
            int64_t no = aw_model_next_output(m, s);
            if (no >= 0) {
                ck_assert_int_gt(no, s);
                ck_assert_int_eq(aw_model_output_count(m, no), aw_model_output_count(m, s) + 1);
            }
            int64_t at = aw_model_find_time(m, aw_model_step_time(m, s));
            ck_assert_int_le(at, s);
            ck_assert_int_eq(aw_model_step_time(m, at), aw_model_step_time(m, s));
        }
        if (n > 0) {
            /* search reads the sentences ("The loop is closed: ..."), not the kind names */
            int64_t hit = aw_model_search(m, 0, true, "THE LOOP IS CLOSED");
            aw_model_event ev;
            if (hit > 0) {
                aw_model_event_get(m, hit, &ev);
                ck_assert_int_eq(ev.kind, AW_TK_LOOP_CLOSE);
                ck_assert_int_eq(aw_model_search(m, hit, false, "the loop is closed"), hit); /* wraps around */
            }
            ck_assert_int_eq(aw_model_search(m, 0, true, "loop_close"), -1);
            ck_assert_int_eq(aw_model_search(m, 0, true, "no such text anywhere 12345"), -1);
        }
        aw_model_free(m);
    }
}
END_TEST

/* ---- bad traces ------------------------------------------------------------------------------- */

/* Writes the first trace's lines to a new file, changed by `edit` (line number -> text, or NULL to
 * keep it; returning "" drops the line). */
static char *rewrite(const char *name, const char *(*edit)(long lineno, const char *line, char *buf, size_t n))
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *in = fopen(traces[0], "r"), *out = fopen(path, "w");
    ck_assert(in && out);
    char *line = NULL, buf[4096];
    size_t cap = 0;
    long no = 0;
    while (getline(&line, &cap, in) > 0) {
        const char *r = edit(++no, line, buf, sizeof buf);
        fputs(r ? r : line, out);
    }
    free(line);
    fclose(in);
    fclose(out);
    return path;
}

static const char *bad_json_line5(long no, const char *l, char *b, size_t n)
{
    (void)l, (void)b, (void)n;
    return no == 5 ? "{\"seq\":4,\n" : NULL;
}

static const char *dup_task(long no, const char *l, char *b, size_t n)
{
    /* line 2 creates task 1 ("task_created"); make a later task_created reuse id 1 */
    if (no > 2 && strstr(l, "\"ev\":\"task_created\"")) {
        const char *p = strstr(l, "\"task\":");
        if (!p) return NULL;
        const char *q = p + 7;
        while (*q >= '0' && *q <= '9') q++;
        snprintf(b, n, "%.*s\"task\":1%s", (int)(p - l), l, q);
        return b;
    }
    return NULL;
}

static const char *drop_close(long no, const char *l, char *b, size_t n)
{
    (void)no, (void)b, (void)n;
    return strstr(l, "\"loop_close\"") ? "" : NULL;
}

static const char *version_9(long no, const char *l, char *b, size_t n)
{
    (void)l;
    if (no != 1) return NULL;
    snprintf(b, n, "{\"format\":\"awaitlab-trace\",\"version\":9}\n");
    return b;
}

START_TEST(malformed_refused_with_line)
{
    aw_model_error err;
    const char *p = rewrite("bad5.jsonl", bad_json_line5);
    ck_assert_ptr_null(aw_model_load(p, NULL, &err));
    ck_assert_int_eq(err.status, AW_TRACE_INVALID);
    char want[600];
    snprintf(want, sizeof want, "%s:5: ", p);
    ck_assert_msg(!strncmp(err.message, want, strlen(want)), "message: %s", err.message);

    p = rewrite("version.jsonl", version_9);
    ck_assert_ptr_null(aw_model_load(p, NULL, &err));
    ck_assert_int_eq(err.status, AW_TRACE_UNSUPPORTED);
    ck_assert_msg(strstr(err.message, "version"), "message: %s", err.message);

    ck_assert_ptr_null(aw_model_load("/nonexistent/trace.jsonl", NULL, &err));
    ck_assert_int_eq(err.status, AW_TRACE_IO);
    ck_assert_msg(strstr(err.message, "/nonexistent/trace.jsonl"), "message: %s", err.message);

    char empty[512];
    snprintf(empty, sizeof empty, "%s/empty.jsonl", tmpdir);
    fclose(fopen(empty, "w"));
    ck_assert_ptr_null(aw_model_load(empty, NULL, &err));
    ck_assert_int_eq(err.status, AW_TRACE_INVALID);
}
END_TEST

/* What the schema allows but the model cannot hold: an id created twice. */
START_TEST(semantic_errors_refused)
{
    aw_model_error err;
    const char *p = rewrite("dup.jsonl", dup_task);
    aw_model *m = aw_model_load(p, NULL, &err);
    if (m) { /* the first trace has a single task: nothing to duplicate */
        ck_assert_int_eq(aw_model_task_total(m), 1);
        aw_model_free(m);
        return;
    }
    ck_assert_int_eq(err.status, AW_TRACE_INVALID);
    ck_assert_msg(strstr(err.message, "task 1 is created twice") && strstr(err.message, p), "message: %s",
                  err.message);
}
END_TEST

START_TEST(truncated_and_unfinished_load)
{
    /* cut in the middle of the last line */
    char path[512];
    snprintf(path, sizeof path, "%s/cut.jsonl", tmpdir);
    FILE *in = fopen(traces[0], "r");
    ck_assert_ptr_nonnull(in);
    fseek(in, 0, SEEK_END);
    long size = ftell(in);
    rewind(in);
    char *all = malloc((size_t)size);
    ck_assert_int_eq(fread(all, 1, (size_t)size, in), size);
    fclose(in);
    long cut = size - 2;
    while (all[cut - 1] != '\n') cut--; /* start of the last line */
    cut += 10;                          /* ten bytes into it */
    FILE *out = fopen(path, "w");
    fwrite(all, 1, (size_t)cut, out);
    fclose(out);
    free(all);

    aw_model *full = load(traces[0], 0);
    aw_model_error err;
    aw_model *m = aw_model_load(path, NULL, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert(aw_model_truncated(m));
    ck_assert_int_eq(aw_model_status(m), AW_TRACE_TRUNCATED);
    ck_assert_msg(strstr(aw_model_warning(m), "truncated"), "warning: %s", aw_model_warning(m));
    ck_assert_int_eq(aw_model_event_count(m), aw_model_event_count(full) - 1);
    aw_model_state *a = aw_model_state_new(m), *b = aw_model_state_new(full);
    int64_t last = aw_model_event_count(m);
    ck_assert_int_eq(aw_model_seek(a, last), last);
    aw_model_seek(b, last);
    char *da = aw_model_state_dump(a), *db = aw_model_state_dump(b);
    /* the same state, apart from the event total on the first line */
    ck_assert_str_eq(strchr(da, '\n'), strchr(db, '\n'));
    free(da);
    free(db);
    aw_model_state_free(a);
    aw_model_state_free(b);
    aw_model_free(m);

    m = aw_model_load(rewrite("open.jsonl", drop_close), NULL, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_int_eq(aw_model_status(m), AW_TRACE_UNFINISHED);
    ck_assert(!aw_model_truncated(m));
    ck_assert_int_eq(aw_model_event_count(m), aw_model_event_count(full) - 1);
    aw_model_free(m);
    aw_model_free(full);
}
END_TEST

int main(void)
{
    build = getenv("AWAITLAB_BUILD");
    if (!build || !*build) build = "build";
    snprintf(tmpdir, sizeof tmpdir, "%s/awaitlab-model-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    add_golden();
    make_lesson_traces();
    make_program_traces();

    Suite *s = suite_create("trace_model");
    TCase *tc = tcase_create("model");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, seek_equals_step);
    tcase_add_test(tc, lanes_match_states);
    tcase_add_test(tc, events_round_trip_and_explain);
    tcase_add_test(tc, exact_times_in_words);
    tcase_add_test(tc, sleep_await_sentence);
    tcase_add_test(tc, primitives_show_waiters_and_holders);
    tcase_add_test(tc, navigation);
    tcase_add_test(tc, malformed_refused_with_line);
    tcase_add_test(tc, semantic_errors_refused);
    tcase_add_test(tc, truncated_and_unfinished_load);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);

    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    for (size_t i = 0; i < ntraces; i++) free(traces[i]);
    return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
