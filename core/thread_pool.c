/* thread_pool.c — the default executor's worker threads (thread_pool.h). */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "thread_pool.h"

enum { WORK_QUEUED = 1, WORK_RUNNING, WORK_CANCELLED };

struct aw__pool {
    pthread_mutex_t mu;
    pthread_cond_t work_ready;   /* signalled per submission, broadcast at shutdown */
    size_t max_workers;
    size_t n_alive;              /* started and not yet leaving */
    size_t n_idle;               /* waiting for work */
    size_t n_queued;
    pthread_t *threads;          /* every thread started, for the join */
    size_t n_threads, cap_threads;
    aw__work *head, *tail;
    bool shutdown;
    bool abandoned;              /* the last worker out frees the pool */
    void (*on_idle)(void *arg);
    void *idle_arg;
};

size_t aw__pool_default_workers(void)
{
    /* 3.13 counts the CPUs this process may run on (os.process_cpu_count()); 3.12 all of them. */
    long n = 0;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
    if (n <= 0) n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n <= 0) n = 1;
    return n + 4 < 32 ? (size_t)n + 4 : 32;
}

static void pool_destroy(aw__pool *p)
{
    pthread_cond_destroy(&p->work_ready);
    pthread_mutex_destroy(&p->mu);
    free(p->threads);
    free(p);
}

static void *worker_main(void *arg)
{
    aw__pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->head && !p->shutdown) {
            p->n_idle++;
            pthread_cond_wait(&p->work_ready, &p->mu);
            p->n_idle--;
        }
        aw__work *w = p->head;
        if (!w) break; /* shut down and nothing left to run */
        p->head = w->next;
        if (!p->head) p->tail = NULL;
        p->n_queued--;
        w->state = WORK_RUNNING;
        pthread_mutex_unlock(&p->mu);
        w->run(w); /* may free w */
        pthread_mutex_lock(&p->mu);
    }
    bool last = --p->n_alive == 0;
    void (*on_idle)(void *) = last ? p->on_idle : NULL;
    void *idle_arg = p->idle_arg;
    if (last) p->on_idle = NULL; /* taken: aw__pool_abandon can tell */
    bool destroy = last && p->abandoned;
    pthread_mutex_unlock(&p->mu);
    if (on_idle) on_idle(idle_arg);
    if (destroy) pool_destroy(p);
    return NULL;
}

aw__pool *aw__pool_new(size_t max_workers)
{
    aw__pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->work_ready, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    p->max_workers = max_workers ? max_workers : 1;
    return p;
}

/* Under the mutex.  Signals stay with the program's threads: a worker blocks them all (it
 * inherits the mask it is created with), so a SIGINT reaches the loop's thread. */
static bool start_worker(aw__pool *p)
{
    if (p->n_threads == p->cap_threads) {
        size_t cap = p->cap_threads ? p->cap_threads * 2 : 8;
        pthread_t *t = realloc(p->threads, cap * sizeof *t);
        if (!t) return false;
        p->threads = t;
        p->cap_threads = cap;
    }
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&p->threads[p->n_threads], NULL, worker_main, p);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) return false;
    p->n_threads++;
    p->n_alive++;
    return true;
}

bool aw__pool_submit(aw__pool *p, aw__work *w)
{
    pthread_mutex_lock(&p->mu);
    w->next = NULL;
    w->state = WORK_QUEUED;
    if (p->tail)
        p->tail->next = w;
    else
        p->head = w;
    p->tail = w;
    p->n_queued++;
    /* _adjust_thread_count: an idle worker takes it; else a new one, up to max_workers. */
    bool ok = true;
    if (p->n_queued > p->n_idle && p->n_alive < p->max_workers && !start_worker(p) && p->n_alive == 0) {
        p->head = p->tail = NULL; /* nobody will ever run it */
        p->n_queued = 0;
        ok = false;
    }
    pthread_cond_signal(&p->work_ready);
    pthread_mutex_unlock(&p->mu);
    return ok;
}

bool aw__pool_cancel(aw__pool *p, aw__work *w)
{
    pthread_mutex_lock(&p->mu);
    bool queued = w->state == WORK_QUEUED;
    if (queued) {
        aw__work **link = &p->head, *prev = NULL;
        while (*link != w) {
            prev = *link;
            link = &(*link)->next;
        }
        *link = w->next;
        if (p->tail == w) p->tail = prev;
        p->n_queued--;
        w->state = WORK_CANCELLED;
    }
    pthread_mutex_unlock(&p->mu);
    return queued;
}

void aw__pool_shutdown(aw__pool *p, void (*on_idle)(void *arg), void *arg)
{
    pthread_mutex_lock(&p->mu);
    p->shutdown = true;
    bool none = p->n_alive == 0;
    p->on_idle = none ? NULL : on_idle;
    p->idle_arg = arg;
    pthread_cond_broadcast(&p->work_ready);
    pthread_mutex_unlock(&p->mu);
    if (none && on_idle) on_idle(arg);
}

void aw__pool_join_free(aw__pool *p)
{
    for (size_t i = 0; i < p->n_threads; i++) pthread_join(p->threads[i], NULL);
    pool_destroy(p);
}

bool aw__pool_abandon(aw__pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->shutdown = true;
    bool pending = p->on_idle != NULL;
    p->on_idle = NULL; /* whoever waited for it has stopped waiting */
    pthread_cond_broadcast(&p->work_ready);
    for (size_t i = 0; i < p->n_threads; i++) pthread_detach(p->threads[i]);
    bool destroy = p->n_alive == 0;
    p->abandoned = true;
    pthread_mutex_unlock(&p->mu);
    if (destroy) pool_destroy(p);
    return pending;
}
