/* stream_connect.c — asyncio.open_connection: a StreamReader and its protocol, then
 * loop.create_connection (sock_connect: connect, wait until the socket is writable, read its
 * SO_ERROR; then _create_connection_transport: a transport and await its waiter), then the
 * StreamWriter.  One address per host (sockets_tcp.c says which), so one attempt. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "stream.h"

aw_status aw__no_network(aw_loop *loop);
aw_status aw__no_network(aw_loop *loop)
{
    return aw__fail(AW_NotImplementedError, "the %s backend has no network", loop->backend->name);
}

typedef struct connect_wait {
    aw_loop *loop;
    int fd;
    aw_future *fut;
    char address[128];
} connect_wait;

/* _sock_connect_cb: the socket is writable, so the connection is made or has failed. */
static void sock_connect_cb(void *arg)
{
    connect_wait *c = arg;
    if (c->fut->state != AW__PENDING) return;
    int err = c->loop->backend->sockets->so_error(c->loop->backend, c->fd);
    if (err)
        aw__future_finish_exception(c->fut, aw__oserror(err, "Connect call failed %s", c->address));
    else
        aw__future_finish(c->fut, aw_none());
}

/* fut.add_done_callback(functools.partial(self._sock_write_done, fd)) */
static void sock_write_done(aw_future *f, void *arg)
{
    (void)f;
    connect_wait *c = arg;
    aw_remove_writer(c->loop, c->fd);
}

/* sock_connect: returns the connected descriptor, or -1 with the error in flight. */
static int sock_connect(aw_loop *loop, const char *host, int port, unsigned id)
{
    const aw_socket_ops *ops = loop->backend->sockets;
    /* Copied stacks: the writer callbacks hold c while this task sleeps (fiber.h). */
    connect_wait c_on_stack = {.loop = loop}, *c = aw__fiber_local_home(&c_on_stack, sizeof c_on_stack);
    *c = c_on_stack;
    aw__address_repr(strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, port, c->address, sizeof c->address);
    c->fd = ops->connect(loop->backend, host, port);
    if (c->fd < 0) {
        if (errno == EINVAL) /* not an address: getaddrinfo's error */
            aw__stream_gaierror();
        else /* sock.connect() failed at once: its own error, fut.set_exception(exc) */
            aw__set_in_flight(aw__oserror(errno, "%s", strerror(errno)));
        aw__fiber_local_free(c, &c_on_stack);
        return -1;
    }
    c->fut = aw__future_new_internal(loop);
    aw__future_set_what(c->fut, "sock_connect");
    aw__stream_trace(loop, id, c->fd, AW_STREAM_CONNECT, c->fut, 0, c->address);
    aw_add_writer(loop, c->fd, sock_connect_cb, c);
    aw_future_add_done_callback(c->fut, sock_write_done, c);
    aw_status st = aw__await_future(c->fut, NULL, NULL, 0);
    if (st != AW_OK) {
        /* The done callback may not have run yet (cancelled): it must not outlive c. */
        aw_future_remove_done_callback(c->fut, sock_write_done, c);
        aw_remove_writer(loop, c->fd);
        ops->close(loop->backend, c->fd, false);
        c->fd = -1;
    }
    aw_future_detach(c->fut);
    int fd = c->fd;
    aw__fiber_local_free(c, &c_on_stack);
    return fd;
}

AW_COROUTINE(open_connection, const char *host; int port; aw_stream_reader **reader; aw_stream_writer **writer;)
{
    aw_loop *loop = aw__running_loop();
    if (!loop->backend->sockets) return aw__no_network(loop), aw_reraise();
    aw_stream_reader *reader = aw__stream_reader_new(loop, AW__STREAM_LIMIT);
    aw__stream_protocol *protocol = aw__stream_protocol_new(loop, reader, NULL, NULL);
    /* create_connection: infos = await self._ensure_resolved((host, port), ...) */
    if (aw__stream_resolve(loop, self->host) != AW_OK) return aw_reraise();
    unsigned id = ++loop->next_stream_id;
    int fd = sock_connect(loop, self->host, self->port, id);
    if (fd < 0) return aw_reraise();
    /* _create_connection_transport */
    aw_future *waiter = aw__future_new_internal(loop);
    aw__future_set_what(waiter, "_create_connection_transport waiter");
    aw__transport *t = aw__transport_new(loop, id, fd, &aw__stream_protocol_ops, protocol, waiter, NULL);
    aw_status st = aw__await_future(waiter, NULL, NULL, 0);
    aw_future_detach(waiter);
    if (st != AW_OK) {
        aw__transport_close(t);
        return aw_reraise();
    }
    aw_stream_writer *writer = aw__stream_writer_new(loop, t, protocol, reader);
    if (self->reader) *self->reader = reader;
    if (self->writer) *self->writer = writer;
    aw_list *pair = aw__arena_alloc(loop, sizeof *pair + 2 * sizeof(aw_value));
    pair->len = 2;
    pair->items[0] = (aw_value){AW_OBJECT, {.p = reader}};
    pair->items[1] = (aw_value){AW_OBJECT, {.p = writer}};
    return (aw_value){AW_TUPLE, {.list = pair}};
}

aw_coro *aw_open_connection(const char *host, int port, aw_stream_reader **reader, aw_stream_writer **writer)
{
    return AW__CALL_AS("open_connection", open_connection, host, port, reader, writer);
}
