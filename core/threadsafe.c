/* threadsafe.c — loop.call_soon_threadsafe and the handoff queue behind it (threadsafe.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "threadsafe.h"

#ifdef AW_USE_VALGRIND
#include <valgrind/helgrind.h>
#endif

typedef struct ts_node {
    aw__ts_call call;         /* cb NULL: a worker's printed line, for the trace only */
    char *text;               /* that line (malloc'd), and the statement that printed it */
    const char *file;
    int line;
    struct ts_node *next;
} ts_node;

struct aw__threadsafe {
    atomic_bool nonempty;     /* lets the loop skip the mutex on the (usual) empty queue; first
                               * (threadsafe.h, aw__threadsafe_pending) */
    pthread_mutex_t mu;
    int refs;                 /* the loop's, plus one per thread pool that may push */
    bool closed;              /* the loop closed: pushes are refused */
    ts_node *head, *tail;     /* FIFO: calls run in the order they were made */
    aw_backend *backend;      /* to wake the loop; never used after `closed` */
    aw_loop *loop;            /* whose output a worker's print() goes to; never used after `closed` */
};

_Static_assert(offsetof(struct aw__threadsafe, nonempty) == 0, "aw__threadsafe_pending reads the first member");

aw__threadsafe *aw__threadsafe_new(aw_loop *loop)
{
    aw__threadsafe *ts = calloc(1, sizeof *ts);
    if (!ts) return NULL;
    if (pthread_mutex_init(&ts->mu, NULL) != 0) {
        free(ts);
        return NULL;
    }
    ts->refs = 1;
    ts->backend = loop->backend;
    ts->loop = loop;
    atomic_init(&ts->nonempty, false);
#ifdef AW_USE_VALGRIND
    /* helgrind sees plain loads and stores where C11 atomics are: the flag only says "look",
     * and what it guards is read under the mutex. */
    VALGRIND_HG_DISABLE_CHECKING(&ts->nonempty, sizeof ts->nonempty);
#endif
    return ts;
}

aw__threadsafe *aw__threadsafe_ref(aw__threadsafe *ts)
{
    pthread_mutex_lock(&ts->mu);
    ts->refs++;
    pthread_mutex_unlock(&ts->mu);
    return ts;
}

void aw__threadsafe_unref(aw__threadsafe *ts)
{
    pthread_mutex_lock(&ts->mu);
    bool last = --ts->refs == 0;
    pthread_mutex_unlock(&ts->mu);
    if (!last) return;
    /* Only a closed queue loses its last reference (the loop holds one until it closes), and a
     * closed queue is empty. */
    pthread_mutex_destroy(&ts->mu);
    free(ts);
}

static ts_node *node_new(aw__ts_call call)
{
    ts_node *n = calloc(1, sizeof *n);
    if (!n) abort();
    n->call = call;
    return n;
}

static void node_free(ts_node *n)
{
    free(n->text);
    free(n);
}

/* Under ts->mu, the loop not closed. */
static void append(aw__threadsafe *ts, ts_node *n)
{
    if (ts->tail)
        ts->tail->next = n;
    else
        ts->head = n;
    ts->tail = n;
    atomic_store_explicit(&ts->nonempty, true, memory_order_release);
}

bool aw__threadsafe_push(aw__threadsafe *ts, aw__ts_call call)
{
    ts_node *n = node_new(call);
    pthread_mutex_lock(&ts->mu);
    if (ts->closed) {
        pthread_mutex_unlock(&ts->mu);
        node_free(n);
        return false;
    }
    append(ts, n);
    /* Woken under the mutex: the loop cannot close (and free its backend) in between. */
    if (ts->backend->wakeup) ts->backend->wakeup(ts->backend);
    pthread_mutex_unlock(&ts->mu);
    return true;
}

static ts_node *take_all(aw__threadsafe *ts)
{
    if (!atomic_load_explicit(&ts->nonempty, memory_order_acquire)) return NULL;
    pthread_mutex_lock(&ts->mu);
    ts_node *n = ts->head;
    ts->head = ts->tail = NULL;
    atomic_store_explicit(&ts->nonempty, false, memory_order_relaxed);
    pthread_mutex_unlock(&ts->mu);
    return n;
}

void aw__threadsafe_drain(aw_loop *loop)
{
    for (ts_node *n = take_all(loop->threadsafe), *next; n; n = next) {
        next = n->next;
        if (!n->call.cb) { /* a worker's line: traced now, in the order the workers printed */
            AW__TRACE(loop, .kind = AW_EV_OUTPUT, .text = n->text, .file = n->file, .line = n->line);
            node_free(n);
            continue;
        }
        aw_handle *h = aw__call_soon_traced(loop, n->call.cb, n->call.arg, "call_soon_threadsafe", 0,
                                            n->call.future);
        h->drop = n->call.drop;
        free(n);
    }
}

void aw__threadsafe_close(aw_loop *loop)
{
    aw__threadsafe *ts = loop->threadsafe;
    if (!ts) return;
    pthread_mutex_lock(&ts->mu);
    ts->closed = true;
    pthread_mutex_unlock(&ts->mu);
    /* CPython's close() clears the ready queue: what was handed over and not run is dropped. */
    for (ts_node *n = take_all(ts), *next; n; n = next) {
        next = n->next;
        if (n->call.drop) n->call.drop(n->call.arg);
        node_free(n);
    }
}

/* ---- output from several threads ---------------------------------------------------------------
 * CPython's print() from a worker thread writes to sys.stdout while the loop's thread may be
 * writing too.  Here both go through the loop's output, one line at a time under the mutex. */
void aw__threadsafe_print(aw__threadsafe *ts, const char *line, const char *file, int line_no)
{
    /* The trace's copy, made before the lock (the tracer is the loop thread's: it gets the line
     * through the queue, with no task: a worker thread runs none). */
    ts_node *n = node_new((aw__ts_call){0});
    if (!(n->text = strdup(line))) abort();
    n->file = file;
    n->line = line_no;
    pthread_mutex_lock(&ts->mu);
    if (ts->closed) {
        printf("%s\n", line);
        node_free(n);
    } else {
        aw__print_line(ts->loop, line);
        append(ts, n);
        /* Woken, so that the trace has the line when it was printed (give or take the wake-up),
         * not when the loop next wakes for something else. */
        if (ts->backend->wakeup) ts->backend->wakeup(ts->backend);
    }
    pthread_mutex_unlock(&ts->mu);
}

void aw__threadsafe_output(aw_loop *loop, const char *line)
{
    aw__threadsafe *ts = loop->threadsafe;
    if (ts) pthread_mutex_lock(&ts->mu);
    aw__print_line(loop, line);
    if (ts) pthread_mutex_unlock(&ts->mu);
}

/* ---- the public call -------------------------------------------------------------------------- */
int aw_loop_call_soon_threadsafe(aw_loop *loop, aw_callback cb, void *arg)
{
    /* From the loop's own thread while it runs, CPython's call_soon_threadsafe is call_soon (the
     * wake-up it writes is read at the next wait): the handle joins the ready queue now. */
    if (aw__running_loop() == loop) {
        if (loop->closed) return -1;
        aw__call_soon_traced(loop, cb, arg, "call_soon_threadsafe", 0, 0);
        return 0;
    }
    if (!loop->threadsafe) return -1;
    return aw__threadsafe_push(loop->threadsafe, (aw__ts_call){cb, arg, NULL, 0}) ? 0 : -1;
}
