/* stack_escape.c — copied stacks' constraint, diagnosed where values cross between tasks.
 *
 * With copied stacks (fiber.h) a task's locals live at addresses that hold another task's frames
 * as soon as it sleeps.  A pointer into the shared stack that leaves the task (a future's
 * result, an exception's argument, a queue item, a callback's or a new task's argument) would be
 * read later by someone else: it is refused here, where it leaves, with a message naming the
 * task.  The default mode pays one relaxed load (internal.h's inline wrappers).  The address itself is never printed (traces and messages stay deterministic).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *running_task_name(void)
{
    aw_task *t = aw_current_task();
    return t ? t->name : "?";
}

bool aw__escapes_shared_stack(const void *p, const char *what)
{
    if (!aw__fiber_points_into_shared_stack(p)) return false;
    aw__fail(AW_RuntimeError,
             "task '%s' passed a pointer into its own stack as %s: with copied stacks "
             "(AWAITLAB_STACKS=copied) that memory holds other tasks' frames while it sleeps",
             running_task_name(), what);
    return true;
}

/* The kinds whose payload is a pointer. */
static bool holds_pointer(aw_kind k)
{
    return k == AW_STR || k == AW_PTR || k == AW_LIST || k == AW_EXC || k == AW_TUPLE || k == AW_BYTES ||
           k == AW_OBJECT;
}

bool aw__value_escapes_shared_stack(aw_value v, const char *what)
{
    return holds_pointer(v.kind) && aw__escapes_shared_stack(v.as.p, what);
}

bool aw__words_escape_stack(const void *bytes, size_t size, const char *what)
{
    if (!aw__fiber_stack_is_shared()) return false;
    for (size_t at = 0; at + sizeof(void *) <= size; at += sizeof(void *)) {
        void *word;
        memcpy(&word, (const unsigned char *)bytes + at, sizeof word);
        if (aw__escapes_shared_stack(word, what)) return true;
    }
    return false;
}

void aw__abort_if_refused(bool refused)
{
    if (!refused) return;
    fprintf(stderr, "awaitlab: RuntimeError: %s\n", aw_exc_message(aw_exc_current()));
    abort(); /* the API has no status to return it in */
}
