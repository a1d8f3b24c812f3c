/* fiber.h — stackful coroutines: a stack and a saved context per task.
 *
 * The switch is a few instructions of assembly on x86-64 and aarch64 (callee-saved registers and
 * the stack pointer; on x86-64 inline in its callers, fiber_switch.h), or ucontext elsewhere
 * (AW_FIBER_UCONTEXT; a syscall per switch, ~30x slower).  A fiber lives in the top bytes of its own stack (no allocation of its own); the
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
 *
 * Copied stacks (opt-in: aw_loop_options.stacks = AW_STACKS_COPIED, or AWAITLAB_STACKS=copied):
 * every task of the loop runs on ONE shared stack (stack_shared.c); the loop itself stays on the
 * thread's stack.  A task that suspends keeps the live part of the shared stack, [sp, top), in a
 * heap buffer of its size class (recycle.c); it
 * is copied back to the same addresses before the task resumes (not at all if no other task ran
 * in between).  A sleeping task then costs its live depth instead of a stack's resident page:
 * 424 bytes for a task asleep on an Event, which is why the await path keeps its cold halves
 * (trace events, error messages) out of line: each frame on it is in every sleeping task's image.
 *   Once the loop has 64 sleeping tasks, a task that waits for something (not a bare yield)
 * keeps only the words of its image that differ from a template, the image of a task asleep
 * at the same depth (stack_image.c): 17 of those 424 bytes' 53 words, a 160-byte buffer.  A task
 * asleep on an Event then costs ~820 bytes in all (`awaitlab_bench memory_copied` 100k: 822 B,
 * against 4491 B with a stack per task): its task 224, its coroutine object and Event.wait's
 * 80 + 112, the waiter future 96, the image 160, this fiber record 80, two handle slots 32, and
 * the slab's partly used 2 MiB regions.  A value a frame keeps in a callee-saved register that
 * differs from task to task (a dead pointer, say) is a word in every image: see aw__coro_start.
 *   Many new tasks at once (a gather of 100k) are then bound by first touches of fresh memory;
 *   recycle.c's classes move to huge-page regions once they grow (recycle_slab.c), so that a
 *   burst pays one touch per 2 MiB instead of one per 4 KiB page.
 *   Cost: a memcpy of the live depth per switch between different tasks.
 *   Constraint: nothing may point into a task's stack from outside the task while it sleeps:
 *   the address then holds another task's frames.  The core keeps its own waiters and coroutine
 *   frames off the stack in this mode (aw__fiber_stack_is_shared); values that cross between
 *   tasks (results, exceptions' arguments, queue items, callback and coroutine arguments) are
 *   checked, and a pointer into the shared stack is refused with a RuntimeError naming the task.
 *   Under ASan and valgrind the stack is poisoned while no task runs on it.
 *   Protection: a guard page below the shared stack (one for the loop), -fstack-clash-protection
 *   as above; the overflow message names the task.
 *   Needs the assembly switch or ucontext: both work (ucontext saves a conservative margin below
 *   the suspending frame).
 */
#ifndef AW_FIBER_H
#define AW_FIBER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* AddressSanitizer is told about every stack switch and guards the shared stack: gcc says
 * __SANITIZE_ADDRESS__, clang says __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define AW__ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AW__ASAN 1
#endif
#endif

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
/* A pool whose fibers all run on one shared stack of stack_size bytes (copied stacks). */
aw__stack_pool *aw__stack_pool_new_copied(size_t stack_size);
typedef struct aw__shared_stack aw__shared_stack;
aw__shared_stack *aw__stack_pool_shared(const aw__stack_pool *pool); /* NULL: a stack per task */

/* The shared stack (stack_shared.c) and the images of its sleeping tasks. */
typedef struct aw__stack_image {
    unsigned char *bytes;    /* the frames, or their differences from a template (stack_image.c) */
    uint32_t len;            /* a shared stack is at most 4 GiB (loops allow 1 GiB stacks) */
    uint32_t cap : 31;       /* the buffer's bytes (at most the stack's size, plus a bitmap) */
    uint32_t compact : 1;    /* bytes are differences, not a plain copy */
} aw__stack_image;
aw__shared_stack *aw__shared_stack_new(size_t size);
void aw__shared_stack_free(aw__shared_stack *s);
unsigned char *aw__shared_stack_lo(const aw__shared_stack *s);
unsigned char *aw__shared_stack_hi(const aw__shared_stack *s);
void *aw__shared_stack_owner(const aw__shared_stack *s);          /* whose frames it holds now */
void aw__shared_stack_set_owner(aw__shared_stack *s, void *fiber);
bool aw__shared_stack_eager_save(const aw__shared_stack *s);     /* save at every switch out */
bool aw__shared_stack_contains(const aw__shared_stack *s, uintptr_t p);
void aw__shared_stack_enter(aw__shared_stack *s);  /* before copies and before a task runs */
void aw__shared_stack_leave(aw__shared_stack *s);  /* no task runs: tools guard the range */
/* compact: worth the work of keeping only its differences (stack_image.c). */
void aw__shared_stack_save(aw__shared_stack *s, aw__stack_image *img, const void *sp, bool compact);
void aw__shared_stack_restore(aw__shared_stack *s, const aw__stack_image *img);
void aw__shared_stack_release(aw__shared_stack *s, aw__stack_image *img); /* buffer recycled */

/* A fiber runs entry(arg) on its own stack.  `name` (may change) names it in crash messages. */
aw__fiber *aw__fiber_new(aw__stack_pool *pool, void (*entry)(void *), void *arg);
void aw__fiber_set_name(aw__fiber *f, const char *name);
/* aw__fiber_resume(f) (from the loop's stack: run f until it suspends or its entry returns) and
 * aw__fiber_suspend(f, yielded) (from inside f: go back to whoever resumed it) are inline, in
 * fiber_switch.h, included at the end of this file. */
bool aw__fiber_finished(const aw__fiber *f);
void aw__fiber_free(aw__fiber *f);       /* returns the stack (and with it the fiber) to its pool */
aw__fiber *aw__fiber_current(void);      /* the fiber running now, or NULL on the loop's stack */
/* The running fiber's stack is the shared one of a copied-stacks loop: nothing that outlives
 * this step may point into it (waiters, coroutine frames go on the heap instead).  Asked on hot
 * paths (call_soon, set_result): while no copied-stacks loop exists, one relaxed load answers. */
extern atomic_uint aw__shared_stacks_live;   /* shared stacks alive in the process */
bool aw__fiber_running_on_shared_stack(void);
static inline bool aw__fiber_stack_is_shared(void)
{
    return atomic_load_explicit(&aw__shared_stacks_live, memory_order_relaxed) && aw__fiber_running_on_shared_stack();
}
/* A home for an object that others point at while its task sleeps (a waiter, a callback's
 * argument): `on_stack` itself, or in a copied-stacks loop a heap block of `size` bytes, which
 * aw__fiber_local_free(p, on_stack) frees (it does nothing for on_stack). */
void *aw__fiber_local_home(void *on_stack, size_t size);
void aw__fiber_local_free(void *p, const void *on_stack);
/* In a copied-stacks loop, does p point into the shared stack?  (false in the default mode) */
bool aw__fiber_points_into_shared_stack(const void *p);

#include "fiber_switch.h" /* needs the declarations above */

#endif /* AW_FIBER_H */
