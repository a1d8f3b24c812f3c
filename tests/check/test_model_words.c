/* test_model_words.c — the model speaks Python (viz/model: model_explain.c, model_words.c,
 * model_cause.c, model_quiz.c), checked on every lesson's golden trace (tests/golden):
 *   - every sentence: no C file or line, no internal handle id, no bare future id;
 *   - tutorial-cancel tells the story in order and in the example's words; the late timer of
 *     tutorial-cancel-cpu-bound says how late and what held the loop; wait_for's timeout names
 *     the coroutine it cancels;
 *   - every event's line is a line the port tags (py:N in lessons/NAME/lesson.c), and the lines
 *     a learner must see are highlighted (aw_model_focus) at some step;
 *   - search reads the sentences and the output, not raw fields;
 *   - the quiz: each question's answer is among its choices and is what the step then does.
 * Run from the repository's root (the tests read tests/golden and lessons/). */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "awaitlab.h"
#include "recorder.h"
#include "trace_model.h"
#include "trace_schema.h"

static char *names[64];
static size_t nnames;

static void find_golden(void)
{
    DIR *d = opendir("tests/golden");
    if (!d) return;
    for (struct dirent *e; (e = readdir(d)) && nnames < 64;) {
        size_t n = strlen(e->d_name);
        if (n > 6 && !strcmp(e->d_name + n - 6, ".jsonl")) names[nnames++] = strndup(e->d_name, n - 6);
    }
    closedir(d);
}

static aw_model *load(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "tests/golden/%s.jsonl", name);
    aw_model_error err;
    aw_model *m = aw_model_load(path, NULL, &err);
    ck_assert_msg(m != NULL, "%s: %s", path, err.message);
    return m;
}

/* "handle 7", "future 4": an internal id as a noun. */
static bool has_id(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = s; *p; p++)
        if (!strncasecmp(p, word, n) && p[n] == ' ' && isdigit((unsigned char)p[n + 1])) return true;
    return false;
}

START_TEST(sentences_speak_python)
{
    ck_assert_int_gt(nnames, 10);
    for (size_t t = 0; t < nnames; t++) {
        aw_model *m = load(names[t]);
        for (int64_t s = 1; s <= aw_model_event_count(m); s++) {
            char b[1024];
            aw_model_explain(m, s, b, sizeof b);
            ck_assert_msg(!strstr(b, ".c:") && !strstr(b, "lesson.c") && !strstr(b, "core/") && !strstr(b, ".py:"),
                          "%s step %lld names a file: %s", names[t], (long long)s, b);
            ck_assert_msg(!has_id(b, "handle") && !has_id(b, "future") && !has_id(b, "scope"),
                          "%s step %lld names an internal id: %s", names[t], (long long)s, b);
            ck_assert_msg(!strstr(b, "task '"), "%s step %lld: a task is named as the trace does: %s", names[t],
                          (long long)s, b);
        }
        aw_model_free(m);
    }
}
END_TEST

/* The first step whose sentence contains `needle` (0: none). */
static int64_t step_saying(const aw_model *m, const char *needle)
{
    char b[1024];
    for (int64_t s = 1; s <= aw_model_event_count(m); s++)
        if (strstr(aw_model_explain(m, s, b, sizeof b), needle)) return s;
    return 0;
}

/* A line quoted in a sentence is the statement, without its comment (program.py marks changed
 * lines with one), even when a string on the line comes before the '#'. */
START_TEST(quoted_lines_drop_comments)
{
    aw_model *m = load("io-echo");
    ck_assert_int_gt(step_saying(m, "`await tcp_echo_client('Hello World!')` returns None in Task-1."), 0);
    ck_assert_int_eq(step_saying(m, "# changed"), 0);
    aw_model_free(m);
}
END_TEST

