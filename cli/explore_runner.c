/* explore_runner.c — runs seeds in processes, `jobs` at a time (see explore.h).
 *
 * Each run is a process of its own (a lesson: this very program, forked, calls cmd_run; a
 * program: exec'd), so a crash or a leak of one run touches no other, and every run starts from
 * a fresh process, as its replay will.  The parent reads every run's output as it comes (poll),
 * so a run that floods its output never stalls the others; a run that outlives --timeout is
 * killed.  When a run has ended, the parent runs its --check (sh, the output on stdin).  Nothing
 * here depends on the order in which runs finish: explore_report sorts by seed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "awaitlab.h"
#include "cli.h"
#include "explore.h"
#include "recorder.h" /* AW_EXIT_TIME_LIMIT */

int cmd_run(int argc, char **argv);

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void to_null(int fd)
{
    int null = open("/dev/null", O_RDWR);
    if (null >= 0 && null != fd) {
        dup2(null, fd);
        close(null);
    }
}

/* The run itself, in its own process: never returns. */
static void start_run(const explore_job *job, uint64_t seed, int out)
{
    char s[32];
    snprintf(s, sizeof s, "%llu", (unsigned long long)seed);
    dup2(out, 1);
    close(out);
    to_null(0);
    to_null(2); /* N runs' warnings would bury the report: replay a seed to see its stderr */
    unsetenv("AWAITLAB_TRACE"); /* every run would write the same file: replay one to trace it */
    for (char *const *e = job->env; e && *e; e++) putenv(*e);
    if (job->lesson) {
        int argc = 0;
        while (job->argv[argc]) argc++;
        char **argv = calloc((size_t)argc + 3, sizeof *argv);
        if (!argv) _exit(127);
        memcpy(argv, job->argv, (size_t)argc * sizeof *argv);
        argv[argc] = "--seed";
        argv[argc + 1] = s;
        int rc = cmd_run(argc + 2, argv);
        /* _exit after flushing: the process's destructors have nothing to say about one run, and
         * skipping them halves a run's cost.  The time limit's status is sim/env.c's, as at exit. */
        if (fflush(stdout) != 0 && rc == 0) rc = CLI_EXIT_OUTPUT_LOST;
        _exit(aw_time_limit_reached() ? AW_EXIT_TIME_LIMIT : rc);
    }
    setenv("AWAITLAB_SEED", s, 1);
    setenv("AWAITLAB_CLOCK", "sim", 1);
    execvp(job->argv[0], job->argv);
    fprintf(stderr, "awaitlab explore: cannot run '%s': %s\n", job->argv[0], strerror(errno));
    _exit(127);
}

/* sh -c CHECK on the run's output: its exit status (128 + N: killed by signal N; 126: it could
 * not be started). */
static int run_check(const explore_job *job, uint64_t seed, const char *output, size_t len)
{
    FILE *in = tmpfile(); /* a file, not a pipe: a check that reads nothing cannot block us */
    if (!in) return 126;
    if (fwrite(output, 1, len, in) != len || fflush(in) != 0 || fseek(in, 0, SEEK_SET) != 0) {
        fclose(in);
        return 126;
    }
    pid_t pid = fork();
    if (pid == 0) {
        char s[32];
        snprintf(s, sizeof s, "%llu", (unsigned long long)seed);
        setenv("AWAITLAB_SEED", s, 1);
        dup2(fileno(in), 0);
        to_null(1);
        to_null(2);
        execl("/bin/sh", "sh", "-c", job->check, (char *)NULL);
        _exit(127);
    }
    fclose(in);
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) != pid) return 126;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

typedef struct slot {
    pid_t pid;        /* 0: free */
    int fd;           /* the run's standard output; -1 once it is closed */
    uint64_t seed;
    double deadline;  /* real time (CLOCK_MONOTONIC s) when the run is killed; 0: never */
    bool timed_out;
    char *buf;
    size_t len, cap;
} slot;

/* Reads what the run printed; false at the end of its output (or an error: the same). */
static bool slot_read(slot *s)
{
    char chunk[65536];
    ssize_t n = read(s->fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) return true;
    if (n <= 0) return false;
    size_t keep = s->len < EXPLORE_MAX_OUTPUT ? EXPLORE_MAX_OUTPUT - s->len : 0; /* read the rest, drop it */
    if ((size_t)n < keep) keep = (size_t)n;
    if (s->len + keep + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (s->len + keep + 1 > cap) cap *= 2;
        char *b = realloc(s->buf, cap);
        if (!b) return false;
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, chunk, keep);
    s->len += keep;
    return true;
}

/* The run has ended (exit status st): its record. */
static bool slot_finish(const explore_job *job, slot *s, int st, explore_runs *rs)
{
    explore_run r = {s->seed, EXPLORE_EXIT, 0, EXPLORE_NO_CHECK, s->buf ? s->buf : malloc(1), s->len, NULL};
    s->buf = NULL;
    if (!r.output) return false;
    r.output[r.output_len] = '\0';
    if (s->timed_out) {
        r.end = EXPLORE_TIMEOUT;
        r.code = job->timeout;
    } else if (WIFSIGNALED(st)) {
        r.end = EXPLORE_SIGNAL;
        r.code = WTERMSIG(st);
    } else if (WEXITSTATUS(st) == AW_EXIT_TIME_LIMIT) {
        r.end = EXPLORE_TIME_LIMIT;
        r.code = AW_EXIT_TIME_LIMIT;
    } else {
        r.code = WEXITSTATUS(st);
    }
    if (job->check) r.check = run_check(job, r.seed, r.output, r.output_len);
    r.replay = job->replay(job, r.seed, r.end == EXPLORE_TIME_LIMIT || r.end == EXPLORE_TIMEOUT);
    if (r.replay && explore_runs_push(rs, &r)) return true;
    free(r.output);
    free(r.replay);
    fprintf(stderr, "awaitlab explore: out of memory\n");
    return false;
}

