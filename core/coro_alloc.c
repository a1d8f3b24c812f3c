/* coro_alloc.c — memory for coroutine objects, recycled.
 *
 * Every `await aw_sleep(0)` makes a coroutine object and frees it one step later, so a
 * malloc/free pair was a quarter of a task switch (callgrind: _int_free + malloc ~250
 * instructions per switch).  Objects are recycled instead, in size classes of 64 bytes of
 * arguments; each class keeps at most CLASS_KEEP free objects so that a burst (a gather of 100k
 * new coroutines) gives its memory back afterwards.  Stale use is not a risk: programs hold
 * handles, not pointers (coro.c), and a recycled object is poisoned for AddressSanitizer until
 * it is handed out again, so core's own mistakes are still caught there.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define AW__ASAN_POISON 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AW__ASAN_POISON 1
#endif
#endif
#ifdef AW__ASAN_POISON
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
/* (No valgrind client requests here: they cost more than the recycling saves, and valgrind's
 * memcheck still checks every access to the objects' fields as defined or not.) */
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define CLASS_BYTES 64u
#define N_CLASSES 5u      /* arguments up to 256 bytes; bigger ones use malloc alone */
#define CLASS_KEEP 1024u

typedef struct free_list {
    aw__coro *head;       /* linked through ->caller (unused while free) */
    size_t n;
} free_list;

static _Thread_local free_list lists[N_CLASSES];

static size_t class_of(size_t args_size) { return (args_size + CLASS_BYTES - 1) / CLASS_BYTES; }
static size_t class_size(size_t cls) { return sizeof(aw__coro) + cls * CLASS_BYTES; }

aw__coro *aw__coro_alloc(size_t args_size)
{
    size_t cls = class_of(args_size);
    aw__coro *c;
    if (cls < N_CLASSES && lists[cls].head) {
        free_list *l = &lists[cls];
        c = l->head;
        UNPOISON(c, class_size(cls));
        l->head = c->caller;
        l->n--;
    } else {
        c = malloc(cls < N_CLASSES ? class_size(cls) : sizeof *c + args_size);
        if (!c) abort();
    }
    memset(c, 0, sizeof *c);
    return c;
}

void aw__coro_recycle(aw__coro *c)
{
    size_t cls = class_of(c->args_size);
    if (cls >= N_CLASSES || lists[cls].n >= CLASS_KEEP) {
        free(c);
        return;
    }
    free_list *l = &lists[cls];
    c->caller = l->head;
    l->head = c;
    l->n++;
    POISON(c, class_size(cls));
}

/* Gives every kept object back (a loop being freed: the program may be done with coroutines). */
void aw__coro_alloc_trim(void)
{
    for (size_t cls = 0; cls < N_CLASSES; cls++) {
        free_list *l = &lists[cls];
        while (l->head) {
            aw__coro *c = l->head;
            UNPOISON(c, class_size(cls));
            l->head = c->caller;
            free(c);
        }
        l->n = 0;
    }
}
