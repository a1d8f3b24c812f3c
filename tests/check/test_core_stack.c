/* test_core_stack.c — task stacks: a task that runs off its stack dies with a message naming
 * it; many tasks at once (past the guard-page budget); the stack size option; the pool makes the
 * tops of the next stacks resident ahead when many are taken at once, and only a few; each chunk
 * of stacks has a 1 GiB window of its own, and stacks are still had where no window can be. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fiber.h"
#include "support_core.h"

/* gcc says __SANITIZE_ADDRESS__; clang (make san's build/san-clang) says __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static bool under_valgrind(void) { return getenv("AWAITLAB_UNDER_VALGRIND") != NULL; }

/* Deep recursion with a frame the optimiser cannot remove. */
static int recurse(int depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    frame[sizeof frame - 1] = (char)depth;
    return depth > 1000000 ? frame[0] : recurse(depth + 1) + frame[sizeof frame - 1];
}

AW_COROUTINE(overflows)
{
    aw_print("%d", recurse(0));
    return aw_none();
}

AW_COROUTINE(overflow_main)
{
    aw_task *t = aw_create_task_named(AW_CALL(overflows), "deep-recursion");
    AW_AWAIT(t);
    return aw_none();
}

static aw_coro *make_overflow_main(void) { return AW_CALL(overflow_main); }

START_TEST(stack_overflow_dies_with_a_message_naming_the_task)
{
    if (under_valgrind()) return; /* valgrind reports the overflow its own way */
    char err[4096];
    int status = run_in_child(run_sim, make_overflow_main, err, sizeof err);
    /* It must not exit normally: a task without a stack cannot go on. */
    ck_assert(!(WIFEXITED(status) && WEXITSTATUS(status) == 0));
    if (UNDER_ASAN)
        ck_assert_msg(strstr(err, "AddressSanitizer") != NULL, "stderr: %s", err);
    else {
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
        ck_assert_msg(strstr(err, "awaitlab: task 'deep-recursion' overflowed its stack (256 KiB)") != NULL,
                      "stderr: %s", err);
    }
}
END_TEST

/* ---- many tasks at once: more than the guard-page budget (30000) --------------------------- */
static int finished;

AW_COROUTINE(short_life, double d;)
{
    AW_AWAIT(aw_sleep(self->d));
    finished++;
    return aw_none();
}

AW_COROUTINE(many_main, int n;)
{
    aw_task **tasks = malloc((size_t)self->n * sizeof *tasks);
    for (int i = 0; i < self->n; i++) tasks[i] = aw_create_task(AW_CALL(short_life, 1.0 + (i % 7) * 0.001));
    AW_AWAIT(aw_sleep(0.5)); /* every task has started and holds a stack now */
    for (int i = 0; i < self->n; i++) {
        aw_status st = aw_await(tasks[i], NULL);
        aw_task_detach(tasks[i]);
        if (st != AW_OK) {
            free(tasks);
            return aw_reraise();
        }
    }
    free(tasks);
    aw_print("%d finished at %.3f", finished, aw_time());
    return aw_none();
}

START_TEST(many_live_tasks)
{
    int n = under_valgrind() ? 2000 : 35000;
    finished = 0;
    memset(&g_log, 0, sizeof g_log);
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.stack_size = 32 * 1024;
    o.output = NULL;
    aw_value v;
    ck_assert_int_eq(aw_run(AW_CALL(many_main, n), &o, &v), AW_OK);
    ck_assert_int_eq(finished, n);
}
END_TEST

/* ---- the stack size option is honoured ----------------------------------------------------- */
static int use_stack(int kib)
{
    volatile char big[64 * 1024];
    big[0] = 1;
    big[sizeof big - 1] = 2;
    return kib <= 64 ? big[0] + big[sizeof big - 1] : use_stack(kib - 64) + big[0];
}

AW_COROUTINE(uses_512k) { return aw_int(use_stack(512)); }

START_TEST(configurable_stack_size)
{
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.stack_size = 4 * 1024 * 1024;
    aw_value v;
    ck_assert_int_eq(aw_run(AW_CALL(uses_512k), &o, &v), AW_OK);
    ck_assert_int_eq(v.kind, AW_INT);
    ck_assert_int_ge(v.as.i, 3);
}
END_TEST

/* ---- stack tops made resident ahead (stack_pool.c) ------------------------------------------- */
static bool page_resident(const void *p)
{
    long page = sysconf(_SC_PAGESIZE);
    unsigned char in = 0;
    void *start = (void *)((uintptr_t)p & ~(uintptr_t)(page - 1));
    ck_assert_int_eq(mincore(start, (size_t)page, &in), 0);
    return in & 1;
}

