/* test_core_stack_copied.c — copied stacks (core/fiber.h): every task on one shared stack, its
 * live part copied out while it sleeps.  Locals survive other tasks' runs at any depth; the
 * primitives' waiters and cancellation work; many tasks gather; a pointer into the shared stack
 * that leaves its task is refused (and is not in the default mode); a sleeping task costs less
 * than its measured bound (less than the default mode's stack page with the assembly switch). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef AW_FIBER_UCONTEXT
#include <ucontext.h>
#endif

#include "fiber.h"
#include "support_core.h"

#ifdef AW__ASAN /* fiber.h */
#define UNDER_ASAN 1
#else
#define UNDER_ASAN 0
#endif

static aw_status run_copied(aw_coro *main)
{
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.stacks = AW_STACKS_COPIED;
    return aw_run(main, &o, NULL);
}

/* ---- locals survive ------------------------------------------------------------------------- */
static long checked_frames, frames_expected;
enum { ROUNDS = 3 };
static aw_sync_event *round_events[ROUNDS];

/* Each frame holds a pattern made of (task, depth); the innermost sleeps `sleeps` times (yields,
 * or waits on round_events[0], [1]...: on_events), while the other tasks (deeper and shallower)
 * run over the same addresses. */
static aw_status nest(int task, int depth, int sleeps, bool on_events)
{
    volatile unsigned char frame[200];
    for (size_t i = 0; i < sizeof frame; i++) frame[i] = (unsigned char)(task * 31 + depth * 7 + (int)i);
    aw_status st = AW_OK;
    if (depth > 0)
        st = nest(task, depth - 1, sleeps, on_events);
    else
        for (int y = 0; y < sleeps && st == AW_OK; y++)
            st = aw_await(on_events ? aw_sync_event_wait(round_events[y]) : aw_sleep(0), NULL);
    for (size_t i = 0; i < sizeof frame; i++)
        ck_assert_int_eq(frame[i], (unsigned char)(task * 31 + depth * 7 + (int)i));
    checked_frames++;
    return st;
}

AW_COROUTINE(nester, int task; int depth;)
{
    AW_TRY(nest(self->task, self->depth, 3, false));
    ck_assert(aw__fiber_stack_is_shared());
    return aw_int(self->task);
}

AW_COROUTINE(interleaved_main)
{
    enum { N = 12 };
    void *aws[N];
    for (int i = 0; i < N; i++) {
        int depth = i % 2 ? 1 : 40 + i * 5; /* shallow and deep by turns */
        aws[i] = AW_CALL(nester, i, depth);
        frames_expected += depth + 1;
    }
    aw_value v;
    AW_AWAIT_INTO(v, aw_gather(false, N, aws));
    ck_assert_int_eq((int)v.as.list->len, N);
    for (int i = 0; i < N; i++) ck_assert_int_eq((int)v.as.list->items[i].as.i, i);
    return aw_none();
}

/* Runs main, which adds to frames_expected every frame it makes a task check. */
static void run_checking_frames(aw_coro *main)
{
    checked_frames = frames_expected = 0;
    ck_assert_int_eq(run_copied(main), AW_OK);
    ck_assert_int_eq(checked_frames, frames_expected);
}

START_TEST(locals_survive_other_tasks_at_any_depth) { run_checking_frames(AW_CALL(interleaved_main)); }
END_TEST

/* ---- compact images (core/stack_image.c) ---------------------------------------------------- */
/* More tasks asleep at once than COMPACT_AFTER_IMAGES, waiting on events (a task that only yields
 * keeps a plain image), so their images are kept as differences from templates.  Tasks of one
 * kind have the same frames but for the words naming their own objects; kinds differ in depth
 * and in their frames' pattern, so templates are both shared and replaced.  Every frame is checked
 * after the task was woken ROUNDS times from its compact image. */
enum { COMPACT_TASKS = 600 };

AW_COROUTINE(waiting_nester, int task; int kind; int depth;)
{
    AW_TRY(nest(self->kind, self->depth, ROUNDS, true));
    return aw_int(self->task);
}

