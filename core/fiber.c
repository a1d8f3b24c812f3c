/* fiber.c — start a fiber, the out-of-line resume and suspend; detect a task running off its
 * stack.
 *
 * Only two places ever switch stacks: aw__fiber_resume (loop -> fiber) and aw__fiber_suspend
 * (fiber -> loop), inline (fiber_switch.h) or here, plus the fiber's last switch out when its
 * entry returns.  Each switch tells AddressSanitizer (start/finish_switch_fiber) so that it tracks
 * the right stack; valgrind is told about each stack by the pool, once for the stack's life
 * (stack_pool.c), not per fiber.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* A fiber of a copied-stacks loop (fiber.h): on the heap (recycle.c), since its stack is
 * everybody's.  72 bytes, an 80-byte malloc chunk: it is kept for every sleeping task. */
typedef struct copied_fiber {
    aw__fiber f;
    aw__stack_image image;   /* its frames while another task's are on the shared stack */
#ifdef AW_FIBER_UCONTEXT
    const unsigned char *sp_mark; /* below the suspended frames: ucontext hides the exact sp */
#endif
} copied_fiber;
#if !defined(AW_FIBER_UCONTEXT) && !defined(AW__ASAN)
_Static_assert(sizeof(void *) != 8 || sizeof(copied_fiber) <= 72, "copied_fiber: an 80-byte malloc block");
#endif

static inline bool is_copied(const aw__fiber *f) { return f->copied; }
static inline copied_fiber *as_copied(aw__fiber *f) { return (copied_fiber *)(void *)f; }

_Thread_local aw__fiber *aw__fiber_running;

aw__fiber *aw__fiber_current(void) { return aw__fiber_running; }
bool aw__fiber_running_on_shared_stack(void) { return aw__fiber_running && is_copied(aw__fiber_running); }

void *aw__fiber_local_home(void *on_stack, size_t size)
{
    if (!aw__fiber_stack_is_shared()) return on_stack;
    void *p = malloc(size);
    if (!p) abort(); /* as the core's other small allocations: no way to report it here */
    return p;
}

void aw__fiber_local_free(void *p, const void *on_stack)
{
    if (p != on_stack) free(p);
}

bool aw__fiber_points_into_shared_stack(const void *p)
{
    return aw__fiber_stack_is_shared() && aw__shared_stack_contains(aw__fiber_running->on.shared, (uintptr_t)p);
}

/* The usable stack: from the pool's lowest byte up to the fiber itself, or the shared one. */
static inline unsigned char *stack_lo(const aw__fiber *f)
{
    return is_copied(f) ? aw__shared_stack_lo(f->on.shared) : f->on.stack->lo;
}
static inline unsigned char *stack_hi(const aw__fiber *f)
{
    return is_copied(f) ? aw__shared_stack_hi(f->on.shared) : (unsigned char *)(uintptr_t)f;
}
static size_t stack_size_of(const aw__fiber *f)
{
    return is_copied(f) ? (size_t)(stack_hi(f) - stack_lo(f)) : aw__stack_pool_stack_size(aw__stack_pool_of(f->on.stack));
}

/* ---- running off the stack ------------------------------------------------------------------
 * A guard-page hit arrives as SIGSEGV on the overflowing stack, so the handler runs on an
 * alternate signal stack.  It only names the task (async-signal-safe writes) and then lets the
 * default action kill the process: there is no safe way to continue a task whose stack is gone. */
static void write_str(const char *s) { (void)!write(2, s, strlen(s)); }

static void write_size_kib(size_t bytes)
{
    char buf[32];
    int i = (int)sizeof buf;
    size_t n = bytes / 1024;
    buf[--i] = '\0';
    do { buf[--i] = (char)('0' + n % 10); n /= 10; } while (n && i > 0);
    write_str(buf + i);
}

