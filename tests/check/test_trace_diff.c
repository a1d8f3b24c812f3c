/* test_trace_diff.c — aw_trace_diff_files() finds the first divergence, shows context from both
 * traces, and returns 0 same / 1 different / 2 error. */
#include "support_core.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace_diff.h"
#include "trace_fmt.h"

static char dir[64], pa[128], pb[128], pout[128];

static void setup(void)
{
    strcpy(dir, "/tmp/aw_trace_diff_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(pa, sizeof pa, "%s/a.trace", dir);
    snprintf(pb, sizeof pb, "%s/b.trace", dir);
    snprintf(pout, sizeof pout, "%s/out.txt", dir);
}

static void teardown(void)
{
    unlink(pa);
    unlink(pb);
    unlink(pout);
    rmdir(dir);
}

/* A trace of n sleeping-task events; event number `change` (1-based, 0: none) gets another
 * deadline, and `seed` goes in the header. */
static void make_trace(const char *path, int n, int change, int seed)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":\"p\",\"clock\":\"sim\",\"seed\":%d,"
               "\"wall_start_ns\":0}\n", seed);
    for (int i = 1; i <= n; i++) {
        if (i == n)
            fprintf(f, "{\"seq\":%d,\"iter\":%d,\"t_ns\":%d,\"ev\":\"loop_close\"}\n", i, i, i * 1000);
        else
            fprintf(f, "{\"seq\":%d,\"iter\":%d,\"t_ns\":%d,\"ev\":\"scheduled\",\"handle\":%d,\"deadline_ns\":%d,"
                       "\"callback\":\"sleep\",\"task\":1,\"future\":null}\n",
                    i, i, i * 1000, i, i == change ? 999999 : i * 1000 + 500);
    }
    fclose(f);
}

/* Cuts the file after its first n lines. */
static void keep_lines(const char *path, int n)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    long at = 0;
    int c;
    while (n > 0 && (c = fgetc(f)) != EOF) {
        at++;
        if (c == '\n') n--;
    }
    fclose(f);
    ck_assert_int_eq(truncate(path, at), 0);
}

static int diff(int context, char **text)
{
    FILE *out = fopen(pout, "w+");
    ck_assert_ptr_nonnull(out);
    int rc = aw_trace_diff_files(pa, pb, context, out);
    fflush(out);
    long n = ftell(out);
    rewind(out);
    *text = calloc(1, (size_t)n + 1);
    ck_assert_int_eq(fread(*text, 1, (size_t)n, out), (size_t)n);
    fclose(out);
    return rc;
}

static int count_lines_starting(const char *text, const char *prefix)
{
    int n = 0;
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, prefix, strlen(prefix)) == 0) n++;
    return n;
}

START_TEST(identical)
{
    make_trace(pa, 20, 0, 1);
    make_trace(pb, 20, 0, 1);
    char *out;
    ck_assert_int_eq(diff(3, &out), AW_DIFF_SAME);
    ck_assert_str_eq(out, "traces are the same: 20 events\n");
    free(out);
}
END_TEST

START_TEST(first_divergence_with_context)
{
    make_trace(pa, 20, 0, 1);
    make_trace(pb, 20, 10, 1);
    char *out;
    ck_assert_int_eq(diff(3, &out), AW_DIFF_DIFFERENT);
    char want[512];
    snprintf(want, sizeof want,
             "first divergence at event #10 (%s:11, %s:11): scheduled; differs in deadline_ns\n", pa,
             pb);
    ck_assert_msg(strstr(out, want), "%s", out);
    /* 3 common events before (#7..#9), the divergent one and 3 after from each file */
    ck_assert_int_eq(count_lines_starting(out, "  #"), 3);
    ck_assert_msg(strstr(out, "  #7 iter 7 t=0.000007s scheduled handle=7 deadline_ns=7500"), "%s", out);
    ck_assert_msg(strstr(out, "- #10 iter 10 t=0.00001s scheduled handle=10 deadline_ns=10500"), "%s", out);
    ck_assert_msg(strstr(out, "+ #10 iter 10 t=0.00001s scheduled handle=10 deadline_ns=999999"), "%s", out);
    ck_assert_int_eq(count_lines_starting(out, "- #"), 4);
    ck_assert_int_eq(count_lines_starting(out, "+ #"), 4);
    ck_assert_msg(strstr(out, "- #13 "), "%s", out);
    ck_assert_msg(!strstr(out, "- #14 "), "%s", out);
    free(out);

    ck_assert_int_eq(diff(0, &out), AW_DIFF_DIFFERENT);
    ck_assert_int_eq(count_lines_starting(out, "  #"), 0);
    ck_assert_int_eq(count_lines_starting(out, "- #"), 1);
    free(out);
}
END_TEST

