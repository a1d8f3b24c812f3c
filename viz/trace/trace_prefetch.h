/* trace_prefetch.h — a trace reader on a thread of its own, a batch of events ahead of its
 * caller: reading and checking lines (trace_read.c) is two thirds of loading a trace into the
 * model, so on a machine with a second core the model's own work overlaps it instead of
 * following it.  The events come in the file's order, exactly as aw_trace_reader_next gives
 * them, so nothing about the result depends on the threads' timing.
 *
 *     aw_trace_prefetch *p = aw_trace_prefetch_start(r);   (after aw_trace_reader_values_only)
 *     while (aw_trace_prefetch_next(p, &ev) > 0) { ... }
 *     aw_trace_prefetch_stop(p);   then aw_trace_reader_status(r) etc. as usual
 *
 * An event's values are copies, valid until the next call; its text and json are not kept (NULL).
 */
#ifndef AW_TRACE_PREFETCH_H
#define AW_TRACE_PREFETCH_H

#include <stdbool.h>

#include "trace_read.h"

typedef struct aw_trace_prefetch aw_trace_prefetch;

/* NULL: out of memory, or no thread could be started (read from r directly then).  r belongs to
 * the prefetcher's thread until aw_trace_prefetch_stop. */
aw_trace_prefetch *aw_trace_prefetch_start(aw_trace_reader *r);
/* As aw_trace_reader_next: 1, *ev is the next event; 0, the end (or a problem, or out of memory). */
int aw_trace_prefetch_next(aw_trace_prefetch *p, aw_trace_event *ev);
/* Whether the events stopped because copying one ran out of memory (the reader's status does
 * not say so: it read the event fine). */
bool aw_trace_prefetch_out_of_memory(const aw_trace_prefetch *p);
/* Stops the thread (it may have read ahead) and frees p; NULL is ignored. */
void aw_trace_prefetch_stop(aw_trace_prefetch *p);

#endif /* AW_TRACE_PREFETCH_H */
