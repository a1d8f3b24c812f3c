/* fiber.h — stackful coroutines: a stack and a saved context per task.
 *
 * The switch is a few instructions of assembly on x86-64 and aarch64 (callee-saved registers and
 * the stack pointer), or ucontext elsewhere (AW_FIBER_UCONTEXT; a syscall per switch, ~30x
 * slower).  A fiber lives in the top bytes of its own stack (no allocation of its own); the
 * stacks come from a pool that maps them many at a time (stack_pool.c).
 *
 * What stops a task from running off its stack and into another task's:
 *   1. A guard page below every stack.  On Linux >= 6.13 it is a guard marker
 *      (madvise MADV_GUARD_INSTALL): it costs no kernel mapping, so every stack of a million has
 *      one.  Touching it is a SIGSEGV, which fiber.c turns into a message naming the task.
 *   2. On older kernels a PROT_NONE page, while the kernel's map limit allows (each such stack is
 *      two mappings; vm.max_map_count is usually 65530): the first AW__MAX_VMA_GUARDED stacks.
 *   3. Past that, a canary: 32 bytes directly below the stack (in the top of the stack below it,
 *      a page that is resident anyway), checked after every switch back to the loop.  It catches
 *      a task that wrote past its stack before any other task runs; a frame that skips the
 *      canary without writing it is not caught (kernels >= 6.13 never use this fallback).
 * A frame larger than a page could jump a guard page: build with -fstack-clash-protection (the
 * Makefile does; programs that use awaitlab should too), which touches every page of a large
 * frame in order, so the guard page is always hit first.
 */
#ifndef AW_FIBER_H
#define AW_FIBER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct aw__fiber aw__fiber;
typedef struct aw__stack_pool aw__stack_pool;
typedef struct aw__stack aw__stack;
typedef struct aw__stack_chunk aw__stack_chunk;

/* The pool's record of one stack, in the stack's own top bytes (above the fiber). */
struct aw__stack {
    unsigned char *lo;       /* the lowest usable byte; the stack grows down from the record */
    aw__stack_chunk *chunk;  /* the mapping it belongs to */
    aw__stack *next_free;    /* while pooled */
    bool canary;             /* no guard page below lo: the canary below lo is checked instead */
    unsigned vg_id;          /* valgrind's id for [lo, this record), registered once per slot */
};

aw__stack_pool *aw__stack_pool_new(size_t stack_size);
void aw__stack_pool_free(aw__stack_pool *pool);   /* unmaps every stack, live ones included */
aw__stack *aw__stack_get(aw__stack_pool *pool);   /* NULL: out of memory */
void aw__stack_put(aw__stack *s);
size_t aw__stack_pool_stack_size(const aw__stack_pool *pool);
aw__stack_pool *aw__stack_pool_of(const aw__stack *s);
bool aw__stack_canary_intact(const aw__stack *s); /* true for a guarded stack */

/* A fiber runs entry(arg) on its own stack.  `name` (may change) names it in crash messages. */
aw__fiber *aw__fiber_new(aw__stack_pool *pool, void (*entry)(void *), void *arg);
void aw__fiber_set_name(aw__fiber *f, const char *name);
/* From the loop's stack: run f until it suspends or its entry returns. */
void aw__fiber_resume(aw__fiber *f);
/* From inside f: go back to whoever resumed it. */
void aw__fiber_suspend(aw__fiber *f);
bool aw__fiber_finished(const aw__fiber *f);
void aw__fiber_free(aw__fiber *f);       /* returns the stack (and with it the fiber) to its pool */
aw__fiber *aw__fiber_current(void);      /* the fiber running now, or NULL on the loop's stack */

#endif /* AW_FIBER_H */
