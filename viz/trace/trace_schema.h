/* trace_schema.h — the trace format as data (sim/trace-format.md, version 1): every event kind
 * and its fields, so the validator, the diff and the viewers share one description.
 *
 * viz reads traces only; it does not include core's headers.  The kind order below is the order
 * of aw_event_kind in core/aw_tracer.h, and a test checks that sim/recorder.c writes these names.
 */
#ifndef AW_TRACE_SCHEMA_H
#define AW_TRACE_SCHEMA_H

#include <stddef.h>

#define AW_TRACE_FORMAT "awaitlab-trace"
#define AW_TRACE_VERSION 1

typedef enum aw_trace_kind_id {
    AW_TK_LOOP_START,
    AW_TK_ITERATION,
    AW_TK_SCHEDULED,
    AW_TK_HANDLE_CANCELLED,
    AW_TK_TIMER_FIRED,
    AW_TK_HANDLE_RUN,
    AW_TK_TASK_CREATED,
    AW_TK_STEP_BEGIN,
    AW_TK_STEP_END,
    AW_TK_AWAIT,
    AW_TK_CORO_CREATED,
    AW_TK_FUTURE_CREATED,
    AW_TK_FUTURE_DONE,
    AW_TK_CALLBACKS,
    AW_TK_CANCEL_REQUESTED,
    AW_TK_CANCEL_DELIVERED,
    AW_TK_UNCANCEL,
    AW_TK_TIMEOUT_ARMED,
    AW_TK_TIMEOUT_RESCHEDULED,
    AW_TK_TIMEOUT_EXPIRED,
    AW_TK_TIMEOUT_DISARMED,
    AW_TK_GATHER,
    AW_TK_WAIT,
    AW_TK_CLOCK_JUMP,
    AW_TK_IO_WAIT,
    AW_TK_IO_READY,
    AW_TK_OUTPUT,
    AW_TK_BUSY,
    AW_TK_WARNING,
    AW_TK_LOOP_STOP,
    AW_TK_LOOP_CLOSE,
    AW_TK__COUNT
} aw_trace_kind_id;

typedef enum aw_trace_ftype {
    AW_TF_ID,       /* integer >= 1 */
    AW_TF_ID_NULL,  /* id or null (none) */
    AW_TF_COUNT,    /* integer >= 0 (counts, durations, line numbers, descriptors) */
    AW_TF_INT,      /* any integer (int64) */
    AW_TF_U64,      /* integer in 0 .. 2^64-1 (the seed) */
    AW_TF_NS_NULL,  /* integer >= 0 or null (never / forever / call_soon) */
    AW_TF_STR,
    AW_TF_STR_NULL,
    AW_TF_BOOL,
    AW_TF_IDS,      /* array of ids */
    AW_TF_ENUM      /* one of `values` */
} aw_trace_ftype;

typedef struct aw_trace_field {
    const char *key;
    aw_trace_ftype type;
    const char *const *values; /* AW_TF_ENUM: NULL-terminated list */
} aw_trace_field;

typedef struct aw_trace_kind {
    const char *name;          /* the "ev" string */
    const aw_trace_field *fields;
    size_t n_fields;
} aw_trace_kind;

/* Indexed by aw_trace_kind_id. */
extern const aw_trace_kind aw_trace_kinds[AW_TK__COUNT];

/* The four keys every event starts with. */
extern const aw_trace_field aw_trace_common_fields[4];

/* Kind id of an "ev" string, or -1. */
int aw_trace_kind_find(const char *name);

/* A phrase for messages: "an id (integer >= 1)", "a string or null"... */
const char *aw_trace_ftype_phrase(aw_trace_ftype t);

#endif /* AW_TRACE_SCHEMA_H */