/* The kernel can populate (Linux >= 5.14): else the pool does without, and there is nothing to see. */
static bool kernel_populates(void)
{
    long page = sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    bool ok = p != MAP_FAILED && madvise(p, (size_t)page, 23 /* MADV_POPULATE_WRITE */) == 0;
    if (p != MAP_FAILED) munmap(p, (size_t)page);
    return ok;
}

START_TEST(next_stack_tops_resident_ahead)
{
    if (under_valgrind() || !kernel_populates()) return; /* valgrind: no process_madvise */
    aw__stack_pool *pool = aw__stack_pool_new(64 * 1024);
    ck_assert_ptr_nonnull(pool);
    aw__stack *s[5];
    for (int i = 0; i < 5; i++) ck_assert_ptr_nonnull(s[i] = aw__stack_get(pool));
    /* Slots of a chunk are evenly spaced; each record is in its slot's top page. */
    ptrdiff_t slot = (unsigned char *)s[1] - (unsigned char *)s[0];
    ck_assert_int_eq((unsigned char *)s[4] - (unsigned char *)s[3], slot);
    /* Handing out slot 4 made the tops of slots 4..7 resident (min(4, max) ahead), not slot 8's:
     * what is populated ahead stays within what the pool has already handed out. */
    ck_assert(page_resident((unsigned char *)s[4] + slot));
    ck_assert(page_resident((unsigned char *)s[4] + 3 * slot));
    ck_assert(!page_resident((unsigned char *)s[4] + 4 * slot));
    /* Freed stacks are taken again before fresh ones (their pages are resident already): the
     * last one given back (kept aside) and the one before it (on its chunk's list). */
    aw__stack_put(s[1]);
    aw__stack_put(s[2]);
    ck_assert_ptr_eq(aw__stack_get(pool), s[2]);
    ck_assert_ptr_eq(aw__stack_get(pool), s[1]);
    aw__stack_pool_free(pool);
}
END_TEST

/* ---- a window of its own per chunk (stack_pool.c, chunk_map) ----------------------------------- */
#define WINDOW ((uintptr_t)1 << 30)

/* The first chunk holds 16 stacks, the second 32: stacks 0..15 and 16..47. */
static void take_two_chunks(aw__stack_pool *pool, aw__stack *s[48])
{
    for (int i = 0; i < 48; i++) ck_assert_ptr_nonnull(s[i] = aw__stack_get(pool));
}

START_TEST(each_chunk_has_a_window_of_its_own)
{
    if (sizeof(void *) != 8 || under_valgrind()) return; /* valgrind lays out memory its own way */
    aw__stack_pool *pool = aw__stack_pool_new(64 * 1024);
    ck_assert_ptr_nonnull(pool);
    aw__stack *s[48];
    take_two_chunks(pool, s);
    uintptr_t first = (uintptr_t)s[0] / WINDOW, second = (uintptr_t)s[16] / WINDOW;
    ck_assert_uint_eq((uintptr_t)s[15] / WINDOW, first);
    ck_assert_uint_eq((uintptr_t)s[47] / WINDOW, second);
    ck_assert_uint_ne(first, second);
    /* The rest of the first window is reserved, not lent to the next mapping. */
    long page = sysconf(_SC_PAGESIZE);
    void *probe = mmap((void *)((first + 1) * WINDOW - 64 * (uintptr_t)page), (size_t)page, PROT_READ,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    ck_assert(probe == MAP_FAILED);
    aw__stack_pool_free(pool);
}
END_TEST

/* Under an address-space limit no 2 GiB reservation is had: chunks are mapped as they fit. */
START_TEST(stacks_without_windows_under_an_address_space_limit)
{
    if (UNDER_ASAN || under_valgrind()) return; /* both reserve terabytes of their own */
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct rlimit lim = {1u << 30, 1u << 30};
        if (setrlimit(RLIMIT_AS, &lim) != 0) _exit(2);
        aw__stack_pool *pool = aw__stack_pool_new(64 * 1024);
        if (!pool) _exit(3);
        aw__stack *s[48];
        for (int i = 0; i < 48; i++)
            if (!(s[i] = aw__stack_get(pool))) _exit(4);
        /* usable: the top of every stack takes a write */
        for (int i = 0; i < 48; i++) ((volatile unsigned char *)s[i]->lo)[64 * 1024 - 4096] = 1;
        aw__stack_pool_free(pool);
        _exit(0);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_stack");
    TCase *tc = tcase_create("stack");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, stack_overflow_dies_with_a_message_naming_the_task);
    tcase_add_test(tc, many_live_tasks);
    tcase_add_test(tc, configurable_stack_size);
    tcase_add_test(tc, next_stack_tops_resident_ahead);
    tcase_add_test(tc, each_chunk_has_a_window_of_its_own);
    tcase_add_test(tc, stacks_without_windows_under_an_address_space_limit);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
