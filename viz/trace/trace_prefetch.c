/* trace_prefetch.c — see trace_prefetch.h.  Two batches: the thread fills one while the caller
 * takes events from the other. */
#include "trace_prefetch.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Small enough that the two batches add well under a byte per event of a large trace to the
 * loader's memory (~250 KB), large enough that handing one over (a lock, a wake-up) is rare. */
#define BATCH_EVENTS 256

typedef struct batch {
    aw_trace_event ev[BATCH_EVENTS];
    size_t n;
    /* Every event's values, then the strings, ids and exact members they point to.  While the
     * batch fills, those pointers hold offsets (the buffers may move); settle() makes them
     * pointers before the caller sees the batch. */
    aw_trace_value *values;
    size_t nvalues, values_cap;
    char *bytes;
    size_t nbytes, bytes_cap;
    bool full;                   /* the thread is done with it: the caller's to read */
    bool last;                   /* the reader has no more events after these */
    bool out_of_memory;
} batch;

struct aw_trace_prefetch {
    aw_trace_reader *r;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool stop;                   /* the caller wants no more */
    batch ring[2];
    size_t take, pos;            /* the caller's batch, and its next event */
    bool taking;                 /* ring[take] is full and the caller reads it */
};

/* ---- copying an event into a batch ------------------------------------------------------------ */

/* Grows *p to hold `need` items of `size` bytes, doubling: a batch is refilled thousands of
 * times, and settles at its largest size after the first few. */
static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return true;
    size_t n = *cap ? *cap : 1024;
    while (n < need) n *= 2;
    void *q = n > SIZE_MAX / size ? NULL : realloc(*p, n * size);
    if (!q) return false;
    *p = q;
    *cap = n;
    return true;
}

/* Appends n bytes (at an offset aligned for any of the values' arrays); its offset, or
 * SIZE_MAX when out of memory. */
static size_t put_bytes(batch *b, const void *p, size_t n)
{
    size_t at = (b->nbytes + 7) & ~(size_t)7;
    if (!grow((void **)&b->bytes, &b->bytes_cap, at + n, 1)) return SIZE_MAX;
    memcpy(b->bytes + at, p, n);
    b->nbytes = at + n;
    return at;
}

#define AS_OFFSET(type, at) ((type)(uintptr_t)(at))
#define OFFSET_OF(p) ((size_t)(uintptr_t)(p))

static bool copy_value(batch *b, aw_trace_value *v)
{
    size_t at = 0;
    switch (v->type) {
    case AW_TV_STR:
        if ((at = put_bytes(b, v->s, strlen(v->s) + 1)) == SIZE_MAX) return false;
        v->s = AS_OFFSET(const char *, at);
        break;
    case AW_TV_IDS:
        if ((at = put_bytes(b, v->ids, (size_t)v->i * sizeof *v->ids)) == SIZE_MAX) return false;
        v->ids = AS_OFFSET(const int64_t *, at);
        break;
    case AW_TV_EXACT: {
        size_t n = (size_t)v->i;
        if ((at = put_bytes(b, v->exact, n * sizeof *v->exact)) == SIZE_MAX) return false;
        for (size_t j = 0; j < n; j++) {
            aw_scan_exact *x = (aw_scan_exact *)(b->bytes + at) + j;
            size_t key = put_bytes(b, x->key, strlen(x->key) + 1);
            if (key == SIZE_MAX) return false;
            x = (aw_scan_exact *)(b->bytes + at) + j; /* put_bytes may have moved the buffer */
            x->key = AS_OFFSET(const char *, key);
        }
        v->exact = AS_OFFSET(const aw_scan_exact *, at);
        break;
    }
    default: break;
    }
    return true;
}

static bool copy_event(batch *b, const aw_trace_event *ev)
{
    if (!grow((void **)&b->values, &b->values_cap, b->nvalues + ev->n_values, sizeof *b->values))
        return false;
    aw_trace_event *e = &b->ev[b->n];
    *e = *ev;
    e->json = NULL;
    e->text = NULL;
    e->len = 0;
    e->values = AS_OFFSET(const aw_trace_value *, b->nvalues);
    for (size_t i = 0; i < ev->n_values; i++) {
        aw_trace_value *v = &b->values[b->nvalues + i];
        *v = ev->values[i];
        if (!copy_value(b, v)) return false;
    }
    b->nvalues += ev->n_values;
    b->n++;
    return true;
}

