/* explore.h — `awaitlab explore`: many seeds of one program, grouped by what they did.
 *
 *   explore_runner.c    runs seeds, each in a process of its own, J at a time, and collects each run
 *   explore_outcomes.c  groups runs into outcomes and prints them (explore and explore merge)
 *   explore_shard.c     one JSON line per run (--out), read back by `explore merge`
 *   cmd_explore.c       the command line
 *
 * A run is identified by its seed alone: the same seed, options and program give the same run,
 * byte for byte, so an outcome is replayed from its first seed, and shards on other machines
 * merge into exactly what one process would have printed. */
#ifndef AW_CLI_EXPLORE_H
#define AW_CLI_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* How a run ended. */
typedef enum explore_end {
    EXPLORE_EXIT = 0,       /* exited by itself: `code` is its exit status */
    EXPLORE_SIGNAL = 1,     /* killed by signal `code`: a crash */
    EXPLORE_TIME_LIMIT = 2, /* stopped at the virtual time limit (exit status 10): a hang */
    EXPLORE_TIMEOUT = 3     /* no end after `code` seconds of real time: killed (a hang that does
                               not even move the virtual clock) */
} explore_end;

#define EXPLORE_NO_CHECK (-1)

typedef struct explore_run {
    uint64_t seed;
    int end;          /* explore_end */
    int code;
    int check;        /* the --check command's exit status (128 + N: killed by signal N); EXPLORE_NO_CHECK */
    char *output;     /* what the run printed on standard output (NUL-terminated; may be cut, below) */
    size_t output_len;
    char *replay;     /* the command that replays this run */
} explore_run;

/* A run's output is kept up to this many bytes (the rest is dropped, and the run says so). */
#define EXPLORE_MAX_OUTPUT ((size_t)1 << 20)

typedef struct explore_runs {
    explore_run *v;
    size_t n, cap;
} explore_runs;

bool explore_runs_push(explore_runs *rs, const explore_run *r); /* takes the strings */
void explore_runs_free(explore_runs *rs);

/* ---- explore_outcomes.c ---- */
/* Sorts by seed, groups runs that ended alike, printed alike and checked alike, and prints each
 * outcome (count, first seed, how it ended, the replay command; its output indented below), in
 * the order of their first seeds, then "explore: N runs, K distinct outcomes".  Returns the exit
 * status: 0, or 1 when any run failed its check, crashed, hung or exited non-zero.  Two runs of
 * the same seed are an error (-1, said on stderr): shards that overlap. */
int explore_report(FILE *out, explore_runs *rs);
/* "ok", "exit status 1", "crashed (signal 11, SIGSEGV)"...: how a run ended, in words. */
void explore_describe(const explore_run *r, char *buf, size_t n);

/* ---- explore_runner.c ---- */
typedef struct explore_job explore_job;
struct explore_job {
    bool lesson;                 /* argv is `run NAME ...` run in-process (cmd_run) with --seed S
                                    appended; else argv is a program, run with AWAITLAB_SEED=S */
    char **argv;                 /* NULL-terminated */
    char *const *env;            /* NAME=VALUE set in every run, NULL-terminated (may be NULL) */
    const char *check;           /* sh -c CHECK, the run's output on stdin, or NULL */
    int timeout;                 /* real seconds before a run is killed; 0: never */
    /* The command that replays the run of `seed` (malloc'd; NULL: out of memory); `hang`: it hung,
     * so the replay needs the time limit that stopped it. */
    char *(*replay)(const explore_job *job, uint64_t seed, bool hang);
    const void *ctx;             /* for replay */
};

/* Runs the seeds first + i for i in [0, count) with i % shards == shard, `jobs` at a time; each
 * run is appended to rs.  A progress bar goes to stderr when it is a terminal.  Returns false
 * (said on stderr) when a run could not even be started (fork, pipe). */
bool explore_run_seeds(const explore_job *job, uint64_t first, uint64_t count, uint64_t shard, uint64_t shards,
                       int jobs, explore_runs *rs);

/* ---- explore_shard.c ---- */
/* Writes one JSON line per run to path, safely (all or nothing); false, said on stderr, if not. */
bool explore_write_runs(const char *path, const explore_runs *rs);
/* Appends the runs of one file written by explore_write_runs; false, said on stderr, if the file
 * cannot be read or is not such a file (the line is named). */
bool explore_read_runs(const char *path, explore_runs *rs);

#endif