AW_COROUTINE(compact_main)
{
    static aw_task *ts[COMPACT_TASKS];
    for (int r = 0; r < ROUNDS; r++) round_events[r] = aw_sync_event_new();
    for (int i = 0; i < COMPACT_TASKS; i++) {
        int kind = i % 5, depth = kind * 3 + (i % 7 == 0 ? 9 : 0);
        ts[i] = aw_create_task(AW_CALL(waiting_nester, i, kind, depth));
        frames_expected += depth + 1;
    }
    for (int r = 0; r < ROUNDS; r++) {
        AW_AWAIT(aw_sleep(0)); /* every task asleep on this round's event */
        aw_sync_event_set(round_events[r]);
    }
    for (int i = 0; i < COMPACT_TASKS; i++) {
        aw_value v;
        AW_AWAIT_INTO(v, ts[i]);
        ck_assert_int_eq((int)v.as.i, i);
        aw_task_detach(ts[i]);
    }
    return aw_none();
}

START_TEST(locals_survive_in_compact_images) { run_checking_frames(AW_CALL(compact_main)); }
END_TEST

/* ---- the primitives' waiters ---------------------------------------------------------------- */
static int woken;

AW_COROUTINE(wait_event, aw_sync_event *ev;)
{
    AW_AWAIT(aw_sync_event_wait(self->ev));
    woken++;
    return aw_none();
}

AW_COROUTINE(hold_lock, aw_lock *lock;)
{
    AW_AWAIT(aw_lock_acquire(self->lock));
    AW_AWAIT(aw_sleep(0));
    woken++;
    AW_TRY(aw_lock_release(self->lock));
    return aw_none();
}

AW_COROUTINE(hold_semaphore, aw_semaphore *sem;)
{
    AW_AWAIT(aw_semaphore_acquire(self->sem));
    AW_AWAIT(aw_sleep(0));
    woken++;
    AW_TRY(aw_semaphore_release(self->sem));
    return aw_none();
}

AW_COROUTINE(wait_condition, aw_condition *cond;)
{
    AW_AWAIT(aw_condition_acquire(self->cond));
    AW_AWAIT(aw_condition_wait(self->cond));
    woken++;
    AW_TRY(aw_condition_release(self->cond));
    return aw_none();
}

AW_COROUTINE(get_item, aw_queue *q;)
{
    aw_value v;
    AW_AWAIT_INTO(v, aw_queue_get(self->q));
    woken += (int)v.as.i;
    return aw_none();
}

AW_COROUTINE(waiters_main)
{
    enum { N = 4 };
    aw_sync_event *ev = aw_sync_event_new();
    aw_lock *lock = aw_lock_new();
    aw_semaphore *sem = aw_semaphore_new(1);
    aw_condition *cond = aw_condition_new(NULL);
    aw_queue *q = aw_queue_new(0);
    void *aws[5 * N];
    for (int i = 0; i < N; i++) {
        aws[5 * i] = aw_create_task(AW_CALL(wait_event, ev));
        aws[5 * i + 1] = aw_create_task(AW_CALL(hold_lock, lock));
        aws[5 * i + 2] = aw_create_task(AW_CALL(hold_semaphore, sem));
        aws[5 * i + 3] = aw_create_task(AW_CALL(wait_condition, cond));
        aws[5 * i + 4] = aw_create_task(AW_CALL(get_item, q));
    }
    /* The lock and semaphore holders took turns (each waited in the primitive for the one
     * before); the others are asleep in the event, the condition and the queue. */
    AW_AWAIT(aw_sleep(0.1));
    ck_assert_int_eq(woken, 2 * N);
    aw_sync_event_set(ev);
    AW_AWAIT(aw_condition_acquire(cond));
    AW_TRY(aw_condition_notify_all(cond));
    AW_TRY(aw_condition_release(cond));
    for (int i = 0; i < N; i++) AW_TRY(aw_queue_put_nowait(q, aw_int(100)));
    AW_AWAIT(aw_gather(false, 5 * N, aws));
    ck_assert_int_eq(woken, 4 * N + 100 * N);
    return aw_none();
}

START_TEST(waiters_of_every_primitive_wake)
{
    woken = 0;
    ck_assert_int_eq(run_copied(AW_CALL(waiters_main)), AW_OK);
}
END_TEST

/* ---- cancellation --------------------------------------------------------------------------- */
AW_COROUTINE(cancelled_sleeper)
{
    volatile char mark[64];
    memset((char *)mark, 'c', sizeof mark);
    aw_status st = aw_await(aw_sleep(10), NULL);
    ck_assert_int_eq(st, AW_CANCELLED);
    for (size_t i = 0; i < sizeof mark; i++) ck_assert_int_eq(mark[i], 'c');
    woken++;
    return aw_reraise();
}