static void progress(size_t done, size_t total, bool last)
{
    static int shown = -1;
    int pct = total ? (int)(done * 100 / total) : 100;
    if (pct == shown && !last) return;
    shown = pct;
    int bar = pct * 30 / 100;
    fprintf(stderr, "\rexplore: [%.*s%*s] %zu/%zu runs", bar, "##############################", 30 - bar, "", done, total);
    if (last) fprintf(stderr, "\r\033[K");
    fflush(stderr);
}

static bool slot_start(const explore_job *job, slot *slots, int jobs, int k, uint64_t seed)
{
    int p[2];
    if (pipe(p) != 0) return false;
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return false;
    }
    if (pid == 0) {
        close(p[0]);
        for (int j = 0; j < jobs; j++) /* the other runs' pipes are not this one's */
            if (slots[j].pid && slots[j].fd >= 0) close(slots[j].fd);
        start_run(job, seed, p[1]);
    }
    close(p[1]);
    slots[k] = (slot){.pid = pid, .fd = p[0], .seed = seed, .deadline = job->timeout > 0 ? now_s() + job->timeout : 0};
    return true;
}

bool explore_run_seeds(const explore_job *job, uint64_t first, uint64_t count, uint64_t shard, uint64_t shards,
                       int jobs, explore_runs *rs)
{
    slot *slots = calloc((size_t)jobs, sizeof *slots);
    struct pollfd *pfd = calloc((size_t)jobs, sizeof *pfd);
    int *who = calloc((size_t)jobs, sizeof *who);
    if (!slots || !pfd || !who) {
        free(slots);
        free(pfd);
        free(who);
        fprintf(stderr, "awaitlab explore: out of memory\n");
        return false;
    }
    bool bar = isatty(2);
    size_t total = count > shard ? (size_t)((count - shard - 1) / shards + 1) : 0, done = 0;
    uint64_t next = shard; /* seed index */
    int active = 0;
    bool ok = true;
    fflush(NULL); /* nothing buffered is written twice by the children */
    while (ok && (next < count || active > 0)) {
        for (int k = 0; k < jobs && next < count; k++) {
            if (slots[k].pid) continue;
            if (!slot_start(job, slots, jobs, k, first + next)) {
                fprintf(stderr, "awaitlab explore: cannot start a run: %s\n", strerror(errno));
                ok = false;
                break;
            }
            next += shards;
            active++;
        }
        if (!ok) break;
        /* Wait for output, an end of output, or the nearest deadline.  A run whose output has
         * ended but which has not exited yet is looked at again soon (10 ms). */
        int n = 0, wait_ms = -1;
        double now = now_s();
        for (int k = 0; k < jobs; k++) {
            slot *s = &slots[k];
            if (!s->pid) continue;
            if (s->fd >= 0) {
                pfd[n] = (struct pollfd){s->fd, POLLIN, 0};
                who[n++] = k;
            } else if (wait_ms < 0 || wait_ms > 10) {
                wait_ms = 10;
            }
            if (s->deadline) {
                int ms = s->deadline > now ? (int)((s->deadline - now) * 1000) + 1 : 0;
                if (wait_ms < 0 || ms < wait_ms) wait_ms = ms;
            }
        }
        if (poll(pfd, (nfds_t)n, wait_ms) < 0 && errno != EINTR) {
            ok = false;
            break;
        }
        for (int j = 0; j < n; j++) {
            slot *s = &slots[who[j]];
            if (pfd[j].revents && !slot_read(s)) {
                close(s->fd);
                s->fd = -1;
            }
        }
        now = now_s();
        for (int k = 0; k < jobs; k++) {
            slot *s = &slots[k];
            if (!s->pid) continue;
            if (s->deadline && now >= s->deadline && !s->timed_out) {
                kill(s->pid, SIGKILL);
                s->timed_out = true;
            }
            if (s->fd >= 0 && !s->timed_out) continue; /* still printing */
            int st;
            pid_t w = waitpid(s->pid, &st, s->timed_out ? 0 : WNOHANG);
            if (w == 0 || (w < 0 && errno == EINTR)) continue; /* its output ended; its exit comes */
            if (s->fd >= 0) close(s->fd);
            ok = slot_finish(job, s, st, rs) && ok;
            free(s->buf);
            *s = (slot){0};
            active--;
            done++;
            if (bar) progress(done, total, false);
        }
    }
    for (int k = 0; k < jobs; k++) /* after an error: stop what still runs */
        if (slots[k].pid) {
            kill(slots[k].pid, SIGKILL);
            if (slots[k].fd >= 0) close(slots[k].fd);
            waitpid(slots[k].pid, NULL, 0);
            free(slots[k].buf);
        }
    if (bar) progress(done, total, true);
    free(slots);
    free(pfd);
    free(who);
    return ok;
}
