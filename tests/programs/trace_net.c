/* trace_net.c — traffic on the simulated network, for the trace tests and the viewers: an
 * uppercase echo server, two clients talking to it (one sends more than the buffers hold), and
 * one connecting where nobody listens.  The network takes 20 ms each way at 100 kB/s unless
 * AWAITLAB_NET_LATENCY / AWAITLAB_NET_BANDWIDTH say otherwise; AWAITLAB_NET_FAULTS works too
 * (a client that hears nothing gives up after 30 s).  The socket calls are core's socket
 * operations, made from readers and writers as a transport makes them. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/aw_backend.h"
#include "awaitlab.h"
#include "awaitlab_sim.h"

static aw_backend *be;

/* A connection's end: bytes to write (out), bytes read (in); done when both ways are over. */
typedef struct peer {
    int fd;
    bool server, connecting, wrote_all, read_all, closed;
    char *out;
    size_t out_len, out_off;
    char *in;
    size_t in_len, in_cap;
    aw_future *done; /* clients: set when it is over */
    const char *name;
} peer;

static void peer_finish(peer *p, const char *why)
{
    if (p->closed) return;
    aw_remove_reader(aw_current_loop(), p->fd);
    aw_remove_writer(aw_current_loop(), p->fd);
    be->sockets->close(be, p->fd, false);
    p->closed = true;
    if (p->done && !aw_future_done(p->done)) aw_future_set_result(p->done, aw_str(why));
}

static void on_write(void *arg);

static void on_read(void *arg)
{
    peer *p = arg;
    if (p->closed) return; /* the writer, run first in this iteration, closed it */
    for (;;) {
        if (p->in_len == p->in_cap) {
            p->in_cap = p->in_cap ? p->in_cap * 2 : 4096;
            p->in = realloc(p->in, p->in_cap);
            if (!p->in) abort();
        }
        long n = be->sockets->recv(be, p->fd, p->in + p->in_len, p->in_cap - p->in_len);
        if (n < 0 && errno == EAGAIN) return;
        if (n > 0) {
            p->in_len += (size_t)n;
            continue;
        }
        aw_remove_reader(aw_current_loop(), p->fd);
        p->read_all = true;
        if (n < 0) {
            aw_print("%s: recv failed: %s", p->name, strerror(errno));
            peer_finish(p, "error");
            return;
        }
        if (p->server) { /* the request is complete: answer it in capitals */
            p->out = malloc(p->in_len + 1);
            if (!p->out) abort();
            for (size_t i = 0; i < p->in_len; i++) p->out[i] = (char)toupper((unsigned char)p->in[i]);
            p->out_len = p->in_len;
            aw_add_writer(aw_current_loop(), p->fd, on_write, p);
        } else {
            aw_print("%s: got %zu bytes back, starting '%.*s'", p->name, p->in_len, (int)(p->in_len < 12 ? p->in_len : 12),
                     p->in);
        }
        if (p->wrote_all) peer_finish(p, "ok");
        return;
    }
}

static void on_write(void *arg)
{
    peer *p = arg;
    if (p->closed) return; /* the reader, run first in this iteration, closed it */
    if (p->connecting) {
        p->connecting = false;
        int err = be->sockets->so_error(be, p->fd);
        if (err) {
            aw_print("%s: connect failed: %s", p->name, strerror(err));
            peer_finish(p, "refused");
            return;
        }
        aw_print("%s: connected", p->name);
        aw_add_reader(aw_current_loop(), p->fd, on_read, p);
    }
    while (p->out_off < p->out_len) {
        long n = be->sockets->send(be, p->fd, p->out + p->out_off, p->out_len - p->out_off);
        if (n < 0 && errno == EAGAIN) return;
        if (n < 0) {
            aw_print("%s: send failed: %s", p->name, strerror(errno));
            peer_finish(p, "error");
            return;
        }
        p->out_off += (size_t)n;
    }
    aw_remove_writer(aw_current_loop(), p->fd);
    be->sockets->shutdown_write(be, p->fd);
    p->wrote_all = true;
    if (p->read_all) peer_finish(p, "ok");
}

static peer servers[8];
static size_t n_servers;
static int listen_fd;

static void on_accept(void *arg)
{
    (void)arg;
    int fd;
    while ((fd = be->sockets->accept(be, listen_fd)) >= 0 && n_servers < 8) {
        peer *p = &servers[n_servers++];
        *p = (peer){.fd = fd, .server = true, .name = "server"};
        aw_add_reader(aw_current_loop(), fd, on_read, p);
    }
}

static peer clients[3];

static void client_start(peer *p, const char *name, int port, const char *text, size_t repeat)
{
    size_t len = strlen(text);
    *p = (peer){.name = name, .connecting = true, .done = aw_future_new(aw_current_loop())};
    p->out = malloc(len * repeat);
    if (!p->out) abort();
    for (size_t i = 0; i < repeat; i++) memcpy(p->out + i * len, text, len);
    p->out_len = len * repeat;
    p->fd = be->sockets->connect(be, "localhost", port);
    aw_add_writer(aw_current_loop(), p->fd, on_write, p);
}

AW_COROUTINE(main_coro) {
    int port;
    listen_fd = be->sockets->listen(be, "127.0.0.1", 8888, 16, &port);
    aw_add_reader(aw_current_loop(), listen_fd, on_accept, NULL);
    aw_print("listening on 127.0.0.1:%d", port);
    client_start(&clients[0], "alice", 8888, "hello, server", 1);
    client_start(&clients[1], "bob", 8888, "a lot of bytes ", 10000); /* 150 kB: more than the buffers */
    client_start(&clients[2], "carol", 9999, "anyone?", 1);
    for (int i = 0; i < 3; i++) {
        aw_value v;
        if (aw_await(aw_wait_for(clients[i].done, 30), &v) == AW_OK) continue;
        aw_exc_clear();
        aw_print("%s: gave up at %.3f", clients[i].name, aw_time());
    }
    aw_remove_reader(aw_current_loop(), listen_fd);
    be->sockets->close(be, listen_fd, false);
    return aw_none();
}

int main(void)
{
    aw_loop_options o;
    if (aw_loop_options_init(&o) != AW_OK) return 2;
    aw_sim_net_options net;
    aw_sim_net_get_defaults(&net);
    const char *lat = getenv("AWAITLAB_NET_LATENCY"), *bw = getenv("AWAITLAB_NET_BANDWIDTH");
    if (!lat || !*lat) net.latency = 0.02;
    if (!bw || !*bw) net.bandwidth = 100000;
    o.clock = AW_CLOCK_SIM;
    o.program = "trace_net";
    o.backend = be = aw_sim_backend_new(o.sim_wall_start_ns, o.seed, &net);
    if (!be) return 2;
    aw_status st = aw_run(AW_CALL(main_coro), &o, NULL);
    for (int i = 0; i < 3; i++) free(clients[i].out), free(clients[i].in);
    for (size_t i = 0; i < n_servers; i++) free(servers[i].out), free(servers[i].in);
    return st == AW_OK ? 0 : 1;
}
