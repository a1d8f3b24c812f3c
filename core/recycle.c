/* recycle.c — memory for the loop's small, short-lived objects (coroutine objects, futures,
 * tasks, and with copied stacks fiber records and stack images), recycled instead of malloc'd
 * and freed.
 *
 * Every `await nested()` makes a coroutine object and frees it when it returns, and every task
 * is a future made and freed: a malloc/free pair was a quarter of a task switch (callgrind:
 * _int_free + malloc ~250 instructions per switch, when each sleep(0) still made an object).  Blocks are recycled instead, in size
 * classes of 16 bytes; each class keeps at most CLASS_KEEP free blocks so that a burst (a gather
 * of 100k new tasks) gives its memory back afterwards.  A class's blocks come from malloc until
 * the class holds SLAB_AFTER_BYTES, then from recycle_slab.c's huge-page runs (fresh pages are
 * what a burst costs on the project's VM; small programs keep malloc's small footprint).  Stale use is the program's bug either
 * way (coroutines are reached through handles, futures after detach are gone, as after free);
 * a recycled block is poisoned for AddressSanitizer until it is handed out again, so core's own
 * mistakes are still caught there.  Per thread: objects never change thread.
 */
#include <stdlib.h>

#include "internal.h"
#include "poison.h"
#include "recycle_slab.h"

/* (No valgrind client requests for the lists: they cost more than the recycling saves, and
 * valgrind's memcheck still checks every read of the blocks' contents as defined or not.) */

/* malloc's own granularity, and its header: a class is one size of malloc chunk, and its blocks
 * ask for exactly the chunk's usable bytes, so a class wastes nothing malloc would not (asking
 * for the class's whole 16-byte multiple took the next chunk size: a 216-byte task took 240). */
#define CLASS_BYTES 16u
#define MALLOC_HEADER 8u
#define N_CLASSES 128u    /* blocks up to 2040 bytes; bigger ones are malloc'd and freed */
#define CLASS_KEEP 512u
/* Classes past SMALL_CLASSES (over 520 bytes: copied stacks' images, stack_shared.c) keep at most
 * CLASS_KEEP_BYTES each instead, so that 95 big classes cannot sit on 512 blocks each. */
#define SMALL_CLASSES 33u
#define CLASS_KEEP_BYTES (256u * 1024u)
#define SLAB_AFTER_BYTES (256u * 1024u)

typedef struct free_block {
    struct free_block *next;
} free_block;

typedef struct free_list {
    free_block *head;
    size_t n;
    size_t n_owned; /* blocks taken from malloc or the slab and not given back: on the list or out */
} free_list;

static _Thread_local free_list lists[N_CLASSES + 1];

static size_t class_of(size_t size) { return (size + MALLOC_HEADER + CLASS_BYTES - 1) / CLASS_BYTES; }
static size_t block_bytes(size_t cls) { return cls * CLASS_BYTES - MALLOC_HEADER; }

/* A run's spare block first (a burst's memory is reused before malloc grows), then a new slab
 * block once the class is large, else malloc's. */
static __attribute__((noinline)) void *new_block(size_t cls)
{
    free_list *l = &lists[cls];
    size_t bytes = block_bytes(cls);
    void *b = aw__slab_get((unsigned)cls, cls * CLASS_BYTES, bytes, (l->n_owned + 1) * bytes > SLAB_AFTER_BYTES);
    if (!b && !(b = malloc(bytes))) abort();
    l->n_owned++;
    return b;
}

/* To wherever it came from. */
static void release_block(void *p, size_t cls)
{
    if (!aw__slab_put(p)) free(p);
    lists[cls].n_owned--;
}

void *aw__recycled_alloc(size_t size)
{
    size_t cls = class_of(size);
    if (cls > N_CLASSES) {
        void *p = malloc(size);
        if (!p) abort();
        return p;
    }
    free_list *l = &lists[cls];
    free_block *b = l->head;
    if (!b) return new_block(cls);
    AW__UNPOISON(b, block_bytes(cls));
    l->head = b->next;
    l->n--;
    return b;
}

static inline void keep_block(void *p, size_t cls)
{
    free_list *l = &lists[cls];
    free_block *b = p;
    b->next = l->head;
    l->head = b;
    l->n++;
    AW__POISON(b, block_bytes(cls));
}

/* Apart: the objects freed at every step (coroutines, futures, tasks) pay no byte budget. */
static __attribute__((noinline)) void free_big(void *p, size_t cls)
{
    if (cls > N_CLASSES)
        free(p);
    else if ((lists[cls].n + 1) * block_bytes(cls) > CLASS_KEEP_BYTES)
        release_block(p, cls);
    else
        keep_block(p, cls);
}

void aw__recycled_free(void *p, size_t size)
{
    size_t cls = class_of(size);
    if (cls > SMALL_CLASSES) {
        free_big(p, cls);
        return;
    }
    if (lists[cls].n >= CLASS_KEEP) {
        release_block(p, cls);
        return;
    }
    keep_block(p, cls);
}

size_t aw__recycled_capacity(size_t size)
{
    size_t cls = class_of(size);
    return cls > N_CLASSES ? size : block_bytes(cls);
}

/* Gives every kept block back (a loop being freed: the program may be done with the loop). */
void aw__recycled_trim(void)
{
    for (size_t cls = 1; cls <= N_CLASSES; cls++) {
        free_list *l = &lists[cls];
        while (l->head) {
            free_block *b = l->head;
            AW__UNPOISON(b, block_bytes(cls));
            l->head = b->next;
            release_block(b, cls);
        }
        l->n = 0;
    }
}
