/* transport.c — CPython's _SelectorSocketTransport (selector_events.py) with _FlowControlMixin's
 * water marks (transports.py), over the backend's aw_socket_ops and the loop's readers and
 * writers.  Each method is the Python one, in the same order, so that the protocol's callbacks
 * run in the same loop iterations: connection_made, the reader and create_connection's waiter
 * are three call_soon; connection_lost is a call_soon after close() (or at once from the writer
 * callback that flushed the last byte of a closing transport). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

static void release(aw__resource *r)
{
    aw__transport *t = (aw__transport *)r;
    if (t->fd >= 0) t->ops->close(t->loop->backend, t->fd, false); /* __del__: sock.close() */
    aw__bytebuf_free(&t->buffer);
    free(t->rbuf);
    aw_exc_unref(t->lost_exc);
    free(t);
}

static aw_handle *soon(aw__transport *t, aw_callback cb, const char *name)
{
    return aw__call_soon_traced(t->loop, cb, t, name, 0, 0);
}

/* ---- _FlowControlMixin ------------------------------------------------------------------------ */
static void maybe_pause_protocol(aw__transport *t)
{
    if (t->buffer.len <= t->high_water || t->protocol_paused) return;
    t->protocol_paused = true;
    aw__stream_trace(t->loop, t->id, t->fd, AW_STREAM_PAUSE_WRITING, NULL, (int64_t)t->buffer.len, NULL);
    t->proto_ops->pause_writing(t->proto);
}

static void maybe_resume_protocol(aw__transport *t)
{
    if (!t->protocol_paused || t->buffer.len > t->low_water) return;
    t->protocol_paused = false;
    aw__stream_trace(t->loop, t->id, t->fd, AW_STREAM_RESUME_WRITING, NULL, (int64_t)t->buffer.len, NULL);
    t->proto_ops->resume_writing(t->proto);
}

/* ---- connection_lost ------------------------------------------------------------------------- */
static void call_connection_lost(aw__transport *t, aw_exc *exc)
{
    if (t->fd < 0) return;
    char repr[256];
    if (exc) aw_exc_repr(exc, repr, sizeof repr);
    aw_future *closed = t->proto_ops->closed ? t->proto_ops->closed(t->proto) : NULL;
    if (closed && closed->state != AW__PENDING) closed = NULL; /* named only when this completes it */
    aw__stream_trace(t->loop, t->id, t->fd, AW_STREAM_LOST, closed, 0, exc ? repr : NULL);
    t->proto_ops->connection_lost(t->proto, exc);
    /* finally: self._sock.close(); ... server._detach() */
    t->ops->close(t->loop->backend, t->fd, t->aborting);
    t->fd = -1;
    free(t->rbuf);
    t->rbuf = NULL;
    if (t->server) aw__server_detach(t->server);
    t->server = NULL;
}

static void call_connection_lost_cb(void *arg)
{
    aw__transport *t = arg;
    aw_exc *exc = t->lost_exc;
    t->lost_exc = NULL;
    call_connection_lost(t, exc);
    aw_exc_unref(exc);
}

/* _force_close(exc): exc is borrowed (NULL: abort()). */
static void force_close(aw__transport *t, aw_exc *exc)
{
    if (t->conn_lost) return;
    if (t->buffer.len) {
        aw__bytebuf_consume(&t->buffer, t->buffer.len);
        aw_remove_writer(t->loop, t->fd);
    }
    if (!t->closing) {
        t->closing = true;
        aw_remove_reader(t->loop, t->fd);
    }
    t->conn_lost++;
    t->lost_exc = aw_exc_ref(exc);
    soon(t, call_connection_lost_cb, "_SelectorSocketTransport._call_connection_lost");
}

/* _fatal_error: an OSError is only logged in debug mode; the connection is lost with it. */
static void fatal_error(aw__transport *t, int err)
{
    aw_exc *exc = aw__oserror(err, "%s", strerror(err));
    force_close(t, exc);
    aw_exc_unref(exc);
}

/* ---- reading --------------------------------------------------------------------------------- */
static void read_ready(void *arg);

static void add_reader(aw__transport *t)
{
    if (t->closing) return; /* _SelectorTransport._add_reader */
    aw_add_reader(t->loop, t->fd, read_ready, t);
}

static void add_reader_cb(void *arg) { add_reader(arg); }