AW_COROUTINE(cancel_main)
{
    aw_task *a = aw_create_task(AW_CALL(cancelled_sleeper));
    aw_task *b = aw_create_task(AW_CALL(nester, 1, 30));
    AW_AWAIT(aw_sleep(0));
    aw_task_cancel(a, NULL);
    ck_assert_int_eq(aw_await(a, NULL), AW_CANCELLED);
    aw_exc_clear();
    AW_AWAIT(b);
    ck_assert_int_eq(woken, 1);
    return aw_none();
}

START_TEST(a_sleeping_task_is_cancelled_with_its_frames_intact)
{
    woken = 0;
    ck_assert_int_eq(run_copied(AW_CALL(cancel_main)), AW_OK);
}
END_TEST

/* ---- many tasks ----------------------------------------------------------------------------- */
AW_COROUTINE(yield_once, long i;)
{
    long mine = self->i;
    AW_AWAIT(aw_sleep(0));
    return aw_int(mine);
}

AW_COROUTINE(gather_main, long n;)
{
    void **aws = malloc((size_t)self->n * sizeof *aws);
    ck_assert_ptr_nonnull(aws);
    for (long i = 0; i < self->n; i++) aws[i] = AW_CALL(yield_once, i);
    aw_value v;
    aw_status st = aw_await(aw_gather(false, (size_t)self->n, aws), &v);
    free(aws);
    AW_TRY(st);
    long sum = 0;
    for (size_t i = 0; i < v.as.list->len; i++) sum += v.as.list->items[i].as.i;
    ck_assert_int_eq(sum, self->n * (self->n - 1) / 2);
    return aw_none();
}

START_TEST(gather_of_many_new_tasks)
{
    ck_assert_int_eq(run_copied(AW_CALL(gather_main, 20000)), AW_OK);
}
END_TEST

