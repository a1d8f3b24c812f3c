/* model_snapshot.c — the state at one step as text anyone can paste into a question or a bug
 * report (`awaitlab step NAME --at N --plain`): the tasks with their lines and await stacks, the
 * ready queue, the timers, the primitives, the network's connections and the output so far, in
 * the words of the viewers' panes. */
#include <stdio.h>
#include <string.h>

#include "model_internal.h"

#define MAX_FRAMES 32

static void print_stack(const aw_model_state *st, const aw_model_task *t, FILE *out)
{
    aw_model_frame fr[MAX_FRAMES];
    size_t depth = aw_model_task_stack(st, t->id, fr, MAX_FRAMES);
    if (!depth) return;
    fprintf(out, "    await stack: ");
    for (size_t i = 0; i < depth && i < MAX_FRAMES; i++) {
        fprintf(out, "%s%s", i ? " -> " : "", fr[i].name ? fr[i].name : "?");
        if (fr[i].library) fprintf(out, " (asyncio)");
        else if (fr[i].line > 0) fprintf(out, " (line %d)", fr[i].line);
    }
    if (depth > MAX_FRAMES) fprintf(out, " -> ... (%zu frames in all)", depth);
    if (t->state == AW_MODEL_WAITING && t->on) {
        char what[256];
        aw__words w = {what, sizeof what, 0};
        aw__words_future(&w, st->m, st->step, t->on);
        fprintf(out, " -> awaiting %s", what);
    }
    fputc('\n', out);
}

void aw_model_print_snapshot(const aw_model_state *st, FILE *out)
{
    const aw_model *m = st->m;
    char buf[1024], t_buf[48];
    int64_t focus_task;
    int focus_line;
    bool own;
    aw_model_focus(st, &focus_task, &focus_line, &own);
    fprintf(out, "step %lld of %lld, iteration %lld, clock %s", (long long)st->step,
            (long long)aw_model_event_count(m), (long long)st->iter, aw_model_format_step_time(m, st->step, st->t_ns, t_buf, sizeof t_buf));
    if (own && focus_line) fprintf(out, ", line %d", focus_line);
    fputc('\n', out);
    if (st->step > 0) fprintf(out, "%s\n", aw_model_explain(m, st->step, buf, sizeof buf));
    fprintf(out, "%s\n", aw_model_phase_describe(st, buf, sizeof buf));

    fprintf(out, "\ntasks:\n");
    size_t n = aw_model_task_count(st);
    if (!n) fprintf(out, "  (none yet)\n");
    for (size_t i = 0; i < n; i++) {
        aw_model_task t;
        if (!aw_model_task_at(st, i, &t)) continue;
        fprintf(out, "  %s  %s()  %s", t.name ? t.name : "?", t.coro ? t.coro : "?",
                aw_model_task_describe(st, &t, buf, sizeof buf));
        if (!aw_model_state_final(t.state) && t.line > 0 && t.file && !strcmp(t.file, m->source_file))
            fprintf(out, "  line %d", t.line);
        fputc('\n', out);
        print_stack(st, &t, out);
    }

    fprintf(out, "ready queue:\n");
    if (!aw_model_ready_count(st)) fprintf(out, "  (empty)\n");
    for (size_t i = 0; i < aw_model_ready_count(st); i++)
        fprintf(out, "  %zu. %s\n", i + 1, aw_model_handle_describe(st, aw_model_ready_at(st, i), buf, sizeof buf));

    fprintf(out, "timers:\n");
    if (!aw_model_timer_count(st)) fprintf(out, "  (none)\n");
    for (size_t i = 0; i < aw_model_timer_count(st); i++) {
        aw_model_timer tm;
        if (!aw_model_timer_at(st, i, &tm)) continue;
        fprintf(out, "  %zu. due %s  %s\n", i + 1, aw_model_format_time(tm.deadline_ns, t_buf, sizeof t_buf),
                aw_model_handle_describe(st, tm.handle, buf, sizeof buf));
    }

    aw_model_primitive prims[16];
    size_t np = aw_model_primitives(st, prims, 16);
    if (np) fprintf(out, "primitives:\n");
    for (size_t i = 0; i < np && i < 16; i++)
        fprintf(out, "  %s\n", aw_model_primitive_describe(st, &prims[i], buf, sizeof buf));
    if (np > 16) fprintf(out, "  and %zu more\n", np - 16);

    aw_model_conn conns[16];
    size_t nc = aw_model_conns(st, conns, 16);
    if (nc) fprintf(out, "network:\n");
    /* numbered as the sentences number them ("TCP connection 2"); the panes, narrower, go by order */
    for (size_t i = 0; i < nc && i < 16; i++)
        fprintf(out, "  TCP connection %lld: %s\n", (long long)conns[i].id, aw_model_conn_describe(&conns[i], buf, sizeof buf));
    if (nc > 16) fprintf(out, "  and %zu more\n", nc - 16);

    fprintf(out, "output:\n");
    size_t no = aw_model_output_count(m, st->step);
    if (!no) fprintf(out, "  (nothing yet)\n");
    for (size_t i = 0; i < no; i++) {
        aw_model_output o;
        if (aw_model_output_at(m, i, &o))
            fprintf(out, "  [%s] %s\n", aw_model_format_step_time(m, o.step, o.t_ns, t_buf, sizeof t_buf), o.text);
    }
}
