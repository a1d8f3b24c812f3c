/* window_ahead.c — see window_ahead.h. */
#include "window_ahead.h"

#include <signal.h>

#include "file_window.h"

static void *helper_main(void *arg)
{
    aw_window_ahead *a = arg;
    pthread_mutex_lock(&a->lock);
    for (;;) {
        while (!a->stop && !a->asked && !a->retired) pthread_cond_wait(&a->wake, &a->lock);
        if (a->stop) break;
        if (a->asked) { /* first: the recording thread may soon wait for it */
            uint64_t base = a->base;
            char *w;
            pthread_mutex_unlock(&a->lock);
            int e = aw_file_window_map(a->fd, base, &w);
            pthread_mutex_lock(&a->lock);
            a->window = w;
            a->err = e;
            a->asked = false;
            a->ready = true;
            pthread_cond_signal(&a->done);
        } else {
            char *w = a->retired;
            uint64_t base = a->retired_base;
            a->retired = NULL;
            pthread_mutex_unlock(&a->lock);
            aw_file_window_unmap(w);
            aw_file_window_recycle(a->fd, base);
            pthread_mutex_lock(&a->lock);
        }
    }
    pthread_mutex_unlock(&a->lock);
    return NULL;
}

void aw_window_ahead_init(aw_window_ahead *a, int fd)
{
    *a = (aw_window_ahead){.fd = fd};
}

/* Starts the helper with every signal blocked (it inherits the mask it is created with). */
static bool start(aw_window_ahead *a)
{
    if (pthread_mutex_init(&a->lock, NULL) != 0) return false;
    if (pthread_cond_init(&a->wake, NULL) == 0) {
        if (pthread_cond_init(&a->done, NULL) == 0) {
            sigset_t all, old;
            sigfillset(&all);
            pthread_sigmask(SIG_SETMASK, &all, &old);
            bool ok = pthread_create(&a->thread, NULL, helper_main, a) == 0;
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            if (ok) (void)pthread_setname_np(a->thread, "awaitlab-trace"); /* for ps and perf */
            if (ok) return true;
            pthread_cond_destroy(&a->done);
        }
        pthread_cond_destroy(&a->wake);
    }
    pthread_mutex_destroy(&a->lock);
    return false;
}

void aw_window_ahead_request(aw_window_ahead *a, uint64_t base)
{
    if (!a->started) a->started = start(a);
    if (!a->started) { /* served by aw_window_ahead_take */
        a->base = base;
        a->asked = true;
        return;
    }
    pthread_mutex_lock(&a->lock);
    a->base = base;
    a->asked = true;
    a->ready = false;
    pthread_cond_signal(&a->wake);
    pthread_mutex_unlock(&a->lock);
}

int aw_window_ahead_take(aw_window_ahead *a, char **window)
{
    if (!a->started) {
        a->asked = false;
        return aw_file_window_map(a->fd, a->base, window);
    }
    pthread_mutex_lock(&a->lock);
    while (!a->ready) pthread_cond_wait(&a->done, &a->lock);
    *window = a->window;
    int e = a->err;
    a->window = NULL;
    a->ready = false;
    pthread_mutex_unlock(&a->lock);
    return e;
}

void aw_window_ahead_retire(aw_window_ahead *a, char *window, uint64_t base)
{
    if (!window) return;
    char *now = window;
    if (a->started) {
        pthread_mutex_lock(&a->lock);
        if (!a->retired) { /* else the helper is still to unmap the one before: this one now */
            a->retired = window;
            a->retired_base = base;
            now = NULL;
            pthread_cond_signal(&a->wake);
        }
        pthread_mutex_unlock(&a->lock);
    }
    aw_file_window_unmap(now);
}

void aw_window_ahead_stop(aw_window_ahead *a)
{
    if (!a->started) return;
    pthread_mutex_lock(&a->lock);
    a->stop = true;
    pthread_cond_signal(&a->wake);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->thread, NULL);
    a->started = false;
    aw_file_window_unmap(a->window); /* asked for and never taken: the file was not that long */
    aw_file_window_unmap(a->retired);
    a->window = a->retired = NULL;
    pthread_cond_destroy(&a->done);
    pthread_cond_destroy(&a->wake);
    pthread_mutex_destroy(&a->lock);
}

void aw_window_ahead_forget(aw_window_ahead *a)
{
    if (!a->started) return;
    a->started = false;
    /* A window the helper was still mapping at the fork stays mapped in the child, unnamed:
     * harmless, the child never writes through it. */
    if (a->ready) aw_file_window_unmap(a->window);
    aw_file_window_unmap(a->retired);
    a->window = a->retired = NULL;
    a->ready = false;
}
