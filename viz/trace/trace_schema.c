/* trace_schema.c — the table behind trace_schema.h.  Keep it in step with sim/trace-format.md:
 * field order here is the order the recorder writes. */
#include "trace_schema.h"

#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

static const char *const step_in[] = {"start", "resume", "throw", NULL};
static const char *const step_end[] = {"await", "yield", "done", "raised", "cancelled", NULL};
static const char *const done_how[] = {"result", "exception", "cancelled", NULL};
static const char *const wait_mode[] = {"all_completed", "first_completed", "first_exception", "as_completed",
                                        NULL};

#define F(k, t) {k, AW_TF_##t, NULL}
#define E(k, v) {k, AW_TF_ENUM, v}
#define KIND(n, arr) {n, arr, sizeof arr / sizeof arr[0]}
#define NOFIELDS(n) {n, NULL, 0}

const aw_trace_field aw_trace_common_fields[4] = {F("seq", COUNT), F("iter", COUNT), F("t_ns", COUNT),
                                                  F("ev", STR)};

static const aw_trace_field f_loop_start[] = {F("clock", STR)};
static const aw_trace_field f_iteration[] = {F("ready", COUNT), F("timeout_ns", NS_NULL)};
static const aw_trace_field f_scheduled[] = {F("handle", ID), F("deadline_ns", NS_NULL), F("callback", STR_NULL),
                                             F("task", ID_NULL), F("future", ID_NULL)};
static const aw_trace_field f_handle_cancelled[] = {F("handle", ID)};
static const aw_trace_field f_timer_fired[] = {F("handle", ID), F("deadline_ns", COUNT)};
static const aw_trace_field f_handle_run[] = {F("handle", ID), F("callback", STR_NULL), F("task", ID_NULL),
                                              F("future", ID_NULL)};
static const aw_trace_field f_task_created[] = {F("task", ID),        F("name", STR_NULL), F("coro", STR_NULL),
                                                F("parent", ID_NULL), F("file", STR_NULL), F("line", COUNT)};
static const aw_trace_field f_step_begin[] = {F("task", ID), E("reason", step_in)};
static const aw_trace_field f_step_end[] = {F("task", ID), E("reason", step_end), F("future", ID_NULL),
                                            F("exc", STR_NULL)};
static const aw_trace_field f_await[] = {F("task", ID_NULL), F("future", ID_NULL), F("coro", ID_NULL),
                                         F("what", STR_NULL), F("file", STR_NULL), F("line", COUNT)};
static const aw_trace_field f_coro_created[] = {F("coro", ID), F("name", STR_NULL), F("task", ID_NULL),
                                                F("file", STR_NULL), F("line", COUNT)};
static const aw_trace_field f_future_created[] = {F("future", ID), F("task", ID_NULL)};
static const aw_trace_field f_future_done[] = {F("future", ID), E("reason", done_how), F("result", STR_NULL),
                                               F("exc", STR_NULL), F("message", STR_NULL)};
static const aw_trace_field f_callbacks[] = {F("future", ID), F("count", COUNT)};
static const aw_trace_field f_cancel_requested[] = {F("task", ID_NULL),      F("future", ID_NULL),
                                                    F("by", ID_NULL),        F("message", STR_NULL),
                                                    F("cancelling", COUNT), F("accepted", BOOL)};
static const aw_trace_field f_cancel_delivered[] = {F("task", ID), F("message", STR_NULL)};
static const aw_trace_field f_uncancel[] = {F("task", ID), F("cancelling", COUNT)};
static const aw_trace_field f_timeout_armed[] = {F("scope", ID), F("task", ID_NULL), F("deadline_ns", NS_NULL)};
static const aw_trace_field f_timeout_expired[] = {F("scope", ID), F("task", ID_NULL), F("deadline_ns", COUNT)};
static const aw_trace_field f_timeout_disarmed[] = {F("scope", ID), F("task", ID_NULL), F("raised", BOOL)};
static const aw_trace_field f_gather[] = {F("future", ID), F("task", ID_NULL), F("children", IDS)};
static const aw_trace_field f_wait[] = {F("task", ID_NULL), F("futures", IDS), E("mode", wait_mode),
                                        F("timeout_ns", NS_NULL)};
static const aw_trace_field f_clock_jump[] = {F("from_ns", COUNT), F("to_ns", COUNT)};
static const aw_trace_field f_io_wait[] = {F("timeout_ns", NS_NULL), F("watched", COUNT)};
static const aw_trace_field f_io_ready[] = {F("fd", COUNT), F("readable", BOOL), F("writable", BOOL)};
static const aw_trace_field f_output[] = {F("task", ID_NULL), F("text", STR), F("file", STR_NULL), F("line", COUNT)};
static const aw_trace_field f_busy[] = {F("task", ID_NULL), F("duration_ns", COUNT)};
static const aw_trace_field f_warning[] = {F("category", STR), F("message", STR), F("task", ID_NULL),
                                           F("future", ID_NULL)};

