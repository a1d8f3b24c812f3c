/* cmd_run.c — `awaitlab run NAME [--clock sim|real] [--seed N] [--trace FILE] [--timestamps]
 * [--vary-cpu F] [--vary-executor F] [--timer-jitter S] [--time-limit S]`.
 *
 * Runs a lesson's main() with aw_run (asyncio.run), on the simulated clock unless told
 * otherwise.  Standard output is exactly what the program prints, so it can be compared with
 * CPython's output (tests/oracle/expected); --timestamps prefixes each line with the loop time
 * since the start, "[S.mmm] ", as the oracle does.  Warnings go to stderr in CPython's words
 * (core's default).  Exit: 0 ok, 1 main raised ("Error: Type: message" on stderr), 2 usage,
 * 10 stopped at the time limit (sim/env.c).
 *
 * A seed picks one of the schedules a lesson is about: a lesson that declares variations
 * (AW_LESSON_VARIES) has them on when a seed is given (--seed or AWAITLAB_SEED), so that `awaitlab
 * run NAME --seed S` replays what `awaitlab explore NAME` found at seed S; without a seed it runs
 * the default schedule, the one CPython shows.  The environment's AWAITLAB_VARY_* and the options
 * below override the lesson's declaration, one variation at a time.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aw_trace_time.h"
#include "cli.h"
#include "cli_lessons.h"
#include "recorder.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab run NAME [--clock sim|real] [--seed N] [--trace FILE] [--timestamps]\n"
               "                    [--vary-cpu F] [--vary-executor F] [--timer-jitter S] [--time-limit S]\n"
               "Runs a lesson (see `awaitlab list`) and prints what it prints.\n"
               "  --clock sim|real  sim (default): virtual time, jumps to the next timer, never waits;\n"
               "                    real: really waits (a 2 s lesson takes 2 s)\n"
               "  --seed N          the simulator's seed, recorded in the trace (default 0); a lesson\n"
               "                    about schedules switches its variations on when a seed is given\n"
               "  --trace FILE      record every scheduling step to FILE (JSON Lines, see\n"
               "                    sim/trace-format.md; replay with `awaitlab tui FILE`)\n"
               "  --timestamps      prefix each line with the loop time since the start, [S.mmm]\n"
               "  --vary-cpu F      the seed varies CPU-bound work: d becomes d*(1 +- F), F in 0..1\n"
               "  --vary-executor F the seed varies executor jobs' durations the same way\n"
               "  --timer-jitter S  the seed makes each wait for a timer up to S seconds late\n"
               "  --time-limit S    stop once the virtual clock passes S seconds (exit 10)\n"
               "exit: 0 ok, 1 the lesson's main() raised, 2 usage error, 10 stopped at the time limit\n");
    return rc;
}


typedef struct run_output {
    bool timestamps;
    int64_t real_start_ns; /* CLOCK_MONOTONIC just before the run: loop time 0 in real mode */
    const aw_lesson *lesson;
} run_output;

/* A warning about a place in the port ("lessons/NAME/lesson.c:14: RuntimeWarning: ...") names
 * the Python line it ports instead, as CPython names the example's line. */
static void on_warning(aw_loop *loop, const char *category, const char *text, void *ud)
{
    (void)loop, (void)category;
    const aw_lesson *l = ((run_output *)ud)->lesson;
    size_t n = strlen(l->c_file);
    if (!strncmp(text, l->c_file, n) && text[n] == ':') {
        char *end;
        long c_line = strtol(text + n + 1, &end, 10);
        if (*end == ':') {
            fprintf(stderr, "%s:%d:%s\n", aw_lesson_python_name(l), aw_lesson_py_line(l, (int)c_line), end + 1);
            return;
        }
    }
    fprintf(stderr, "%s\n", text);
}

static void on_output(aw_loop *loop, const char *line, void *ud)
{
    run_output *o = ud;
    if (o->timestamps) {
        /* The sim clock starts at 0; the real backend's loop time is CLOCK_MONOTONIC.  On the
         * sim clock the time of the code that prints: aw_time(), which in an executor job (run
         * inline) is the job's own clock, as the oracle stamps a worker thread's line.  On the
         * real clock a worker's line comes here from its thread: the loop's clock is readable
         * from any thread. */
        int64_t ns = aw_loop_clock(loop) == AW_CLOCK_SIM ? aw_trace_time_ns(aw_time())
                                                         : aw_loop_time_ns(loop) - o->real_start_ns;
        if (ns < 0) ns = 0;
        /* Truncated to milliseconds, as the oracle stamps CPython's lines. */
        printf("[%lld.%03lld] ", (long long)(ns / 1000000000), (long long)(ns % 1000000000 / 1000000));
    }
    fputs(line, stdout);
    putchar('\n');
    fflush(stdout); /* on the real clock, a line shows when it is printed */
}

