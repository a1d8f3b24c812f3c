/* cmd_step.c — `awaitlab step NAME [--plain] [--seed N]`: runs a lesson on the simulated clock
 * into a temporary trace, then steps through it in the terminal viewer beside the document's
 * example (or prints the steps as plain text: with --plain, or when stdin/stdout is not a
 * terminal, so that a pipe or a script never hangs).
 * Exit: 0 ok, 2 usage, unknown lesson, or the trace could not be made or shown. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_lessons.h"
#include "cli_viewer.h"
#include "recorder.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab step NAME [--plain] [--seed N]\n"
               "Runs a lesson (see `awaitlab list`) on the simulated clock and steps through what\n"
               "happened in the terminal: the document's example with the current line, each task's\n"
               "state, the clock, the event log in plain words, and the output so far.  ? lists the keys.\n"
               "  --plain   print every step as plain text instead (the default when not on a terminal)\n"
               "  --seed N  the simulator's seed (default 0)\n"
               "exit: 0 ok, 2 usage error, unknown lesson, or no usable terminal\n");
    return rc;
}

/* The lesson prints into the trace; nothing goes to the terminal the viewer is about to use. */
static void quiet_output(aw_loop *loop, const char *line, void *ud) { (void)loop, (void)line, (void)ud; }
static void quiet_warning(aw_loop *loop, const char *category, const char *text, void *ud)
{
    (void)loop, (void)category, (void)text, (void)ud;
}

/* Runs the lesson with its trace recorded to `fd` (closed by the recorder). */
static void record_lesson(const aw_lesson *lesson, uint64_t seed, int fd)
{
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.seed = seed;
    o.program = lesson->name;
    o.sim_wall_start_ns = lesson->wall_start_ns;
    o.output = quiet_output;
    o.warning = quiet_warning;
    aw_recorder_attach(aw_recorder_open_fd(fd, 1), &o);
    /* A lesson that raises still leaves its whole trace: the viewer shows the exception. */
    if (aw_run(lesson->make_main(), &o, NULL) != AW_OK) aw_exc_clear();
}

int cmd_step(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) return usage(stdout, 0);
    const char *name = NULL;
    bool plain = false;
    uint64_t seed = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--plain")) {
            plain = true;
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            char *end;
            errno = 0;
            seed = strtoull(argv[++i], &end, 10);
            if (argv[i][0] < '0' || argv[i][0] > '9' || *end || errno) {
                fprintf(stderr, "awaitlab step: --seed: expected a decimal integer, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "awaitlab step: unknown option '%s'; valid options: --plain, --seed N, --help\n", argv[i]);
            return 2;
        } else if (!name) {
            name = argv[i];
        } else {
            fprintf(stderr, "awaitlab step: one lesson at a time ('%s' and '%s')\n", name, argv[i]);
            return 2;
        }
    }
    if (!name) {
        fprintf(stderr, "awaitlab step: which lesson? valid lessons: ");
        cli_lesson_names(stderr);
        fprintf(stderr, "\n");
        return 2;
    }
    const aw_lesson *lesson = cli_lesson_find("step", name);
    if (!lesson) return 2;

    const char *dir = getenv("TMPDIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/awaitlab-step-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "awaitlab step: cannot make a temporary trace file %s: %s\n", path, strerror(errno));
        return 2;
    }
    record_lesson(lesson, seed, fd);
    aw_model_error err;
    aw_model *m = aw_model_load(path, NULL, &err);
    unlink(path); /* the model keeps what it needs */
    if (!m) {
        fprintf(stderr, "awaitlab step: the lesson's trace cannot be read: %s\n", err.message);
        return 2;
    }
    int rc = cli_view(m, lesson, plain);
    aw_model_free(m);
    return rc;
}
