/* test_core_sync.c — asyncio's synchronization primitives (core/sync*.c), each test naming the
 * CPython rule it checks.  The orders are CPython's: each *_as_cpython test ports a Python twin
 * in tests/check/cpython/ statement by statement and compares its log with NAME.expected, which
 * tests/scripts/test_core_cpython_twins.sh keeps equal to what CPython 3.14 prints (and 3.11,
 * or NAME.expected-3.11 where 3.11's older locks.py differs). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recorder.h"
#include "support_core.h"
#include "trace_model.h"
#include "trace_schema.h"

static const char *message(void) { return aw_exc_message(aw_exc_current()); }
static const char *tf(bool b) { return b ? "True" : "False"; }

/* ---- sync_lock.py ------------------------------------------------------------------------------- */

AW_COROUTINE(lock_worker, aw_lock *lock; const char *name; double hold;)
{
    aw_print("%s wants the lock", self->name);
    AW_ASYNC_WITH(self->lock) {
        aw_print("%s has the lock", self->name);
        AW_AWAIT(aw_sleep(self->hold));
        aw_print("%s releases", self->name);
    }
    return aw_none();
}

AW_COROUTINE(lock_taker, aw_lock *lock; const char *name;)
{
    aw_status st = aw_await(aw_lock_acquire(self->lock), NULL);
    if (aw_except(st, "CancelledError")) {
        aw_print("%s cancelled, locked=%s", self->name, aw_lock_locked(self->lock) ? "True" : "False");
        return aw_raise_again();
    }
    AW_TRY(st);
    aw_print("%s acquired", self->name);
    aw_lock_release(self->lock);
    return aw_none();
}

AW_COROUTINE(lock_late, aw_lock *lock;)
{
    aw_print("late asks: locked=%s", aw_lock_locked(self->lock) ? "True" : "False");
    AW_AWAIT(aw_lock_acquire(self->lock));
    aw_print("late acquired");
    aw_lock_release(self->lock);
    return aw_none();
}

AW_COROUTINE(lock_fails, aw_lock *lock;)
{
    AW_ASYNC_WITH(self->lock) {
        return aw_raise("ValueError", "inside");
    }
    return aw_none();
}

AW_COROUTINE(lock_main)
{
    aw_lock *lock = aw_lock_new();
    aw_task *w0 = aw_create_task(AW_CALL(lock_worker, lock, "w0", 1));
    aw_task *w1 = aw_create_task(AW_CALL(lock_worker, lock, "w1", 1));
    aw_task *w2 = aw_create_task(AW_CALL(lock_worker, lock, "w2", 1));
    AW_AWAIT(AW_GATHER(w0, w1, w2));
    aw_print("fifo done, locked=%s", tf(aw_lock_locked(lock)));

    /* Lock._wake_up_first: woken, then cancelled before it ran: the turn passes to b */
    AW_AWAIT(aw_lock_acquire(lock));
    aw_task *a = aw_create_task(AW_CALL(lock_taker, lock, "a"));
    aw_task *b = aw_create_task(AW_CALL(lock_taker, lock, "b"));
    AW_AWAIT(aw_sleep(0));
    aw_lock_release(lock);
    aw_task_cancel(a, NULL);
    void *ab[] = {a, b};
    AW_AWAIT(aw_gather(true, 2, ab));
    aw_print("a cancelled=%s locked=%s", tf(aw_task_cancelled(a)), tf(aw_lock_locked(lock)));

    /* Lock.acquire is fair: free, but a waiter is in line (not cancelled): wait your turn */
    AW_AWAIT(aw_lock_acquire(lock));
    aw_task *c = aw_create_task(AW_CALL(lock_taker, lock, "c"));
    AW_AWAIT(aw_sleep(0));
    aw_task *d = aw_create_task(AW_CALL(lock_late, lock));
    aw_lock_release(lock);
    AW_AWAIT(AW_GATHER(c, d));

    aw_status st = aw_lock_release(lock);
    if (aw_except(st, "RuntimeError")) {
        aw_print("RuntimeError: %s", message());
        aw_exc_clear();
    }
    st = aw_await(AW_CALL(lock_fails, lock), NULL);
    if (aw_except(st, "ValueError")) {
        aw_print("ValueError: %s, locked=%s", message(), tf(aw_lock_locked(lock)));
        aw_exc_clear();
    }
    return aw_none();
}

