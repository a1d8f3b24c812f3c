/* main.c — the awaitlab command: one front door, one subcommand per file (cli/cmd_*.c).
 *
 * Each subcommand is `int cmd_NAME(int argc, char **argv)` (argv[0] is the subcommand's name)
 * returning the exit status: 0 success, 1 a negative answer (e.g. traces differ), 2 bad usage,
 * 3 and up as the subcommand documents.  Subcommands that live in optional parts of the build
 * are weak references, so a build without them says so instead of failing to link. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define WEAK __attribute__((weak))
int cmd_list(int argc, char **argv) WEAK;
int cmd_run(int argc, char **argv) WEAK;
int cmd_show(int argc, char **argv) WEAK;
int cmd_step(int argc, char **argv) WEAK;
int cmd_tui(int argc, char **argv) WEAK;
int cmd_view(int argc, char **argv) WEAK;
int cmd_validate(int argc, char **argv) WEAK;
int cmd_diff(int argc, char **argv) WEAK;
int cmd_export(int argc, char **argv) WEAK;
int cmd_record(int argc, char **argv) WEAK;
int cmd_explore(int argc, char **argv) WEAK;

static const struct {
    const char *name;
    const char *summary;
} commands[] = {
    {"list", "list the lessons, one line each"},
    {"run", "run a lesson: its output, optionally timestamped and traced"},
    {"show", "print a lesson's document example, C port and narrative"},
    {"step", "step through a lesson (run on the sim clock) or a trace in the terminal; --at N --plain prints one step"},
    {"tui", "step through any trace file in the terminal"},
    {"view", "open a trace or a lesson in the graphical timeline (or save a PNG)"},
    {"validate", "check a trace file against the trace format"},
    {"diff", "show the first divergence between two traces"},
    {"export", "convert a trace (e.g. to Chrome's trace event format)"},
    {"record", "run a Python asyncio program under CPython and record its trace"},
    {"explore", "run many seeds of a lesson or program and group the outcomes (merge: shards)"},
};

static int (*lookup(const char *name))(int, char **)
{
    if (!strcmp(name, "list")) return cmd_list;
    if (!strcmp(name, "run")) return cmd_run;
    if (!strcmp(name, "show")) return cmd_show;
    if (!strcmp(name, "step")) return cmd_step;
    if (!strcmp(name, "tui")) return cmd_tui;
    if (!strcmp(name, "view")) return cmd_view;
    if (!strcmp(name, "validate")) return cmd_validate;
    if (!strcmp(name, "diff")) return cmd_diff;
    if (!strcmp(name, "export")) return cmd_export;
    if (!strcmp(name, "record")) return cmd_record;
    if (!strcmp(name, "explore")) return cmd_explore;
    return NULL;
}

/* The one place that checks standard output: a command whose output was lost (a full disk, a
 * closed pipe, /dev/full) must not exit 0.  fclose, not only fflush: some errors show only when
 * the descriptor is closed. */
static int finish_output(const char *cmd, int rc)
{
    errno = 0;
    bool lost = ferror(stdout) != 0;
    int saved = 0;
    if (lost && fflush(stdout) != 0) saved = errno; /* the reason, when what failed is still buffered */
    if (fclose(stdout) != 0 && !lost) {
        lost = true;
        saved = errno;
    }
    if (!lost) return rc;
    fprintf(stderr, "awaitlab %s: cannot write to standard output: %s\n", cmd,
            saved ? strerror(saved) : "a write failed (a full disk or a closed pipe?)");
    return rc ? rc : CLI_EXIT_OUTPUT_LOST;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: awaitlab COMMAND [ARGS...]\n\n"
                 "awaitlab runs asyncio-style programs in C on a real or simulated clock, records\n"
                 "every scheduling step, and replays it beside the documentation it teaches.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (lookup(commands[i].name)) fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`awaitlab COMMAND --help` describes each command.  Any command whose standard\n"
                 "output cannot be written (a full disk, a closed pipe) says so and exits 9.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return finish_output("help", 0);
    }
    int (*fn)(int, char **) = lookup(argv[1]);
    if (!fn) {
        fprintf(stderr, "awaitlab: unknown command '%s'; valid commands:", argv[1]);
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (lookup(commands[i].name)) fprintf(stderr, " %s", commands[i].name);
        fprintf(stderr, "\n");
        return 2;
    }
    int rc = fn(argc - 1, argv + 1);
    return finish_output(argv[1], rc);
}