START_TEST(divergence_at_the_start)
{
    make_trace(pa, 5, 1, 1);
    make_trace(pb, 5, 0, 1);
    char *out;
    ck_assert_int_eq(diff(3, &out), AW_DIFF_DIFFERENT);
    ck_assert_msg(strstr(out, "first divergence at event #1 "), "%s", out);
    ck_assert_int_eq(count_lines_starting(out, "  #"), 0);
    free(out);
}
END_TEST

START_TEST(one_ends_first)
{
    make_trace(pa, 20, 0, 1);
    make_trace(pb, 20, 0, 1);
    keep_lines(pb, 12); /* header + 11 events: b ends early */
    char *out;
    ck_assert_int_eq(diff(2, &out), AW_DIFF_DIFFERENT);
    char want[512];
    snprintf(want, sizeof want, "first divergence at event #12: %s ends after 11 events; %s goes on\n", pb, pa);
    ck_assert_msg(strstr(out, want), "%s", out);
    snprintf(want, sizeof want, "+ (end of %s after 11 events)\n", pb);
    ck_assert_msg(strstr(out, want), "%s", out);
    ck_assert_msg(strstr(out, "note: ") && strstr(out, "unfinished"), "%s", out);
    free(out);
}
END_TEST

START_TEST(header_differences_are_notes)
{
    make_trace(pa, 5, 0, 1);
    make_trace(pb, 5, 0, 2);
    char *out;
    ck_assert_int_eq(diff(3, &out), AW_DIFF_SAME);
    ck_assert_str_eq(out, "note: seed differs: 1 vs 2\ntraces are the same: 5 events\n");
    free(out);
}
END_TEST

START_TEST(same_json_other_spelling)
{
    make_trace(pa, 3, 0, 1);
    FILE *f = fopen(pb, "w");
    fputs("{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":\"p\",\"clock\":\"sim\",\"seed\":1,"
          "\"wall_start_ns\":99}\n"
          "{\"seq\":1,\"iter\":1,\"t_ns\":1000,\"ev\":\"scheduled\",\"future\":null,\"task\":1,\"callback\":\"sleep\","
          "\"deadline_ns\":1500,\"handle\":1}\n"
          "{ \"seq\": 2, \"iter\": 2, \"t_ns\": 2000, \"ev\": \"scheduled\", \"handle\": 2, \"deadline_ns\": 2500, "
          "\"callback\": \"sleep\", \"task\": 1, \"future\": null }\n"
          "{\"seq\":3,\"iter\":3,\"t_ns\":3000,\"ev\":\"loop_close\"}\n",
          f);
    fclose(f);
    char *out;
    ck_assert_int_eq(diff(3, &out), AW_DIFF_SAME);
    free(out);
}
END_TEST

START_TEST(errors)
{
    make_trace(pa, 5, 0, 1);
    FILE *f = fopen(pb, "w");
    fputs("{\"format\":\"awaitlab-trace\",\"version\":9}\n", f);
    fclose(f);
    char *out;
    ck_assert_int_eq(diff(3, &out), AW_DIFF_ERROR);
    ck_assert_msg(strstr(out, "unsupported trace version 9"), "%s", out);
    free(out);

    f = fopen(pb, "w");
    fputs("{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":\"p\",\"clock\":\"sim\",\"seed\":1,"
          "\"wall_start_ns\":0}\n{\"seq\":1}\n",
          f);
    fclose(f);
    ck_assert_int_eq(diff(3, &out), AW_DIFF_ERROR);
    ck_assert_msg(strstr(out, ":2: field 'iter': missing"), "%s", out);
    free(out);

    unlink(pb);
    ck_assert_int_eq(diff(3, &out), AW_DIFF_ERROR);
    ck_assert_msg(strstr(out, "cannot open"), "%s", out);
    free(out);
    ck_assert_int_eq(aw_trace_diff_files(pa, pa, 3, NULL), AW_DIFF_SAME);
}
END_TEST

START_TEST(format_ns)
{
    char b[32];
    ck_assert_str_eq(aw_trace_format_ns(0, b, sizeof b), "0.000s");
    ck_assert_str_eq(aw_trace_format_ns(1500000000, b, sizeof b), "1.500s");
    ck_assert_str_eq(aw_trace_format_ns(1, b, sizeof b), "0.000000001s");
    ck_assert_str_eq(aw_trace_format_ns(-2000000000, b, sizeof b), "-2.000s");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace_diff");
    TCase *tc = tcase_create("diff");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, identical);
    tcase_add_test(tc, first_divergence_with_context);
    tcase_add_test(tc, divergence_at_the_start);
    tcase_add_test(tc, one_ends_first);
    tcase_add_test(tc, header_differences_are_notes);
    tcase_add_test(tc, same_json_other_spelling);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, format_ns);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