static void read_ready(void *arg)
{
    aw__transport *t = arg;
    if (t->conn_lost) return;
    if (!t->rbuf && !(t->rbuf = malloc(AW__MAX_RECV))) abort();
    long n = t->ops->recv(t->loop->backend, t->fd, t->rbuf, AW__MAX_RECV);
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) fatal_error(t, errno);
        return;
    }
    if (n == 0) { /* _read_ready__on_eof */
        if (t->proto_ops->eof_received(t->proto))
            aw_remove_reader(t->loop, t->fd);
        else
            aw__transport_close(t);
        return;
    }
    t->proto_ops->data_received(t->proto, t->rbuf, (size_t)n);
}

void aw__transport_pause_reading(aw__transport *t)
{
    if (t->closing || t->paused) return;
    t->paused = true;
    aw_remove_reader(t->loop, t->fd);
}

void aw__transport_resume_reading(aw__transport *t)
{
    if (t->closing || !t->paused) return;
    t->paused = false;
    add_reader(t);
}

/* ---- writing --------------------------------------------------------------------------------- */
static void write_ready(void *arg)
{
    aw__transport *t = arg;
    if (t->conn_lost || !t->buffer.len) return;
    long n = t->ops->send(t->loop->backend, t->fd, aw__bytebuf_at(&t->buffer), t->buffer.len);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
        int err = errno;
        aw_remove_writer(t->loop, t->fd);
        aw__bytebuf_consume(&t->buffer, t->buffer.len);
        fatal_error(t, err);
        return;
    }
    aw__bytebuf_consume(&t->buffer, (size_t)n);
    maybe_resume_protocol(t); /* may append to the buffer */
    if (t->buffer.len) return;
    aw_remove_writer(t->loop, t->fd);
    if (t->closing)
        call_connection_lost(t, NULL);
    else if (t->eof)
        t->ops->shutdown_write(t->loop->backend, t->fd);
}

/* write(data) minus the checks and the pause: send at once when nothing is buffered, buffer the
 * rest. */
static void send_or_buffer(aw__transport *t, const unsigned char *data, size_t n)
{
    if (!t->buffer.len) {
        long sent = t->ops->send(t->loop->backend, t->fd, data, n);
        if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            fatal_error(t, errno);
            return;
        }
        if (sent > 0) {
            data += sent;
            n -= (size_t)sent;
        }
        if (!n) return;
        aw_add_writer(t->loop, t->fd, write_ready, t);
    }
    aw__bytebuf_append(&t->buffer, data, n);
}

/* After the connection is lost, writes are counted and dropped; from the fifth on, CPython's
 * logger says so. */
static bool dropped_after_lost(aw__transport *t)
{
    if (!t->conn_lost) return false;
    if (t->conn_lost >= AW__LOG_THRESHOLD_FOR_CONNLOST_WRITES)
        aw__warn(t->loop, "asyncio", 0, "socket.send() raised exception.");
    t->conn_lost++;
    return true;
}

aw_status aw__transport_write(aw__transport *t, const void *data, size_t n)
{
    if (t->eof) return aw__fail(AW_RuntimeError, "Cannot call write() after write_eof()");
    if (!n) return AW_OK;
    if (dropped_after_lost(t)) return AW_OK;
    size_t before = t->buffer.len;
    send_or_buffer(t, data, n);
    /* The write, then (as self._maybe_pause_protocol() follows it) the pause it may cause. */
    char buffered[32];
    bool kept = t->buffer.len > before; /* a fatal error empties the buffer instead */
    if (kept) snprintf(buffered, sizeof buffered, "%zu buffered", t->buffer.len - before);
    aw__stream_trace(t->loop, t->id, t->fd, AW_STREAM_WRITE, NULL, (int64_t)n, kept ? buffered : NULL);
    if (kept) maybe_pause_protocol(t);
    return AW_OK;
}

/* 3.12+: the items join the buffer, one write_ready() tries to send them, a writer waits for
 * the rest. */