START_TEST(tutorial_cancel_story)
{
    aw_model *m = load("tutorial-cancel");
    /* the cancel request comes before the future it cancels */
    int64_t req = step_saying(m, "Task-1 cancels Task-2");
    int64_t fut = step_saying(m, "The sleep(10) of Task-2 is cancelled.");
    ck_assert_int_gt(req, 0);
    ck_assert_int_gt(fut, req);
    ck_assert_int_eq(aw_model_event_line(m, req), 29);
    /* each wake-up names its cause */
    ck_assert_int_gt(step_saying(m, "Task-2 resumes with CancelledError: Task-1 cancelled it at line 29."), fut);
    ck_assert_int_gt(step_saying(m, "Task-1 resumes: the sleep(2) it awaited is over."), 0);
    ck_assert_int_gt(step_saying(m, "Task-2 resumes: the sleep(1) it awaited is over."), 0);
    ck_assert_int_gt(step_saying(m, "Task-1 resumes: Task-2, which it awaited, is done."), 0);
    ck_assert_int_gt(step_saying(m, "`await asyncio.sleep(10)` raises CancelledError in Task-2."), 0);
    /* main's `await my_task` returns None */
    int64_t ret = step_saying(m, "`await my_task` returns None in Task-1.");
    ck_assert_int_gt(ret, 0);
    aw_model_event ev;
    aw_model_event_get(m, ret, &ev);
    ck_assert_int_eq(ev.kind, AW_TK_AWAIT_RETURN);
    ck_assert_int_eq(aw_model_event_line(m, ret), 34);
    /* the handlers, at lines 10 and 15 */
    bool h10 = false, h15 = false;
    char b[1024];
    for (int64_t s = 1; s <= aw_model_event_count(m); s++) {
        aw_model_event_get(m, s, &ev);
        if (ev.kind != AW_TK_HANDLER) continue;
        aw_model_explain(m, s, b, sizeof b);
        if (aw_model_event_line(m, s) == 10)
            h10 = !strcmp(b, "Task-2 enters `except asyncio.CancelledError:` at line 10.");
        if (aw_model_event_line(m, s) == 15) h15 = !strcmp(b, "Task-2 enters `finally:` at line 15.");
    }
    ck_assert(h10 && h15);
    ck_assert_int_eq(step_saying(m, "asyncio.run starts main()."), 1);
    ck_assert_int_gt(step_saying(m, "main() returned: asyncio.run shuts down"), ret);
    aw_model_free(m);
}
END_TEST

START_TEST(late_timer_and_library_actions)
{
    aw_model *m = load("tutorial-cancel-cpu-bound");
    int64_t s = step_saying(m, "was due at 1.000 and fires at 10.000");
    ck_assert_int_gt(s, 0);
    char b[1024];
    aw_model_explain(m, s, b, sizeof b);
    ck_assert_msg(strstr(b, "held for 9 s by CPU-bound work in Task-2 (line 8)") && strstr(b, "sleep(1) of Task-1"),
                  "%s", b);
    aw_model_free(m);

    m = load("tutorial-wait-for-slow");
    s = step_saying(m, "wait_for's timeout expires: it cancels slow_operation()");
    ck_assert_int_gt(s, 0);
    ck_assert_int_gt(step_saying(m, "wait_for takes the cancellation back (uncancel)"), s);
    ck_assert_int_gt(step_saying(m, "Task-1 raises CancelledError again (`raise`) at line 10."), s);
    ck_assert_int_gt(step_saying(m, "`await asyncio.wait_for(slow_operation(), timeout=3)` raises TimeoutError"), s);
    aw_model_free(m);
}
END_TEST

/* ---- lines: the port's py:N tags, and the highlight -------------------------------------------- */

/* The py:N tags of lessons/NAME/lesson.c, as a set of lines (false: no such lesson). */
static bool py_tags(const char *name, bool tags[1024])
{
    char path[512];
    snprintf(path, sizeof path, "lessons/%s/lesson.c", name);
    FILE *f = fopen(path, "r");
    if (!f) return false;
    memset(tags, 0, 1024);
    char line[1024];
    while (fgets(line, sizeof line, f))
        for (char *p = line; (p = strstr(p, "py:")); p += 3)
            if (isdigit((unsigned char)p[3])) {
                long n = strtol(p + 3, NULL, 10);
                if (n > 0 && n < 1024) tags[n] = true;
            }
    fclose(f);
    return true;
}