/* ---- memory per sleeping task --------------------------------------------------------------- */
static long rss_bytes(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

static double bytes_per_task;

AW_COROUTINE(memory_main, long n;)
{
    aw_sync_event *ev = aw_sync_event_new();
    aw_task **ts = malloc((size_t)self->n * sizeof *ts);
    ck_assert_ptr_nonnull(ts);
    long rss0 = rss_bytes();
    for (long i = 0; i < self->n; i++) ts[i] = aw_create_task(AW_CALL(wait_event, ev));
    AW_AWAIT(aw_sleep(0));
    AW_AWAIT(aw_sleep(0));
    bytes_per_task = (double)(rss_bytes() - rss0) / (double)self->n;
    aw_sync_event_set(ev);
    for (long i = 0; i < self->n; i++) {
        AW_AWAIT(ts[i]);
        aw_task_detach(ts[i]);
    }
    free(ts);
    return aw_none();
}

START_TEST(a_sleeping_task_costs_less_than_its_measured_bound)
{
    /* RSS means nothing under the tools (shadow memory, redzones, valgrind's own heap). */
    if (UNDER_ASAN || getenv("AWAITLAB_UNDER_VALGRIND")) return;
    woken = 0;
    ck_assert_int_eq(run_copied(AW_CALL(memory_main, 50000)), AW_OK);
    ck_assert_int_eq(woken, 50000);
    /* Measured 822 B (bench: memory_copied: 1136 B before images were kept as differences,
     * core/stack_image.c); the default mode needs 4512 B.  The ucontext switch keeps two
     * ucontext_t in each fiber and saves a 512-byte margin (fiber.c). */
    double bound = 1000;
#ifdef AW_FIBER_UCONTEXT
    bound += 2.0 * sizeof(ucontext_t) + 512;
#endif
    ck_assert_msg(bytes_per_task < bound, "%.0f bytes per sleeping task", bytes_per_task);
}
END_TEST

/* ---- pointers into the shared stack are refused where they leave the task ---------------- */
static void noop(void *arg) { (void)arg; }
static void noop_done(aw_future *f, void *arg) { (void)f, (void)arg; }

AW_COROUTINE(reads_int, int *p;)
{
    return aw_int(*self->p);
}

static void expect_refusal(const char *what)
{
    const aw_exc *e = aw_exc_current();
    ck_assert_ptr_nonnull(e);
    ck_assert(aw_exc_matches(e, AW_RuntimeError));
    ck_assert_msg(strstr(aw_exc_message(e), "task 'leaker' passed a pointer into its own stack as ") &&
                      strstr(aw_exc_message(e), what),
                  "%s", aw_exc_message(e));
    aw_exc_clear();
}

static bool copied_mode;

AW_COROUTINE(leaker)
{
    int local = 7;
    aw_loop *loop = aw_current_loop();
    aw_task *t = aw_create_task(AW_CALL(reads_int, &local));
    aw_future *f = aw_future_new(loop);
    aw_queue *q = aw_queue_new(0);
    if (!copied_mode) { /* the same calls are fine with a stack per task */
        ck_assert_ptr_nonnull(t);
        ck_assert_int_eq(aw_future_set_result(f, aw_ptr(&local)), AW_OK);
        ck_assert_int_eq(aw_queue_put_nowait(q, aw_ptr(&local)), AW_OK);
        ck_assert_ptr_nonnull(aw_call_soon(loop, noop, &local));
        aw_value v;
        AW_AWAIT_INTO(v, t);
        ck_assert_int_eq((int)v.as.i, 7);
        return aw_none();
    }
    ck_assert_ptr_null(t);
    expect_refusal("an argument of a new task's coroutine");
    ck_assert_int_eq(aw_future_set_result(f, aw_ptr(&local)), AW_ERROR);
    expect_refusal("a future's result");
    ck_assert_int_eq(aw_queue_put_nowait(q, aw_ptr(&local)), AW_ERROR);
    expect_refusal("a queue item");
    ck_assert_ptr_null(aw_call_soon(loop, noop, &local));
    expect_refusal("a callback's argument");
    ck_assert_ptr_null(aw_call_later(loop, 1, noop, &local));
    expect_refusal("a callback's argument");
    /* Heap and static pointers pass. */
    static int shared_static = 3;
    ck_assert_int_eq(aw_future_set_result(f, aw_ptr(&shared_static)), AW_OK);
    /* Awaiting a coroutine in the same task may point at its caller's locals. */
    aw_value v;
    AW_AWAIT_INTO(v, AW_CALL(reads_int, &local));
    ck_assert_int_eq((int)v.as.i, 7);
    return aw_none();
}

AW_COROUTINE(leaker_main)
{
    AW_AWAIT(aw_create_task_named(AW_CALL(leaker), "leaker"));
    return aw_none();
}

START_TEST(pointers_into_the_shared_stack_are_refused_where_they_leave)
{
    copied_mode = true;
    ck_assert_int_eq(run_copied(AW_CALL(leaker_main)), AW_OK);
    copied_mode = false; /* the default mode refuses none of it */
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.stacks = AW_STACKS_SEPARATE;
    ck_assert_int_eq(aw_run(AW_CALL(leaker_main), &o, NULL), AW_OK);
}
END_TEST

/* ---- an argument block's padding is not an argument ------------------------------------------
 * name then n leaves four bytes of padding in n's word.  Stale stack bytes there (the high half
 * of a shared-stack address) plus an n equal to that address's low half would read as a pointer
 * into the shared stack: the task would be refused for an argument it does not have. */
AW_COROUTINE(padded, const char *name; int n;)
{
    return aw_int(self->n);
}

/* Leaves the shared stack below the caller full of one shared-stack address. */
static __attribute__((noinline)) void fill_below_with(void *address)
{
    void *volatile words[512];
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) words[i] = address;
}

/* Its frame lies where fill_below_with's was: the argument block is made over those bytes. */
static __attribute__((noinline)) aw_task *spawn_padded(int n) { return aw_create_task(AW_CALL(padded, "p", n)); }

AW_COROUTINE(spawns_padded)
{
    int local = 0;
    fill_below_with(&local);
    /* Under valgrind the stack can lie below 4 GiB, where such an n is that address itself: n is
     * then any other number, and memcheck's report of the padding read is the check. */
    int n = (uintptr_t)&local >> 32 ? (int)(uintptr_t)&local : 12345;
    aw_task *t = spawn_padded(n);
    ck_assert_msg(t != NULL, "refused: %s", aw_exc_message(aw_exc_current()));
    aw_value v;
    AW_AWAIT_INTO(v, t);
    ck_assert_int_eq((int)v.as.i, n);
    return aw_none();
}

START_TEST(padding_in_an_argument_block_is_never_read_as_a_pointer)
{
    ck_assert_int_eq(run_copied(AW_CALL(spawns_padded)), AW_OK);
}
END_TEST

