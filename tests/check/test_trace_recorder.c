/* test_trace_recorder.c — sim/recorder.c writes sim/trace-format.md exactly: synthetic events
 * of every kind are recorded, compared line by line, and pass the validator. */
#include "support_core.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sim/recorder.h"
#include "trace_read.h"
#include "trace_schema.h"

static char dir[64];
static char path[128];

static void setup(void)
{
    strcpy(dir, "/tmp/aw_trace_rec_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.trace", dir);
}

static void teardown(void)
{
    unlink(path);
    rmdir(dir);
}

/* The whole file as a string (caller frees). */
static char *slurp(const char *p)
{
    FILE *f = fopen(p, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    ck_assert_int_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static aw_recorder *open_rec(void)
{
    char err[256];
    aw_recorder *r = aw_recorder_open(path, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    return r;
}

static void ev(aw_recorder *r, aw_event e) { aw_recorder_tracer()->on_event(r, &e); }

/* Format 3: a located event in the file of the located event before it gives its line alone,
 * across events with no location; a new file (or null, the header's source) is named again.
 * Both read paths (cJSON, scanned) carry the file back. */
static const struct {
    const char *file;   /* what the event says */
    int line;           /* 0: no location */
    const char *written; /* the tail the line must end with */
} sites[] = {
    {"a.c", 1, ",\"file\":\"a.c\",\"line\":1}"},
    {"a.c", 2, ",\"line\":2}"},
    {"b.c", 3, ",\"file\":\"b.c\",\"line\":3}"},
    {"b.c", 0, "\"clock\":\"sim\"}"},
    {"b.c", 4, ",\"line\":4}"},
    {NULL, 5, ",\"file\":null,\"line\":5}"},
    {NULL, 6, ",\"line\":6}"},
    {"a.c", 7, ",\"file\":\"a.c\",\"line\":7}"},
};
#define N_SITES (sizeof sites / sizeof sites[0])

static void read_sites_back(bool values_only)
{
    aw_trace_reader *tr = aw_trace_reader_open(path);
    if (values_only) aw_trace_reader_values_only(tr);
    aw_trace_event e;
    for (size_t i = 0; i < N_SITES; i++) {
        ck_assert_msg(aw_trace_reader_next(tr, &e) == 1, "event %zu: %s", i, aw_trace_reader_message(tr));
        const aw_trace_value *file = &e.values[e.n_values - 2], *line = &e.values[e.n_values - 1];
        if (!sites[i].line) {
            ck_assert_int_eq(line->type, AW_TV_NULL);
            ck_assert_int_eq(file->type, AW_TV_NULL);
        } else if (!sites[i].file) {
            ck_assert_int_eq(line->i, sites[i].line);
            ck_assert_int_eq(file->type, AW_TV_NULL);
        } else {
            ck_assert_int_eq(line->i, sites[i].line);
            ck_assert_int_eq(file->type, AW_TV_STR);
            ck_assert_str_eq(file->s, sites[i].file);
        }
    }
    aw_trace_reader_close(tr);
}

START_TEST(file_carried_over)
{
    aw_recorder *r = open_rec();
    aw_recorder_tracer()->on_start(r, "p", "sim", 0, 0);
    for (size_t i = 0; i < N_SITES; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "%s", sites[i].file ? sites[i].file : "");
        /* a copy: the recorder keeps no pointer to the event's file */
        ev(r, (aw_event){.kind = AW_EV_LOOP_START, .text = "sim", .file = sites[i].file ? buf : NULL,
                         .line = sites[i].line});
    }
    aw_recorder_tracer()->on_close(r);
    char *s = slurp(path), *at = strchr(s, '\n') + 1;
    for (size_t i = 0; i < N_SITES; i++) {
        char *end = strchr(at, '\n');
        size_t n = strlen(sites[i].written);
        ck_assert_msg((size_t)(end - at) >= n && !memcmp(end - n, sites[i].written, n), "event %zu: %.*s", i,
                      (int)(end - at), at);
        at = end + 1;
    }
    free(s);
    read_sites_back(false);
    read_sites_back(true);
}
END_TEST

/* A line that leaves its file out with no file before it is refused, by both paths. */
START_TEST(file_left_out_first_is_refused)
{
    FILE *f = fopen(path, "w");
    fputs("{\"format\":\"awaitlab-trace\",\"version\":3,\"program\":\"p\",\"clock\":\"sim\",\"seed\":0,"
          "\"wall_start_ns\":0}\n{\"seq\":1,\"iter\":0,\"t_ns\":0,\"ev\":\"loop_start\",\"clock\":\"sim\",\"line\":3}\n",
          f);
    fclose(f);
    for (int values_only = 0; values_only < 2; values_only++) {
        aw_trace_reader *tr = aw_trace_reader_open(path);
        if (values_only) aw_trace_reader_values_only(tr);
        aw_trace_event e;
        ck_assert_int_eq(aw_trace_reader_next(tr, &e), 0);
        ck_assert_int_eq(aw_trace_reader_status(tr), AW_TRACE_INVALID);
        ck_assert_msg(strstr(aw_trace_reader_message(tr),
                             ":2: field 'file': left out, and no event before this one names a file to carry over"),
                      "%s", aw_trace_reader_message(tr));
        aw_trace_reader_close(tr);
    }
}
END_TEST

START_TEST(kind_names_match_the_validator)
{
    ck_assert_int_eq(AW_EV__COUNT, AW_TK__COUNT);
    for (int k = 0; k < AW_EV__COUNT; k++) {
        ck_assert_ptr_nonnull(aw_recorder_kind_name((aw_event_kind)k));
        ck_assert_str_eq(aw_recorder_kind_name((aw_event_kind)k), aw_trace_kinds[k].name);
    }
    ck_assert_ptr_null(aw_recorder_kind_name(AW_EV__COUNT));
}
END_TEST

START_TEST(header_and_events_exact)
{
    aw_recorder *r = open_rec();
    const aw_tracer *t = aw_recorder_tracer();
    t->on_start(r, "hello", "sim", 42, 1700000000123456789LL);
    ev(r, (aw_event){.kind = AW_EV_LOOP_START, .text = "sim"});
    ev(r, (aw_event){.kind = AW_EV_SCHEDULED, .iteration = 1, .time = 5e-9, .handle = 3, .ta = 1.0,
                     .name = "task_step", .task = 2});
    ev(r, (aw_event){.kind = AW_EV_SCHEDULED, .iteration = 1, .time = 5e-9, .handle = 4, .ta = -1, .name = NULL});
    ev(r, (aw_event){.kind = AW_EV_STEP_END, .iteration = 2, .time = 3.0, .task = 2,
                     .reason = AW_STEP_RAISED, .name = "ValueError"});
    ev(r, (aw_event){.kind = AW_EV_OUTPUT, .iteration = 2, .time = 3.0, .task = 2,
                     .text = "say \"hi\"\n\ttab"});
    unsigned kids[] = {3, 5, 7};
    ev(r, (aw_event){.kind = AW_EV_GATHER, .iteration = 2, .time = 3.0, .future = 8, .ids = kids,
                     .n_ids = 3});
    ev(r, (aw_event){.kind = AW_EV_CANCEL_REQUESTED, .iteration = 2, .time = 3.0, .task = 5,
                     .other = 2, .a = 1, .reason = 1});
    ev(r, (aw_event){.kind = AW_EV_CLOCK_JUMP, .iteration = 3, .time = 9e6,
                     .ta = 3.0, .tb = 9e6});
    ev(r, (aw_event){.kind = AW_EV_LOOP_CLOSE, .iteration = 3, .time = 9e6});
    ck_assert_int_eq(aw_recorder_events(r), 9);
    uint64_t bytes = aw_recorder_bytes(r);
    t->on_close(r); /* closes and frees */

    char *s = slurp(path);
    const char *want =
        "{\"format\":\"awaitlab-trace\",\"version\":3,\"program\":\"hello\",\"clock\":\"sim\",\"seed\":42,"
        "\"wall_start_ns\":1700000000123456789}\n"
        "{\"seq\":1,\"iter\":0,\"t_ns\":0,\"ev\":\"loop_start\",\"clock\":\"sim\"}\n"
        "{\"seq\":2,\"iter\":1,\"t_ns\":5,\"ev\":\"scheduled\",\"handle\":3,\"deadline_ns\":1000000000,"
        "\"callback\":\"task_step\",\"task\":2,\"future\":null}\n"
        "{\"seq\":3,\"iter\":1,\"t_ns\":5,\"ev\":\"scheduled\",\"handle\":4,\"deadline_ns\":null,"
        "\"callback\":null,\"task\":null,\"future\":null}\n"
        "{\"seq\":4,\"iter\":2,\"t_ns\":3000000000,\"ev\":\"step_end\",\"task\":2,\"reason\":\"raised\","
        "\"future\":null,\"exc\":\"ValueError\"}\n"
        "{\"seq\":5,\"iter\":2,\"t_ns\":3000000000,\"ev\":\"output\",\"task\":2,"
        "\"text\":\"say \\\"hi\\\"\\n\\ttab\"}\n"
        "{\"seq\":6,\"iter\":2,\"t_ns\":3000000000,\"ev\":\"gather\",\"future\":8,\"task\":null,\"children\":[3,5,7]}\n"
        "{\"seq\":7,\"iter\":2,\"t_ns\":3000000000,\"ev\":\"cancel_requested\",\"task\":5,\"future\":null,"
        "\"by\":2,\"message\":null,\"cancelling\":1,\"accepted\":true,\"via\":null}\n"
        "{\"seq\":8,\"iter\":3,\"t_ns\":9000000000000000,\"ev\":\"clock_jump\",\"from_ns\":3000000000,"
        "\"to_ns\":9000000000000000}\n"
        "{\"seq\":9,\"iter\":3,\"t_ns\":9000000000000000,\"ev\":\"loop_close\"}\n";
    ck_assert_str_eq(s, want);
    ck_assert_int_eq(bytes, strlen(want));
    free(s);

    char msg[512];
    long n = -1;
    ck_assert_int_eq(aw_trace_validate_file(path, msg, sizeof msg, &n), AW_TRACE_OK);
    ck_assert_int_eq(n, 9);

    /* The header's big integers are read back exactly (a double would round them). */
    aw_trace_reader *rd = aw_trace_reader_open(path);
    const aw_trace_header *h = aw_trace_reader_header(rd);
    ck_assert_ptr_nonnull(h);
    ck_assert_int_eq(h->wall_start_ns, 1700000000123456789LL);
    ck_assert_uint_eq(h->seed, 42);
    ck_assert_str_eq(h->program, "hello");
    ck_assert_str_eq(h->clock, "sim");
    aw_trace_reader_close(rd);
}
END_TEST

START_TEST(huge_seed_exact)
{
    aw_recorder *r = open_rec();
    aw_recorder_tracer()->on_start(r, "p", "real", UINT64_MAX, -5);
    aw_recorder_tracer()->on_close(r);
    char *s = slurp(path);
    ck_assert_ptr_nonnull(strstr(s, "\"seed\":18446744073709551615,\"wall_start_ns\":-5}\n"));
    free(s);
    aw_trace_reader *rd = aw_trace_reader_open(path);
    ck_assert_ptr_nonnull(aw_trace_reader_header(rd));
    ck_assert_uint_eq(aw_trace_reader_header(rd)->seed, UINT64_MAX);
    ck_assert_int_eq(aw_trace_reader_header(rd)->wall_start_ns, -5);
    aw_trace_reader_close(rd);
}
END_TEST

/* One event of every kind, with every field set: the validator accepts all of them. */
START_TEST(every_kind_validates)
{
    aw_recorder *r = open_rec();
    aw_recorder_tracer()->on_start(r, "all", "sim", 1, 0);
    unsigned ids[] = {4, 6};
    for (int k = 0; k < AW_EV__COUNT; k++) {
        if (k == AW_EV_LOOP_CLOSE) continue; /* the last event: written at the end below */
        aw_event e = {.kind = (aw_event_kind)k, .iteration = (uint64_t)k, .time = k * 1e-6, .task = 2,
                      .future = 3, .handle = 4, .other = 5, .reason = 1, .a = 1, .b = 8, .ta = 1e-9, .tb = 8e-9, .name = "n",
                      .text = "t", .file = "f.c", .line = 9, .ids = ids, .n_ids = 2};
        ev(r, e);
    }
    /* and with everything zero/NULL/-1 where the schema allows none */
    aw_event e0 = {.kind = AW_EV_ITERATION, .iteration = 99, .time = 99e-6, .tb = -1};
    ev(r, e0);
    aw_event e1 = {.kind = AW_EV_WAIT, .iteration = 99, .time = 99e-6, .a = 0, .tb = -1};
    ev(r, e1);
    aw_event e3 = {.kind = AW_EV_WAIT, .iteration = 99, .time = 99e-6, .a = AW_WAIT_MODE_AS_COMPLETED, .tb = 5e-9};
    ev(r, e3);
    aw_event e4 = {.kind = AW_EV_IO_READY, .iteration = 99, .time = 99e-6, .a = 0, .reason = 3};
    ev(r, e4);
    aw_event e2 = {.kind = AW_EV_LOOP_CLOSE, .iteration = 99, .time = 99e-6};
    ev(r, e2);
    aw_recorder_tracer()->on_close(r);
    char msg[512];
    long n;
    aw_trace_status st = aw_trace_validate_file(path, msg, sizeof msg, &n);
    ck_assert_msg(st == AW_TRACE_OK, "%s", msg);
    ck_assert_int_eq(n, AW_EV__COUNT - 1 + 5);
}
END_TEST

/* A core value the recorder does not know must not slip through as something plausible. */
START_TEST(unknown_reason_is_flagged)
{
    aw_recorder *r = open_rec();
    aw_recorder_tracer()->on_start(r, "p", "sim", 0, 0);
    ev(r, (aw_event){.kind = AW_EV_STEP_BEGIN, .task = 1, .reason = 17});
    aw_recorder_tracer()->on_close(r);
    char msg[512];
    ck_assert_int_eq(aw_trace_validate_file(path, msg, sizeof msg, NULL), AW_TRACE_INVALID);
    ck_assert_msg(strstr(msg, ":2: field 'reason': expected one of start, resume, throw; got \"unknown_17\""),
                  "%s", msg);
}
END_TEST

START_TEST(invalid_utf8_is_replaced)
{
    aw_recorder *r = open_rec();
    aw_recorder_tracer()->on_start(r, "p", "sim", 0, 0);
    ev(r, (aw_event){.kind = AW_EV_OUTPUT, .text = "a\xff" "b\xc3\xa9"});
    aw_recorder_tracer()->on_close(r);
    char *s = slurp(path);
    ck_assert_ptr_nonnull(strstr(s, "\"text\":\"a\xef\xbf\xbd" "b\xc3\xa9\""));
    free(s);
}
END_TEST

START_TEST(events_before_start_get_a_header)
{
    aw_recorder *r = open_rec();
    ev(r, (aw_event){.kind = AW_EV_LOOP_CLOSE});
    aw_recorder_close(r);
    char msg[512];
    ck_assert_int_eq(aw_trace_validate_file(path, msg, sizeof msg, NULL), AW_TRACE_OK);
}
END_TEST

START_TEST(open_failure_message)
{
    char err[256];
    aw_recorder *r = aw_recorder_open("/nonexistent-dir/x.trace", err, sizeof err);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(err, "trace /nonexistent-dir/x.trace: No such file or directory");
}
END_TEST

START_TEST(attach_sets_options)
{
    aw_recorder *r = open_rec();
    aw_loop_options o;
    memset(&o, 0, sizeof o);
    aw_recorder_attach(r, &o);
    ck_assert_ptr_eq(o.tracer, aw_recorder_tracer());
    ck_assert_ptr_eq(o.tracer_ud, r);
    aw_recorder_close(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace_recorder");
    TCase *tc = tcase_create("recorder");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, kind_names_match_the_validator);
    tcase_add_test(tc, header_and_events_exact);
    tcase_add_test(tc, file_carried_over);
    tcase_add_test(tc, file_left_out_first_is_refused);
    tcase_add_test(tc, huge_seed_exact);
    tcase_add_test(tc, every_kind_validates);
    tcase_add_test(tc, unknown_reason_is_flagged);
    tcase_add_test(tc, invalid_utf8_is_replaced);
    tcase_add_test(tc, events_before_start_get_a_header);
    tcase_add_test(tc, open_failure_message);
    tcase_add_test(tc, attach_sets_options);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