static __attribute__((unused)) void on_segv(int sig, siginfo_t *info, void *uctx)
{
    (void)uctx;
    aw__fiber *f = aw__fiber_running;
    if (f) {
        uintptr_t addr = (uintptr_t)info->si_addr, lo = (uintptr_t)stack_lo(f);
        /* The guard page, or just below it (a large frame can jump over one page). */
        if (addr < lo && addr + 1024 * 1024 >= lo) {
            write_str("awaitlab: task '");
            write_str(f->name ? f->name : "?");
            write_str("' overflowed its stack (");
            write_size_kib(stack_size_of(f));
            write_str(" KiB); give tasks bigger stacks with AWAITLAB_STACK_SIZE or "
                      "aw_loop_options.stack_size\n");
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_overflow_handler(void)
{
#ifndef AW__ASAN /* AddressSanitizer reports stack overflows itself, with a better trace. */
    static _Thread_local bool installed;
    if (installed) return;
    installed = true;
    static _Thread_local unsigned char alt[64 * 1024];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
#endif
}

/* Stacks past the guards carry a canary below them instead (stack_pool.c). */
void aw__fiber_check_canary(const aw__fiber *f)
{
    if (aw__stack_canary_intact(f->on.stack)) return;
    fprintf(stderr, "awaitlab: task '%s' overflowed its stack (%zu KiB): canary clobbered\n",
            f->name ? f->name : "?", aw__stack_pool_stack_size(aw__stack_pool_of(f->on.stack)) / 1024);
    abort();
}

/* ---- switching ------------------------------------------------------------------------------ */
static void trampoline(void);

#ifdef AW_FIBER_UCONTEXT
static void prepare(aw__fiber *f)
{
    getcontext(&f->ctx);
    f->ctx.uc_stack.ss_sp = stack_lo(f);
    f->ctx.uc_stack.ss_size = (size_t)(stack_hi(f) - stack_lo(f));
    f->ctx.uc_link = NULL;
    makecontext(&f->ctx, trampoline, 0);
}
static void switch_in(aw__fiber *f) { swapcontext(&f->caller_ctx, &f->ctx); }
static void switch_out(aw__fiber *f) { swapcontext(&f->ctx, &f->caller_ctx); }
#else
void *aw__ctx_prepare(void *stack_top, void (*entry)(void))
{
    void **top = stack_top;
#if defined(__x86_64__)
    *--top = NULL;                  /* fake return address: entry never returns */
    *--top = (void *)entry;         /* popped by aw__ctx_switch's ret */
    for (int i = 0; i < 6; i++) *--top = NULL;   /* r15 r14 r13 r12 rbx rbp */
#elif defined(__aarch64__)
    top -= 22;                       /* the 176-byte frame of switch_aarch64.S */
    memset(top, 0, 22 * sizeof *top);
    top[11] = (void *)entry;         /* x30 */
#endif
    return top;
}

static void prepare(aw__fiber *f)
{
    void **top = (void **)(void *)stack_hi(f);
#ifdef AW__FIBER_INLINE_SWITCH
    if (!is_copied(f)) { /* a context as aw__switch_to leaves one */
        *--top = NULL;                /* fake return address: the trampoline never returns */
        for (int i = 0; i < 6; i++) *--top = NULL;  /* rbp (the end of the chain) rbx r12-r15 */
        *--top = (void *)trampoline;  /* where the switch jumps */
        f->sp = top;
        return;
    }
#endif
    f->sp = aw__ctx_prepare(top, trampoline);
}
static void switch_in(aw__fiber *f) { aw__ctx_switch(&f->caller_sp, f->sp); }
static void switch_out(aw__fiber *f) { aw__ctx_switch(&f->sp, f->caller_sp); }
#endif

/* The fiber's last switch out, in the protocol its context was prepared for. */
static void switch_out_finished(aw__fiber *f)
{
#ifdef AW__FIBER_INLINE_SWITCH
    if (!is_copied(f)) {
        aw__switch_to(&f->sp, f->caller_sp);
        return;
    }
#endif
    switch_out(f);
}

static void trampoline(void)
{
    aw__fiber *f = aw__fiber_running;
#ifdef AW__ASAN
    __sanitizer_finish_switch_fiber(NULL, &f->caller_bottom, &f->caller_size);
#endif
    f->entry(f->arg);
    f->finished = true;
#ifdef AW__ASAN
    __sanitizer_start_switch_fiber(NULL, f->caller_bottom, f->caller_size); /* this fiber dies */
#endif
    switch_out_finished(f);
    abort(); /* a finished fiber is never resumed */
}

aw__fiber *aw__fiber_new(aw__stack_pool *pool, void (*entry)(void *), void *arg)
{
    install_overflow_handler();
    aw__shared_stack *shared = aw__stack_pool_shared(pool);
    if (shared) {
        copied_fiber *c = aw__recycled_alloc(sizeof *c);
        *c = (copied_fiber){.f = {.entry = entry, .arg = arg, .on.shared = shared, .copied = true}};
        return &c->f;
    }
    aw__stack *s = aw__stack_get(pool);
    if (!s) return NULL;
    /* 64-byte aligned below the record: the fiber's own line, and a 16-byte aligned stack top. */
    aw__fiber *f = (aw__fiber *)(void *)(((uintptr_t)s - sizeof *f) & ~(uintptr_t)63);
    /* One initializer, not memset + stores: the compiler writes each field once (spawn path). */
    *f = (aw__fiber){.entry = entry, .arg = arg, .on.stack = s};
    prepare(f);
    return f;
}

void aw__fiber_set_name(aw__fiber *f, const char *name) { f->name = name; }
bool aw__fiber_finished(const aw__fiber *f) { return f->finished; }

/* ---- copied stacks: the shared stack changes hands only here, on the loop's stack ------------ */
static const void *suspended_sp(copied_fiber *c)
{
#ifdef AW_FIBER_UCONTEXT
    return c->sp_mark;
#else
    return c->f.sp;
#endif
}

/* Puts c's frames on the shared stack: the previous holder's are saved first (the lazy half of
 * the copy: a task that sleeps while nobody else runs is never copied at all). */
static void copied_take_stack(copied_fiber *c)
{
    aw__shared_stack *sh = c->f.on.shared;
    aw__shared_stack_enter(sh);
    copied_fiber *holder = aw__shared_stack_owner(sh);
    if (holder == c) return;
    if (holder) aw__shared_stack_save(sh, &holder->image, suspended_sp(holder), !holder->f.yielded);
    if (c->f.started) {
        aw__shared_stack_restore(sh, &c->image);
    } else {
        prepare(&c->f);
        c->f.started = true;
    }
    aw__shared_stack_set_owner(sh, c);
}

static void copied_left_stack(copied_fiber *c)
{
    aw__shared_stack *sh = c->f.on.shared;
    if (c->f.finished) {
        aw__shared_stack_set_owner(sh, NULL);
    } else if (aw__shared_stack_eager_save(sh)) {
        aw__shared_stack_save(sh, &c->image, suspended_sp(c), !c->f.yielded);
        aw__shared_stack_set_owner(sh, NULL);
    }
    aw__shared_stack_leave(sh);
}

void aw__fiber_resume_out_of_line(aw__fiber *f)
{
    aw__fiber *prev = aw__fiber_running;
    if (is_copied(f)) copied_take_stack(as_copied(f));
    aw__fiber_running = f;
#ifdef AW__ASAN
    void *fake = NULL;
    __sanitizer_start_switch_fiber(&fake, stack_lo(f), (size_t)(stack_hi(f) - stack_lo(f)));
#endif
    switch_in(f);
#ifdef AW__ASAN
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
    aw__fiber_running = prev;
    if (is_copied(f))
        copied_left_stack(as_copied(f));
    else if (f->on.stack->canary)
        aw__fiber_check_canary(f);
}

void aw__fiber_suspend_out_of_line(aw__fiber *f, bool yielded)
{
    f->yielded = yielded;
#ifdef AW_FIBER_UCONTEXT
    /* This frame's locals, then swapcontext's return address, lie below its frame address (the
     * sanitizer's switch call has returned by then): a margin covers them. */
    if (is_copied(f)) {
        const unsigned char *mark = (const unsigned char *)__builtin_frame_address(0) - 512;
        as_copied(f)->sp_mark = mark > stack_lo(f) ? mark : stack_lo(f);
    }
#endif
#ifdef AW__ASAN
    __sanitizer_start_switch_fiber(&f->asan_fake, f->caller_bottom, f->caller_size);
#endif
    switch_out(f);
#ifdef AW__ASAN
    __sanitizer_finish_switch_fiber(f->asan_fake, &f->caller_bottom, &f->caller_size);
#endif
}

void aw__fiber_free(aw__fiber *f)
{
    if (!f) return;
    if (is_copied(f)) {
        copied_fiber *c = as_copied(f);
        aw__shared_stack *sh = c->f.on.shared;
        if (aw__shared_stack_owner(sh) == c) aw__shared_stack_set_owner(sh, NULL);
        aw__shared_stack_release(sh, &c->image);
        aw__recycled_free(c, sizeof *c);
        return;
    }
    aw__stack_put(f->on.stack); /* f itself was in the stack's top bytes */
}
