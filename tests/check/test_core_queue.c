/* test_core_queue.c — asyncio.Queue, PriorityQueue and LifoQueue (core/queue.c), each test naming
 * the CPython rule it checks.  The *_as_cpython tests port the Python twins in tests/check/
 * cpython/ (queue_basic.py, queue_shutdown.py) statement by statement; their logs must equal
 * NAME.expected, which tests/scripts/test_core_cpython_twins.sh keeps equal to what CPython 3.14
 * prints (Queue.shutdown is 3.13's: under 3.11 its twin only says so, NAME.expected-3.11). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "support_core.h"

static const char *message(void) { return aw_exc_message(aw_exc_current()); }
static const char *tf(bool b) { return b ? "True" : "False"; }

/* Python's str(list) of what get_nowait() returns n times. */
static const char *drain(aw_queue *q, int n)
{
    static char buf[512];
    size_t used = (size_t)snprintf(buf, sizeof buf, "[");
    for (int i = 0; i < n; i++) {
        aw_value v;
        ck_assert_int_eq(aw_queue_get_nowait(q, &v), AW_OK);
        if (i) used += (size_t)snprintf(buf + used, sizeof buf - used, ", ");
        used += aw_value_repr(v, buf + used, sizeof buf - used);
    }
    snprintf(buf + used, sizeof buf - used, "]");
    return buf;
}

static const char *str_of(aw_value v)
{
    static char buf[128];
    if (v.kind == AW_STR) return v.as.s;
    aw_value_repr(v, buf, sizeof buf);
    return buf;
}

/* ---- queue_basic.py ----------------------------------------------------------------------------- */

AW_COROUTINE(producer, aw_queue *q; int n;)
{
    for (int i = 0; i < self->n; i++) {
        aw_print("put %d", i);
        AW_AWAIT(aw_queue_put(self->q, aw_int(i)));
        aw_print("put %d done, qsize=%zu full=%s", i, aw_queue_qsize(self->q), tf(aw_queue_full(self->q)));
    }
    return aw_none();
}

AW_COROUTINE(consumer, aw_queue *q; const char *name;)
{
    for (;;) {
        aw_value item;
        AW_AWAIT_INTO(item, aw_queue_get(self->q));
        aw_print("%s got %s", self->name, str_of(item));
        AW_AWAIT(aw_sleep(1));
        AW_TRY(aw_queue_task_done(self->q));
    }
}

AW_COROUTINE(getter, aw_queue *q; const char *name;)
{
    aw_value item;
    aw_status st = aw_await(aw_queue_get(self->q), &item);
    if (aw_except(st, "CancelledError")) {
        aw_print("%s cancelled, qsize=%zu", self->name, aw_queue_qsize(self->q));
        return aw_raise_again();
    }
    AW_TRY(st);
    aw_print("%s got %s", self->name, str_of(item));
    return aw_none();
}

AW_COROUTINE(queue_main)
{
    aw_queue *q = aw_queue_new(2);
    aw_task *c0 = aw_create_task(AW_CALL(consumer, q, "c0"));
    aw_task *c1 = aw_create_task(AW_CALL(consumer, q, "c1"));
    AW_AWAIT(AW_CALL(producer, q, 5));
    AW_AWAIT(aw_queue_join(q));
    aw_print("joined, empty=%s", tf(aw_queue_empty(q)));
    aw_task_cancel(c0, NULL);
    aw_task_cancel(c1, NULL);
    void *cs[] = {c0, c1};
    AW_AWAIT(aw_gather(true, 2, cs));

    aw_queue_put_nowait(q, aw_str("a"));
    aw_queue_put_nowait(q, aw_str("b"));
    aw_status st = aw_queue_put_nowait(q, aw_str("c"));
    if (aw_except(st, "QueueFull")) {
        aw_print("QueueFull");
        aw_exc_clear();
    }
    aw_value x, y;
    aw_queue_get_nowait(q, &x);
    aw_queue_get_nowait(q, &y);
    aw_print("%s %s", x.as.s, y.as.s);
    st = aw_queue_get_nowait(q, &x);
    if (aw_except(st, "QueueEmpty")) {
        aw_print("QueueEmpty");
        aw_exc_clear();
    }
    for (int i = 0; i < 2; i++) AW_TRY(aw_queue_task_done(q));
    st = aw_queue_task_done(q);
    if (aw_except(st, "ValueError")) {
        aw_print("ValueError: %s", message());
        aw_exc_clear();
    }

    /* Queue.get: woken (an item is there for it), then cancelled: the next getter is woken */
    aw_task *g1 = aw_create_task(AW_CALL(getter, q, "g1"));
    aw_task *g2 = aw_create_task(AW_CALL(getter, q, "g2"));
    AW_AWAIT(aw_sleep(0));
    aw_queue_put_nowait(q, aw_str("x"));
    aw_task_cancel(g1, NULL);
    void *gs[] = {g1, g2};
    AW_AWAIT(aw_gather(true, 2, gs));

    aw_queue *lq = aw_lifo_queue_new(0);
    for (int i = 0; i < 3; i++) aw_queue_put_nowait(lq, aw_int(i));
    aw_print("lifo: %s", drain(lq, 3));

    /* PriorityQueue: heapq.heappush / heappop, ties as heapq's mechanics leave them */
    aw_queue *pq = aw_priority_queue_new(0);
    aw_value nums[] = {aw_int(5), aw_int(1), aw_int(3), aw_float(1.0), aw_int(2), aw_int(1), aw_int(4), aw_float(1.0)};
    for (int i = 0; i < 8; i++) aw_queue_put_nowait(pq, nums[i]);
    aw_print("priority: %s", drain(pq, 8));
    const char *words[] = {"pear", "apple", "Zebra", "apple pie", "é", "b"};
    for (int i = 0; i < 6; i++) aw_queue_put_nowait(pq, aw_str(words[i]));
    aw_print("priority: %s", drain(pq, 6));
    aw_queue_put_nowait(pq, aw_int(1));
    st = aw_queue_put_nowait(pq, aw_str("one"));
    if (aw_except(st, "TypeError")) {
        aw_print("TypeError: %s, qsize=%zu", message(), aw_queue_qsize(pq));
        aw_exc_clear();
    }
    return aw_none();
}