START_TEST(lines_are_the_ports_py_tags)
{
    static const struct {
        const char *name;
        int lines[4];
    } must[] = {
        {"tutorial-cancel", {10, 15, 29}},
        {"tutorial-future", {11}},
        {"tutorial-wait-for-slow", {8, 10, 17}},
        {"tutorial-cancel-cpu-bound", {8, 31}},
    };
    size_t checked = 0;
    for (size_t t = 0; t < nnames; t++) {
        bool tags[1024];
        if (!py_tags(names[t], tags)) continue;
        checked++;
        aw_model *m = load(names[t]);
        aw_model_state *st = aw_model_state_new(m);
        bool focused[1024] = {false};
        for (int64_t s = 1; s <= aw_model_event_count(m); s++) {
            int l = aw_model_event_line(m, s);
            ck_assert_msg(l >= 0 && l < 1024 && (l == 0 || tags[l]), "%s step %lld: line %d has no py:%d tag", names[t],
                          (long long)s, l, l);
            aw_model_seek(st, s);
            int64_t task;
            int fl;
            bool own;
            if (aw_model_focus(st, &task, &fl, &own)) {
                ck_assert_msg(fl > 0 && fl < 1024 && tags[fl], "%s step %lld: highlighted line %d has no py tag",
                              names[t], (long long)s, fl);
                focused[fl] = true;
                if (l > 0) ck_assert_int_eq(fl, l); /* the event's own line is the one shown */
            }
        }
        for (size_t k = 0; k < sizeof must / sizeof must[0]; k++)
            if (!strcmp(must[k].name, names[t]))
                for (size_t i = 0; i < 4 && must[k].lines[i]; i++)
                    ck_assert_msg(focused[must[k].lines[i]], "%s: line %d is never highlighted", names[t],
                                  must[k].lines[i]);
        aw_model_state_free(st);
        aw_model_free(m);
    }
    ck_assert_int_gt(checked, 10);
}
END_TEST

/* ---- search ------------------------------------------------------------------------------------- */

START_TEST(search_reads_sentences)
{
    aw_model *m = load("tutorial-cancel");
    int64_t s = aw_model_search(m, 0, true, "task-1 cancels task-2");
    ck_assert_int_eq(aw_model_event_line(m, s), 29);
    ck_assert_int_gt(aw_model_search(m, 0, true, "Requesting task cancellation"), 0); /* the output */
    ck_assert_int_eq(aw_model_search(m, 0, true, "example.py"), -1);                  /* a file name */
    ck_assert_int_eq(aw_model_search(m, 0, true, "cancel_requested"), -1);            /* a kind */
    ck_assert_int_eq(aw_model_search(m, 0, true, "task_wakeup"), -1);                 /* a callback name */
    ck_assert_int_eq(aw_model_search(m, 0, true, "file"), -1);                        /* a field */
    aw_model_free(m);
}
END_TEST

/* ---- the quiz ----------------------------------------------------------------------------------- */

