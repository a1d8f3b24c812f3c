/* test_trace_file_map.c — a trace file written through its mapping (sim/file_map.h) holds the
 * bytes write() would have written, across the mapping's 4 MiB windows (made ready by a helper
 * thread, their pages recycled: sim/window_ahead.h, sim/file_window.h); while the recorder is
 * open the file ends in zeros and what precedes them is whole lines; closed, it is trimmed; a
 * file that cannot grow falls back to write(), which reports the loss (exit status 9); the
 * helper blocks every signal and is gone once the recorder is closed; and a forked child leaves
 * the file and the helper to its parent. */
#include "support_core.h"
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../sim/file_map.h"
#include "../../sim/recorder.h"
#include "trace_read.h"

/* A temporary folder per test, and the files a test may make in it. */
static char dir[64];
enum { MAPPED, WRITTEN, ERRORS, N_FILES };
static const char *const file_names[N_FILES] = {"mapped.trace", "written.trace", "stderr.txt"};
static char files[N_FILES][128];
#define mapped files[MAPPED]
#define written files[WRITTEN]
#define errors files[ERRORS]

static void setup(void)
{
    strcpy(dir, "/tmp/aw_trace_map_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    for (int i = 0; i < N_FILES; i++) snprintf(files[i], sizeof files[i], "%s/%s", dir, file_names[i]);
}

static void teardown(void)
{
    for (int i = 0; i < N_FILES; i++) unlink(files[i]);
    rmdir(dir);
}

static off_t size_of(const char *p)
{
    struct stat st;
    ck_assert_int_eq(stat(p, &st), 0);
    return st.st_size;
}

static void ev(aw_recorder *r, aw_event e) { aw_recorder_tracer()->on_event(r, &e); }

/* Iterations of a few events each, `n` events in all (about 100 bytes an event). */
static void record(aw_recorder *r, long n)
{
    aw_recorder_tracer()->on_start(r, "map", "sim", 1, 0);
    ev(r, (aw_event){.kind = AW_EV_LOOP_START, .text = "sim"});
    for (long i = 1; i < n; i++) {
        long it = i / 4;
        if (i % 4 == 0) ev(r, (aw_event){.kind = AW_EV_ITERATION, .iteration = it, .time = it * 1e-3});
        else ev(r, (aw_event){.kind = AW_EV_HANDLE_RUN, .iteration = it, .time = it * 1e-3, .handle = (unsigned)i,
                              .name = "task_step", .task = 2, .file = "bench/x.c", .line = (int)(i % 7) + 1});
    }
}

/* The file's bytes, and where its text ends (the first zero byte, or its length). */
static char *slurp(const char *p, size_t *len, size_t *text)
{
    FILE *f = fopen(p, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = (size_t)size_of(p);
    char *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(fread(s, 1, n, f), n);
    fclose(f);
    s[n] = '\0';
    *len = n;
    *text = strlen(s);
    return s;
}

/* The mapped file, closed, holds exactly the bytes of its write() twin: no zeros left. */
static void assert_written_bytes(void)
{
    size_t len, text, wlen, wtext;
    char *s = slurp(mapped, &len, &text), *t = slurp(written, &wlen, &wtext);
    ck_assert_uint_eq(len, text);
    ck_assert_uint_eq(len, wlen);
    ck_assert(memcmp(s, t, len) == 0);
    free(s);
    free(t);
}

START_TEST(mapped_bytes_are_the_written_bytes)
{
    long n = 200000; /* ~20 MB: the output crosses windows, and the early ones are recycled */
    char err[256];
    aw_recorder *m = aw_recorder_open(mapped, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    int fd = open(written, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    aw_recorder *w = aw_recorder_open_fd(fd, 1); /* a descriptor: always write() */
    record(m, n);
    record(w, n);
    ck_assert_uint_gt(aw_recorder_bytes(m), 4 * AW_FILE_MAP_WINDOW);

    /* Open: whole lines, then zeros to the end of the preallocated window. */
    size_t len, text;
    char *s = slurp(mapped, &len, &text);
    ck_assert_uint_gt(len, text);
    ck_assert_uint_eq(len % AW_FILE_MAP_WINDOW, 0);
    ck_assert_int_eq(s[text - 1], '\n');
    size_t nonzero = 0;
    for (size_t i = text; i < len; i++) nonzero += s[i] != 0;
    ck_assert_uint_eq(nonzero, 0);
    free(s);
    char msg[512];
    ck_assert_int_eq(aw_trace_validate_file(mapped, msg, sizeof msg, NULL), AW_TRACE_TRUNCATED);
    ck_assert_msg(strstr(msg, "zero bytes") != NULL, "%s", msg);

    uint64_t bytes = aw_recorder_bytes(m);
    aw_recorder_close(m);
    aw_recorder_close(w);
    ck_assert_int_eq(size_of(mapped), (off_t)bytes);
    assert_written_bytes();
    ck_assert_int_eq(aw_trace_validate_file(mapped, msg, sizeof msg, NULL), AW_TRACE_UNFINISHED);
}
END_TEST

START_TEST(devices_and_pipes_are_written)
{
    char err[256];
    aw_recorder *r = aw_recorder_open("/dev/null", err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    record(r, 1000);
    aw_recorder_close(r);
    ck_assert_uint_eq(aw_recorder_failures(), 0);
}
END_TEST

/* A file that may not grow past 6 MiB (RLIMIT_FSIZE): the mapping's second window cannot be
 * preallocated, write() takes over from the first window's end and fails at 6 MiB, and the loss
 * is reported.  In a child: the limit and the failure count are the process's. */
START_TEST(a_file_that_cannot_grow_fails_loudly)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int e = open(errors, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (e < 0 || dup2(e, 2) < 0) _exit(20);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {6 << 20, 6 << 20};
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(21);
        char err[256];
        aw_recorder *r = aw_recorder_open(mapped, err, sizeof err);
        if (!r) _exit(22);
        record(r, 90000); /* ~9 MB */
        aw_recorder_close(r);
        _exit(aw_recorder_failures() == 1 ? AW_EXIT_TRACE_LOST : 23);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == AW_EXIT_TRACE_LOST, "child status %d", st);
    size_t len, text;
    char *s = slurp(errors, &len, &text);
    ck_assert_msg(strstr(s, "mapped.trace: write failed: File too large; tracing stops") != NULL, "%s", s);
    free(s);
    ck_assert_int_eq(size_of(mapped), 6 << 20); /* everything up to the limit, no zeros */
    s = slurp(mapped, &len, &text);
    ck_assert_uint_eq(len, text);
    free(s);
    char msg[512];
    ck_assert_int_eq(aw_trace_validate_file(mapped, msg, sizeof msg, NULL), AW_TRACE_TRUNCATED);
}
END_TEST

/* The threads of this process (the test runs in a process of its own: Check forks). */
static int count_threads(void)
{
    DIR *d = opendir("/proc/self/task");
    ck_assert_ptr_nonnull(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* The helper thread's blocked signals, from /proc (the one thread that is not this one). */
static unsigned long long helper_blocked_signals(void)
{
    DIR *d = opendir("/proc/self/task");
    ck_assert_ptr_nonnull(d);
    char status[300] = "";
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.' && atol(e->d_name) != (long)getpid())
            snprintf(status, sizeof status, "/proc/self/task/%s/status", e->d_name);
    closedir(d);
    ck_assert_msg(status[0], "no helper thread");
    FILE *f = fopen(status, "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    unsigned long long blocked = 0;
    bool found = false;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "SigBlk: %llx", &blocked) == 1) found = true;
    fclose(f);
    ck_assert(found);
    return blocked;
}

/* A trace that stays small costs no thread; one that grows gets a helper, which blocks every
 * signal a program may handle or be stopped by (none of its handlers may run there, and a
 * SIGXFSZ of its fallocate must not kill the program) and is joined when the recorder closes. */
START_TEST(the_helper_thread_blocks_signals_and_is_joined)
{
    char err[256];
    aw_recorder *m = aw_recorder_open(mapped, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    record(m, 2000);
    ck_assert_int_eq(count_threads(), 1);
    record(m, 20000); /* ~2 MB: past AW_FILE_MAP_AHEAD_AT, the next window is asked for */
    ck_assert_uint_gt(aw_recorder_bytes(m), AW_FILE_MAP_AHEAD_AT);
    ck_assert_int_eq(count_threads(), 2);
    unsigned long long blocked = helper_blocked_signals();
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGPIPE, SIGXFSZ, SIGRTMIN + 2};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        ck_assert_msg(blocked & (1ull << (sigs[i] - 1)), "signal %d is not blocked (SigBlk %llx)", sigs[i], blocked);
    uint64_t bytes = aw_recorder_bytes(m);
    aw_recorder_close(m);
    ck_assert_int_eq(count_threads(), 1);
    ck_assert_int_eq(size_of(mapped), (off_t)bytes); /* trimmed after the helper stopped */
}
END_TEST

/* A forked child inherits the mapping: it writes nothing into the parent's file, and closing
 * its copy of the recorder neither trims the file nor counts as a loss. */
START_TEST(a_forked_child_leaves_the_file_to_its_parent)
{
    char err[256];
    aw_recorder *m = aw_recorder_open(mapped, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    int fd = open(written, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    aw_recorder *w = aw_recorder_open_fd(fd, 1);
    record(m, 50000); /* past the first window: the helper thread runs (and is not in the child) */
    record(w, 50000);
    ck_assert_int_eq(count_threads(), 2);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        ev(m, (aw_event){.kind = AW_EV_ITERATION, .iteration = 99999, .time = 99.0});
        ev(m, (aw_event){.kind = AW_EV_ITERATION, .iteration = 100000, .time = 100.0});
        aw_recorder_close(m);
        aw_recorder_close(w); /* drops the parent's pending lines: they are the parent's to write */
        _exit(aw_recorder_failures() == 0 ? 0 : 1);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
    /* the parent goes on in the file (had the child trimmed it, this would be past its end) */
    for (long i = 1; i <= 3000; i++) {
        aw_event e = {.kind = AW_EV_ITERATION, .iteration = 1000 + i, .time = 10.0 + i};
        aw_recorder_tracer()->on_event(m, &e);
        aw_recorder_tracer()->on_event(w, &e);
    }
    aw_recorder_close(m);
    aw_recorder_close(w);
    assert_written_bytes();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace_file_map");
    TCase *tc = tcase_create("file_map");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, mapped_bytes_are_the_written_bytes);
    tcase_add_test(tc, devices_and_pipes_are_written);
    tcase_add_test(tc, a_file_that_cannot_grow_fails_loudly);
    tcase_add_test(tc, the_helper_thread_blocks_signals_and_is_joined);
    tcase_add_test(tc, a_forked_child_leaves_the_file_to_its_parent);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
