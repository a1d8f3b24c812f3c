/* cli_open.c — a trace file or a lesson, as a loaded trace model (see cli_open.h). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_lessons.h"
#include "cli_open.h"
#include "recorder.h"

/* The viewer shows output and warnings from the trace; the terminal stays quiet. */
static void quiet_output(aw_loop *loop, const char *line, void *ud) { (void)loop, (void)line, (void)ud; }
static void quiet_warning(aw_loop *loop, const char *cat, const char *text, void *ud)
{
    (void)loop, (void)cat, (void)text, (void)ud;
}

/* Runs the lesson as `awaitlab run NAME --clock sim` does, recording into an anonymous file. */
aw_model *cli_lesson_model(const char *cmd, const aw_lesson *l, uint64_t seed, bool seed_given)
{
    FILE *f = tmpfile(); /* unlinked already: nothing is left behind, whatever happens */
    if (!f) {
        fprintf(stderr, "awaitlab %s: cannot create a temporary trace for '%s': ", cmd, l->name);
        perror(NULL);
        return NULL;
    }
    aw_loop_options o;
    if (aw_loop_options_init(&o) != AW_OK) { /* a bad AWAITLAB_* value, named in the error */
        fprintf(stderr, "awaitlab %s: %s\n", cmd, aw_exc_message(aw_exc_current()));
        aw_exc_clear();
        fclose(f);
        return NULL;
    }
    o.clock = AW_CLOCK_SIM; /* whatever AWAITLAB_CLOCK says: a lesson is viewed on virtual time */
    if (seed_given) o.seed = seed; /* else AWAITLAB_SEED's, or 0 */
    cli_lesson_vary(l, &o, seed_given);
    o.program = l->name;
    o.sim_wall_start_ns = l->wall_start_ns;
    o.output = quiet_output;
    o.warning = quiet_warning;
    aw_recorder *rec = aw_recorder_open_fd(fileno(f), 0);
    if (rec && !cli_lesson_record_source(rec, l)) {
        aw_recorder_close(rec);
        rec = NULL;
    }
    if (!rec) {
        fprintf(stderr, "awaitlab %s: out of memory\n", cmd);
        fclose(f);
        return NULL;
    }
    aw_recorder_attach(rec, &o); /* replaces any AWAITLAB_TRACE tracer: one trace, ours */
    if (aw_run(l->make_main(), &o, NULL) != AW_OK) aw_exc_clear(); /* a raising lesson is viewable */
    rewind(f);
    aw_model_error err;
    char name[256];
    snprintf(name, sizeof name, "lesson %s", l->name);
    aw_model *m = aw_model_load_file(f, name, NULL, &err);
    fclose(f);
    if (!m) fprintf(stderr, "awaitlab %s: the lesson's trace cannot be read: %s\n", cmd, err.message);
    return m;
}

int cli_open_model(const char *cmd, const char *arg, const aw_trace_limits *limits, cli_opened *out)
{
    out->model = NULL;
    out->lesson = NULL;
    struct stat sb;
    bool is_file = strcmp(arg, "-") == 0 || (stat(arg, &sb) == 0 && !S_ISDIR(sb.st_mode));
    if (!is_file) {
        const aw_lesson *l = aw_lesson_find(arg);
        if (l) {
            out->lesson = l;
            return (out->model = cli_lesson_model(cmd, l, 0, false)) ? 0 : 2;
        }
        if (!strchr(arg, '/') && !strchr(arg, '.')) { /* looks like a lesson name, not a path */
            cli_lesson_find(cmd, arg);                /* prints the valid names */
            return 2;
        }
    }
    aw_model_error err;
    aw_model_options mo = {0};
    if (limits) mo.limits = *limits;
    out->model = aw_model_load(arg, &mo, &err);
    if (!out->model) {
        fprintf(stderr, "awaitlab %s: %s\n", cmd, err.message);
        return err.status == AW_TRACE_INVALID ? 1 : err.status == AW_TRACE_UNSUPPORTED ? 5 : 2;
    }
    if (*aw_model_warning(out->model)) fprintf(stderr, "awaitlab %s: warning: %s\n", cmd, aw_model_warning(out->model));
    const aw_trace_header *h = aw_model_header(out->model);
    if (h && h->program) out->lesson = aw_lesson_find(h->program); /* a lesson's trace: its example */
    return 0;
}

int cli_lesson_c_line(const void *lesson, int py_line)
{
    const aw_lesson *l = lesson;
    for (size_t i = 0; i < l->line_map_len; i++)
        if (l->line_map[i].py_line == py_line) return l->line_map[i].c_line;
    return 0;
}
