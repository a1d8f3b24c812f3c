/* support_core.h — helpers for core's Check suites: run a program on the simulated clock and
 * collect what it prints, each line stamped with its virtual time. */
#ifndef AW_SUPPORT_CORE_H
#define AW_SUPPORT_CORE_H

#include <check.h>
#include <stdbool.h>

#include "awaitlab.h"

/* What a run printed: "t=1.000 hello\n..." (output lines) and the warnings it raised. */
typedef struct run_log {
    char out[32768];
    size_t out_len;
    char warnings[8192];
    size_t warn_len;
    int n_warnings;
} run_log;

extern run_log g_log;

/* aw_run(main) on a fresh simulated loop whose output and warnings go to g_log (cleared first).
 * `clock` is AW_CLOCK_SIM or AW_CLOCK_REAL. */
aw_status run_main(aw_coro *main, aw_clock_kind clock);
aw_status run_sim(aw_coro *main);
/* run_sim with a tracer: core then takes its traced paths (every step a handle, every event told). */
aw_status run_sim_traced(aw_coro *main, const aw_tracer *tracer, void *ud);

/* Runs run(make()) in a child process, its stderr collected into err (NUL-terminated, cut at
 * cap - 1 bytes), and returns the child's wait status: for runs that must end the process (the
 * test checks how, and what it said).  The coroutine is made in the child, so the parent holds
 * nothing of it. */
int run_in_child(aw_status (*run)(aw_coro *), aw_coro *(*make)(void), char *err, size_t cap);

/* A line the test itself adds to g_log (for callbacks that run outside any coroutine). */
void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a suite and return the process's exit status (0: all passed). */
int run_suite(Suite *s);

#define ck_assert_log(expected) ck_assert_str_eq(g_log.out, (expected))

/* The log must equal tests/check/cpython/NAME.expected: the order CPython printed for the test's
 * Python twin (tests/scripts/test_core_cpython_twins.sh keeps that file equal to CPython's output),
 * read at run time so that the C test and the twin cannot drift apart. */
void ck_assert_log_twin(const char *name);

#endif
