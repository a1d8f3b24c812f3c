/* explore_runner.c — runs seeds in worker processes (see explore.h).
 *
 * Each run gets a supervisor process, `jobs` of them at a time.  The supervisor starts the run
 * (a lesson: this very program, forked, calls cmd_run; a program: exec'd), collects what it
 * prints, waits for its end, runs the --check command on the output, and sends one record back
 * through a pipe: how the run ended, the check's status, the output.  The parent only reads
 * records, so a run that crashes, hangs or floods its output never stalls the others; a run
 * that outlives --timeout is killed by its supervisor.  Nothing here depends on the order in
 * which runs finish: explore_report sorts by seed. */
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

/* What a supervisor sends before the output. */
typedef struct record_head {
    int32_t end, code, check;
    uint64_t len;
} record_head;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
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

/* Reads the run's output until it ends or the deadline passes (then kills it). */
static bool collect(int fd, pid_t pid, int timeout, char **buf, size_t *len)
{
    size_t cap = 4096;
    *buf = malloc(cap + 1);
    *len = 0;
    if (!*buf) return false;
    double deadline = timeout > 0 ? now_s() + timeout : 0;
    bool timed_out = false;
    for (;;) {
        int wait_ms = -1;
        if (deadline) {
            double left = deadline - now_s();
            if (left <= 0) {
                kill(pid, SIGKILL);
                timed_out = true;
                break;
            }
            wait_ms = (int)(left * 1000) + 1;
        }
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, wait_ms);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) continue;
        char chunk[65536];
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        size_t keep = *len < EXPLORE_MAX_OUTPUT ? EXPLORE_MAX_OUTPUT - *len : 0; /* read the rest, drop it */
        if ((size_t)n < keep) keep = (size_t)n;
        if (*len + keep > cap) {
            while (*len + keep > cap) cap *= 2;
            char *b = realloc(*buf, cap + 1);
            if (!b) return false;
            *buf = b;
        }
        memcpy(*buf + *len, chunk, keep);
        *len += keep;
    }
    (*buf)[*len] = '\0';
    return !timed_out;
}

