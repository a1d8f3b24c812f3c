/* cmd_record.c — `awaitlab record PROGRAM.py [-o TRACE] [--clock sim|real] [--python EXE]
 * [--wall-start HH:MM:SS|EPOCH] [--max-time SECONDS] [-- ARGS...]`.
 *
 * Runs an unmodified asyncio program under CPython with the recorder (the Python package
 * awaitlab_record, sim/python/) and writes its trace in format 2.  This file only finds the
 * package and hands over to `EXE -m awaitlab_record ...`: the package checks the values and
 * owns the exit status (0 ok, 1 the program raised, 2 usage, 3 never started a loop,
 * 4 stopped at --max-time).  The package is looked for in AWAITLAB_PYTHONPATH, then next to this
 * binary's tree (BUILD/awaitlab -> sim/python), then in the install tree
 * (PREFIX/bin/awaitlab -> PREFIX/share/awaitlab/python).
 */
#include <errno.h>
#include <sys/personality.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab record PROGRAM.py [-o TRACE] [--clock sim|real] [--python EXE]\n"
               "                       [--wall-start HH:MM:SS|EPOCH] [--max-time SECONDS] [-- ARGS...]\n"
               "Runs an asyncio program under CPython (3.11 or later) and records every scheduling step\n"
               "as an awaitlab trace (replay it with `awaitlab tui TRACE`).\n"
               "  -o, --output TRACE  the trace file (default: PROGRAM's name with .jsonl, here)\n"
               "  --clock sim|real    sim (default): sleeps finish at once, virtual time stamps;\n"
               "                      real: the program really waits\n"
               "  --python EXE        the CPython to run (default python3)\n"
               "  --wall-start T      the simulated wall clock at the start (time.time, strftime,\n"
               "                      datetime.now): HH:MM:SS (on 1970-01-01, UTC) or epoch seconds\n"
               "  --max-time SECONDS  stop a program that has not finished after SECONDS of its time\n"
               "  -- ARGS...          the program's own arguments (sys.argv[1:])\n"
               "exit: 0 ok, 1 the program raised (printed as Python prints it), 2 usage error,\n"
               "      3 it never started an event loop, 4 stopped at --max-time\n");
    return rc;
}

static int is_package(const char *dir)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/awaitlab_record/__main__.py", dir) >= (int)sizeof path) return 0;
    return access(path, R_OK) == 0;
}

/* The directory that holds awaitlab_record/, into `out`; 0 if none is found. */
static int find_package(char *out, size_t n)
{
    const char *env = getenv("AWAITLAB_PYTHONPATH");
    if (env && *env) {
        if (!is_package(env)) return 0;
        snprintf(out, n, "%s", env);
        return 1;
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) return 0;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return 0;
    *slash = '\0'; /* the binary's directory */
    static const char *const rel[] = {"/../sim/python", "/../../sim/python", "/../share/awaitlab/python"};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char cand[PATH_MAX];
        if (snprintf(cand, sizeof cand, "%s%s", exe, rel[i]) >= (int)sizeof cand) continue;
        if (is_package(cand)) {
            char *real = realpath(cand, NULL);
            snprintf(out, n, "%s", real ? real : cand);
            free(real);
            return 1;
        }
    }
    return 0;
}

int cmd_record(int argc, char **argv)
{
    /* The program's own arguments follow `--`; the parser sees only what comes before. */
    int split = argc;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--") == 0) {
            split = i;
            break;
        }
    const char *output = NULL, *clock = NULL, *python = "python3", *wall = NULL, *max_time = NULL;
    const cli_option opts[] = {
        {"--output", "-o", CLI_TEXT, "TRACE", &output, "a file name"},
        {"--clock", NULL, CLI_TEXT, "sim|real", &clock},
        {"--python", NULL, CLI_TEXT, "EXE", &python, "a program name"},
        {"--wall-start", NULL, CLI_TEXT, "HH:MM:SS|EPOCH", &wall, "a time"},
        {"--max-time", NULL, CLI_TEXT, "SECONDS", &max_time, "a number of seconds"},
    };
    const char *pos[CLI_MAX_POS];
    int npos, rc = cli_parse("record", split, argv, opts, CLI_COUNT(opts), pos, CLI_MAX_POS, &npos);
    if (rc == CLI_HELP) return usage(stdout, 0);
    if (rc) return usage(stderr, rc);
    if (npos != 1) {
        if (npos == 0) fprintf(stderr, "awaitlab record: which program? give PROGRAM.py\n");
        else fprintf(stderr, "awaitlab record: one program at a time ('%s' and '%s'; its own arguments go after --)\n",
                     pos[0], pos[1]);
        return usage(stderr, 2);
    }
    if (clock && strcmp(clock, "sim") != 0 && strcmp(clock, "real") != 0) {
        fprintf(stderr, "awaitlab record: --clock: expected 'sim' or 'real', got '%s'\n", clock);
        return 2;
    }
    char pkg[PATH_MAX];
    if (!find_package(pkg, sizeof pkg)) {
        fprintf(stderr, "awaitlab record: cannot find the recorder (the Python package awaitlab_record) next to "
                        "this awaitlab or in its install tree (share/awaitlab/python); set AWAITLAB_PYTHONPATH "
                        "to the directory that holds it\n");
        return 2;
    }
    const char *old = getenv("PYTHONPATH");
    size_t need = strlen(pkg) + (old && *old ? strlen(old) + 1 : 0) + 1;
    char *pp = malloc(need);
    if (!pp) {
        fprintf(stderr, "awaitlab record: out of memory\n");
        return 2;
    }
    snprintf(pp, need, "%s%s%s", pkg, old && *old ? ":" : "", old && *old ? old : "");
    setenv("PYTHONPATH", pp, 1);
    free(pp);

    char **args = calloc((size_t)(argc - split) + 16, sizeof *args);
    if (!args) {
        fprintf(stderr, "awaitlab record: out of memory\n");
        return 2;
    }
    int n = 0;
    args[n++] = (char *)python;
    args[n++] = "-B"; /* no .pyc files written into the recorder's (maybe installed) folder */
    args[n++] = "-m";
    args[n++] = "awaitlab_record";
    args[n++] = (char *)pos[0];
    if (output) args[n++] = "-o", args[n++] = (char *)output;
    if (clock) args[n++] = "--clock", args[n++] = (char *)clock;
    if (wall) args[n++] = "--wall-start", args[n++] = (char *)wall;
    if (max_time) args[n++] = "--max-time", args[n++] = (char *)max_time;
    for (int i = split; i < argc; i++) args[n++] = argv[i]; /* "--" and the program's arguments */
    args[n] = NULL;
    /* Reproducible recordings: CPython iterates sets of futures (asyncio.wait, as_completed) in
     * the order of their addresses and strings in hash order; with address randomization off and
     * a fixed hash seed, the same program gives the same trace run after run (a request only:
     * where the system refuses it, recordings may differ where CPython's order does). */
    personality(PER_LINUX | ADDR_NO_RANDOMIZE);
    setenv("PYTHONHASHSEED", "0", 0);
    fflush(stdout);
    execvp(python, args);
    fprintf(stderr, "awaitlab record: cannot run %s: %s (CPython 3.11 or later is needed; --python EXE)\n", python,
            strerror(errno));
    free(args);
    return 2;
}