const aw_trace_kind aw_trace_kinds[AW_TK__COUNT] = {
    [AW_TK_LOOP_START] = KIND("loop_start", f_loop_start),
    [AW_TK_ITERATION] = KIND("iteration", f_iteration),
    [AW_TK_SCHEDULED] = KIND("scheduled", f_scheduled),
    [AW_TK_HANDLE_CANCELLED] = KIND("handle_cancelled", f_handle_cancelled),
    [AW_TK_TIMER_FIRED] = KIND("timer_fired", f_timer_fired),
    [AW_TK_HANDLE_RUN] = KIND("handle_run", f_handle_run),
    [AW_TK_TASK_CREATED] = KIND("task_created", f_task_created),
    [AW_TK_STEP_BEGIN] = KIND("step_begin", f_step_begin),
    [AW_TK_STEP_END] = KIND("step_end", f_step_end),
    [AW_TK_AWAIT] = KIND("await", f_await),
    [AW_TK_CORO_CREATED] = KIND("coro_created", f_coro_created),
    [AW_TK_FUTURE_CREATED] = KIND("future_created", f_future_created),
    [AW_TK_FUTURE_DONE] = KIND("future_done", f_future_done),
    [AW_TK_CALLBACKS] = KIND("callbacks", f_callbacks),
    [AW_TK_CANCEL_REQUESTED] = KIND("cancel_requested", f_cancel_requested),
    [AW_TK_CANCEL_DELIVERED] = KIND("cancel_delivered", f_cancel_delivered),
    [AW_TK_UNCANCEL] = KIND("uncancel", f_uncancel),
    [AW_TK_TIMEOUT_ARMED] = KIND("timeout_armed", f_timeout_armed),
    [AW_TK_TIMEOUT_RESCHEDULED] = KIND("timeout_rescheduled", f_timeout_armed),
    [AW_TK_TIMEOUT_EXPIRED] = KIND("timeout_expired", f_timeout_expired),
    [AW_TK_TIMEOUT_DISARMED] = KIND("timeout_disarmed", f_timeout_disarmed),
    [AW_TK_GATHER] = KIND("gather", f_gather),
    [AW_TK_WAIT] = KIND("wait", f_wait),
    [AW_TK_CLOCK_JUMP] = KIND("clock_jump", f_clock_jump),
    [AW_TK_IO_WAIT] = KIND("io_wait", f_io_wait),
    [AW_TK_IO_READY] = KIND("io_ready", f_io_ready),
    [AW_TK_OUTPUT] = KIND("output", f_output),
    [AW_TK_BUSY] = KIND("busy", f_busy),
    [AW_TK_WARNING] = KIND("warning", f_warning),
    [AW_TK_LOOP_STOP] = NOFIELDS("loop_stop"),
    [AW_TK_LOOP_CLOSE] = NOFIELDS("loop_close"),
};

/* Kinds by name, sorted once, for a binary search (a reader looks one up per line). */
static int by_name[AW_TK__COUNT];

static int cmp_kind(const void *a, const void *b)
{
    return strcmp(aw_trace_kinds[*(const int *)a].name, aw_trace_kinds[*(const int *)b].name);
}

int aw_trace_kind_find(const char *name)
{
    static bool sorted;
    if (!sorted) {
        for (int i = 0; i < AW_TK__COUNT; i++) by_name[i] = i;
        qsort(by_name, AW_TK__COUNT, sizeof by_name[0], cmp_kind);
        sorted = true;
    }
    int lo = 0, hi = AW_TK__COUNT - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(name, aw_trace_kinds[by_name[mid]].name);
        if (c == 0) return by_name[mid];
        if (c < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return -1;
}

const char *aw_trace_ftype_phrase(aw_trace_ftype t)
{
    switch (t) {
    case AW_TF_ID: return "an id (integer >= 1)";
    case AW_TF_ID_NULL: return "an id (integer >= 1) or null";
    case AW_TF_COUNT: return "an integer >= 0";
    case AW_TF_INT: return "an integer";
    case AW_TF_U64: return "an integer in 0 .. 2^64-1";
    case AW_TF_NS_NULL: return "an integer >= 0 (ns) or null";
    case AW_TF_STR: return "a string";
    case AW_TF_STR_NULL: return "a string or null";
    case AW_TF_BOOL: return "true or false";
    case AW_TF_IDS: return "an array of ids";
    case AW_TF_ENUM: return "one of the names listed";
    }
    return "?";
}