AW_COROUTINE(leaks_into_done_callback)
{
    int local = 1;
    aw_future_add_done_callback(aw_future_new(aw_current_loop()), noop_done, &local);
    return aw_none();
}

/* add_done_callback has no status to return: the process ends with the message.  Forked here,
 * not by Check, so that it runs with CK_FORK=no (valgrind) too and the message is checked. */
static aw_coro *make_leaks_into_done_callback(void) { return AW_CALL(leaks_into_done_callback); }

START_TEST(a_done_callback_argument_into_the_shared_stack_aborts)
{
    char err[4096];
    int status = run_in_child(run_copied, make_leaks_into_done_callback, err, sizeof err);
    ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "status %d", status);
    ck_assert_msg(strstr(err, "awaitlab: RuntimeError: task 'Task-") &&
                      strstr(err, "passed a pointer into its own stack as a done callback's argument"),
                  "%s", err);
}
END_TEST

/* ---- under ASan the shared stack is poisoned while no task runs on it ---------------------- */
static volatile int *stale;

static void read_stale(void *arg)
{
    (void)arg;
    fprintf(stderr, "reading %p\n", (void *)stale); /* the report must name this address */
    fprintf(stderr, "read %d\n", *stale); /* on the loop's stack: the shared one is poisoned */
}

AW_COROUTINE(leaves_a_stale_pointer)
{
    volatile int local = 5;
    stale = &local; /* a static, not a value that crosses: nothing refuses it */
    aw_call_soon(aw_current_loop(), read_stale, NULL);
    AW_AWAIT(aw_sleep(0));
    return aw_none();
}

static aw_coro *make_leaves_a_stale_pointer(void) { return AW_CALL(leaves_a_stale_pointer); }

START_TEST(a_stale_pointer_read_from_the_loop_is_reported_under_asan)
{
    if (!UNDER_ASAN) return; /* without a tool the read is of whatever the stack holds */
    char err[16384];
    int status = run_in_child(run_copied, make_leaves_a_stale_pointer, err, sizeof err);
    ck_assert_msg(!(WIFEXITED(status) && WEXITSTATUS(status) == 0), "the stale read went unreported");
    /* The report is about this read: its address, not the stack's function names, which need a
     * symbolizer (a loaded machine once left them out). */
    const char *said = strstr(err, "reading 0x");
    ck_assert_msg(said != NULL, "%s", err);
    char expected[64];
    snprintf(expected, sizeof expected, "use-after-poison on address %.*s", (int)strcspn(said + 8, "\n"), said + 8);
    ck_assert_msg(strstr(err, expected), "no '%s' in: %s", expected, err);
}
END_TEST

/* ---- the option ----------------------------------------------------------------------------- */
START_TEST(a_bad_AWAITLAB_STACKS_is_a_value_error)
{
    setenv("AWAITLAB_STACKS", "shared", 1);
    aw_loop_options o;
    aw_loop_options_init(&o);
    ck_assert_ptr_null(aw_loop_new(&o));
    ck_assert(aw_exc_matches(aw_exc_current(), AW_ValueError));
    ck_assert_ptr_nonnull(strstr(aw_exc_message(aw_exc_current()), "AWAITLAB_STACKS='shared'"));
    aw_exc_clear();
    unsetenv("AWAITLAB_STACKS");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_stack_copied");
    TCase *tc = tcase_create("copied");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, locals_survive_other_tasks_at_any_depth);
    tcase_add_test(tc, locals_survive_in_compact_images);
    tcase_add_test(tc, waiters_of_every_primitive_wake);
    tcase_add_test(tc, a_sleeping_task_is_cancelled_with_its_frames_intact);
    tcase_add_test(tc, gather_of_many_new_tasks);
    tcase_add_test(tc, a_sleeping_task_costs_less_than_its_measured_bound);
    tcase_add_test(tc, a_bad_AWAITLAB_STACKS_is_a_value_error);
    tcase_add_test(tc, pointers_into_the_shared_stack_are_refused_where_they_leave);
    tcase_add_test(tc, padding_in_an_argument_block_is_never_read_as_a_pointer);
    tcase_add_test(tc, a_done_callback_argument_into_the_shared_stack_aborts);
    tcase_add_test(tc, a_stale_pointer_read_from_the_loop_is_reported_under_asan);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
