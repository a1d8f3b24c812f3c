/* fuzz_trace_model.c — libFuzzer target: any bytes as a trace file through the loader
 * (viz/model/trace_model.h, which reads with viz/trace/trace_read.c), then a walk of everything
 * a viewer asks of the model (each event's sentence, states at seeked steps, tasks, timers,
 * outputs, navigation) and the Chrome export.  A refused trace is a fine answer; a crash, a leak
 * or undefined behaviour is not. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "export_chrome.h"
#include "trace_model.h"

static void walk_state(aw_model_state *st, int64_t step)
{
    char buf[512];
    aw_model_seek(st, step);
    for (size_t i = 0; i < aw_model_task_count(st); i++) {
        aw_model_task t;
        if (aw_model_task_at(st, i, &t)) aw_model_task_describe(st, &t, buf, sizeof buf);
    }
    for (size_t i = 0; i < aw_model_timer_count(st); i++) {
        aw_model_timer tm;
        aw_model_timer_at(st, i, &tm);
    }
    for (size_t i = 0; i < aw_model_ready_count(st); i++) aw_model_ready_at(st, i);
    free(aw_model_state_dump(st));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "r");
    if (!f) return 0; /* fmemopen refuses size 0 */
    aw_model_error err;
    aw_model *m = aw_model_load_file(f, "fuzz.jsonl", NULL, &err);
    fclose(f);
    if (!m) return 0;
    int64_t n = aw_model_event_count(m);
    char buf[1024];
    for (int64_t s = 0; s < n && s < 4096; s++) {
        aw_model_event ev;
        aw_model_event_get(m, s, &ev);
        aw_model_explain(m, s, buf, sizeof buf);
        aw_model_event_format(m, s, buf, sizeof buf);
    }
    aw_model_next_iteration(m, 0);
    aw_model_prev_iteration(m, n);
    aw_model_find_time(m, aw_model_end_time(m) / 2);
    aw_model_next_output(m, 0);
    aw_model_search(m, 0, true, "task");
    for (size_t i = 0; i < aw_model_output_count(m, n); i++) {
        aw_model_output out;
        aw_model_output_at(m, i, &out);
    }
    aw_model_state *st = aw_model_state_new(m);
    if (st) {
        /* forward, backward and far: the fold and the keyframes both get exercised */
        int64_t steps[] = {n, n / 2, 1, n - 1, n / 3, 0};
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) walk_state(st, steps[i]);
        aw_model_state_free(st);
    }
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        aw_export_chrome(m, null);
        fclose(null);
    }
    aw_model_free(m);
    return 0;
}
