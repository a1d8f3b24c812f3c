/* fiber.h — stackful coroutines: a stack and a saved context per task.
 *
 * The switch is a few instructions of assembly on x86-64 and aarch64 (callee-saved registers and
 * the stack pointer), or ucontext elsewhere (AW_FIBER_UCONTEXT; a syscall per switch, ~30x
 * slower).  Stacks come from a pool of mmap'd regions with a PROT_NONE guard page below them;
 * running into the guard ends the process with a message naming the task.  When the kernel's
 * map limit is near (each guarded stack is two mappings), further stacks get a canary instead of
 * a guard page, checked at every switch back to the loop.
 */
#ifndef AW_FIBER_H
#define AW_FIBER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct aw__fiber aw__fiber;
typedef struct aw__stack_pool aw__stack_pool;
typedef struct aw__stack aw__stack;

struct aw__stack {
    unsigned char *map;      /* the whole mapping (guard page included) */
    size_t map_size;
    unsigned char *lo, *hi;  /* usable range: [lo, hi) */
    bool guarded;
    unsigned vg_id;          /* valgrind's stack id */
    aw__stack *next_free;
};

aw__stack_pool *aw__stack_pool_new(size_t stack_size);
void aw__stack_pool_free(aw__stack_pool *pool);
aw__stack *aw__stack_get(aw__stack_pool *pool);        /* NULL: out of memory */
void aw__stack_put(aw__stack_pool *pool, aw__stack *s);
size_t aw__stack_pool_stack_size(const aw__stack_pool *pool);

/* A fiber runs entry(arg) on its own stack.  `name` (may change) names it in crash messages. */
aw__fiber *aw__fiber_new(aw__stack_pool *pool, void (*entry)(void *), void *arg);
void aw__fiber_set_name(aw__fiber *f, const char *name);
/* From the loop's stack: run f until it suspends or its entry returns. */
void aw__fiber_resume(aw__fiber *f);
/* From inside f: go back to whoever resumed it. */
void aw__fiber_suspend(aw__fiber *f);
bool aw__fiber_finished(const aw__fiber *f);
void aw__fiber_free(aw__fiber *f);       /* returns the stack to its pool */
aw__fiber *aw__fiber_current(void);      /* the fiber running now, or NULL on the loop's stack */

#endif /* AW_FIBER_H */