int cmd_run(int argc, char **argv)
{
    const char *trace = NULL, *clock = NULL;
    bool seed_given = false;
    uint64_t seed = 0;
    run_output out = {0};
    double vary_cpu = 0, vary_executor = 0, jitter = 0, time_limit = 0;
    bool cpu_given = false, executor_given = false, jitter_given = false, limit_given = false;
    const cli_option opts[] = {
        {"--clock", NULL, CLI_TEXT, "sim|real", &clock},
        {"--seed", NULL, CLI_U64, "N", &seed, "a number", 0, 0, &seed_given},
        {"--trace", NULL, CLI_TEXT, "FILE", &trace, "a file name"},
        {"--timestamps", NULL, CLI_FLAG, NULL, &out.timestamps},
        {"--vary-cpu", NULL, CLI_REAL, "F", &vary_cpu, "a fraction", 0, 1, &cpu_given},
        {"--vary-executor", NULL, CLI_REAL, "F", &vary_executor, "a fraction", 0, 1, &executor_given},
        {"--timer-jitter", NULL, CLI_REAL, "S", &jitter, "seconds", 0, 1000000000, &jitter_given},
        {"--time-limit", NULL, CLI_REAL, "S", &time_limit, "seconds", 0, 1000000000, &limit_given},
    };
    const char *pos[CLI_MAX_POS];
    int npos, prc = cli_parse("run", argc, argv, opts, CLI_COUNT(opts), pos, CLI_MAX_POS, &npos);
    if (prc == CLI_HELP) return usage(stdout, 0);
    if (prc) return prc;
    if (npos > 1) {
        fprintf(stderr, "awaitlab run: one lesson at a time ('%s' and '%s')\n", pos[0], pos[1]);
        return 2;
    }
    const char *name = npos ? pos[0] : NULL;
    if (!name) {
        fprintf(stderr, "awaitlab run: which lesson? valid lessons: ");
        cli_lesson_names(stderr);
        fprintf(stderr, "\n");
        return 2;
    }
    const aw_lesson *lesson = cli_lesson_find("run", name);
    if (!lesson) return 2;

    aw_loop_options o;
    if (aw_loop_options_init(&o) != AW_OK) { /* defaults, then AWAITLAB_CLOCK / _SEED / _TRACE if set */
        fprintf(stderr, "awaitlab run: %s\n", aw_exc_message(aw_exc_current())); /* names the variable */
        aw_exc_clear();
        return 2;
    }
    const char *env_clock = getenv("AWAITLAB_CLOCK");
    if (!env_clock || !*env_clock) o.clock = AW_CLOCK_SIM; /* lessons run on the sim clock by default */
    if (clock) {
        if (strcmp(clock, "sim") == 0) {
            o.clock = AW_CLOCK_SIM;
        } else if (strcmp(clock, "real") == 0) {
            o.clock = AW_CLOCK_REAL;
        } else {
            fprintf(stderr, "awaitlab run: --clock: expected 'sim' or 'real', got '%s'\n", clock);
            return 2;
        }
    }
    if (seed_given) o.seed = seed;
    cli_lesson_vary(lesson, &o, seed_given); /* the lesson's own variations, when seeded */
    if (cpu_given) o.vary.cpu = vary_cpu;
    if (executor_given) o.vary.executor = vary_executor;
    if (jitter_given) o.vary.timer = jitter;
    if (limit_given) o.time_limit = time_limit;
    o.program = lesson->name;
    o.sim_wall_start_ns = lesson->wall_start_ns;
    o.output = on_output;
    o.warning = on_warning;
    out.lesson = lesson;
    o.ud = &out;
    if (trace) {
        char err[512];
        aw_recorder *rec = aw_recorder_open(trace, err, sizeof err);
        if (!rec) {
            fprintf(stderr, "awaitlab run: %s\n", err);
            return 2;
        }
        if (!cli_lesson_record_source(rec, lesson)) {
            fprintf(stderr, "awaitlab run: out of memory\n");
            aw_recorder_close(rec);
            return 2;
        }
        aw_recorder_attach(rec, &o); /* the loop owns it from here and closes it when freed */
    }

    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    out.real_start_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    aw_status st = aw_run(lesson->make_main(), &o, NULL);
    fflush(stdout);
    if (st != AW_OK) {
        aw_exc *e = aw_exc_current();
        const char *msg = aw_exc_message(e);
        /* Python's last traceback line: "Type: message", or just "Type" without a message. */
        fprintf(stderr, "Error: %s%s%s\n", e ? aw_exc_type(e) : "Exception", *msg ? ": " : "", msg);
        aw_exc_clear();
        return 1;
    }
    return 0;
}