START_TEST(lock_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(lock_main)), AW_OK);
    ck_assert_log_twin("sync_lock");
}
END_TEST

/* ---- sync_event_cond.py ------------------------------------------------------------------------ */

AW_COROUTINE(ev_waiter, aw_sync_event *ev; const char *name;)
{
    aw_print("%s waits", self->name);
    AW_AWAIT(aw_sync_event_wait(self->ev));
    aw_print("%s woke, is_set=%s", self->name, tf(aw_sync_event_is_set(self->ev)));
    return aw_none();
}

AW_COROUTINE(cond_waiter, aw_condition *cond; const char *name;)
{
    AW_ASYNC_WITH(self->cond) {
        aw_print("%s waits", self->name);
        AW_AWAIT(aw_condition_wait(self->cond));
        aw_print("%s notified, locked=%s", self->name, tf(aw_condition_locked(self->cond)));
        AW_AWAIT(aw_sleep(1));
    }
    return aw_none();
}

AW_COROUTINE(cancelled_waiter, aw_condition *cond;)
{
    AW_ASYNC_WITH(self->cond) {
        aw_status st = aw_await(aw_condition_wait(self->cond), NULL);
        if (aw_except(st, "CancelledError")) {
            aw_print("cancelled in wait, locked=%s", tf(aw_condition_locked(self->cond)));
            return aw_raise_again();
        }
    }
    return aw_none();
}

static int cond_n;
static bool n_at_least_2(void *arg)
{
    (void)arg;
    return cond_n >= 2;
}

AW_COROUTINE(waits_for, aw_condition *cond;)
{
    AW_ASYNC_WITH(self->cond) {
        AW_AWAIT(aw_condition_wait_for(self->cond, n_at_least_2, NULL));
        aw_print("predicate true at n=%d", cond_n);
    }
    return aw_none();
}

AW_COROUTINE(event_cond_main)
{
    aw_sync_event *ev = aw_sync_event_new();
    aw_task *e0 = aw_create_task(AW_CALL(ev_waiter, ev, "e0"));
    aw_task *e1 = aw_create_task(AW_CALL(ev_waiter, ev, "e1"));
    aw_task *e2 = aw_create_task(AW_CALL(ev_waiter, ev, "e2"));
    AW_AWAIT(aw_sleep(1));
    aw_sync_event_set(ev);
    aw_sync_event_clear(ev);
    aw_print("set and cleared, is_set=%s", tf(aw_sync_event_is_set(ev)));
    AW_AWAIT(AW_GATHER(e0, e1, e2));
    aw_task *t = aw_create_task(AW_CALL(ev_waiter, ev, "e3"));
    AW_AWAIT(aw_sleep(1));
    aw_sync_event_set(ev);
    AW_AWAIT(t);
    AW_AWAIT(aw_sync_event_wait(ev));
    aw_print("wait on a set event returns at once");

    aw_condition *cond = aw_condition_new(NULL);
    aw_task *c0 = aw_create_task(AW_CALL(cond_waiter, cond, "c0"));
    aw_task *c1 = aw_create_task(AW_CALL(cond_waiter, cond, "c1"));
    aw_task *c2 = aw_create_task(AW_CALL(cond_waiter, cond, "c2"));
    aw_task *c3 = aw_create_task(AW_CALL(cond_waiter, cond, "c3"));
    AW_AWAIT(aw_sleep(1));
    AW_ASYNC_WITH(cond) {
        aw_condition_notify(cond, 2);
        aw_print("notified 2");
        AW_AWAIT(aw_sleep(1));
        aw_print("main releases");
    }
    AW_AWAIT(aw_sleep(1));
    AW_ASYNC_WITH(cond) {
        aw_condition_notify_all(cond);
        aw_print("notified all");
    }
    AW_AWAIT(AW_GATHER(c0, c1, c2, c3));

    cond_n = 0;
    aw_task *w = aw_create_task(AW_CALL(waits_for, cond));
    for (int i = 0; i < 3; i++) {
        AW_AWAIT(aw_sleep(1));
        AW_ASYNC_WITH(cond) {
            cond_n++;
            aw_print("n=%d", cond_n);
            aw_condition_notify(cond, 1);
        }
    }
    AW_AWAIT(w);

    /* Condition.wait: "Must re-acquire lock even if wait is cancelled" */
    aw_task *c = aw_create_task(AW_CALL(cancelled_waiter, cond));
    AW_AWAIT(aw_sleep(1));
    AW_AWAIT(aw_condition_acquire(cond));
    aw_task_cancel(c, NULL);
    AW_AWAIT(aw_sleep(1));
    aw_print("main holds the lock: %s", tf(aw_condition_locked(cond)));
    aw_condition_release(cond);
    aw_status st = aw_await(c, NULL);
    if (aw_except(st, "CancelledError")) {
        aw_print("cancelled waiter done, locked=%s", tf(aw_condition_locked(cond)));
        aw_exc_clear();
    }
    st = aw_condition_notify(cond, 1);
    if (aw_except(st, "RuntimeError")) {
        aw_print("RuntimeError: %s", message());
        aw_exc_clear();
    }
    st = aw_await(aw_condition_wait(cond), NULL);
    if (aw_except(st, "RuntimeError")) {
        aw_print("RuntimeError: %s", message());
        aw_exc_clear();
    }
    return aw_none();
}

