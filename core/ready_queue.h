/* ready_queue.h — the loop's ready queue (CPython's _ready deque): FIFO, one queue for all.
 *
 * An entry is a handle, or, on a loop with no tracer, a task whose step is due.  A step is the
 * commonest callback (every sleep(0), every task's start), and a task has at most one step
 * scheduled (as CPython's __step), so the task itself is linked into the queue through its own
 * field and the step costs no handle: with the handle, a switch spent a fifth of its
 * instructions making, queueing and recycling it.  A tracer sees each step as the handle
 * CPython makes for it (its id, `scheduled` and `handle_run` events), so a traced loop queues
 * steps as handles.  Either way steps and callbacks share the one FIFO, which keeps CPython's
 * order between them.  Handles and tasks are aligned, so the low bit says which an entry is.
 * Included by internal.h once aw_handle, aw_task and aw_loop are complete.
 */
#ifndef AW_READY_QUEUE_H
#define AW_READY_QUEUE_H

#define AW__READY_IS_TASK ((uintptr_t)1)

static inline aw__ready_entry aw__ready_of_handle(aw_handle *h) { return (uintptr_t)h; }
static inline aw__ready_entry aw__ready_of_task(aw_task *t) { return (uintptr_t)t | AW__READY_IS_TASK; }

/* The task whose step an entry is; NULL: the entry is a handle. */
static inline aw_task *aw__ready_task(aw__ready_entry e)
{
    return e & AW__READY_IS_TASK ? (aw_task *)(e & ~AW__READY_IS_TASK) : NULL;
}
static inline aw_handle *aw__ready_handle(aw__ready_entry e) { return (aw_handle *)e; }

static inline aw__ready_entry *aw__ready_link(aw__ready_entry e)
{
    aw_task *t = aw__ready_task(e);
    return t ? &t->next_ready : &aw__ready_handle(e)->next_ready;
}

static inline void aw__ready_push_entry(aw_loop *loop, aw__ready_entry e)
{
    aw__ready_entry *link = aw__ready_link(e);
    *link = 0;
    *loop->ready_tail = e;
    loop->ready_tail = link;
    loop->n_ready++;
}

static inline void aw__ready_push(aw_loop *loop, aw_handle *h) { aw__ready_push_entry(loop, aw__ready_of_handle(h)); }

/* The oldest entry, taken out of the queue (the queue is not empty). */
static inline aw__ready_entry aw__ready_pop(aw_loop *loop)
{
    aw__ready_entry e = loop->ready_head;
    loop->ready_head = *aw__ready_link(e);
    if (!loop->ready_head) loop->ready_tail = &loop->ready_head;
    loop->n_ready--;
    return e;
}

#endif /* AW_READY_QUEUE_H */
