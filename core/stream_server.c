/* stream_server.c — asyncio.start_server and its Server (base_events.py, 3.12.1+): a listening
 * socket whose reader accepts connections (selector_events._accept_connection), each set up by
 * a task of its own (_accept_connection2: the protocol, the transport, await its waiter), whose
 * connection_made starts client_connected_cb's task.  wait_closed() returns once the server is
 * closed and every connection it accepted is gone, in either order. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

aw_status aw__no_network(aw_loop *loop);

struct aw_server {
    uint32_t tag;                  /* AW__TAG_SERVER: `async with server` recognises it */
    aw__resource res;
    aw_loop *loop;
    unsigned id;
    int fd;                        /* the listening socket; -1: closed (self._sockets is None) */
    int port;
    char address[160];             /* its address as Python shows it, for repr(): ('127.0.0.1', 8888) */
    aw_client_connected_fn cb;
    void *cb_arg;
    size_t clients;                /* transports attached (self._clients) */
    bool serving;
    bool woken;                    /* self._waiters is None */
    aw_future **waiters;
    size_t n_waiters;
    aw_future *serving_forever_fut;
};

static void release(aw__resource *r)
{
    aw_server *s = (aw_server *)((char *)r - offsetof(aw_server, res));
    if (s->fd >= 0) s->loop->backend->sockets->close(s->loop->backend, s->fd, false);
    free(s->waiters);
    free(s);
}

void aw__server_attach(aw_server *s) { s->clients++; }

static void wakeup(aw_server *s)
{
    if (s->woken) return;
    s->woken = true;
    for (size_t i = 0; i < s->n_waiters; i++) {
        if (s->waiters[i]->state == AW__PENDING) aw__future_finish(s->waiters[i], aw_none());
        aw__future_unref(s->waiters[i]);
    }
    free(s->waiters);
    s->waiters = NULL;
    s->n_waiters = 0;
}

void aw__server_detach(aw_server *s)
{
    if (s->clients) s->clients--;
    if (s->clients == 0 && s->fd < 0) wakeup(s);
}

int aw_server_port(const aw_server *s) { return s->fd >= 0 ? s->port : -1; }
bool aw_server_is_serving(const aw_server *s) { return s->serving; }

/* ---- accepting ------------------------------------------------------------------------------- */
AW_COROUTINE(accept_connection2, aw_server *server; int fd;)
{
    aw_server *s = self->server;
    aw_loop *loop = s->loop;
    aw_stream_reader *reader = aw__stream_reader_new(loop, AW__STREAM_LIMIT); /* protocol_factory() */
    aw__stream_protocol *protocol = aw__stream_protocol_new(loop, reader, s->cb, s->cb_arg);
    aw_future *waiter = aw__future_new_internal(loop);
    aw__future_set_what(waiter, "_accept_connection2 waiter");
    aw__transport *t = aw__transport_new(loop, 0, self->fd, &aw__stream_protocol_ops, protocol, waiter, s);
    aw__stream_trace(loop, s->id, s->fd, AW_STREAM_ACCEPT, NULL, t->id, NULL);
    aw_status st = aw__await_future(waiter, NULL, NULL, 0);
    aw_future_detach(waiter);
    if (st != AW_OK) {
        aw__transport_close(t);
        return aw_reraise();
    }
    return aw_none();
}

static void start_serving(aw_server *s);

static aw_value raise_owned(aw_exc *e)
{
    aw__set_in_flight(e);
    return aw_reraise();
}

static void retry_serving(void *arg)
{
    aw_server *s = arg;
    if (s->fd >= 0) start_serving(s);
}

static void accept_connection(void *arg)
{
    aw_server *s = arg;
    const aw_socket_ops *ops = s->loop->backend->sockets;
    for (int i = 0; i < AW__SERVER_BACKLOG + 1; i++) {
        int fd = ops->accept(s->loop->backend, s->fd);
        if (fd < 0) {
            int err = errno;
            if (err == ECONNABORTED) continue;
            if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR) return;
            aw_exc *exc = aw__oserror(err, "%s", strerror(err));
            char repr[256];
            aw_exc_repr(exc, repr, sizeof repr);
            aw_exc_unref(exc);
            if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
                aw__warn(s->loop, "exception-handler", 0, "socket.accept() out of system resource\n%s", repr);
                aw_remove_reader(s->loop, s->fd);
                aw_handle *h = aw_call_later(s->loop, 1.0, retry_serving, s); /* ACCEPT_RETRY_DELAY */
                if (h) aw_handle_set_name(h, "BaseSelectorEventLoop._start_serving");
            } else { /* raise: the loop's handler logs it */
                aw__warn(s->loop, "exception-handler", 0, "Exception in callback BaseSelectorEventLoop._accept_connection()\n%s", repr);
            }
            return;
        }
        aw_task *t = aw_create_task(AW__CALL_AS("_accept_connection2", accept_connection2, s, fd));
        if (t) aw_task_detach(t);
    }
}

static void start_serving(aw_server *s)
{
    aw_add_reader(s->loop, s->fd, accept_connection, s);
}

/* ---- start_server ------------------------------------------------------------------------------ */
/* create_server resolves each host in a task of its own: infos = await tasks.gather(*fs). */
AW_COROUTINE(create_server_getaddrinfo, const char *host;)
{
    return aw__stream_resolve(aw__running_loop(), self->host) == AW_OK ? aw_none() : aw_reraise();
}

