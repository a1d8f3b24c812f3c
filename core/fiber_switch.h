/* fiber_switch.h — resuming and suspending a fiber, inline where it happens: in the loop's step
 * (task_step.h) and in the task's await (internal.h, aw__task_yield).  Included by fiber.h.
 *
 * Why inline, and why without call/ret: a switch that is a function called on one stack and
 * returning on the other makes its `ret` land where no call was seen, so the return predictor
 * misses it, and then every return after it until the two stacks' calls pair up again (three
 * per sleep(0) with the functions of before).  On x86-64 with a stack per task the switch is a
 * few instructions in its caller's body instead: push the callee-saved registers and the resume
 * address, store the stack pointer, load the other side's, pop its resume address and registers
 * and jump there.  The `jmp *` is predicted by its target like any indirect branch (every task
 * of a loop resumes at the same await, the loop always at its step), and calls and returns pair
 * up on each stack, so the return predictor stays right.
 *
 * To the compiler the asm is a function call: it clobbers the registers a call may change and
 * keeps the callee-saved ones (pushed and popped by the switch, as aw__ctx_switch did), so the
 * code around it keeps its values in them.  (Clobbering all registers instead, to save only the
 * live ones, spilled and reloaded the loop's values around every step: 276 instructions per
 * switch against 259, and slower.)  The red zone: a function that calls nothing may keep data
 * in the 128 bytes below its stack pointer, where the pushes go; the switch steps over them
 * first.
 *
 * Copied stacks keep the out-of-line switch (switch_<arch>.S through fiber.c): a task's image is
 * saved from its exact stack pointer, and stepping over the red zone would put 128 more bytes in
 * every sleeping task's image.  aarch64 and ucontext builds keep it too (one switch to keep
 * correct per architecture).
 */
#ifndef AW_FIBER_SWITCH_H
#define AW_FIBER_SWITCH_H

#include <stdbool.h>

#include "fiber.h"

#if !defined(AW_FIBER_UCONTEXT) && !defined(__x86_64__) && !defined(__aarch64__)
#define AW_FIBER_UCONTEXT 1
#endif
#ifdef AW_FIBER_UCONTEXT
#include <ucontext.h>
#endif
#ifdef AW__ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(__x86_64__) && !defined(AW_FIBER_UCONTEXT)
#define AW__FIBER_INLINE_SWITCH 1
#endif

#ifndef AW_FIBER_UCONTEXT
/* switch_<arch>.S: saves the callee-saved registers on this stack, stores its pointer in
 * *save_sp, and continues the context at load_sp.  The out-of-line switch (copied stacks,
 * aarch64), and bench/awaitlab_bench.c's yardstick of what a switch costs. */
void aw__ctx_switch(void **save_sp, void *load_sp);
/* A context aw__ctx_switch continues into entry, on a stack that ends at stack_top. */
void *aw__ctx_prepare(void *stack_top, void (*entry)(void));
#endif

/* In the top bytes of its stack, just below the pool's record (fiber.h), or on the heap with
 * copied stacks.  Kept to 56 bytes outside ASan: one cache line per task stack, and most of a
 * sleeping task's record with copied stacks. */
struct aw__fiber {
#ifdef AW_FIBER_UCONTEXT
    ucontext_t ctx, caller_ctx;
#else
    void *sp, *caller_sp;
#endif
    void (*entry)(void *);
    void *arg;
    const char *name;
    union {
        aw__stack *stack;          /* its own stack, from the pool */
        aw__shared_stack *shared;  /* copied: the loop's one stack */
    } on;
    bool finished;
    bool copied;                   /* a copied_fiber (fiber.c): on.shared, and its image */
    bool started;                  /* copied: its first frame is written when it first gets the stack */
    bool yielded;                  /* copied: suspended by a bare yield (stack_image.c: kept plain) */
#ifdef AW__ASAN
    /* AddressSanitizer's view of the stack we came from. */
    void *asan_fake;
    const void *caller_bottom;
    size_t caller_size;
#endif
};

extern _Thread_local aw__fiber *aw__fiber_running; /* NULL: the loop's stack */

/* fiber.c: the switches of copied stacks and of the builds without the inline switch, and the
 * check of a stack that has a canary instead of a guard page. */
void aw__fiber_resume_out_of_line(aw__fiber *f);
void aw__fiber_suspend_out_of_line(aw__fiber *f, bool yielded);
void aw__fiber_check_canary(const aw__fiber *f);