aw_status aw__transport_writelines(aw__transport *t, size_t n, const aw_value *items)
{
    static const char *const type_names[] = {[AW_NONE] = "NoneType", [AW_INT] = "int", [AW_FLOAT] = "float",
                                             [AW_STR] = "str", [AW_LIST] = "list", [AW_TUPLE] = "tuple", [AW_BOOL] = "bool"};
    for (size_t i = 0; i < n; i++) /* [memoryview(data) for data in list_of_data] */
        if (items[i].kind != AW_BYTES) {
            const char *type = (size_t)items[i].kind < sizeof type_names / sizeof type_names[0] ? type_names[items[i].kind] : NULL;
            return aw__fail(AW_TypeError, "memoryview: a bytes-like object is required, not '%s'", type ? type : "object");
        }
    if (t->eof) return aw__fail(AW_RuntimeError, "Cannot call writelines() after write_eof()");
    if (!n) return AW_OK;
    if (dropped_after_lost(t)) return AW_OK;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        aw__bytebuf_append(&t->buffer, items[i].as.bytes->data, items[i].as.bytes->len);
        total += items[i].as.bytes->len;
    }
    write_ready(t);
    char buffered[32];
    bool kept = t->buffer.len && !t->conn_lost;
    if (kept) snprintf(buffered, sizeof buffered, "%zu buffered", t->buffer.len);
    aw__stream_trace(t->loop, t->id, t->fd, AW_STREAM_WRITE, NULL, (int64_t)total, kept ? buffered : NULL);
    if (kept) {
        aw_add_writer(t->loop, t->fd, write_ready, t);
        maybe_pause_protocol(t);
    }
    return AW_OK;
}

void aw__transport_write_eof(aw__transport *t)
{
    if (t->closing || t->eof) return;
    t->eof = true;
    aw__stream_trace(t->loop, t->id, t->fd, AW_STREAM_WRITE_EOF, NULL, (int64_t)t->buffer.len, NULL);
    if (!t->buffer.len) t->ops->shutdown_write(t->loop->backend, t->fd);
}

/* ---- closing --------------------------------------------------------------------------------- */
void aw__transport_close(aw__transport *t)
{
    if (t->closing) return;
    t->closing = true;
    aw__stream_trace(t->loop, t->id, t->fd, AW_STREAM_CLOSE, NULL, (int64_t)t->buffer.len, NULL);
    aw_remove_reader(t->loop, t->fd);
    if (!t->buffer.len) {
        t->conn_lost++;
        aw_remove_writer(t->loop, t->fd);
        soon(t, call_connection_lost_cb, "_SelectorSocketTransport._call_connection_lost");
    }
}

/* abort(): _force_close(None).  The socket is closed with SO_LINGER 0 (the backend's abort), so
 * that the peer sees a reset rather than an EOF. */
void aw__transport_abort(aw__transport *t)
{
    if (t->conn_lost) return;
    aw__stream_trace(t->loop, t->id, t->fd, AW_STREAM_CLOSE, NULL, (int64_t)t->buffer.len, "abort");
    t->aborting = true;
    force_close(t, NULL);
}

/* ---- creation -------------------------------------------------------------------------------- */
static void connection_made_cb(void *arg)
{
    aw__transport *t = arg;
    t->proto_ops->connection_made(t->proto, t);
}

static void waiter_cb(void *arg)
{
    aw__transport *t = arg;
    aw_future *w = t->waiter;
    t->waiter = NULL;
    aw__future_set_result_unless_cancelled(w, aw_none()); /* futures._set_result_unless_cancelled */
    aw__future_unref(w);
}

aw__transport *aw__transport_new(aw_loop *loop, unsigned id, int fd, const aw__protocol_ops *ops, void *proto,
                                 aw_future *waiter, struct aw_server *server)
{
    aw__transport *t = aw__resource_new(loop, sizeof *t, release);
    t->loop = loop;
    t->ops = loop->backend->sockets;
    t->id = id ? id : ++loop->next_stream_id;
    t->fd = fd;
    t->proto_ops = ops;
    t->proto = proto;
    t->high_water = AW__HIGH_WATER;
    t->low_water = AW__HIGH_WATER / 4;
    if (t->ops->sockname(loop->backend, fd, &t->sock_host, &t->sock_port) < 0) t->sock_port = -1;
    if (t->ops->peername(loop->backend, fd, &t->peer_host, &t->peer_port) < 0) t->peer_port = -1;
    t->server = server;
    if (server) aw__server_attach(server);
    char peer[128] = "None";
    if (t->peer_port >= 0) aw__address_repr(t->peer_host, t->peer_port, peer, sizeof peer);
    aw__stream_trace(loop, t->id, fd, AW_STREAM_CONNECTED, waiter, 0, peer);
    char name[96];
    snprintf(name, sizeof name, "%s.connection_made", ops->name);
    soon(t, connection_made_cb, aw__arena_strdup(loop, name));
    soon(t, add_reader_cb, "_SelectorTransport._add_reader");
    if (waiter) {
        aw__future_ref(waiter);
        t->waiter = waiter;
        soon(t, waiter_cb, "_set_result_unless_cancelled");
    }
    return t;
}