/* The offsets become pointers, once the buffers have stopped moving. */
static void settle(batch *b)
{
    for (size_t i = 0; i < b->nvalues; i++) {
        aw_trace_value *v = &b->values[i];
        if (v->type == AW_TV_STR) v->s = b->bytes + OFFSET_OF(v->s);
        if (v->type == AW_TV_IDS) v->ids = (const int64_t *)(b->bytes + OFFSET_OF(v->ids));
        if (v->type == AW_TV_EXACT) {
            aw_scan_exact *x = (aw_scan_exact *)(b->bytes + OFFSET_OF(v->exact));
            for (size_t j = 0; j < (size_t)v->i; j++) x[j].key = b->bytes + OFFSET_OF(x[j].key);
            v->exact = x;
        }
    }
    for (size_t i = 0; i < b->n; i++) b->ev[i].values = b->values + OFFSET_OF(b->ev[i].values);
}

/* Reads events into b until it holds BATCH_EVENTS or the reader stops. */
static void fill(aw_trace_reader *r, batch *b)
{
    b->n = b->nvalues = b->nbytes = 0;
    while (b->n < BATCH_EVENTS) {
        aw_trace_event ev;
        if (aw_trace_reader_next(r, &ev) <= 0) {
            b->last = true;
            break;
        }
        if (!copy_event(b, &ev)) {
            b->last = b->out_of_memory = true;
            break;
        }
    }
    settle(b);
}

/* ---- the two threads -------------------------------------------------------------------------- */

static void *prefetch_thread(void *arg)
{
    aw_trace_prefetch *p = arg;
    for (size_t k = 0;; k ^= 1) {
        batch *b = &p->ring[k];
        pthread_mutex_lock(&p->lock);
        while (b->full && !p->stop) pthread_cond_wait(&p->changed, &p->lock);
        bool stop = p->stop;
        pthread_mutex_unlock(&p->lock);
        if (stop) return NULL;
        fill(p->r, b);
        pthread_mutex_lock(&p->lock);
        b->full = true;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
        if (b->last) return NULL;
    }
}

aw_trace_prefetch *aw_trace_prefetch_start(aw_trace_reader *r)
{
    aw_trace_prefetch *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->r = r;
    bool lock = pthread_mutex_init(&p->lock, NULL) == 0;
    bool cond = lock && pthread_cond_init(&p->changed, NULL) == 0;
    /* The thread starts with every signal blocked (it inherits the mask): a signal stays with the
     * program's own threads, whose handlers and interrupted calls expect it. */
    sigset_t all, old;
    sigfillset(&all);
    bool started = false;
    if (cond && pthread_sigmask(SIG_SETMASK, &all, &old) == 0) {
        started = pthread_create(&p->thread, NULL, prefetch_thread, p) == 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (started) return p;
    if (cond) pthread_cond_destroy(&p->changed);
    if (lock) pthread_mutex_destroy(&p->lock);
    free(p);
    return NULL;
}

/* Waits until the thread has filled ring[take]. */
static batch *wait_full(aw_trace_prefetch *p)
{
    batch *b = &p->ring[p->take];
    pthread_mutex_lock(&p->lock);
    while (!b->full) pthread_cond_wait(&p->changed, &p->lock);
    pthread_mutex_unlock(&p->lock);
    p->taking = true;
    p->pos = 0;
    return b;
}

int aw_trace_prefetch_next(aw_trace_prefetch *p, aw_trace_event *ev)
{
    batch *b = p->taking ? &p->ring[p->take] : wait_full(p);
    while (p->pos == b->n) {
        if (b->last) return 0;
        pthread_mutex_lock(&p->lock); /* hand it back to be filled again */
        b->full = false;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
        p->take ^= 1;
        b = wait_full(p);
    }
    *ev = b->ev[p->pos++];
    return 1;
}

bool aw_trace_prefetch_out_of_memory(const aw_trace_prefetch *p)
{
    return p->taking && p->ring[p->take].out_of_memory;
}

void aw_trace_prefetch_stop(aw_trace_prefetch *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->changed);
    pthread_mutex_destroy(&p->lock);
    for (size_t k = 0; k < 2; k++) {
        free(p->ring[k].values);
        free(p->ring[k].bytes);
    }
    free(p);
}
