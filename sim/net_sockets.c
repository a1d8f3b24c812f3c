/* net_sockets.c — the socket operations of the simulated network (core's aw_socket_ops): each
 * does what its system call does on a non-blocking TCP socket, on the model of net_sim.c, and
 * fails as the system call fails (-1 with errno). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/aw_tracer.h"
#include "net_sim.h"

#define SOMAXCONN_LINUX 4096

/* A host as the network knows it: "localhost" is 127.0.0.1 (as /etc/hosts says). */
static const char *host_name(const char *host, const char *none)
{
    if (!host || !*host) return none;
    if (!strcmp(host, "localhost")) return "127.0.0.1";
    if (!strcmp(host, "::")) return "0.0.0.0";
    return host;
}

static char *addr_text(const char *host, int port)
{
    char buf[300];
    snprintf(buf, sizeof buf, "%.256s:%d", host, port);
    return aw__net_strdup(buf);
}

static int fail(int err)
{
    errno = err;
    return -1;
}

static net_sock *stream_of(aw__net *n, int fd)
{
    net_sock *s = aw__net_open_sock(n, fd);
    if (!s) errno = EBADF;
    else if (s->kind != NET_STREAM) {
        errno = ENOTCONN;
        s = NULL;
    }
    return s;
}

/* A pending error is reported once, by whichever call reads it first. */
static int take_error(net_sock *s)
{
    int e = s->error;
    s->error = 0;
    return e;
}

static int net_connect(aw_backend *b, const char *host, int port)
{
    aw__net *n = aw__sim_net(b);
    if (port < 0 || port > 65535) return fail(EINVAL);
    host = host_name(host, "127.0.0.1");
    if (!strcmp(host, "0.0.0.0")) host = "127.0.0.1"; /* Linux: "this host" */
    net_sock *s = aw__net_sock_new(n, NET_STREAM);
    net_conn *c = aw__net_conn_new(n);
    s->state = NET_CONNECTING;
    s->conn = c;
    s->credit = n->o.recv_buffer;
    c->end[0] = s;
    c->host[0] = aw__net_strdup("127.0.0.1");
    c->port[0] = aw__net_ephemeral_port(n);
    c->host[1] = aw__net_strdup(host);
    c->port[1] = port;
    for (int k = 0; k < 2; k++) {
        c->addr[k] = addr_text(c->host[k], c->port[k]);
        aw__net_link_init(n, &c->link[k], host);
    }
    aw__net_send_ctl(n, c, 0, NE_SYN, NULL);
    return s->fd;
}

static bool port_taken(aw__net *n, const char *host, int port)
{
    for (size_t i = 0; i < n->n_listeners; i++) {
        net_sock *s = n->listeners[i];
        if (s->port == port && (!strcmp(s->host, host) || !strcmp(s->host, "0.0.0.0") || !strcmp(host, "0.0.0.0")))
            return true;
    }
    return false;
}

static int net_listen(aw_backend *b, const char *host, int port, int backlog, int *bound_port)
{
    aw__net *n = aw__sim_net(b);
    if (port < 0 || port > 65535) return fail(EINVAL);
    host = host_name(host, "0.0.0.0");
    if (port == 0) {
        for (int tries = 0; tries <= 65535 - 49152 && (port == 0 || port_taken(n, host, port)); tries++)
            port = aw__net_ephemeral_port(n);
        if (port_taken(n, host, port)) return fail(EADDRINUSE);
    } else if (port_taken(n, host, port)) {
        return fail(EADDRINUSE);
    }
    net_sock *s = aw__net_sock_new(n, NET_LISTENER);
    s->host = aw__net_strdup(host);
    s->port = port;
    /* listen(2): a backlog below 1 still takes one; above SOMAXCONN it is cut to it. */
    s->backlog = backlog < 1 ? 1 : backlog > SOMAXCONN_LINUX ? SOMAXCONN_LINUX : backlog;
    s->addr = addr_text(host, port);
    aw__net_listener_add(n, s);
    if (bound_port) *bound_port = port;
    aw__net_emit_addr(n, AW_NET_LISTEN, s->addr, s->fd);
    return s->fd;
}

static int net_accept(aw_backend *b, int listen_fd)
{
    aw__net *n = aw__sim_net(b);
    net_sock *l = aw__net_open_sock(n, listen_fd);
    if (!l) return fail(EBADF);
    if (l->kind != NET_LISTENER) return fail(EINVAL);
    if (!l->q_len) return fail(EAGAIN);
    net_sock *s = l->queue[l->q_head++];
    if (--l->q_len == 0) l->q_head = 0;
    s->listener = NULL;
    if (s->state == NET_QUEUED) s->state = NET_OPEN;
    aw__net_emit(n, AW_NET_ACCEPT, s->conn, 0, s->fd, 0, -1, NULL);
    aw__net_pump(n, s);
    return s->fd;
}

static long net_send(aw_backend *b, int fd, const void *buf, size_t len)
{
    aw__net *n = aw__sim_net(b);
    net_sock *s = stream_of(n, fd);
    if (!s) return -1;
    if (s->error) return fail(take_error(s));
    if (s->state == NET_DEAD || s->shut_wr) return fail(EPIPE);
    if (s->state == NET_CONNECTING) return fail(EAGAIN);
    if (!len) return 0;
    size_t room = s->snd_cap - s->snd.len;
    if (!room) {
        aw__net_emit(n, AW_NET_BLOCKED, s->conn, s->side, fd, s->snd.len, -1, NULL);
        return fail(EAGAIN);
    }
    size_t k = len < room ? len : room;
    if (!aw__netbuf_push(&s->snd, buf, k)) abort();
    aw__net_emit(n, AW_NET_SEND, s->conn, s->side, fd, k, -1, NULL);
    aw__net_pump(n, s);
    return (long)k;
}