START_TEST(quiz_answers_what_happens)
{
    size_t kinds_all[3] = {0}, total = 0;
    for (size_t t = 0; t < nnames; t++) {
        aw_model *m = load(names[t]);
        aw_model_state *st = aw_model_state_new(m);
        size_t kinds[3] = {0}, possible[3] = {0};
        for (int64_t s = 1; s <= aw_model_event_count(m); s++) {
            aw_model_event ev;
            aw_model_event_get(m, s, &ev);
            aw_model_seek(st, s - 1);
            /* which decisions have two real candidates, from the public state */
            if (ev.kind == AW_TK_TIMER_FIRED && aw_model_timer_count(st) >= 2) possible[1]++;
            if (ev.kind == AW_TK_CANCEL_DELIVERED) {
                size_t live = 0;
                for (size_t i = 0; i < aw_model_task_count(st); i++) {
                    aw_model_task tk;
                    aw_model_task_at(st, i, &tk);
                    live += !aw_model_state_final(tk.state) && tk.line > 0;
                }
                possible[2] += live >= 2;
            }
            aw_model_quiz q;
            if (!aw_model_quiz_at(m, s, &q)) continue;
            total++;
            ck_assert_msg(q.n_choices >= 2 && q.n_choices <= AW_MODEL_QUIZ_CHOICES && q.answer < q.n_choices,
                          "%s step %lld: %zu choices, answer %zu", names[t], (long long)s, q.n_choices, q.answer);
            ck_assert(q.question[0] && q.rule[0]);
            for (size_t i = 0; i + 1 < q.n_choices; i++) /* an order that does not give the answer away */
                ck_assert_int_lt(strcmp(q.choices[i], q.choices[i + 1]), 0);
            const char *a = q.choices[q.answer];
            char want[256];
            if (ev.kind == AW_TK_HANDLE_RUN) {
                kinds[0]++;
                aw_model_handle_describe(st, ev.handle, want, sizeof want);
                ck_assert_str_eq(a, want);
                ck_assert(strstr(q.rule, "first in, first out"));
            } else if (ev.kind == AW_TK_TIMER_FIRED) {
                kinds[1]++;
                aw_model_handle_describe(st, ev.handle, want, sizeof want);
                ck_assert_msg(!strncmp(a, want, strlen(want)) && strstr(a, " (due at "), "%s vs %s", a, want);
                ck_assert(strstr(q.rule, "earliest deadline"));
            } else if (ev.kind == AW_TK_CANCEL_DELIVERED) {
                kinds[2]++;
                aw_model_task tk;
                ck_assert(aw_model_task_get(st, ev.task, &tk));
                snprintf(want, sizeof want, "%s at line %d (", tk.name, aw_model_event_line(m, s));
                ck_assert_msg(!strncmp(a, want, strlen(want)), "%s vs %s", a, want);
                ck_assert(strstr(q.rule, "cancel() throws CancelledError"));
            } else ck_abort_msg("%s step %lld: a quiz on a %s event", names[t], (long long)s, ev.kind_name);
        }
        /* every timer and cancel decision with two candidates is asked */
        ck_assert_int_eq(kinds[1], possible[1]);
        ck_assert_int_eq(kinds[2], possible[2]);
        if (!strcmp(names[t], "tutorial-cancel")) {
            ck_assert_int_gt(kinds[1], 0);
            ck_assert_int_gt(kinds[2], 0);
            ck_assert_int_eq(kinds[0], 0); /* it never has two callbacks ready at once */
        }
        for (int k = 0; k < 3; k++) kinds_all[k] += kinds[k];
        aw_model_state_free(st);
        aw_model_free(m);
    }
    ck_assert_int_gt(total, 0);
    for (int k = 0; k < 3; k++) ck_assert_int_gt(kinds_all[k], 0);
}
END_TEST

/* ---- the seed's choices (core/vary.c), told in words ----------------------------------------- */
static aw_value job(void *arg) { (void)arg; return aw_none(); }

AW_COROUTINE(choosy) {
    aw_busy(1);
    AW_AWAIT(aw_sleep(1));
    AW_AWAIT(aw_run_in_executor(aw_current_loop(), 2, job, NULL));
    return aw_none();
}

START_TEST(choices_in_words)
{
    char path[] = "/tmp/aw-choices-XXXXXX";
    close(mkstemp(path));
    aw_loop_options o;
    ck_assert_int_eq(aw_loop_options_init(&o), AW_OK);
    o.clock = AW_CLOCK_SIM;
    o.seed = 7;
    o.vary = (aw_variations){.cpu = 0.5, .executor = 0.25, .timer = 0.5};
    char err[256];
    aw_recorder *rec = aw_recorder_open(path, err, sizeof err);
    ck_assert_msg(rec != NULL, "%s", err);
    aw_recorder_attach(rec, &o);
    ck_assert_int_eq(aw_run(AW_CALL(choosy), &o, NULL), AW_OK);
    aw_model_error merr;
    aw_model *m = aw_model_load(path, NULL, &merr);
    unlink(path);
    ck_assert_msg(m != NULL, "%s", merr.message);
    int seen[3] = {0};
    for (int64_t s = 1; s <= aw_model_event_count(m); s++) {
        aw_model_event ev;
        ck_assert(aw_model_event_get(m, s, &ev));
        if (ev.kind != AW_TK_CHOICE) continue;
        char b[1024];
        aw_model_explain(m, s, b, sizeof b);
        ck_assert_msg(!strstr(b, ".c") && !has_id(b, "handle") && !has_id(b, "future"), "%s", b);
        if (!strcmp(ev.variation, "cpu")) {
            seen[0]++; /* seed 7's CPU draw: 1 s becomes 1.2268418388129019 s (test_sim_vary) */
            ck_assert_msg(strstr(b, "The seed's choice: the CPU-bound work of ") == b && strstr(b, "Task-1") &&
                          strstr(b, ", 1 s as written, takes 1.226841839 s in this run."), "%s", b);
        } else if (!strcmp(ev.variation, "executor")) {
            seen[1]++;
            ck_assert_msg(strstr(b, "executor job (to_thread / run_in_executor)") && strstr(b, ", 2 s as written, takes "),
                          "%s", b);
        } else {
            seen[2]++;
            ck_assert_msg(strstr(b, "Timer jitter (the seed's choice): the loop's wait for the next timer, ") == b &&
                          strstr(b, "never early"), "%s", b);
        }
    }
    ck_assert_int_eq(seen[0], 1);
    ck_assert_int_eq(seen[1], 1);
    ck_assert_int_ge(seen[2], 2); /* the sleep's wait and the executor timer's */
    aw_model_free(m);
}
END_TEST