static int run_check(const explore_job *job, uint64_t seed, const char *output, size_t len)
{
    FILE *in = tmpfile();
    if (!in || fwrite(output, 1, len, in) != len || fflush(in) != 0 || fseek(in, 0, SEEK_SET) != 0) return 126;
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

/* The supervisor of one run, in its own process: never returns. */
static void supervise(const explore_job *job, uint64_t seed, int report)
{
    int p[2];
    if (pipe(p) != 0) _exit(3);
    pid_t pid = fork();
    if (pid < 0) _exit(3);
    if (pid == 0) {
        close(p[0]);
        close(report);
        start_run(job, seed, p[1]);
    }
    close(p[1]);
    char *out;
    size_t len;
    bool ended = collect(p[0], pid, job->timeout, &out, &len);
    if (!out) _exit(3);
    close(p[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) _exit(3);
    record_head h = {EXPLORE_EXIT, 0, EXPLORE_NO_CHECK, len};
    if (!ended) {
        h.end = EXPLORE_TIMEOUT;
        h.code = job->timeout;
    } else if (WIFSIGNALED(st)) {
        h.end = EXPLORE_SIGNAL;
        h.code = WTERMSIG(st);
    } else if (WEXITSTATUS(st) == AW_EXIT_TIME_LIMIT) {
        h.end = EXPLORE_TIME_LIMIT;
        h.code = AW_EXIT_TIME_LIMIT;
    } else {
        h.code = WEXITSTATUS(st);
    }
    if (job->check) h.check = run_check(job, seed, out, len);
    _exit(write_all(report, &h, sizeof h) && write_all(report, out, len) ? 0 : 3);
}

typedef struct slot {
    pid_t pid;
    int fd;
    uint64_t seed;
    char *buf;
    size_t len, cap;
} slot;

static bool slot_read(slot *s)
{
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        char *b = realloc(s->buf, cap);
        if (!b) return false;
        s->buf = b;
        s->cap = cap;
    }
    ssize_t n = read(s->fd, s->buf + s->len, s->cap - s->len);
    if (n < 0 && errno == EINTR) return true;
    if (n <= 0) return false;
    s->len += (size_t)n;
    return true;
}

/* The supervisor's record, as a run; false if it sent none (it could not start the run). */
static bool slot_finish(const explore_job *job, slot *s, explore_runs *rs)
{
    close(s->fd);
    int st;
    while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR) {}
    record_head h;
    bool ok = s->len >= sizeof h;
    if (ok) memcpy(&h, s->buf, sizeof h);
    ok = ok && h.len == s->len - sizeof h;
    explore_run r = {0};
    if (ok) {
        r = (explore_run){s->seed, h.end, h.code, h.check, malloc(h.len + 1), h.len, NULL};
        if (r.output) {
            memcpy(r.output, s->buf + sizeof h, h.len);
            r.output[h.len] = '\0';
        }
        r.replay = job->replay(job, s->seed, h.end == EXPLORE_TIME_LIMIT || h.end == EXPLORE_TIMEOUT);
        ok = r.output && r.replay && explore_runs_push(rs, &r);
        if (!ok) {
            free(r.output);
            free(r.replay);
        }
    }
    if (!ok)
        fprintf(stderr, "awaitlab explore: the run of seed %llu could not be started or reported\n",
                (unsigned long long)s->seed);
    free(s->buf);
    *s = (slot){0};
    return ok;
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

bool explore_run_seeds(const explore_job *job, uint64_t first, uint64_t count, uint64_t shard, uint64_t shards,
                       int jobs, explore_runs *rs)
{
    slot *slots = calloc((size_t)jobs, sizeof *slots);
    struct pollfd *pfd = calloc((size_t)jobs, sizeof *pfd);
    if (!slots || !pfd) {
        free(slots);
        free(pfd);
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
            int p[2];
            if (pipe(p) != 0) {
                ok = false;
                break;
            }
            pid_t pid = fork();
            if (pid < 0) {
                close(p[0]);
                close(p[1]);
                ok = false;
                break;
            }
            if (pid == 0) {
                close(p[0]);
                for (int j = 0; j < jobs; j++) /* the other runs' pipes are not this one's */
                    if (slots[j].pid) close(slots[j].fd);
                supervise(job, first + next, p[1]);
            }
            close(p[1]);
            slots[k] = (slot){pid, p[0], first + next, NULL, 0, 0};
            next += shards;
            active++;
        }
        if (!ok) {
            fprintf(stderr, "awaitlab explore: cannot start a run: %s\n", strerror(errno));
            break;
        }
        int n = 0;
        for (int k = 0; k < jobs; k++)
            if (slots[k].pid) pfd[n++] = (struct pollfd){slots[k].fd, POLLIN, 0};
        if (poll(pfd, (nfds_t)n, -1) < 0 && errno != EINTR) {
            ok = false;
            break;
        }
        for (int k = 0; k < jobs; k++) {
            if (!slots[k].pid) continue;
            int j = 0;
            while (j < n && pfd[j].fd != slots[k].fd) j++;
            if (j == n || !pfd[j].revents) continue;
            if (slot_read(&slots[k])) continue;
            ok = slot_finish(job, &slots[k], rs) && ok;
            active--;
            done++;
            if (bar) progress(done, total, false);
        }
    }
    for (int k = 0; k < jobs; k++) /* after an error: stop what still runs */
        if (slots[k].pid) {
            kill(slots[k].pid, SIGKILL);
            close(slots[k].fd);
            waitpid(slots[k].pid, NULL, 0);
            free(slots[k].buf);
        }
    if (bar) progress(done, total, true);
    free(slots);
    free(pfd);
    return ok;
}
