/* cmd_explore.c — `awaitlab explore NAME|PROGRAM [ARGS...] --runs N ...` and
 * `awaitlab explore merge FILES...`.
 *
 * Runs N seeds of a lesson (in-process, as `awaitlab run NAME --seed S` would) or of a program
 * linked with the sim library (exec'd with AWAITLAB_SEED=S AWAITLAB_CLOCK=sim), J at a time,
 * and prints each distinct outcome once: how many runs had it, its first seed and the command
 * that replays it, and what it printed (explore_outcomes.c).  Every run has a virtual time limit
 * (a run past it is a hang) and a real-time timeout.  Exit: 0 when every run exited 0 and passed
 * its check; 1 when any failed its check, crashed, hung or exited non-zero; 2 usage; 3 a run
 * could not be started or its results not written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "decimal.h"
#include "explore.h"
#include "lessons.h"

#define DEFAULT_TIME_LIMIT 3600.0 /* virtual seconds: an hour of simulated time is a hang */
#define DEFAULT_TIMEOUT 60        /* real seconds */

static int usage(FILE *f, int rc)
{
    fprintf(f,
            "usage: awaitlab explore NAME|PROGRAM [ARGS...] --runs N [--jobs J] [--check CMD] [--first-seed S]\n"
            "                        [--shard K/N] [--out FILE] [--vary-cpu F] [--vary-executor F]\n"
            "                        [--timer-jitter S] [--time-limit S] [--timeout S]\n"
            "       awaitlab explore merge FILES...\n"
            "Runs N seeds of a lesson, or of a program linked with the sim library (a path: ./prog; it runs\n"
            "with AWAITLAB_SEED=S AWAITLAB_CLOCK=sim), and prints each distinct outcome once: its count,\n"
            "first seed, how it ended, the command that replays it, and its output indented below; then\n"
            "`explore: N runs, K distinct outcomes`.  Outcomes differ by output, exit, crash, hang or check.\n"
            "  --runs N          seeds S .. S+N-1 (S: --first-seed, default 0)\n"
            "  --jobs J          J runs at a time, each in its own process (default 1)\n"
            "  --check CMD       sh -c CMD after each run, its output on stdin and AWAITLAB_SEED set;\n"
            "                    a non-zero exit is a failed check\n"
            "  --shard K/N       only the seeds whose index i (0..N-1 runs) has i mod N = K\n"
            "  --out FILE        also write each run as a JSON line, for `awaitlab explore merge`\n"
            "  --vary-cpu F, --vary-executor F, --timer-jitter S\n"
            "                    what the seed varies (as `awaitlab run`); a lesson has its own by default\n"
            "  --time-limit S    virtual seconds after which a run is a hang (default %g, or\n"
            "                    AWAITLAB_TIME_LIMIT)\n"
            "  --timeout S       real seconds after which a run is killed as a hang (default %d; 0: never)\n"
            "merge: the runs of --out files, grouped exactly as one explore of all their seeds prints them.\n"
            "exit: 0 every run exited 0 (and passed --check), 1 some run failed, crashed or hung,\n"
            "2 usage error, 3 a run could not be started or --out not written\n",
            DEFAULT_TIME_LIMIT, DEFAULT_TIMEOUT);
    return rc;
}

/* The shortest decimal that reads back as x (the replay commands must give the same doubles). */
static void fmt_real(double x, char *buf, size_t n)
{
    if (x == (double)(long long)x && x < 1e15) { /* whole seconds as people write them: 3600, not 3.6e+03 */
        snprintf(buf, n, "%lld", (long long)x);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) return;
    }
}

/* An argument as sh reads it back: quoted when it has anything but plain characters. */
static void put_arg(FILE *f, const char *a)
{
    if (*a && strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:,+-@%") == strlen(a)) {
        fputs(a, f);
        return;
    }
    fputc('\'', f);
    for (; *a; a++)
        if (*a == '\'') fputs("'\\''", f);
        else fputc(*a, f);
    fputc('\'', f);
}

typedef struct explore_ctx {
    const char *name;     /* lesson or program */
    char **prog_argv;     /* program: its argv */
    char vary[3][40];     /* the variations given, as text ("" when not given) */
    char limit[40];
} explore_ctx;

static const char *const vary_opt[3] = {"--vary-cpu", "--vary-executor", "--timer-jitter"};
static const char *const vary_env[3] = {"AWAITLAB_VARY_CPU", "AWAITLAB_VARY_EXECUTOR", "AWAITLAB_TIMER_JITTER"};