/* A stream's events in asyncio's words on the real clock, where no network of ours numbers the
 * connections: each is named by its addresses, and io_ready by the socket it is (a hand-made
 * trace: the shape core writes, descriptors as a real kernel gives them). */
START_TEST(stream_events_in_asyncio_words)
{
    char path[] = "/tmp/aw_stream_words_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":\"\",\"clock\":\"real\",\"seed\":0,\"wall_start_ns\":0}\n"
          "{\"seq\":1,\"iter\":0,\"t_ns\":0,\"ev\":\"loop_start\",\"clock\":\"real\"}\n"
          "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"stream\",\"stream\":1,\"op\":\"listen\",\"fd\":5,\"task\":null,\"future\":null,\"bytes\":8888,\"value\":\"('127.0.0.1', 8888)\"}\n"
          "{\"seq\":3,\"iter\":1,\"t_ns\":0,\"ev\":\"stream\",\"stream\":2,\"op\":\"connect\",\"fd\":6,\"task\":null,\"future\":null,\"bytes\":0,\"value\":\"('127.0.0.1', 8888)\"}\n"
          "{\"seq\":4,\"iter\":2,\"t_ns\":0,\"ev\":\"io_ready\",\"fd\":6,\"readable\":false,\"writable\":true}\n"
          "{\"seq\":5,\"iter\":2,\"t_ns\":0,\"ev\":\"io_ready\",\"fd\":5,\"readable\":true,\"writable\":false}\n"
          "{\"seq\":6,\"iter\":2,\"t_ns\":0,\"ev\":\"stream\",\"stream\":3,\"op\":\"connected\",\"fd\":7,\"task\":null,\"future\":null,\"bytes\":0,\"value\":\"('127.0.0.1', 50000)\"}\n"
          "{\"seq\":7,\"iter\":2,\"t_ns\":0,\"ev\":\"stream\",\"stream\":1,\"op\":\"accept\",\"fd\":5,\"task\":null,\"future\":null,\"bytes\":3,\"value\":null}\n"
          "{\"seq\":8,\"iter\":3,\"t_ns\":0,\"ev\":\"stream\",\"stream\":2,\"op\":\"fed\",\"fd\":6,\"task\":null,\"future\":null,\"bytes\":12,\"value\":null}\n"
          "{\"seq\":9,\"iter\":3,\"t_ns\":0,\"ev\":\"stream\",\"stream\":2,\"op\":\"write\",\"fd\":6,\"task\":null,\"future\":null,\"bytes\":70000,\"value\":\"4464 buffered\"}\n"
          "{\"seq\":10,\"iter\":4,\"t_ns\":0,\"ev\":\"stream\",\"stream\":2,\"op\":\"lost\",\"fd\":6,\"task\":null,\"future\":null,\"bytes\":0,"
          "\"value\":\"ConnectionResetError(104, 'Connection reset by peer')\"}\n"
          "{\"seq\":11,\"iter\":4,\"t_ns\":0,\"ev\":\"future_created\",\"future\":1,\"task\":null}\n"
          "{\"seq\":12,\"iter\":4,\"t_ns\":0,\"ev\":\"stream\",\"stream\":3,\"op\":\"wait\",\"fd\":7,\"task\":null,\"future\":1,\"bytes\":0,\"value\":\"readline\"}\n"
          "{\"seq\":13,\"iter\":5,\"t_ns\":0,\"ev\":\"io_ready\",\"fd\":9,\"readable\":true,\"writable\":false}\n"
          "{\"seq\":14,\"iter\":5,\"t_ns\":0,\"ev\":\"future_created\",\"future\":2,\"task\":null}\n"
          "{\"seq\":15,\"iter\":6,\"t_ns\":0,\"ev\":\"stream\",\"stream\":3,\"op\":\"lost\",\"fd\":7,\"task\":null,\"future\":2,\"bytes\":0,\"value\":null}\n"
          "{\"seq\":16,\"iter\":6,\"t_ns\":0,\"ev\":\"future_done\",\"future\":2,\"reason\":\"result\",\"result\":\"None\",\"exc\":null,\"message\":null,\"by\":null}\n"
          "{\"seq\":17,\"iter\":6,\"t_ns\":0,\"ev\":\"loop_close\"}\n",
          f);
    fclose(f);
    aw_model_error err;
    aw_model *m = aw_model_load(path, NULL, &err);
    unlink(path);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_int_eq(step_saying(m, "asyncio.start_server listens on ('127.0.0.1', 8888)."), 2);
    ck_assert_int_eq(step_saying(m, "asyncio.open_connection connects to ('127.0.0.1', 8888): it waits"), 3);
    ck_assert_int_eq(step_saying(m, "The socket of the connection to ('127.0.0.1', 8888) can be written."), 4);
    ck_assert_int_eq(step_saying(m, "The listening socket of the server on ('127.0.0.1', 8888) is ready to read: a "
                                    "connection waits to be accepted."),
                     5);
    ck_assert_int_eq(step_saying(m, "The server on ('127.0.0.1', 8888) accepts a connection: the server's connection "
                                    "from ('127.0.0.1', 50000)."),
                     7);
    ck_assert_int_eq(step_saying(m, "The StreamReader of the connection to ('127.0.0.1', 8888) gets 12 bytes."), 8);
    ck_assert_int_eq(step_saying(m, "`writer.write()` hands 70000 bytes to the connection to ('127.0.0.1', 8888) (4464 buffered"), 9);
    ck_assert_int_eq(step_saying(m, "The connection to ('127.0.0.1', 8888) is lost: ConnectionResetError(104, "), 10);
    /* a descriptor the trace never named stays a descriptor */
    ck_assert_int_eq(step_saying(m, "Descriptor 9 is ready to read."), 13);
    /* the protocol's _closed, which connection_lost completes: wait_closed() awaits it */
    ck_assert_int_eq(step_saying(m, "The close of the server's connection from ('127.0.0.1', 50000) is done with result None."), 16);
    char b[256];
    ck_assert_str_eq(aw_model_describe_future(m, 12, 1, b, sizeof b),
                     "future 1, data on the server's connection from ('127.0.0.1', 50000) (readline)");
    aw_model_free(m);
}
END_TEST

