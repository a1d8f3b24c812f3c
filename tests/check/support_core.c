/* support_core.c — see support_core.h. */
#include "support_core.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

run_log g_log;

static void append(char *buf, size_t cap, size_t *len, const char *text)
{
    size_t n = strlen(text);
    if (*len + n + 1 >= cap) n = cap - *len - 1;
    memcpy(buf + *len, text, n);
    *len += n;
    buf[*len] = '\0';
}

void log_line(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    char stamped[1100];
    aw_loop *loop = aw_current_loop();
    snprintf(stamped, sizeof stamped, "t=%.3f %s\n", loop ? aw_loop_time(loop) : -1.0, line);
    append(g_log.out, sizeof g_log.out, &g_log.out_len, stamped);
}

static void on_output(aw_loop *loop, const char *line, void *ud)
{
    (void)ud;
    char stamped[1100];
    snprintf(stamped, sizeof stamped, "t=%.3f %s\n", aw_loop_time(loop), line);
    append(g_log.out, sizeof g_log.out, &g_log.out_len, stamped);
}

static void on_warning(aw_loop *loop, const char *category, const char *text, void *ud)
{
    (void)loop;
    (void)ud;
    append(g_log.warnings, sizeof g_log.warnings, &g_log.warn_len, category);
    append(g_log.warnings, sizeof g_log.warnings, &g_log.warn_len, ": ");
    append(g_log.warnings, sizeof g_log.warnings, &g_log.warn_len, text);
    append(g_log.warnings, sizeof g_log.warnings, &g_log.warn_len, "\n");
    g_log.n_warnings++;
}

static aw_status run_with(aw_coro *main, aw_clock_kind clock, const aw_tracer *tracer, void *tracer_ud)
{
    memset(&g_log, 0, sizeof g_log);
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = clock;
    o.output = on_output;
    o.warning = on_warning;
    o.tracer = tracer;
    o.tracer_ud = tracer_ud;
    return aw_run(main, &o, NULL);
}

aw_status run_main(aw_coro *main, aw_clock_kind clock) { return run_with(main, clock, NULL, NULL); }
aw_status run_sim(aw_coro *main) { return run_main(main, AW_CLOCK_SIM); }
aw_status run_sim_traced(aw_coro *main, const aw_tracer *tracer, void *ud) { return run_with(main, AW_CLOCK_SIM, tracer, ud); }

/* The Makefile passes the repository's path; tests run from the root otherwise. */
#ifndef AW_SOURCE_DIR
#define AW_SOURCE_DIR "."
#endif

void ck_assert_log_twin(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/check/cpython/%s.expected", AW_SOURCE_DIR, name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    static char want[sizeof g_log.out];
    size_t n = fread(want, 1, sizeof want - 1, f);
    ck_assert_msg(feof(f) && !ferror(f), "%s: unreadable or longer than the log buffer", path);
    fclose(f);
    want[n] = '\0';
    ck_assert_msg(n > 0, "%s is empty", path);
    ck_assert_str_eq(g_log.out, want);
}

int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int run_in_child(aw_status (*run)(aw_coro *), aw_coro *(*make)(void), char *err, size_t cap)
{
    int pipefd[2];
    ck_assert_int_eq(pipe(pipefd), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        run(make());
        _exit(0);
    }
    close(pipefd[1]);
    size_t len = 0;
    ssize_t n;
    while (len < cap - 1 && (n = read(pipefd[0], err + len, cap - 1 - len)) > 0) len += (size_t)n;
    err[len] = '\0';
    close(pipefd[0]);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return status;
}