START_TEST(queue_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(queue_main)), AW_OK);
    ck_assert_log_twin("queue_basic");
}
END_TEST

/* ---- queue_shutdown.py (3.13+: compared by hand with 3.14's queues.py, and run by the twins
 * script under CPython 3.14) ----------------------------------------------------------------------- */

AW_COROUTINE(sd_getter, aw_queue *q; const char *name;)
{
    for (;;) {
        aw_value item;
        aw_status st = aw_await(aw_queue_get(self->q), &item);
        if (aw_except(st, "QueueShutDown")) {
            aw_print("%s: QueueShutDown", self->name);
            aw_exc_clear();
            return aw_none();
        }
        AW_TRY(st);
        aw_print("%s got %s", self->name, str_of(item));
        AW_TRY(aw_queue_task_done(self->q));
    }
}

AW_COROUTINE(sd_putter, aw_queue *q; const char *item;)
{
    aw_status st = aw_await(aw_queue_put(self->q, aw_str(self->item)), NULL);
    if (aw_except(st, "QueueShutDown")) {
        aw_print("put %s: QueueShutDown", self->item);
        aw_exc_clear();
        return aw_none();
    }
    AW_TRY(st);
    aw_print("put %s", self->item);
    return aw_none();
}

AW_COROUTINE(sd_joiner, aw_queue *q;)
{
    AW_AWAIT(aw_queue_join(self->q));
    aw_print("join returned");
    return aw_none();
}

AW_COROUTINE(shutdown_main)
{
    aw_queue *q = aw_queue_new(0);
    aw_task *g0 = aw_create_task(AW_CALL(sd_getter, q, "g0"));
    aw_task *g1 = aw_create_task(AW_CALL(sd_getter, q, "g1"));
    AW_AWAIT(aw_sleep(1));
    aw_queue_put_nowait(q, aw_int(1));
    aw_queue_shutdown(q, false);
    aw_status st = aw_queue_put_nowait(q, aw_int(2));
    if (aw_except(st, "QueueShutDown")) {
        aw_print("put_nowait: QueueShutDown");
        aw_exc_clear();
    }
    AW_AWAIT(AW_GATHER(g0, g1));

    q = aw_queue_new(1);
    aw_queue_put_nowait(q, aw_str("a"));
    aw_task *pb = aw_create_task(AW_CALL(sd_putter, q, "b"));
    aw_task *pc = aw_create_task(AW_CALL(sd_putter, q, "c"));
    aw_task *j = aw_create_task(AW_CALL(sd_joiner, q));
    AW_AWAIT(aw_sleep(1));
    aw_queue_shutdown(q, true);
    aw_print("qsize=%zu", aw_queue_qsize(q));
    AW_AWAIT(AW_GATHER(pb, pc, j));
    aw_value v;
    st = aw_queue_get_nowait(q, &v);
    if (aw_except(st, "QueueShutDown")) {
        aw_print("get_nowait: QueueShutDown");
        aw_exc_clear();
    }
    st = aw_queue_task_done(q);
    if (aw_except(st, "ValueError")) {
        aw_print("ValueError: %s", message());
        aw_exc_clear();
    }
    return aw_none();
}

START_TEST(shutdown_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(shutdown_main)), AW_OK);
    ck_assert_log_twin("queue_shutdown");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_queue");
    TCase *tc = tcase_create("twins");
    tcase_add_test(tc, queue_as_cpython);
    tcase_add_test(tc, shutdown_as_cpython);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
