/* ops.c — the operations of a fuzz scenario, on awaitlab (interp.py's step(), in C).
 *
 * Tasks are stackful, so an operation is a plain C function that may await anywhere: run_ops
 * walks the JSON list and recurses into try and timeout bodies, all on the task's stack.  Every
 * function returns a status; a non-OK status leaves its exception in flight, which is how an
 * exception propagates (Python's unwinding). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

/* The timeout scopes and task groups open in the current coroutine frame, innermost first (for
 * reschedule and taskgroup_create_task). */
typedef struct scope {
    aw_timeout *tm;           /* a timeout scope, or */
    aw_taskgroup *tg;         /* a task group, named */
    const char *tg_name;
    const struct scope *up;
} scope;

static aw_status run_ops(const cJSON *ops, const char *label, const scope *scopes);

static const char *str(const cJSON *op, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(op, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *str_or(const cJSON *op, const char *key, const char *dflt)
{
    const char *s = str(op, key);
    return s ? s : dflt;
}

/* A number, or `dflt` when absent or null (Python's None). */
static double num(const cJSON *op, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(op, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static int flag(const cJSON *op, const char *key) { return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(op, key)); }

static const char *const tf[] = {"False", "True"};

/* ---- coroutines ----------------------------------------------------------------------------- */
AW_COROUTINE(scenario_coro, const char *name;)
{
    if (run_ops(fz_coro_ops(self->name), self->name, NULL) != AW_OK) return aw_reraise();
    return aw_str(self->name);
}

aw_coro *fz_make_coro(const char *name) { return AW_CALL(scenario_coro, name); }

AW_COROUTINE(root)
{
    (void)self;
    fz.main_task = aw_task_future(aw_current_task());
    aw_value v;
    fz_str b = {0};
    if (aw_await(fz_make_coro("main"), &v) != AW_OK) {
        fz_strf(&b, "main -> raised ");
        fz_str_exc(&b, aw_exc_current());
        aw_exc_clear();
    } else {
        fz_strf(&b, "main -> ");
        fz_str_value(&b, v);
    }
    fz_out_str(&b);
    return aw_none();
}

aw_coro *fz_root(void) { return AW_CALL(root); }

/* A coroutine name makes a new coroutine object; anything else is a variable (NULL if unset). */
static void *item(const char *name)
{
    if (fz_coro_ops(name)) return fz_make_coro(name);
    return fz_var_get(name);
}

/* Awaits `aw` and prints "label what -> result" or "-> raised Exc(msg)". */
static aw_status outcome(const char *label, const char *what, const char *target, void *aw)
{
    fz_str b = {0};
    fz_strf(&b, "%s %s%s%s -> ", label, what, target ? " " : "", target ? target : "");
    if (!aw) {
        fz_strf(&b, "unset");
        fz_out_str(&b);
        return AW_OK;
    }
    aw_value v;
    aw_status st = aw_await(aw_any(aw), &v);
    if (st != AW_OK) {
        fz_strf(&b, "raised ");
        fz_str_exc(&b, aw_exc_current());
    } else {
        fz_str_value(&b, v);
    }
    fz_out_str(&b);
    return st;
}

/* ---- operations that never suspend (also allowed in callbacks) ------------------------------ */
typedef struct callback_arg {
    const cJSON *ops;
    char label[64];
} callback_arg;

typedef struct reap_arg {
    const char *name;
    aw_future *fut;
} reap_arg;

static int sync_op(const cJSON *op, const char *label);

static void callback(void *p)
{
    callback_arg *c = p;
    const cJSON *op;
    cJSON_ArrayForEach(op, c->ops) sync_op(op, c->label); /* other ops are ignored, as in interp.py */
}

/* The safety net that makes every scenario terminate (SCENARIOS.md, "Termination"). */
static void reap(void *p)
{
    reap_arg *r = p;
    if (aw_future_cancel(r->fut, "reaped")) fz_out("reap %s", r->name);
}

typedef struct reap_event_arg {
    const char *name;
    aw_sync_event *ev;
} reap_event_arg;

/* An event nobody sets is set (its waiters go on): SCENARIOS.md, "Termination". */
static void reap_event(void *p)
{
    reap_event_arg *r = p;
    if (!aw_sync_event_is_set(r->ev)) {
        aw_sync_event_set(r->ev);
        fz_out("reap %s", r->name);
    }
}

static void arm_event_reaper(const char *name, aw_sync_event *ev)
{
    reap_event_arg *r = fz_alloc(sizeof *r);
    r->name = name;
    r->ev = ev;
    aw_call_later(aw_current_loop(), fz.reap_after, reap_event, r);
}

/* A queue is shut down at once (blocked gets and puts raise QueueShutDown), and what was taken
 * but never marked done is marked done (join() returns). */
static void reap_queue(void *p)
{
    fz_queue *q = p;
    if (!q->shut) fz_out("reap %s", q->name);
    q->shut = true;
    aw_queue_shutdown(q->q, true);
    while (aw_queue_task_done(q->q) == AW_OK) {}
    aw_exc_clear(); /* ValueError('task_done() called too many times') */
}

typedef struct reap_barrier_arg {
    const char *name;
    aw_barrier *b;
    char task[64];
} reap_barrier_arg;

/* A barrier whose parties never all arrive is aborted (its waiters raise BrokenBarrierError): by a
 * task, abort() being a coroutine.  Each reset arms another. */
static void reap_barrier(void *p)
{
    reap_barrier_arg *r = p;
    if (aw_barrier_broken(r->b)) return;
    fz_out("reap %s", r->name);
    snprintf(r->task, sizeof r->task, "reap-%s", r->name);
    aw_create_task_named(aw_barrier_abort(r->b), r->task);
}

static void arm_barrier_reaper(const char *name, aw_barrier *b)
{
    reap_barrier_arg *r = fz_alloc(sizeof *r);
    r->name = name;
    r->b = b;
    aw_call_later(aw_current_loop(), fz.reap_after, reap_barrier, r);
}

static aw_exc *user_exc(const cJSON *op)
{
    return aw_exc_new(str_or(op, "exc", "ValueError"), "%s", str_or(op, "msg", ""));
}

static void schedule_callback(const cJSON *op, const char *label, int later)
{
    callback_arg *c = fz_alloc(sizeof *c);
    c->ops = cJSON_GetObjectItemCaseSensitive(op, "ops");
    snprintf(c->label, sizeof c->label, "%s/cb", label);
    if (later)
        aw_call_later(aw_current_loop(), num(op, "d", 0), callback, c);
    else
        aw_call_soon(aw_current_loop(), callback, c);
}

/* Returns 1 if `op` was one of these operations. */
static int sync_op(const cJSON *op, const char *label)
{
    const char *kind = str_or(op, "op", "");
    aw_loop *loop = aw_current_loop();
    if (strcmp(kind, "print") == 0) {
        fz_out("%s:%s", label, str_or(op, "tag", ""));
    } else if (strcmp(kind, "create_task") == 0) {
        const char *name = str_or(op, "task", "?");
        fz_var_set(name, aw_task_future(aw_create_task_named(fz_make_coro(str_or(op, "coro", "?")), name)));
    } else if (strcmp(kind, "future") == 0) {
        reap_arg *r = fz_alloc(sizeof *r);
        r->name = str_or(op, "fut", "?");
        r->fut = aw_future_new(loop);
        fz_var_set(r->name, r->fut);
        aw_call_later(loop, fz.reap_after, reap, r);
    } else if (strcmp(kind, "cancel") == 0) {
        const char *target = str_or(op, "target", "?");
        aw_future *f = fz_var_get(target);
        if (!f)
            fz_out("%s cancel %s -> unset", label, target);
        else
            fz_out("%s cancel %s -> %s", label, target, tf[aw_future_cancel(f, str(op, "msg"))]);
    } else if (strcmp(kind, "set_result") == 0 || strcmp(kind, "set_exception") == 0) {
        const char *name = str_or(op, "fut", "?");
        aw_future *f = fz_var_get(name);
        fz_str b = {0};
        fz_strf(&b, "%s %s %s -> ", label, kind, name);
        if (!f) {
            fz_strf(&b, "unset");
        } else {
            aw_status st = kind[4] == 'r' ? aw_future_set_result(f, aw_str(str_or(op, "value", "")))
                                          : aw_future_set_exception(f, user_exc(op));
            if (st == AW_OK) {
                fz_strf(&b, "ok");
            } else { /* InvalidStateError: printed, not propagated */
                fz_strf(&b, "raised ");
                fz_str_exc(&b, aw_exc_current());
                aw_exc_clear();
            }
        }
        fz_out_str(&b);
    } else if (strcmp(kind, "event_new") == 0) {
        const char *name = str_or(op, "ev", "?");
        aw_sync_event *ev = aw_sync_event_new();
        fz_obj_set(name, FZ_EVENT, ev);
        arm_event_reaper(name, ev);
    } else if (strcmp(kind, "lock_new") == 0) {
        fz_obj_set(str_or(op, "lock", "?"), FZ_LOCK, aw_lock_new());
    } else if (strcmp(kind, "semaphore_new") == 0) {
        long value = (long)num(op, "value", 1);
        fz_obj_set(str_or(op, "sem", "?"), FZ_SEMAPHORE,
                   flag(op, "bounded") ? aw_bounded_semaphore_new(value) : aw_semaphore_new(value));
    } else if (strcmp(kind, "queue_new") == 0 || strcmp(kind, "priority_queue_new") == 0) {
        fz_queue *q = fz_alloc(sizeof *q);
        q->name = str_or(op, "q", "?");
        long maxsize = (long)num(op, "maxsize", 0);
        q->q = kind[0] == 'p' ? aw_priority_queue_new(maxsize) : aw_queue_new(maxsize);
        fz_obj_set(q->name, FZ_QUEUE, q);
        aw_call_later(loop, fz.reap_after, reap_queue, q);
    } else if (strcmp(kind, "condition_new") == 0) {
        fz_obj_set(str_or(op, "cond", "?"), FZ_CONDITION, aw_condition_new(NULL));
    } else if (strcmp(kind, "barrier_new") == 0) {
        const char *name = str_or(op, "bar", "?");
        aw_barrier *b = aw_barrier_new((long)num(op, "parties", 1));
        fz_obj_set(name, FZ_BARRIER, b);
        arm_barrier_reaper(name, b);
    } else if (strcmp(kind, "event_set") == 0 || strcmp(kind, "event_clear") == 0) {
        const char *name = str_or(op, "ev", "?");
        aw_sync_event *ev = fz_obj_get(name, FZ_EVENT);
        if (!ev)
            fz_out("%s %s %s -> unset", label, kind, name);
        else if (kind[6] == 's')
            aw_sync_event_set(ev);
        else { /* and a new reaper: the first may have run already */
            aw_sync_event_clear(ev);
            arm_event_reaper(name, ev);
        }
    } else if (strcmp(kind, "queue_shutdown") == 0) {
        const char *name = str_or(op, "q", "?");
        fz_queue *q = fz_obj_get(name, FZ_QUEUE);
        if (!q) {
            fz_out("%s %s %s -> unset", label, kind, name);
        } else {
            q->shut = true;
            aw_queue_shutdown(q->q, flag(op, "immediate"));
        }
    } else if (strcmp(kind, "lock_release") == 0 || strcmp(kind, "semaphore_release") == 0 ||
               strcmp(kind, "queue_put_nowait") == 0 || strcmp(kind, "queue_get_nowait") == 0 ||
               strcmp(kind, "queue_task_done") == 0 || strcmp(kind, "condition_notify") == 0) {
        /* Printed with their outcome; an error is printed, not propagated, as set_result's. */
        const char *name = str_or(op, kind[0] == 'l' ? "lock" : kind[0] == 's' ? "sem" : kind[0] == 'c' ? "cond" : "q", "?");
        void *x = fz_obj_get(name, kind[0] == 'l'   ? FZ_LOCK
                                   : kind[0] == 's' ? FZ_SEMAPHORE
                                   : kind[0] == 'c' ? FZ_CONDITION
                                                    : FZ_QUEUE);
        fz_str b = {0};
        fz_strf(&b, "%s %s %s -> ", label, kind, name);
        aw_status st = AW_OK;
        aw_value v = aw_none();
        if (!x) {
            fz_strf(&b, "unset");
        } else if (kind[0] == 'l') {
            st = aw_lock_release(x);
        } else if (kind[0] == 's') {
            st = aw_semaphore_release(x);
        } else if (kind[0] == 'c') { /* n null: notify_all() */
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(op, "n");
            st = cJSON_IsNumber(n) ? aw_condition_notify(x, (size_t)n->valuedouble) : aw_condition_notify_all(x);
        } else if (strcmp(kind, "queue_put_nowait") == 0) {
            st = aw_queue_put_nowait(((fz_queue *)x)->q, aw_str(str_or(op, "value", "")));
        } else if (strcmp(kind, "queue_get_nowait") == 0) {
            st = aw_queue_get_nowait(((fz_queue *)x)->q, &v);
        } else {
            st = aw_queue_task_done(((fz_queue *)x)->q);
        }
        if (x && st != AW_OK) {
            fz_strf(&b, "raised ");
            fz_str_exc(&b, aw_exc_current());
            aw_exc_clear();
        } else if (x && strcmp(kind, "queue_get_nowait") == 0) {
            fz_str_value(&b, v);
        } else if (x) {
            fz_strf(&b, "ok");
        }
        fz_out_str(&b);
    } else if (strcmp(kind, "call_soon") == 0 || strcmp(kind, "call_later") == 0) {
        schedule_callback(op, label, kind[5] == 'l');
    } else {
        return 0;
    }
    return 1;
}

/* ---- operations that may suspend ------------------------------------------------------------ */
static int catches(const char *what, const aw_exc *e)
{
    const char *type = aw_exc_type(e);
    if (strcmp(what, "BaseException") == 0) return 1;
    if (strcmp(what, "Exception") == 0) return strcmp(type, "CancelledError") != 0;
    return strcmp(what, type) == 0;
}

/* try: body except <catch>: print, handler, then re-raise or swallow. */
static aw_status op_try(const cJSON *op, const char *label, const scope *scopes)
{
    aw_status st = run_ops(cJSON_GetObjectItemCaseSensitive(op, "body"), label, scopes);
    if (st == AW_OK || !catches(str_or(op, "catch", "BaseException"), aw_exc_current())) return st;
    aw_exc *e = aw_exc_ref(aw_exc_current());
    fz_str b = {0};
    fz_strf(&b, "%s caught ", label);
    fz_str_exc(&b, e);
    fz_out_str(&b);
    aw_exc_clear();
    st = run_ops(cJSON_GetObjectItemCaseSensitive(op, "handler"), label, scopes);
    if (st == AW_OK && flag(op, "reraise")) {
        aw_raise_exc(e); /* "raise" inside the except block */
        st = aw_exc_status(e);
    }
    aw_exc_unref(e);
    return st;
}

static aw_status op_gather(const cJSON *op, const char *label)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(op, "items"), *it;
    void *aws[64];
    size_t n = 0;
    cJSON_ArrayForEach(it, items) {
        void *x = cJSON_IsString(it) && n < 64 ? item(it->valuestring) : NULL;
        if (x) aws[n++] = x; /* unset variables are left out */
    }
    return outcome(label, "gather", NULL, aw_gather(flag(op, "return_exceptions"), n, aws));
}

static int by_name(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* done/pending are sets in CPython: print the variables' names, sorted, each once. */
static void names(fz_str *b, const char **v, size_t n)
{
    qsort(v, n, sizeof *v, by_name);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(v[i], v[i - 1]) != 0) fz_strf(b, "%s%s", i ? ", " : "", v[i]);
}

static aw_status op_wait(const cJSON *op, const char *label)
{
    const cJSON *targets = cJSON_GetObjectItemCaseSensitive(op, "targets"), *it;
    void *fs[64];
    const char *nm[64], *done_nm[64], *pending_nm[64];
    bool done[64];
    size_t n = 0, nd = 0, np = 0;
    cJSON_ArrayForEach(it, targets) {
        aw_future *f = cJSON_IsString(it) && n < 64 ? fz_var_get(it->valuestring) : NULL;
        if (f) {
            nm[n] = it->valuestring;
            fs[n++] = f;
        }
    }
    const char *mode = str_or(op, "mode", "ALL_COMPLETED");
    aw_wait_mode m = strcmp(mode, "FIRST_COMPLETED") == 0   ? AW_FIRST_COMPLETED
                     : strcmp(mode, "FIRST_EXCEPTION") == 0 ? AW_FIRST_EXCEPTION
                                                            : AW_ALL_COMPLETED;
    aw_status st = aw_wait(fs, n, num(op, "timeout", AW_NO_TIMEOUT), m, done);
    fz_str b = {0};
    fz_strf(&b, "%s wait -> ", label);
    if (st != AW_OK) {
        fz_strf(&b, "raised ");
        fz_str_exc(&b, aw_exc_current());
        fz_out_str(&b);
        return st;
    }
    for (size_t i = 0; i < n; i++) {
        if (done[i]) done_nm[nd++] = nm[i];
    }
    for (size_t i = 0; i < n; i++) { /* pending: the names not in done (a name may repeat) */
        int in_done = 0;
        for (size_t j = 0; j < nd; j++) in_done |= strcmp(done_nm[j], nm[i]) == 0;
        if (!in_done) pending_nm[np++] = nm[i];
    }
    fz_strf(&b, "done=[");
    names(&b, done_nm, nd);
    fz_strf(&b, "] pending=[");
    names(&b, pending_nm, np);
    fz_strf(&b, "]");
    fz_out_str(&b);
    return AW_OK;
}

/* async with timeout(delay) as cm: body */
static aw_status op_timeout(const cJSON *op, const char *label, const scope *scopes)
{
    scope s = {aw_timeout_begin(num(op, "delay", AW_NO_TIMEOUT)), NULL, NULL, scopes};
    aw_status st = run_ops(cJSON_GetObjectItemCaseSensitive(op, "body"), label, &s);
    st = aw_timeout_end(s.tm, st);
    fz_str b = {0};
    fz_strf(&b, "%s timeout -> ", label);
    if (st != AW_OK) {
        fz_strf(&b, "raised ");
        fz_str_exc(&b, aw_exc_current());
    } else {
        fz_strf(&b, "ok");
    }
    fz_strf(&b, " expired=%s", tf[aw_timeout_expired(s.tm)]);
    fz_out_str(&b);
    return st;
}

/* async with TaskGroup() as tg: body */
static aw_status op_taskgroup(const cJSON *op, const char *label, const scope *scopes)
{
    const char *name = str_or(op, "tg", "?");
    scope s = {NULL, aw_taskgroup_new(), name, scopes};
    aw_status st = aw_taskgroup_enter(s.tg);
    if (st == AW_OK) {
        st = run_ops(cJSON_GetObjectItemCaseSensitive(op, "body"), label, &s);
        st = aw_taskgroup_exit(s.tg, st);
    }
    fz_str b = {0};
    fz_strf(&b, "%s taskgroup %s -> ", label, name);
    if (st != AW_OK) {
        fz_strf(&b, "raised ");
        fz_str_exc(&b, aw_exc_current());
    } else {
        fz_strf(&b, "ok");
    }
    fz_out_str(&b);
    return st;
}

/* task = tg.create_task(coro(), name=task), tg the innermost group of that name in this body. */
static aw_status op_taskgroup_create_task(const cJSON *op, const char *label, const scope *scopes)
{
    const char *name = str_or(op, "tg", "?"), *task = str_or(op, "task", "?");
    while (scopes && !(scopes->tg && strcmp(scopes->tg_name, name) == 0)) scopes = scopes->up;
    if (!scopes) {
        fz_out("%s taskgroup_create_task %s -> no group", label, task);
        return AW_OK;
    }
    aw_task *t = aw_taskgroup_create_task_named(scopes->tg, fz_make_coro(str_or(op, "coro", "?")), task);
    if (!t) { /* RuntimeError: the group is shutting down */
        fz_str b = {0};
        fz_strf(&b, "%s taskgroup_create_task %s -> raised ", label, task);
        fz_str_exc(&b, aw_exc_current());
        fz_out_str(&b);
        return aw_exc_status(aw_exc_current());
    }
    fz_var_set(task, aw_task_future(t));
    return AW_OK;
}

/* async with lock: body  /  async with sem: body  /  async with cond: body */
static aw_status op_lock(const cJSON *op, const char *label, const scope *scopes, fz_kind k)
{
    const char *kind = k == FZ_LOCK ? "lock" : k == FZ_SEMAPHORE ? "semaphore" : "condition";
    const char *name = str_or(op, k == FZ_LOCK ? "lock" : k == FZ_SEMAPHORE ? "sem" : "cond", "?");
    void *x = fz_obj_get(name, k);
    if (!x) {
        fz_out("%s %s %s -> unset", label, kind, name);
        return AW_OK;
    }
    aw_status st = aw_await(k == FZ_LOCK        ? aw_lock_acquire(x)
                            : k == FZ_SEMAPHORE ? aw_semaphore_acquire(x)
                                                : aw_condition_acquire(x),
                            NULL);
    if (st == AW_OK) {
        st = run_ops(cJSON_GetObjectItemCaseSensitive(op, "body"), label, scopes);
        /* __aexit__: release(); an error there replaces the body's exception */
        aw_status rel = k == FZ_LOCK        ? aw_lock_release(x)
                        : k == FZ_SEMAPHORE ? aw_semaphore_release(x)
                                            : aw_condition_release(x);
        if (rel != AW_OK) st = rel;
    }
    fz_str b = {0};
    fz_strf(&b, "%s %s %s -> ", label, kind, name);
    if (st != AW_OK) {
        fz_strf(&b, "raised ");
        fz_str_exc(&b, aw_exc_current());
    } else {
        fz_strf(&b, "ok");
    }
    fz_out_str(&b);
    return st;
}

static aw_status op_reschedule(const cJSON *op, const char *label, const scope *scopes)
{
    while (scopes && !scopes->tm) scopes = scopes->up;
    if (!scopes) {
        fz_out("%s reschedule -> no scope", label);
        return AW_OK;
    }
    double d = num(op, "delay", AW_NO_TIMEOUT);
    aw_status st = aw_timeout_reschedule(scopes->tm, d == AW_NO_TIMEOUT ? AW_NO_TIMEOUT : aw_time() + d);
    if (st != AW_OK) {
        fz_str b = {0};
        fz_strf(&b, "%s reschedule -> raised ", label);
        fz_str_exc(&b, aw_exc_current());
        fz_out_str(&b);
    }
    return st;
}

static aw_status step(const cJSON *op, const char *label, const scope *scopes)
{
    const char *kind = str_or(op, "op", "");
    if (sync_op(op, label)) return AW_OK;
    if (strcmp(kind, "sleep") == 0) {
        aw_status st = aw_await(aw_sleep(num(op, "d", 0)), NULL);
        if (st != AW_OK) {
            fz_str b = {0};
            fz_strf(&b, "%s sleep -> raised ", label);
            fz_str_exc(&b, aw_exc_current());
            fz_out_str(&b);
        }
        return st;
    }
    if (strcmp(kind, "busy") == 0) {
        aw_busy(num(op, "d", 0));
        return AW_OK;
    }
    if (strcmp(kind, "raise") == 0) {
        aw_exc *e = user_exc(op);
        aw_raise_exc(e); /* takes its own reference */
        aw_exc_unref(e);
        return aw_exc_status(aw_exc_current());
    }
    if (strcmp(kind, "await") == 0) {
        const char *t = str_or(op, "target", "?");
        return outcome(label, "await", t, item(t));
    }
    if (strcmp(kind, "wait_for") == 0) {
        const char *t = str_or(op, "target", "?");
        void *x = item(t);
        return outcome(label, "wait_for", t, x ? aw_wait_for(aw_any(x), num(op, "timeout", AW_NO_TIMEOUT)) : NULL);
    }
    if (strcmp(kind, "shield") == 0) {
        const char *t = str_or(op, "target", "?");
        void *x = item(t);
        return outcome(label, "shield", t, x ? aw_shield(aw_any(x)) : NULL);
    }
    if (strcmp(kind, "try") == 0) return op_try(op, label, scopes);
    if (strcmp(kind, "gather") == 0) return op_gather(op, label);
    if (strcmp(kind, "wait") == 0) return op_wait(op, label);
    if (strcmp(kind, "timeout") == 0) return op_timeout(op, label, scopes);
    if (strcmp(kind, "reschedule") == 0) return op_reschedule(op, label, scopes);
    if (strcmp(kind, "taskgroup") == 0) return op_taskgroup(op, label, scopes);
    if (strcmp(kind, "taskgroup_create_task") == 0) return op_taskgroup_create_task(op, label, scopes);
    if (strcmp(kind, "lock") == 0) return op_lock(op, label, scopes, FZ_LOCK);
    if (strcmp(kind, "semaphore") == 0) return op_lock(op, label, scopes, FZ_SEMAPHORE);
    if (strcmp(kind, "condition") == 0) return op_lock(op, label, scopes, FZ_CONDITION);
    if (strcmp(kind, "condition_wait") == 0) { /* bounded: await wait_for(cond.wait(), timeout) */
        const char *name = str_or(op, "cond", "?");
        aw_condition *c = fz_obj_get(name, FZ_CONDITION);
        return outcome(label, kind, name,
                       c ? aw_wait_for(aw_any(aw_condition_wait(c)), num(op, "timeout", AW_NO_TIMEOUT)) : NULL);
    }
    if (strcmp(kind, "barrier_wait") == 0 || strcmp(kind, "barrier_reset") == 0 ||
        strcmp(kind, "barrier_abort") == 0) {
        const char *name = str_or(op, "bar", "?");
        aw_barrier *b = fz_obj_get(name, FZ_BARRIER);
        aw_coro *c = !b                                  ? NULL
                     : strcmp(kind, "barrier_wait") == 0 ? aw_barrier_wait(b)
                     : strcmp(kind, "barrier_reset") == 0 ? aw_barrier_reset(b)
                                                          : aw_barrier_abort(b);
        if (b && kind[8] == 'r') arm_barrier_reaper(name, b); /* filling again: waits need a new reaper */
        return outcome(label, kind, name, c);
    }
    if (strcmp(kind, "event_wait") == 0) {
        const char *name = str_or(op, "ev", "?");
        aw_sync_event *ev = fz_obj_get(name, FZ_EVENT);
        return outcome(label, "event_wait", name, ev ? aw_sync_event_wait(ev) : NULL);
    }
    if (strcmp(kind, "queue_put") == 0 || strcmp(kind, "queue_get") == 0 || strcmp(kind, "queue_join") == 0) {
        const char *name = str_or(op, "q", "?");
        fz_queue *q = fz_obj_get(name, FZ_QUEUE);
        aw_coro *c = !q                           ? NULL
                     : strcmp(kind, "queue_put") == 0 ? aw_queue_put(q->q, aw_str(str_or(op, "value", "")))
                     : strcmp(kind, "queue_get") == 0 ? aw_queue_get(q->q)
                                                      : aw_queue_join(q->q);
        return outcome(label, kind, name, c);
    }
    aw_raise("ValueError", "not an operation: '%s'", kind); /* as interp.py raises */
    return AW_ERROR;
}

static aw_status run_ops(const cJSON *ops, const char *label, const scope *scopes)
{
    const cJSON *op;
    cJSON_ArrayForEach(op, ops) {
        aw_status st = step(op, label, scopes);
        if (st != AW_OK) return st;
    }
    return AW_OK;
}