static char *replay(const explore_job *job, uint64_t seed, bool hang)
{
    const explore_ctx *c = job->ctx;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return NULL;
    if (job->lesson) {
        fprintf(f, "awaitlab run %s --seed %llu", c->name, (unsigned long long)seed);
        for (int i = 0; i < 3; i++)
            if (*c->vary[i]) fprintf(f, " %s %s", vary_opt[i], c->vary[i]);
        if (hang) fprintf(f, " --time-limit %s", c->limit);
    } else {
        fprintf(f, "AWAITLAB_CLOCK=sim AWAITLAB_SEED=%llu", (unsigned long long)seed);
        for (int i = 0; i < 3; i++)
            if (*c->vary[i]) fprintf(f, " %s=%s", vary_env[i], c->vary[i]);
        if (hang) fprintf(f, " AWAITLAB_TIME_LIMIT=%s", c->limit);
        for (char **a = c->prog_argv; *a; a++) {
            fputc(' ', f);
            put_arg(f, *a);
        }
    }
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static int merge(int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    int npos, prc = cli_parse("explore merge", argc, argv, NULL, 0, pos, CLI_MAX_POS, &npos);
    if (prc == CLI_HELP) return usage(stdout, 0);
    if (prc) return prc;
    if (!npos) {
        fprintf(stderr, "awaitlab explore merge: which files? (written by `awaitlab explore --out FILE`)\n");
        return 2;
    }
    explore_runs rs = {0};
    for (int i = 0; i < npos; i++)
        if (!explore_read_runs(pos[i], &rs)) {
            explore_runs_free(&rs);
            return 2;
        }
    int rc = explore_report(stdout, &rs);
    explore_runs_free(&rs);
    return rc < 0 ? 2 : rc;
}

static bool parse_shard(const char *s, uint64_t *k, uint64_t *n)
{
    const char *slash = s ? strchr(s, '/') : NULL;
    char a[32];
    if (!slash || (size_t)(slash - s) >= sizeof a) return false;
    memcpy(a, s, (size_t)(slash - s));
    a[slash - s] = '\0';
    return aw_parse_u64(a, k) && aw_parse_u64(slash + 1, n) && *n >= 1 && *k < *n;
}

int cmd_explore(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "merge")) return merge(argc - 1, argv + 1);
    uint64_t runs = 0, first = 0;
    long long jobs = 1, timeout = DEFAULT_TIMEOUT;
    const char *check = NULL, *shard_text = NULL, *out = NULL;
    double vary[3] = {0}, limit = DEFAULT_TIME_LIMIT;
    bool runs_given = false, vary_given[3] = {false}, limit_given = false;
    const char *env_limit = getenv("AWAITLAB_TIME_LIMIT");
    if (env_limit && *env_limit) limit = strtod(env_limit, NULL); /* the runs check it themselves */
    const cli_option opts[] = {
        {"--runs", NULL, CLI_U64, "N", &runs, "a number", 0, 0, &runs_given},
        {"--jobs", "-j", CLI_INT, "J", &jobs, "a number of processes", 1, 1024},
        {"--check", NULL, CLI_TEXT, "CMD", &check, "a shell command"},
        {"--first-seed", NULL, CLI_U64, "S", &first, "a number"},
        {"--shard", NULL, CLI_TEXT, "K/N", &shard_text, "K/N"},
        {"--out", "-o", CLI_TEXT, "FILE", &out, "a file name"},
        {"--vary-cpu", NULL, CLI_REAL, "F", &vary[0], "a fraction", 0, 1, &vary_given[0]},
        {"--vary-executor", NULL, CLI_REAL, "F", &vary[1], "a fraction", 0, 1, &vary_given[1]},
        {"--timer-jitter", NULL, CLI_REAL, "S", &vary[2], "seconds", 0, 1000000000, &vary_given[2]},
        {"--time-limit", NULL, CLI_REAL, "S", &limit, "seconds", 0, 1000000000, &limit_given},
        {"--timeout", NULL, CLI_INT, "S", &timeout, "seconds", 0, 86400},
    };
    const char *pos[CLI_MAX_POS];
    int npos, prc = cli_parse("explore", argc, argv, opts, CLI_COUNT(opts), pos, CLI_MAX_POS, &npos);
    if (prc == CLI_HELP) return usage(stdout, 0);
    if (prc) return prc;
    if (!npos) {
        fprintf(stderr, "awaitlab explore: which lesson or program? (see `awaitlab explore --help`)\n");
        return 2;
    }
    if (!runs_given || runs == 0) {
        fprintf(stderr, "awaitlab explore: --runs N is needed (N >= 1 seeds to run)\n");
        return 2;
    }
    if (first + (runs - 1) < first) {
        fprintf(stderr, "awaitlab explore: --first-seed %llu with --runs %llu goes past the last seed\n",
                (unsigned long long)first, (unsigned long long)runs);
        return 2;
    }
    uint64_t shard = 0, shards = 1;
    if (shard_text && !parse_shard(shard_text, &shard, &shards)) {
        fprintf(stderr, "awaitlab explore: --shard: expected K/N with 0 <= K < N (e.g. 0/4), got '%s'\n", shard_text);
        return 2;
    }
    if (!(limit > 0)) {
        fprintf(stderr, "awaitlab explore: --time-limit: expected seconds > 0 (a run needs a limit)\n");
        return 2;
    }

    explore_ctx ctx = {.name = pos[0]};
    const aw_lesson *lesson = aw_lesson_find(pos[0]);
    if (lesson && npos > 1) {
        fprintf(stderr, "awaitlab explore: lesson '%s' takes no arguments ('%s')\n", pos[0], pos[1]);
        return 2;
    }
    if (!lesson && !strchr(pos[0], '/')) {
        fprintf(stderr, "awaitlab explore: '%s' is not a lesson (see `awaitlab list`); a program is named by "
                        "its path (./%s)\n", pos[0], pos[0]);
        return 2;
    }
    struct stat sb;
    if (!lesson && (access(pos[0], X_OK) != 0 || stat(pos[0], &sb) != 0 || !S_ISREG(sb.st_mode))) {
        fprintf(stderr, "awaitlab explore: '%s' is not an executable program\n", pos[0]);
        return 2;
    }
    for (int i = 0; i < 3; i++)
        if (vary_given[i]) fmt_real(vary[i], ctx.vary[i], sizeof ctx.vary[i]);
    fmt_real(limit, ctx.limit, sizeof ctx.limit);

    /* A lesson: `run NAME --clock sim --time-limit L [--vary-... F]` (the runner adds --seed S); a program: its
     * argv, with the limit and the variations in its environment. */
    char *argv_run[14], *env[5], env_text[4][80];
    int na = 0, ne = 0;
    explore_job job = {.lesson = lesson != NULL, .check = check, .timeout = (int)timeout, .replay = replay, .ctx = &ctx};
    if (lesson) {
        argv_run[na++] = "run";
        argv_run[na++] = (char *)pos[0];
        argv_run[na++] = "--clock"; /* whatever AWAITLAB_CLOCK says: seeds are simulated schedules */
        argv_run[na++] = "sim";
        argv_run[na++] = "--time-limit";
        argv_run[na++] = ctx.limit;
        for (int i = 0; i < 3; i++)
            if (vary_given[i]) {
                argv_run[na++] = (char *)vary_opt[i];
                argv_run[na++] = ctx.vary[i];
            }
        argv_run[na] = NULL;
        job.argv = argv_run;
    } else {
        job.argv = calloc((size_t)npos + 1, sizeof *job.argv);
        if (!job.argv) return 3;
        for (int i = 0; i < npos; i++) job.argv[i] = (char *)pos[i];
        ctx.prog_argv = job.argv;
        snprintf(env_text[ne], sizeof env_text[ne], "AWAITLAB_TIME_LIMIT=%s", ctx.limit);
        env[ne] = env_text[ne];
        ne++;
        for (int i = 0; i < 3; i++)
            if (vary_given[i]) {
                snprintf(env_text[ne], sizeof env_text[ne], "%s=%s", vary_env[i], ctx.vary[i]);
                env[ne] = env_text[ne];
                ne++;
            }
        env[ne] = NULL;
        job.env = env;
    }

    explore_runs rs = {0};
    bool ran = explore_run_seeds(&job, first, runs, shard, shards, (int)jobs, &rs);
    int rc = ran ? 0 : 3;
    if (ran && out && !explore_write_runs(out, &rs)) rc = 3;
    if (ran) {
        int r = explore_report(stdout, &rs);
        if (rc == 0) rc = r < 0 ? 3 : r;
    }
    explore_runs_free(&rs);
    if (!lesson) free(job.argv);
    return rc;
}