#ifdef AW__FIBER_INLINE_SWITCH
/* Saves this side's context at *save_sp and continues the one saved at load_sp.  A saved
 * context, from its stack pointer up: the address to resume at, r15 r14 r13 r12 rbx rbp, 128
 * bytes of red zone (a new fiber's: fiber.c, prepare). */
static inline __attribute__((always_inline)) void aw__switch_to(void **save_sp, void *load_sp)
{
    __asm__ volatile("leaq -128(%%rsp), %%rsp\n\t"
                     "pushq %%rbp\n\t"
                     "pushq %%rbx\n\t"
                     "pushq %%r12\n\t"
                     "pushq %%r13\n\t"
                     "pushq %%r14\n\t"
                     "pushq %%r15\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "movq %%rsp, (%0)\n\t"
                     "movq %1, %%rsp\n\t"
                     "popq %%rax\n\t"
                     "popq %%r15\n\t"
                     "popq %%r14\n\t"
                     "popq %%r13\n\t"
                     "popq %%r12\n\t"
                     "popq %%rbx\n\t"
                     "popq %%rbp\n\t"
                     "jmpq *%%rax\n"
                     "1:\n\t"
                     "leaq 128(%%rsp), %%rsp"
                     : "+D"(save_sp), "+S"(load_sp)
                     :
                     : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "memory",
                       "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
                       "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)",
                       "st(6)", "st(7)", "mm0", "mm1", "mm2", "mm3", "mm4", "mm5", "mm6", "mm7"
#ifdef __AVX512F__
                       , "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25",
                       "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31", "k0", "k1", "k2", "k3", "k4", "k5", "k6",
                       "k7"
#endif
    );
}
#endif

#ifdef AW__FIBER_INLINE_SWITCH
/* A fiber on a stack of its own switches inline; a copied one through fiber.c. */
static inline bool aw__fiber_switches_inline(const aw__fiber *f) { return __builtin_expect(!f->copied, 1); }

static inline __attribute__((always_inline)) void aw__fiber_resume_own_stack(aw__fiber *f)
{
    aw__fiber *prev = aw__fiber_running;
    aw__fiber_running = f;
#ifdef AW__ASAN
    void *fake = NULL;
    __sanitizer_start_switch_fiber(&fake, f->on.stack->lo, (size_t)((unsigned char *)f - f->on.stack->lo));
#endif
    aw__switch_to(&f->caller_sp, f->sp);
#ifdef AW__ASAN
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
    aw__fiber_running = prev;
    /* a guarded stack (every stack on Linux >= 6.13) pays one test, no call */
    if (__builtin_expect(f->on.stack->canary, 0)) aw__fiber_check_canary(f);
}

static inline __attribute__((always_inline)) void aw__fiber_suspend_own_stack(aw__fiber *f)
{
#ifdef AW__ASAN
    __sanitizer_start_switch_fiber(&f->asan_fake, f->caller_bottom, f->caller_size);
#endif
    aw__switch_to(&f->sp, f->caller_sp);
#ifdef AW__ASAN
    __sanitizer_finish_switch_fiber(f->asan_fake, &f->caller_bottom, &f->caller_size);
#endif
}
#else /* every switch through fiber.c */
static inline bool aw__fiber_switches_inline(const aw__fiber *f) { return (void)f, false; }
static inline void aw__fiber_resume_own_stack(aw__fiber *f) { (void)f; }
static inline void aw__fiber_suspend_own_stack(aw__fiber *f) { (void)f; }
#endif

/* From the loop's stack: run f until it suspends or its entry returns. */
static inline __attribute__((always_inline)) void aw__fiber_resume(aw__fiber *f)
{
    if (aw__fiber_switches_inline(f)) aw__fiber_resume_own_stack(f);
    else aw__fiber_resume_out_of_line(f);
}

/* From inside f: go back to whoever resumed it.  yielded: f is already due to run again (a bare
 * yield), as opposed to waiting for something; only copied stacks use it (stack_image.c). */
static inline __attribute__((always_inline)) void aw__fiber_suspend(aw__fiber *f, bool yielded)
{
    if (aw__fiber_switches_inline(f)) aw__fiber_suspend_own_stack(f);
    else aw__fiber_suspend_out_of_line(f, yielded);
}

#endif /* AW_FIBER_SWITCH_H */