/* "connection N" is only ever the network's numbering: "TCP connection N" (the streams' own ids
 * never show).  The highest N is returned through *max. */
static bool one_numbering(const char *b, long *max)
{
    for (const char *p = strstr(b, "onnection "); p; p = strstr(p + 1, "onnection ")) {
        if (!isdigit((unsigned char)p[10])) continue;
        if (p - b < 5 || strncmp(p - 5, "TCP c", 5)) return false;
        long n = strtol(p + 10, NULL, 10);
        if (n > *max) *max = n;
    }
    return true;
}

/* stream_echo (tests/programs/stream_echo.c) on the simulated network: an echo over one TCP
 * connection, then a connect the closed server refuses.  Every layer's events tell of one
 * connection by one name: the network's "TCP connection 1", each side as its end of it; a
 * descriptor is the socket it is; values read as Python shows them; the futures streams make are
 * named by what they are. */
START_TEST(stream_echo_tells_one_connection)
{
    const char *build = getenv("AWAITLAB_BUILD");
    char dir[] = "/tmp/aw_stream_echo_XXXXXX", path[512], cmd[1200];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.jsonl", dir);
    snprintf(cmd, sizeof cmd, "AWAITLAB_CLOCK=sim AWAITLAB_TRACE='%s' '%s/programs/stream_echo' >/dev/null 2>&1", path,
             build && *build ? build : "build");
    ck_assert_int_eq(system(cmd), 0);
    aw_model_error err;
    aw_model *m = aw_model_load(path, NULL, &err);
    unlink(path);
    rmdir(dir);
    ck_assert_msg(m != NULL, "%s", err.message);
    long max = 0;
    for (int64_t s = 1; s <= aw_model_event_count(m); s++) {
        char b[1024];
        aw_model_explain(m, s, b, sizeof b);
        ck_assert_msg(!strstr(b, "Descriptor "), "step %lld: a bare descriptor: %s", (long long)s, b);
        ck_assert_msg(!strstr(b, "<pointer>"), "step %lld: a C pointer as a value: %s", (long long)s, b);
        ck_assert_msg(!strstr(b, "a Future of asyncio's") && !strstr(b, "creates a Future"),
                      "step %lld: an unnamed future: %s", (long long)s, b);
        ck_assert_msg(!has_id(b, "stream") && !has_id(b, "server") && !strstr(b, "StreamReader #"),
                      "step %lld: a stream's id: %s", (long long)s, b);
        ck_assert_msg(one_numbering(b, &max), "step %lld: a connection numbered otherwise: %s", (long long)s, b);
    }
    ck_assert_int_eq(max, 2); /* the echo's connection and the refused one */
    /* values */
    ck_assert_int_gt(step_saying(m, "`await start_server()` returns <Server sockets=(('127.0.0.1', "), 0);
    ck_assert_int_gt(step_saying(m, "`await open_connection()` returns (<StreamReader>, <StreamWriter>) in Task-1."), 0);
    /* the descriptors */
    int64_t queued = step_saying(m, "TCP connection 1 from 127.0.0.1:");
    ck_assert_int_gt(queued, 0);
    ck_assert_int_gt(step_saying(m, "The server's listening socket on 127.0.0.1:"), queued);
    ck_assert_int_gt(step_saying(m, ": a connection waits to be accepted."), queued);
    ck_assert_int_gt(step_saying(m, "The client's socket of TCP connection 1 can be written."), 0);
    ck_assert_int_gt(step_saying(m, "The server's socket of TCP connection 1 is ready to read."), 0);
    ck_assert_int_gt(step_saying(m, "The client's socket of TCP connection 2 can be written."), 0);
    /* the streams as ends of the connection */
    int64_t accepted = step_saying(m, "The server accepts TCP connection 1 from 127.0.0.1:");
    ck_assert_int_gt(accepted, 0);
    ck_assert_int_gt(step_saying(m, "accepts a connection: the server's end of TCP connection 1."), accepted);
    ck_assert_int_gt(step_saying(m, "asyncio.open_connection in Task-1 connects to ('127.0.0.1', "), 0);
    ck_assert_int_gt(step_saying(m, "`writer.write()` hands 6 bytes to the client's end of TCP connection 1."), 0);
    ck_assert_int_gt(step_saying(m, "Task-4 waits for data: readuntil() on the server's end of TCP connection 1 has 0 bytes"), 0);
    ck_assert_int_gt(step_saying(m, "The StreamReader of the client's end of TCP connection 1 gets 6 bytes."), 0);
    /* the futures streams make */
    ck_assert_int_gt(step_saying(m, "asyncio._accept_connection2 makes a Future in Task-3."), 0);
    ck_assert_int_gt(step_saying(m, "Task-3 awaits the transport waiter of the server's end of TCP connection 1."), 0);
    ck_assert_int_gt(step_saying(m, "Task-1 awaits the transport waiter of the client's end of TCP connection 1."), 0);
    ck_assert_int_gt(step_saying(m, "Task-4 waits in wait_closed() until the server's end of TCP connection 1 is lost."), 0);
    ck_assert_int_gt(step_saying(m, "Task-1 awaits the close of the client's end of TCP connection 1."), 0);
    ck_assert_int_gt(step_saying(m, "Task-1 awaits the connection to ('127.0.0.1', "), 0);
    aw_model_free(m);
}
END_TEST

int main(void)
{
    find_golden();
    Suite *s = suite_create("model_words");
    TCase *tc = tcase_create("words");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, sentences_speak_python);
    tcase_add_test(tc, tutorial_cancel_story);
    tcase_add_test(tc, quoted_lines_drop_comments);
    tcase_add_test(tc, late_timer_and_library_actions);
    tcase_add_test(tc, lines_are_the_ports_py_tags);
    tcase_add_test(tc, search_reads_sentences);
    tcase_add_test(tc, quiz_answers_what_happens);
    tcase_add_test(tc, stream_events_in_asyncio_words);
    tcase_add_test(tc, stream_echo_tells_one_connection);
    tcase_add_test(tc, choices_in_words);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (size_t i = 0; i < nnames; i++) free(names[i]);
    return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