START_TEST(event_condition_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(event_cond_main)), AW_OK);
    ck_assert_log_twin("sync_event_cond");
}
END_TEST

/* ---- sync_semaphore_barrier.py ------------------------------------------------------------------ */

AW_COROUTINE(sem_worker, aw_semaphore *sem; const char *name;)
{
    AW_ASYNC_WITH(self->sem) {
        aw_print("%s in", self->name);
        AW_AWAIT(aw_sleep(1));
        aw_print("%s out", self->name);
    }
    return aw_none();
}

AW_COROUTINE(sem_taker, aw_semaphore *sem; const char *name;)
{
    aw_status st = aw_await(aw_semaphore_acquire(self->sem), NULL);
    if (aw_except(st, "CancelledError")) {
        aw_print("%s cancelled, locked=%s", self->name, tf(aw_semaphore_locked(self->sem)));
        return aw_raise_again();
    }
    AW_TRY(st);
    aw_print("%s acquired", self->name);
    aw_semaphore_release(self->sem);
    return aw_none();
}

AW_COROUTINE(party, aw_barrier *b; const char *name; double delay;)
{
    AW_AWAIT(aw_sleep(self->delay));
    aw_print("%s arrives, n_waiting=%ld", self->name, aw_barrier_n_waiting(self->b));
    aw_value i;
    aw_status st = aw_await(aw_barrier_wait(self->b), &i);
    if (aw_except(st, "BrokenBarrierError")) {
        aw_print("%s: BrokenBarrierError: %s", self->name, message());
        aw_exc_clear();
        return aw_none();
    }
    AW_TRY(st);
    aw_print("%s passes with index %lld", self->name, i.as.i);
    return aw_none();
}

