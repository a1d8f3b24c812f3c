/* cli_lessons.c — finding a lesson by name, with the one-line error that names the choices. */
#include "cli_lessons.h"

#include <stdlib.h>
#include <sys/stat.h>

void cli_lesson_names(FILE *out)
{
    for (size_t i = 0; i < aw_lesson_count(); i++)
        fprintf(out, "%s%s", i ? ", " : "", aw_lesson_at(i)->name);
}

const aw_lesson *cli_lesson_find(const char *cmd, const char *name)
{
    const aw_lesson *l = aw_lesson_find(name);
    if (!l) {
        fprintf(stderr, "awaitlab %s: unknown lesson '%s'; valid lessons: ", cmd, name);
        cli_lesson_names(stderr);
        fprintf(stderr, " (see `awaitlab list`)\n");
    }
    return l;
}

static int lesson_line(void *lesson, int c_line) { return aw_lesson_py_line(lesson, c_line); }

bool cli_lesson_record_source(aw_recorder *rec, const aw_lesson *l)
{
    return aw_recorder_set_source(rec, aw_lesson_python_name(l), aw_lesson_python(l), l->c_file, lesson_line,
                                  (void *)l);
}

bool cli_lesson_hint(const char *cmd, const char *arg)
{
    struct stat sb;
    if (stat(arg, &sb) == 0 || !aw_lesson_find(arg)) return false;
    fprintf(stderr, "awaitlab %s: %s is a lesson: use awaitlab step %s (or awaitlab view %s)\n",
            cmd, arg, arg, arg);
    return true;
}

void cli_lesson_vary(const aw_lesson *l, aw_loop_options *o, bool seed_given)
{
    const char *env_seed = getenv("AWAITLAB_SEED");
    if (!seed_given && !(env_seed && *env_seed)) return;
    if (!getenv("AWAITLAB_VARY_CPU")) o->vary.cpu = l->vary.cpu;
    if (!getenv("AWAITLAB_VARY_EXECUTOR")) o->vary.executor = l->vary.executor;
    if (!getenv("AWAITLAB_TIMER_JITTER")) o->vary.timer = l->vary.timer;
}