AW_COROUTINE(start_server, aw_client_connected_fn cb; void *arg; const char *host; int port; aw_server **out;)
{
    aw_loop *loop = aw__running_loop();
    const aw_socket_ops *ops = loop->backend->sockets;
    if (!ops) return aw__no_network(loop), aw_reraise();
    void *fs[1] = {AW__CALL_AS("_create_server_getaddrinfo", create_server_getaddrinfo, self->host)};
    AW_AWAIT(aw_gather(false, 1, fs));
    int port = 0;
    int fd = ops->listen(loop->backend, self->host, self->port, AW__SERVER_BACKLOG, &port);
    if (fd < 0) {
        int err = errno;
        if (err == EINVAL)
            return aw__stream_gaierror(), aw_reraise();
        char address[160], why[160];
        aw__address_repr(strcmp(self->host, "localhost") == 0 ? "127.0.0.1" : self->host, self->port, address, sizeof address);
        snprintf(why, sizeof why, "[errno %d] %s", err, strerror(err));
        for (char *c = why; *c; c++) *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c); /* str(exc).lower() */
        return raise_owned(aw__oserror(err, "error while attempting to bind on address %s: %s", address, why));
    }
    aw_server *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->tag = AW__TAG_SERVER;
    aw__resource_add(loop, &s->res, release);
    s->loop = loop;
    s->id = ++loop->next_stream_id;
    s->fd = fd;
    s->port = port;
    s->cb = self->cb;
    s->cb_arg = self->arg;
    aw__address_repr(strcmp(self->host, "localhost") == 0 ? "127.0.0.1" : self->host, port, s->address, sizeof s->address);
    aw__stream_trace(loop, s->id, fd, AW_STREAM_LISTEN, NULL, port, s->address);
    s->serving = true; /* server._start_serving() */
    start_serving(s);
    if (self->out) *self->out = s;
    AW_AWAIT(aw_sleep(0)); /* "Skip one loop iteration so that all 'loop.add_reader' go through." */
    return (aw_value){AW_OBJECT, {.p = s}};
}

aw_coro *aw_start_server(aw_client_connected_fn cb, void *arg, const char *host, int port, aw_server **server)
{
    return AW__CALL_AS("start_server", start_server, cb, arg, host, port, server);
}

/* CPython's names each socket: <asyncio.TransportSocket fd=6, family=2, type=1, proto=6,
 * laddr=('127.0.0.1', 8888)>; its address is what a learner needs (no descriptor). */
void aw__server_repr_to(aw__out *o, const aw_server *s)
{
    if (s->fd < 0) aw__out_puts(o, "<Server sockets=()>"); /* closed: self._sockets is None */
    else aw__out_printf(o, "<Server sockets=(%s,)>", s->address);
}

/* ---- closing ----------------------------------------------------------------------------------- */
void aw_server_close(aw_server *s)
{
    if (s->fd < 0) return;
    aw__stream_trace(s->loop, s->id, s->fd, AW_STREAM_SERVER_CLOSE, NULL, (int64_t)s->clients, NULL);
    aw_remove_reader(s->loop, s->fd); /* _stop_serving: remove the reader, close the socket */
    s->loop->backend->sockets->close(s->loop->backend, s->fd, false);
    s->fd = -1;
    s->serving = false;
    if (s->serving_forever_fut && s->serving_forever_fut->state == AW__PENDING) {
        aw_future_cancel(s->serving_forever_fut, NULL);
        s->serving_forever_fut = NULL;
    }
    if (s->clients == 0) wakeup(s);
}

static aw_status wait_closed(aw_server *s)
{
    if (s->woken) return AW_OK;
    aw_future **w = realloc(s->waiters, (s->n_waiters + 1) * sizeof *w);
    if (!w) abort();
    s->waiters = w;
    aw_future *fut = aw__future_new_internal(s->loop);
    aw__future_set_what(fut, "Server.wait_closed waiter");
    aw__future_ref(fut); /* the list's reference, dropped by wakeup() */
    w[s->n_waiters++] = fut;
    aw_status st = aw__await_future(fut, NULL, NULL, 0);
    aw_future_detach(fut);
    return st;
}

AW_COROUTINE(server_wait_closed, aw_server *s;)
{
    return wait_closed(self->s) == AW_OK ? aw_none() : aw_reraise();
}

aw_coro *aw_server_wait_closed(aw_server *s) { return AW__CALL_AS("Server.wait_closed", server_wait_closed, s); }

AW_COROUTINE(serve_forever, aw_server *s;)
{
    aw_server *s = self->s;
    if (s->serving_forever_fut)
        return aw_raise_class(AW_RuntimeError, "server <Server sockets=(...)> is already being awaited on serve_forever()");
    if (s->fd < 0) return aw_raise_class(AW_RuntimeError, "server <Server sockets=()> is closed");
    if (!s->serving) {
        s->serving = true;
        start_serving(s);
    }
    aw_future *fut = s->serving_forever_fut = aw__future_new_internal(s->loop);
    aw__future_set_what(fut, "Server._serving_forever_fut");
    aw_status st = aw__await_future(fut, NULL, NULL, 0);
    if (st == AW_CANCELLED) { /* except CancelledError: close(); await wait_closed(); finally: raise */
        aw_exc **slot = aw__in_flight_slot();
        aw_exc *cancelled = *slot;
        *slot = NULL;
        aw_server_close(s);
        aw_status st2 = wait_closed(s);
        if (st2 == AW_OK) {
            aw__set_in_flight(cancelled);
        } else {
            aw_exc_unref(cancelled);
        }
    }
    s->serving_forever_fut = NULL;
    aw_future_detach(fut);
    return st == AW_OK ? aw_none() : aw_reraise();
}

aw_coro *aw_server_serve_forever(aw_server *s) { return AW__CALL_AS("Server.serve_forever", serve_forever, s); }

/* async with server: __aenter__ returns it; __aexit__ closes it and waits until it is closed. */
aw_status aw__server_aexit(void *server)
{
    aw_server *s = server;
    aw_server_close(s);
    return wait_closed(s);
}