static long net_recv(aw_backend *b, int fd, void *buf, size_t len)
{
    aw__net *n = aw__sim_net(b);
    net_sock *s = stream_of(n, fd);
    if (!s) return -1;
    if (s->error) return fail(take_error(s));
    if (s->state == NET_DEAD) return 0; /* after the reset was reported: EOF, as Linux */
    if (s->state != NET_OPEN) return fail(EAGAIN);
    uint64_t room = s->read_limit - s->read_total;
    size_t avail = s->rcv.len < room ? s->rcv.len : (size_t)room;
    if (!avail) {
        if (!s->eof_in || s->rcv.len) return fail(EAGAIN);
        aw__net_emit(n, AW_NET_RECV, s->conn, 1 - s->side, fd, 0, -1, NULL);
        return 0;
    }
    size_t k = aw__netbuf_pop(&s->rcv, buf, len < avail ? len : avail);
    s->read_total += k;
    aw__net_emit(n, AW_NET_RECV, s->conn, 1 - s->side, fd, k, -1, NULL);
    if (k) aw__net_send_window(n, s, k);
    return (long)k;
}

static int net_so_error(aw_backend *b, int fd)
{
    net_sock *s = aw__net_open_sock(aw__sim_net(b), fd);
    return s ? take_error(s) : EBADF;
}

static int net_shutdown_write(aw_backend *b, int fd)
{
    aw__net *n = aw__sim_net(b);
    net_sock *s = stream_of(n, fd);
    if (!s) return -1;
    if (s->state != NET_OPEN) return fail(ENOTCONN);
    if (s->shut_wr) return 0;
    s->shut_wr = true;
    aw__net_emit(n, AW_NET_SHUTDOWN, s->conn, s->side, fd, s->snd.len, -1, NULL);
    aw__net_pump(n, s);
    return 0;
}

static void close_listener(aw__net *n, net_sock *l)
{
    /* Connections that waited in the backlog are reset (Linux does the same). */
    for (size_t i = 0; i < l->q_len; i++) {
        net_sock *s = l->queue[l->q_head + i];
        s->closed = s->rst_sent = true;
        aw__net_send_ctl(n, s->conn, 1, NE_RST, NULL);
    }
    l->q_len = 0;
    free(l->queue);
    l->queue = NULL;
    l->q_head = l->q_cap = 0;
    aw__net_listener_remove(n, l);
    aw__net_emit_addr(n, AW_NET_CLOSE, l->addr, l->fd);
}

static int net_close(aw_backend *b, int fd, bool abort_)
{
    aw__net *n = aw__sim_net(b);
    net_sock *s = aw__net_open_sock(n, fd);
    if (!s) return fail(EBADF);
    s->closed = true;
    s->watch = 0;
    aw__net_unwatch(n, fd);
    if (s->kind == NET_LISTENER) {
        close_listener(n, s);
        return 0;
    }
    net_conn *c = s->conn;
    if (s->state == NET_OPEN && (abort_ || s->rcv.len)) {
        /* SO_LINGER 0, or unread bytes (RFC 2525, as Linux): a reset instead of a FIN. */
        uint64_t gone = s->snd.len + s->rcv.len;
        aw__netbuf_free(&s->snd);
        aw__netbuf_free(&s->rcv);
        s->state = NET_DEAD;
        s->rst_sent = true;
        aw__net_emit(n, AW_NET_ABORT, c, s->side, fd, gone, -1, NULL);
        if (!c->broken) aw__net_send_ctl(n, c, s->side, NE_RST, NULL);
        return 0;
    }
    aw__net_emit(n, AW_NET_CLOSE, c, s->side, fd, s->snd.len, -1, NULL);
    aw__netbuf_free(&s->rcv); /* empty (unread bytes abort, above): nobody reads it again */
    if (s->state == NET_OPEN) {
        s->shut_wr = true;
        aw__net_pump(n, s); /* the rest, then the FIN, go out after close (an orphan socket) */
    }
    return 0;
}

static int net_name(aw_backend *b, int fd, bool peer, const char **host, int *port)
{
    net_sock *s = aw__net_open_sock(aw__sim_net(b), fd);
    if (!s) return fail(EBADF);
    if (s->kind == NET_LISTENER) {
        if (peer) return fail(ENOTCONN);
        *host = s->host;
        *port = s->port;
        return 0;
    }
    int k = peer ? 1 - s->side : s->side;
    if (peer && s->state != NET_OPEN) return fail(ENOTCONN);
    *host = s->conn->host[k];
    *port = s->conn->port[k];
    return 0;
}

static int net_sockname(aw_backend *b, int fd, const char **host, int *port) { return net_name(b, fd, false, host, port); }
static int net_peername(aw_backend *b, int fd, const char **host, int *port) { return net_name(b, fd, true, host, port); }

const aw_socket_ops aw__net_socket_ops = {
    .connect = net_connect,
    .listen = net_listen,
    .accept = net_accept,
    .send = net_send,
    .recv = net_recv,
    .so_error = net_so_error,
    .shutdown_write = net_shutdown_write,
    .close = net_close,
    .sockname = net_sockname,
    .peername = net_peername,
};