AW_COROUTINE(sem_barrier_main)
{
    aw_semaphore *sem = aw_semaphore_new(2);
    AW_AWAIT(AW_GATHER(AW_CALL(sem_worker, sem, "s0"), AW_CALL(sem_worker, sem, "s1"),
                       AW_CALL(sem_worker, sem, "s2"), AW_CALL(sem_worker, sem, "s3")));

    /* Semaphore.acquire: woken (the unit taken for it), then cancelled: the unit goes back */
    sem = aw_semaphore_new(0);
    aw_task *a = aw_create_task(AW_CALL(sem_taker, sem, "a"));
    aw_task *b = aw_create_task(AW_CALL(sem_taker, sem, "b"));
    AW_AWAIT(aw_sleep(0));
    aw_semaphore_release(sem);
    aw_task_cancel(a, NULL);
    void *ab[] = {a, b};
    AW_AWAIT(aw_gather(true, 2, ab));
    aw_print("a cancelled=%s locked=%s", tf(aw_task_cancelled(a)), tf(aw_semaphore_locked(sem)));

    aw_semaphore *bs = aw_bounded_semaphore_new(1);
    AW_AWAIT(aw_semaphore_acquire(bs));
    aw_semaphore_release(bs);
    aw_status st = aw_semaphore_release(bs);
    if (aw_except(st, "ValueError")) {
        aw_print("ValueError: %s", message());
        aw_exc_clear();
    }
    if (!aw_semaphore_new(-1) && aw_except(AW_ERROR, "ValueError")) {
        aw_print("ValueError: %s", message());
        aw_exc_clear();
    }

    aw_barrier *barrier = aw_barrier_new(3);
    AW_AWAIT(AW_GATHER(AW_CALL(party, barrier, "p0", 0), AW_CALL(party, barrier, "p1", 1),
                       AW_CALL(party, barrier, "p2", 2)));
    aw_print("after one round: n_waiting=%ld broken=%s", aw_barrier_n_waiting(barrier), tf(aw_barrier_broken(barrier)));
    AW_AWAIT(AW_GATHER(AW_CALL(party, barrier, "q0", 0), AW_CALL(party, barrier, "q1", 0),
                       AW_CALL(party, barrier, "q2", 0)));

    aw_task *r0 = aw_create_task(AW_CALL(party, barrier, "r0", 0));
    aw_task *r1 = aw_create_task(AW_CALL(party, barrier, "r1", 0));
    AW_AWAIT(aw_sleep(1));
    aw_print("before reset: %s", aw_barrier_repr(barrier));
    AW_AWAIT(aw_barrier_reset(barrier));
    aw_print("reset: %s", aw_barrier_repr(barrier));
    AW_AWAIT(AW_GATHER(r0, r1));
    aw_print("after reset: n_waiting=%ld broken=%s", aw_barrier_n_waiting(barrier), tf(aw_barrier_broken(barrier)));

    aw_task *x0 = aw_create_task(AW_CALL(party, barrier, "x0", 0));
    aw_task *x1 = aw_create_task(AW_CALL(party, barrier, "x1", 0));
    AW_AWAIT(aw_sleep(1));
    AW_AWAIT(aw_barrier_abort(barrier));
    aw_print("aborted: %s", aw_barrier_repr(barrier));
    AW_AWAIT(AW_GATHER(x0, x1));
    AW_AWAIT(AW_CALL(party, barrier, "y", 0));
    aw_print("broken=%s", tf(aw_barrier_broken(barrier)));
    if (!aw_barrier_new(0) && aw_except(AW_ERROR, "ValueError")) {
        aw_print("ValueError: %s", message());
        aw_exc_clear();
    }
    return aw_none();
}

START_TEST(semaphore_barrier_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(sem_barrier_main)), AW_OK);
    ck_assert_log_twin("sync_semaphore_barrier");
}
END_TEST

/* ---- traces: every operation is a `sync` event; the model knows what a task waits on --------- */

AW_COROUTINE(traced_holder, aw_lock *lock;)
{
    AW_ASYNC_WITH(self->lock) {
        AW_AWAIT(aw_sleep(1));
    }
    return aw_none();
}

AW_COROUTINE(traced_getter, aw_queue *q;)
{
    aw_value v;
    AW_AWAIT_INTO(v, aw_queue_get(self->q));
    return v;
}

