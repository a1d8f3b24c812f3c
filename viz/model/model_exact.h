/* model_exact.h — an event's `exact` object as the JSON text the model keeps for it
 * (aw_model_event.exact), each number as Python's repr. */
#ifndef AW_MODEL_EXACT_H
#define AW_MODEL_EXACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_read.h"

/* Numbers already written, by their bits: aw_trace_format_seconds costs ~13,000 instructions a
 * call, and a trace repeats its deadlines and timeouts (a 240,000-event trace has 32,000 `exact`
 * objects and fewer than 2,000 distinct ones). */
#define MEXACT_CACHE 1024
typedef struct mexact_entry {
    uint64_t bits;
    uint8_t len;                 /* 0: empty */
    char text[31];               /* Python's repr, without the "s" */
} mexact_entry;
typedef struct mexact_cache {
    mexact_entry e[MEXACT_CACHE];
} mexact_cache;

/* Writes {"key":repr,...} into buf.  false: it does not fit.  cache may be NULL (no memo). */
bool aw__exact_text(mexact_cache *cache, const aw_trace_value *v, char *buf, size_t size);

#endif /* AW_MODEL_EXACT_H */