AW_COROUTINE(traced_main)
{
    aw_lock *lock = aw_lock_new();
    aw_sync_set_name(lock, "the lock");
    aw_queue *q = aw_queue_new(0);
    aw_task *a = aw_create_task_named(AW_CALL(traced_holder, lock), "holder");
    aw_task *b = aw_create_task_named(AW_CALL(traced_holder, lock), "waiter");
    aw_task *g = aw_create_task_named(AW_CALL(traced_getter, q), "getter");
    AW_AWAIT(aw_sleep(0.5));
    aw_queue_put_nowait(q, aw_str("job"));
    AW_AWAIT(AW_GATHER(a, b, g));
    return aw_none();
}

START_TEST(traced_and_modelled)
{
    char path[] = "/tmp/awaitlab-sync-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    aw_recorder *rec = aw_recorder_open_fd(fd, 1);
    ck_assert_ptr_nonnull(rec);
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.output = NULL;
    aw_recorder_attach(rec, &o);
    ck_assert_int_eq(aw_run(AW_CALL(traced_main), &o, NULL), AW_OK);

    aw_model_error err;
    aw_model *m = aw_model_load(path, NULL, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    aw_model_state *st = aw_model_state_new(m);
    int64_t waiter = 0, getter = 0, n_block = 0, n_wake = 0;
    bool seen_lock_wait = false, seen_get_wait = false;
    char sentence[512];
    for (int64_t k = 1; k <= aw_model_event_count(m); k++) {
        aw_model_event ev;
        ck_assert(aw_model_event_get(m, k, &ev));
        if (ev.kind == AW_TK_TASK_CREATED && !strcmp(ev.name, "waiter")) waiter = ev.task;
        if (ev.kind == AW_TK_TASK_CREATED && !strcmp(ev.name, "getter")) getter = ev.task;
        if (ev.kind != AW_TK_SYNC) continue;
        aw_model_explain(m, k, sentence, sizeof sentence);
        if (!strcmp(ev.op, "block")) {
            n_block++;
            if (ev.task == waiter) ck_assert_str_eq(sentence, "Waiter waits to acquire Lock 'the lock': it is taken, or others wait first.");
            if (ev.task == getter) ck_assert_str_eq(sentence, "Getter waits for an item: Queue #2 is empty.");
        }
        if (!strcmp(ev.op, "wake")) n_wake++;
        if (!strcmp(ev.op, "put")) /* main's task name counts tasks made by earlier tests (CK_FORK=no) */
            ck_assert_msg(strstr(sentence, " puts 'job' into Queue #2 (qsize 1).") != NULL, "%s", sentence);
        /* while blocked, the model says on what */
        aw_model_seek(st, k);
        aw_model_sync sy;
        if (waiter && aw_model_waiting_on(st, waiter, &sy)) {
            ck_assert_str_eq(sy.primitive, "Lock");
            ck_assert_str_eq(sy.call, "acquire");
            ck_assert_str_eq(sy.name, "the lock");
            ck_assert_int_eq(sy.id, 1);
            seen_lock_wait = true;
        }
        if (getter && aw_model_waiting_on(st, getter, &sy)) {
            ck_assert_str_eq(sy.primitive, "Queue");
            ck_assert_str_eq(sy.call, "get");
            ck_assert_int_eq(sy.id, 2);
            aw_model_task t;
            ck_assert(aw_model_task_get(st, getter, &t));
            aw_model_task_describe(st, &t, sentence, sizeof sentence);
            ck_assert_msg(strstr(sentence, ", a waiter in Queue #2 (get)") != NULL, "%s", sentence);
            seen_get_wait = true;
        }
    }
    ck_assert_int_eq(n_block, 2);
    ck_assert_int_eq(n_wake, 2);
    ck_assert(seen_lock_wait && seen_get_wait);
    aw_model_state_free(st);
    aw_model_free(m);
    unlink(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_sync");
    TCase *tc = tcase_create("twins");
    tcase_add_test(tc, lock_as_cpython);
    tcase_add_test(tc, event_condition_as_cpython);
    tcase_add_test(tc, semaphore_barrier_as_cpython);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("traces");
    tcase_add_test(tr, traced_and_modelled);
    suite_add_tcase(s, tr);
    return run_suite(s);
}
