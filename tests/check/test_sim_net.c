/* test_sim_net.c — the simulated network (sim/net_sim.c) through core's socket operations, on a
 * simulated loop: readers and writers (aw_add_reader/aw_add_writer) call the operations as a
 * transport would.  Expected times are worked out by hand from the model's rule (arrival =
 * max(now, busy) + size / bandwidth + latency) in each test's comment. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/aw_backend.h"
#include "../../core/aw_tracer.h"
#include "awaitlab_sim.h"
#include "rng.h"
#include "support_core.h"
#include "trace_model.h"

/* ---- the net events of a run, collected by a tracer ----------------------------------------- */
typedef struct netev {
    int op;
    unsigned conn;
    int64_t fd, bytes;
    double t, at;
    char fault[16], from[64], to[64];
} netev;

static netev *evs;
static size_t n_evs, cap_evs;

/* The tracer keeps the net events, and passes every event on to a recorder when ud is one. */
static void collect(void *ud, const aw_event *ev)
{
    if (ud) aw_recorder_tracer()->on_event(ud, ev);
    if (ev->kind != AW_EV_NET) return;
    if (n_evs == cap_evs) {
        cap_evs = cap_evs ? cap_evs * 2 : 256;
        evs = realloc(evs, cap_evs * sizeof *evs);
        ck_assert_ptr_nonnull(evs);
    }
    netev *e = &evs[n_evs++];
    *e = (netev){.op = ev->reason, .conn = ev->other, .fd = ev->b, .bytes = ev->a, .t = ev->time, .at = ev->ta};
    snprintf(e->fault, sizeof e->fault, "%s", ev->name ? ev->name : "");
    snprintf(e->from, sizeof e->from, "%s", ev->text ? ev->text : "");
    snprintf(e->to, sizeof e->to, "%s", ev->message ? ev->message : "");
}

static void collect_start(void *ud, const char *program, const char *clock, uint64_t seed, int64_t wall_start_ns)
{
    if (ud) aw_recorder_tracer()->on_start(ud, program, clock, seed, wall_start_ns);
}

static void collect_close(void *ud)
{
    if (ud) aw_recorder_tracer()->on_close(ud);
}

static const aw_tracer collector = {collect_start, collect, collect_close};

static size_t count_op(int op, const char *fault)
{
    size_t k = 0;
    for (size_t i = 0; i < n_evs; i++)
        if (evs[i].op == op && (!fault || !strcmp(evs[i].fault, fault))) k++;
    return k;
}

static const netev *find_op(int op)
{
    for (size_t i = 0; i < n_evs; i++)
        if (evs[i].op == op) return &evs[i];
    return NULL;
}

/* ---- a loop on a simulated network ---------------------------------------------------------- */
static aw_loop *loop;
static const aw_socket_ops *ops;
static aw_backend *be;

static void net_start(const aw_sim_net_options *o, uint64_t seed, const aw_tracer *tracer, void *ud)
{
    n_evs = 0;
    be = aw_sim_backend_new(0, seed, o);
    ck_assert_ptr_nonnull(be);
    ck_assert_ptr_nonnull(be->sockets);
    ops = be->sockets;
    aw_loop_options lo = {.clock = AW_CLOCK_SIM, .backend = be, .seed = seed, .tracer = tracer, .tracer_ud = ud};
    loop = aw_loop_new(&lo);
    ck_assert_ptr_nonnull(loop);
}

/* Runs until nothing can happen any more (the loop's deadlock is the end of the scenario). */
static void net_run(void)
{
    if (aw_loop_run_forever(loop) != AW_OK) aw_exc_clear();
}

static void net_end(void)
{
    aw_loop_free(loop);
    loop = NULL;
}

static double now(void) { return aw_loop_time(loop); }

/* ---- an end of a connection that streams a pattern and reads one ---------------------------- */
static unsigned char pattern(uint64_t stream, uint64_t i) { return (unsigned char)((i * 131 + stream * 7 + (i >> 9)) & 0xff); }

typedef struct end {
    int fd;
    bool connecting, connected;
    int connect_err;      /* so_error when the connect completed */
    uint64_t out_stream;  /* the pattern this end writes */
    size_t to_send, sent; /* bytes to write, bytes send() took */
    size_t chunk;         /* bytes per send() */
    uint64_t in_stream;   /* the pattern it expects */
    size_t got;           /* bytes read, all matching */
    bool in_order;        /* every byte read was the next of the pattern */
    bool reading;         /* false: this end does not read (a peer that stops reading) */
    bool eof, shut;       /* read the EOF; wrote all and shut down */
    int read_err, write_err;
    bool blocked;         /* send() said EAGAIN at least once */
    double t_connected, t_eof, t_err, t_first_read, t_last_send;
    bool closed;
    unsigned conn;
} end;

static void end_init(end *e, int fd, uint64_t out_stream, size_t to_send, uint64_t in_stream)
{
    *e = (end){.fd = fd, .out_stream = out_stream, .to_send = to_send, .chunk = 4096, .in_stream = in_stream,
               .in_order = true, .reading = true, .t_first_read = -1};
}

static void end_close_if_done(end *e)
{
    bool write_done = e->shut || e->write_err || !e->connected;
    bool read_done = e->eof || e->read_err || !e->connected;
    if (e->closed || !write_done || !read_done) return;
    aw_remove_reader(loop, e->fd);
    aw_remove_writer(loop, e->fd);
    ck_assert_int_eq(ops->close(be, e->fd, false), 0);
    e->closed = true;
}

static void on_readable(void *arg);

static void on_writable(void *arg)
{
    end *e = arg;
    if (e->connecting) {
        e->connecting = false;
        e->connect_err = ops->so_error(be, e->fd);
        e->t_connected = now();
        if (e->connect_err) {
            aw_remove_writer(loop, e->fd);
            aw_remove_reader(loop, e->fd);
            ck_assert_int_eq(ops->close(be, e->fd, false), 0);
            e->closed = true;
            return;
        }
        e->connected = true;
        if (e->reading) ck_assert_int_eq(aw_add_reader(loop, e->fd, on_readable, e), 0);
    }
    unsigned char buf[65536];
    while (e->sent < e->to_send) {
        size_t k = e->to_send - e->sent < e->chunk ? e->to_send - e->sent : e->chunk;
        for (size_t i = 0; i < k; i++) buf[i] = pattern(e->out_stream, e->sent + i);
        long n = ops->send(be, e->fd, buf, k);
        if (n < 0 && errno == EAGAIN) {
            e->blocked = true;
            return; /* writable again later */
        }
        if (n < 0) {
            e->write_err = errno;
            aw_remove_writer(loop, e->fd);
            end_close_if_done(e);
            return;
        }
        e->sent += (size_t)n;
        e->t_last_send = now();
    }
    aw_remove_writer(loop, e->fd);
    ck_assert_int_eq(ops->shutdown_write(be, e->fd), 0);
    e->shut = true;
    end_close_if_done(e);
}

static void on_readable(void *arg)
{
    end *e = arg;
    unsigned char buf[5000];
    for (;;) {
        long n = ops->recv(be, e->fd, buf, sizeof buf);
        if (n < 0 && errno == EAGAIN) return;
        if (n < 0) {
            e->read_err = errno;
            e->t_err = now();
        } else if (n == 0) {
            e->eof = true;
            e->t_eof = now();
        } else {
            if (e->t_first_read < 0) e->t_first_read = now();
            for (long i = 0; i < n; i++)
                if (buf[i] != pattern(e->in_stream, e->got + (size_t)i)) e->in_order = false;
            e->got += (size_t)n;
            continue;
        }
        aw_remove_reader(loop, e->fd);
        end_close_if_done(e);
        return;
    }
}

/* A client end: connect now; it writes when connected, and reads. */
static void client_connect(end *e, const char *host, int port, uint64_t out_stream, size_t to_send, uint64_t in_stream)
{
    int fd = ops->connect(be, host, port);
    ck_assert_int_ge(fd, 1 << 30);
    end_init(e, fd, out_stream, to_send, in_stream);
    e->connecting = true;
    const netev *c = n_evs ? &evs[n_evs - 1] : NULL;
    if (c && c->op == AW_NET_CONNECT) e->conn = c->conn;
    ck_assert_int_eq(aw_add_writer(loop, fd, on_writable, e), 0);
}

/* ---- a server: accepts into `ends`, in order ------------------------------------------------ */
typedef struct server {
    int fd, port;
    end ends[64];
    size_t n;
    size_t to_send;       /* what each accepted end writes back */
    const size_t *back;   /* or, when set, back[client port - 49152] */
    bool reading;
} server;

static void on_accept(void *arg)
{
    server *s = arg;
    for (;;) {
        int fd = ops->accept(be, s->fd);
        if (fd < 0) {
            ck_assert_int_eq(errno, EAGAIN);
            return;
        }
        ck_assert_uint_lt(s->n, 64);
        /* The client's port: from the trace's accept event (getpeername fails, ENOTCONN, on a
         * connection reset before it was accepted, as on Linux). */
        const netev *acc = &evs[n_evs - 1];
        ck_assert_int_eq(acc->op, AW_NET_ACCEPT);
        int peer_port = atoi(strchr(acc->from, ':') + 1);
        const char *host;
        int pp;
        if (ops->peername(be, fd, &host, &pp) == 0) {
            ck_assert_str_eq(host, "127.0.0.1");
            ck_assert_int_eq(pp, peer_port);
        } else {
            ck_assert_int_eq(errno, ENOTCONN);
        }
        /* Streams are numbered by the client's port: its ends know it too. */
        end *e = &s->ends[s->n++];
        size_t to_send = s->back ? s->back[peer_port - 49152] : s->to_send;
        end_init(e, fd, 1000 + (uint64_t)peer_port, to_send, (uint64_t)peer_port);
        e->connected = true;
        e->reading = s->reading;
        if (s->reading) aw_add_reader(loop, fd, on_readable, e);
        if (e->to_send) aw_add_writer(loop, fd, on_writable, e);
        else {
            ck_assert_int_eq(ops->shutdown_write(be, fd), 0);
            e->shut = true;
        }
    }
}

static void server_listen(server *s, const char *host, int port)
{
    memset(s, 0, sizeof *s);
    s->reading = true;
    s->fd = ops->listen(be, host, port, 128, &s->port);
    ck_assert_int_ge(s->fd, 1 << 30);
    ck_assert_int_eq(aw_add_reader(loop, s->fd, on_accept, s), 0);
}

/* The client's port, which names its stream. */
static int client_port(const end *e)
{
    const char *host;
    int port = -1;
    ck_assert_int_eq(ops->sockname(be, e->fd, &host, &port), 0);
    return port;
}

/* Starts a client whose stream is named by its port (so the server knows what to expect). */
static void client_start(end *e, const char *host, int port, size_t to_send)
{
    client_connect(e, host, port, 0, to_send, 0);
    int p = client_port(e);
    e->out_stream = (uint64_t)p;
    e->in_stream = 1000 + (uint64_t)p;
}

static aw_sim_net_options opts(double latency, double bandwidth)
{
    aw_sim_net_options o;
    aw_sim_net_options_init(&o);
    o.latency = latency;
    o.bandwidth = bandwidth;
    return o;
}

#define TOL 1e-12

/* latency 0.05 s, 1000 bytes/s.  SYN at 0.05, SYN-ACK at 0.1 (the client is connected), ACK at
 * 0.15 (the server accepts, shuts down: its FIN reaches the client at 0.2).  The client's 100
 * bytes leave at 0.1: 0.1 + 100/1000 + 0.05 = 0.25; its FIN follows them (the wire is busy
 * until 0.2): 0.2 + 0.05 = 0.25, after the bytes. */
START_TEST(delivery_at_latency_plus_size_over_bandwidth)
{
    aw_sim_net_options o = opts(0.05, 1000);
    net_start(&o, 0, &collector, NULL);
    static server srv;
    server_listen(&srv, "127.0.0.1", 8888);
    ck_assert_int_eq(srv.port, 8888);
    static end c;
    client_start(&c, "localhost", 8888, 100);
    net_run();
    ck_assert(c.connected);
    ck_assert_double_eq_tol(c.t_connected, 0.1, TOL);
    ck_assert_double_eq_tol(find_op(AW_NET_ESTABLISHED)->t, 0.1, TOL);
    ck_assert_double_eq_tol(find_op(AW_NET_QUEUED)->t, 0.15, TOL);
    ck_assert_double_eq_tol(find_op(AW_NET_TRANSMIT)->at, 0.25, TOL);
    ck_assert_uint_eq(srv.n, 1);
    end *s = &srv.ends[0];
    ck_assert_uint_eq(s->got, 100);
    ck_assert(s->in_order);
    ck_assert_double_eq_tol(s->t_first_read, 0.25, TOL);
    ck_assert(s->eof);
    ck_assert_double_eq_tol(s->t_eof, 0.25, TOL);
    ck_assert(c.eof);
    ck_assert_double_eq_tol(c.t_eof, 0.2, TOL);
    ck_assert_uint_eq(c.got, 0);
    /* In words: the client is 127.0.0.1 on the first ephemeral port, the server the name. */
    const netev *tx = find_op(AW_NET_TRANSMIT);
    ck_assert_str_eq(tx->from, "127.0.0.1:49152");
    ck_assert_str_eq(tx->to, "127.0.0.1:8888");
    ck_assert_int_eq(tx->bytes, 100);
    net_end();
}
END_TEST

/* 300000 bytes one way and 200000 the other, far more than the buffers hold (64 KiB + 64 KiB):
 * every byte arrives once, in order, and the EOF only after the last. */
START_TEST(bytes_in_order_and_eof_after_data)
{
    aw_sim_net_options o = opts(0.001, 0);
    net_start(&o, 0, &collector, NULL);
    static server srv;
    server_listen(&srv, "127.0.0.1", 0);
    ck_assert_int_eq(srv.port, 49152); /* port 0: the first ephemeral port */
    srv.to_send = 200000;
    static end c;
    client_start(&c, "127.0.0.1", srv.port, 300000);
    c.chunk = 65536;
    net_run();
    end *s = &srv.ends[0];
    ck_assert_uint_eq(c.sent, 300000);
    ck_assert_uint_eq(s->got, 300000);
    ck_assert(s->in_order && s->eof);
    ck_assert_uint_eq(s->sent, 200000);
    ck_assert_uint_eq(c.got, 200000);
    ck_assert(c.in_order && c.eof);
    ck_assert(c.blocked); /* the sender outran the window */
    ck_assert(c.closed && s->closed);
    ck_assert_uint_gt(count_op(AW_NET_BLOCKED, NULL), 0);
    net_end();
}
END_TEST

/* Nobody listens on port 9: the SYN arrives at 0.02, the RST is back at 0.04. */
START_TEST(connect_refused_after_a_round_trip)
{
    aw_sim_net_options o = opts(0.02, 0);
    net_start(&o, 0, &collector, NULL);
    static server srv;
    server_listen(&srv, "127.0.0.1", 8000);
    static end c;
    client_start(&c, "127.0.0.1", 9, 10);
    net_run();
    ck_assert_int_eq(c.connect_err, ECONNREFUSED);
    ck_assert_double_eq_tol(c.t_connected, 0.04, TOL);
    ck_assert_uint_eq(count_op(AW_NET_REFUSED, ""), 1);
    ck_assert_uint_eq(srv.n, 0);
    /* The listener's name does not take another name's connections. */
    client_start(&c, "db.example", 8000, 10);
    net_run();
    ck_assert_int_eq(c.connect_err, ECONNREFUSED);
    net_end();
}
END_TEST

static void accept_and_abort(void *arg)
{
    server *s = arg;
    int fd = ops->accept(be, s->fd);
    ck_assert_int_ge(fd, 1 << 30);
    ck_assert_int_eq(ops->close(be, fd, true), 0);
    ck_assert_int_eq(ops->close(be, fd, true), -1); /* no longer a descriptor */
    ck_assert_int_eq(errno, EBADF);
}

/* latency 0.01: connected at 0.02, accepted at 0.03 and aborted: the RST reaches the client at
 * 0.04, whose next recv fails with ECONNRESET. */
START_TEST(abort_resets_the_peer)
{
    aw_sim_net_options o = opts(0.01, 0);
    net_start(&o, 0, &collector, NULL);
    static server srv;
    memset(&srv, 0, sizeof srv);
    srv.fd = ops->listen(be, "0.0.0.0", 7000, 5, &srv.port);
    aw_add_reader(loop, srv.fd, accept_and_abort, &srv);
    static end c;
    client_start(&c, "127.0.0.1", 7000, 0);
    net_run();
    ck_assert_int_eq(c.read_err, ECONNRESET);
    ck_assert_double_eq_tol(c.t_err, 0.04, TOL);
    ck_assert_uint_eq(count_op(AW_NET_ABORT, NULL), 1);
    ck_assert_uint_eq(count_op(AW_NET_RESET, ""), 1);
    net_end();
}
END_TEST

/* After the reset is reported, recv says EOF and send EPIPE (as Linux). */
static end *probe_end;
static void probe_after_reset(void *arg)
{
    (void)arg;
    char b[4];
    ck_assert_int_eq(ops->recv(be, probe_end->fd, b, 4), -1);
    ck_assert_int_eq(errno, ECONNRESET);
    ck_assert_int_eq(ops->recv(be, probe_end->fd, b, 4), 0);
    ck_assert_int_eq(ops->send(be, probe_end->fd, b, 4), -1);
    ck_assert_int_eq(errno, EPIPE);
    aw_loop_stop(loop);
}

START_TEST(after_a_reset)
{
    aw_sim_net_options o = opts(0.01, 0);
    net_start(&o, 0, &collector, NULL);
    static server srv;
    memset(&srv, 0, sizeof srv);
    srv.fd = ops->listen(be, NULL, 7000, 5, &srv.port);
    aw_add_reader(loop, srv.fd, accept_and_abort, &srv);
    static end c;
    client_start(&c, "127.0.0.1", 7000, 0);
    c.reading = false;
    probe_end = &c;
    aw_call_at(loop, 1.0, probe_after_reset, NULL);
    net_run();
    net_end();
}
END_TEST

/* Backpressure.  Buffers: send 1000, receive 2000; the server never reads.  Connected at 0.02,
 * the client's sends take 1000 (sent: the window is 2000), 1000 (sent), 1000 (buffered), then
 * EAGAIN: 3000.  At 1.0 the server reads 500: the window news reaches the client at 1.01, 500
 * more bytes leave, and the client is writable again: it sends 500 more, then EAGAIN. */
static void read_500(void *arg)
{
    end *s = arg;
    unsigned char b[500];
    ck_assert_int_eq(ops->recv(be, s->fd, b, sizeof b), 500);
    for (int i = 0; i < 500; i++) ck_assert_int_eq(b[i], pattern(s->in_stream, (uint64_t)i));
}

static void stop_loop(void *arg)
{
    (void)arg;
    aw_loop_stop(loop);
}

START_TEST(backpressure_send_blocks_until_the_peer_reads)
{
    aw_sim_net_options o = opts(0.01, 0);
    o.send_buffer = 1000;
    o.recv_buffer = 2000;
    net_start(&o, 0, &collector, NULL);
    static server srv;
    server_listen(&srv, "127.0.0.1", 5000);
    srv.reading = false;
    static end c;
    client_start(&c, "127.0.0.1", 5000, 100000);
    c.chunk = 1000;
    aw_call_at(loop, 0.5, stop_loop, NULL);
    net_run();
    ck_assert_uint_eq(c.sent, 3000);
    ck_assert(c.blocked);
    ck_assert_double_eq_tol(c.t_last_send, 0.02, TOL);
    ck_assert_uint_eq(srv.n, 1);
    aw_call_at(loop, 1.0, read_500, &srv.ends[0]);
    aw_call_at(loop, 2.0, stop_loop, NULL);
    net_run();
    ck_assert_uint_eq(c.sent, 3500);
    ck_assert_double_eq_tol(c.t_last_send, 1.01, TOL);
    net_end();
}
END_TEST

/* ---- faults ---------------------------------------------------------------------------------- */
/* A client and a server that stream `n` bytes each way; the loop runs until nothing can happen or
 * `until` (a hang ends there). */
static end fc;
static server fsrv;
static void two_way(const aw_sim_net_options *o, uint64_t seed, size_t n, double until)
{
    net_start(o, seed, &collector, NULL);
    server_listen(&fsrv, "127.0.0.1", 6000);
    fsrv.to_send = n;
    client_start(&fc, "127.0.0.1", 6000, n);
    if (until > 0) aw_call_at(loop, until, stop_loop, NULL);
    net_run();
}

START_TEST(fault_refused)
{
    aw_sim_net_options o = opts(0.01, 0);
    o.refused = 1;
    two_way(&o, 1, 10, 0);
    ck_assert_int_eq(fc.connect_err, ECONNREFUSED);
    ck_assert_uint_eq(count_op(AW_NET_REFUSED, "refused"), 1);
    ck_assert_uint_eq(fsrv.n, 0);
    net_end();
}
END_TEST

START_TEST(fault_reset)
{
    aw_sim_net_options o = opts(0.01, 0);
    o.reset = 1;
    o.fault_bytes = 1000;
    two_way(&o, 7, 5000, 0);
    ck_assert_uint_eq(count_op(AW_NET_FAULT, "reset"), 1);
    ck_assert_uint_eq(count_op(AW_NET_RESET, "reset"), 2); /* both ends */
    end *s = &fsrv.ends[0];
    ck_assert(fc.in_order && s->in_order);
    ck_assert(fc.read_err == ECONNRESET || fc.write_err == ECONNRESET);
    ck_assert(s->read_err == ECONNRESET || s->write_err == ECONNRESET);
    ck_assert(fc.got < 5000 || s->got < 5000);
    /* The faulted direction's receiver got at most the offset. */
    const netev *f = find_op(AW_NET_FAULT);
    size_t got = !strcmp(f->from, "127.0.0.1:6000") ? fc.got : s->got;
    ck_assert_uint_le(got, (size_t)f->bytes);
    net_end();
}
END_TEST

START_TEST(fault_drop_a_read_hangs_until_a_timeout)
{
    aw_sim_net_options o = opts(0.01, 0);
    o.drop = 1;
    o.fault_bytes = 1000;
    two_way(&o, 3, 5000, 30.0);
    ck_assert_uint_eq(count_op(AW_NET_FAULT, "drop"), 1);
    ck_assert_uint_eq(count_op(AW_NET_DROP, "drop"), 1);
    ck_assert_uint_gt(count_op(AW_NET_LOST, "drop"), 0);
    end *s = &fsrv.ends[0];
    ck_assert(fc.in_order && s->in_order);
    ck_assert(!fc.read_err && !s->read_err); /* nothing says so: the reads just wait */
    ck_assert(fc.got < 5000 || s->got < 5000);
    ck_assert(!(fc.eof && s->eof));
    ck_assert_double_eq_tol(now(), 30.0, TOL); /* the hang ended by the timer */
    net_end();
}
END_TEST

START_TEST(fault_stall_fills_the_buffers)
{
    aw_sim_net_options o = opts(0.01, 0);
    o.stall = 1;
    o.fault_bytes = 1000;
    o.send_buffer = 2000;
    o.recv_buffer = 2000;
    two_way(&o, 5, 20000, 30.0);
    ck_assert_uint_eq(count_op(AW_NET_FAULT, "stall"), 1);
    ck_assert_uint_eq(count_op(AW_NET_STALL, "stall"), 1);
    const netev *f = find_op(AW_NET_FAULT);
    end *s = &fsrv.ends[0];
    bool to_server = !strcmp(f->to, "127.0.0.1:6000");
    end *rx = to_server ? s : &fc, *tx = to_server ? &fc : s;
    ck_assert_uint_eq(rx->got, (size_t)f->bytes); /* reads stop at the offset */
    ck_assert(rx->in_order && !rx->eof);
    /* Its receive buffer (2000) and the sender's (2000) fill: then send() blocks. */
    ck_assert(tx->blocked);
    ck_assert_uint_eq(tx->sent, (size_t)f->bytes + 2000 + 2000);
    net_end();
}
END_TEST

/* Jitter: latency 0.1 ± 50%: each packet's delay is in [0.05, 0.15], drawn per packet, and still
 * in order (a packet never arrives before the one sent before it on its link). */
START_TEST(fault_jitter_keeps_order)
{
    aw_sim_net_options o = opts(0.1, 0);
    o.jitter = 0.5;
    o.send_buffer = 500;
    two_way(&o, 11, 20000, 0);
    end *s = &fsrv.ends[0];
    ck_assert(fc.in_order && s->in_order && fc.eof && s->eof);
    ck_assert_uint_eq(s->got, 20000);
    double last[2] = {0, 0};
    double lo = 1, hi = 0;
    size_t jittered = 0;
    for (size_t i = 0; i < n_evs; i++) {
        const netev *e = &evs[i];
        if (e->op != AW_NET_TRANSMIT) continue;
        int dir = strcmp(e->from, "127.0.0.1:6000") == 0;
        ck_assert_double_ge(e->at, last[dir]);
        last[dir] = e->at;
        double d = e->at - e->t;
        ck_assert_double_le(d, 0.15 + TOL);
        if (d < lo) lo = d;
        if (d > hi) hi = d;
        jittered += !strcmp(e->fault, "jitter");
    }
    ck_assert_uint_gt(jittered, 10);
    ck_assert_double_lt(lo, hi); /* they do vary */
    net_end();
}
END_TEST

/* ---- determinism ----------------------------------------------------------------------------- */
/* The trace (the recorder's file, without its header line, which names the seed) of a run with
 * or without faults. */
static char *traced_run(uint64_t seed, bool faults)
{
    char path[] = "/tmp/aw_sim_net_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char err[256];
    aw_recorder *rec = aw_recorder_open(path, err, sizeof err);
    ck_assert_msg(rec != NULL, "%s", err);
    aw_sim_net_options o = opts(0.01, 1e6);
    if (faults) {
        o.jitter = 0.5;
        o.reset = o.drop = o.stall = o.refused = 0.3;
        o.fault_bytes = 3000;
    }
    net_start(&o, seed, &collector, rec);
    static server srv;
    server_listen(&srv, "127.0.0.1", 6000);
    srv.to_send = 3000;
    static end cs[6];
    for (int i = 0; i < 6; i++) client_start(&cs[i], "127.0.0.1", 6000, 1000 * (size_t)(i + 1));
    aw_call_at(loop, 60, stop_loop, NULL);
    net_run();
    net_end(); /* closes the recorder */
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    static char text[1 << 22];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(path);
    char *body = strchr(text, '\n');
    ck_assert_ptr_nonnull(body);
    ck_assert_ptr_nonnull(strstr(body, "\"ev\":\"net\""));
    return strdup(body);
}

START_TEST(same_seed_same_trace_other_seeds_differ_only_with_faults)
{
    char *a = traced_run(42, true), *b = traced_run(42, true), *c = traced_run(43, true);
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    char *d = traced_run(1, false), *e = traced_run(2, false);
    ck_assert_str_eq(d, e);
    free(a);
    free(b);
    free(c);
    free(d);
    free(e);
}
END_TEST

/* ---- stress ---------------------------------------------------------------------------------- */
typedef struct flow {
    int64_t send, transmit, deliver, lost, recv;
} flow;

/* The bytes of connection `conn` from `from`, by kind of event. */
static flow flow_of(unsigned conn, const char *from)
{
    flow f = {0};
    for (size_t i = 0; i < n_evs; i++) {
        const netev *e = &evs[i];
        if (e->conn != conn || strcmp(e->from, from)) continue;
        switch (e->op) {
        case AW_NET_SEND: f.send += e->bytes; break;
        case AW_NET_TRANSMIT: f.transmit += e->bytes; break;
        case AW_NET_DELIVER: f.deliver += e->bytes; break;
        case AW_NET_LOST: f.lost += e->bytes; ck_assert_str_ne(e->fault, ""); break;
        case AW_NET_RECV: f.recv += e->bytes; break;
        }
    }
    return f;
}

static bool conn_faulted(unsigned conn)
{
    for (size_t i = 0; i < n_evs; i++) {
        const netev *e = &evs[i];
        if (e->conn == conn && e->fault[0] && strcmp(e->fault, "jitter") && e->op != AW_NET_FAULT) return true;
    }
    return false;
}

/* 48 connections with random sizes each way and every fault on: every byte a program reads is
 * the next of its stream (exactly once, in order); a connection that lost bytes has a fault the
 * trace names; and in the trace, every byte transmitted was delivered or lost (to a named
 * fault), and on a connection without a fault every byte sent was transmitted, delivered and
 * read. */
START_TEST(stress_every_byte_accounted_for)
{
    size_t struck[4] = {0}; /* refused, reset, drop, stall: each kind happens somewhere */
    for (uint64_t seed = 1; seed <= 4; seed++) {
        aw_sim_net_options o = opts(0.005, 2e6);
        o.jitter = 0.3;
        o.refused = 0.1;
        o.reset = 0.15;
        o.drop = 0.1;
        o.stall = 0.1;
        o.fault_bytes = 60000;
        o.send_buffer = 8192;
        o.recv_buffer = 16384;
        net_start(&o, seed, &collector, NULL);
        static server srv;
        server_listen(&srv, "127.0.0.1", 6000);
        aw_rng r;
        aw_rng_init(&r, seed, 99);
        enum { N = 48 };
        static end cs[N];
        size_t back[N];
        for (int i = 0; i < N; i++) {
            client_start(&cs[i], "127.0.0.1", 6000, (size_t)aw_rng_below(&r, 80000));
            cs[i].chunk = 1 + (size_t)aw_rng_below(&r, 20000);
            back[i] = (size_t)aw_rng_below(&r, 80000);
        }
        srv.back = back; /* what each server end sends, by its client's port */
        net_run();
        size_t faulted = 0, clean = 0;
        for (int i = 0; i < N; i++) {
            end *c = &cs[i];
            ck_assert(c->in_order);
            int port = 49152 + i;
            end *s = NULL;
            for (size_t k = 0; k < srv.n; k++)
                if (srv.ends[k].in_stream == (uint64_t)port) s = &srv.ends[k];
            if (c->connect_err) {
                ck_assert_int_eq(c->connect_err, ECONNREFUSED);
                ck_assert_ptr_null(s);
                continue;
            }
            ck_assert_ptr_nonnull(s);
            ck_assert(s->in_order);
            char caddr[64], saddr[] = "127.0.0.1:6000";
            snprintf(caddr, sizeof caddr, "127.0.0.1:%d", port);
            flow up = flow_of(c->conn, caddr), down = flow_of(c->conn, saddr);
            ck_assert_int_eq(up.send, (int64_t)c->sent);
            ck_assert_int_eq(up.recv, (int64_t)s->got);
            ck_assert_int_le(up.deliver + up.lost, up.transmit);
            ck_assert_int_eq(up.transmit, up.deliver + up.lost); /* nothing left in flight */
            ck_assert_int_eq(down.transmit, down.deliver + down.lost);
            ck_assert_int_eq(down.send, (int64_t)s->sent);
            ck_assert_int_eq(down.recv, (int64_t)c->got);
            if (conn_faulted(c->conn)) {
                faulted++;
                ck_assert_int_le(up.recv, up.deliver);
                continue;
            }
            clean++;
            ck_assert_uint_eq(c->sent, c->to_send);
            ck_assert_int_eq(up.transmit, up.send);
            ck_assert_int_eq(up.deliver, up.send);
            ck_assert_int_eq(up.lost, 0);
            ck_assert_uint_eq(s->got, c->to_send);
            ck_assert_int_eq(down.deliver, down.send);
            ck_assert_uint_eq(c->got, back[i]);
            ck_assert(s->eof && c->eof && c->closed && s->closed);
        }
        ck_assert_uint_gt(faulted, 0);
        ck_assert_uint_gt(clean, 0);
        struck[0] += count_op(AW_NET_REFUSED, "refused");
        struck[1] += count_op(AW_NET_RESET, "reset");
        struck[2] += count_op(AW_NET_DROP, "drop");
        struck[3] += count_op(AW_NET_STALL, "stall");
        net_end();
    }
    for (int k = 0; k < 4; k++) ck_assert_uint_gt(struck[k], 0);
}
END_TEST

/* ---- options --------------------------------------------------------------------------------- */
START_TEST(fault_list_parses_and_refuses_bad_text)
{
    aw_sim_net_options o;
    aw_sim_net_options_init(&o);
    char err[256];
    ck_assert(aw_sim_net_parse_faults("reset:0.1,refused:0.2,jitter:0.5,drop:1,stall:0,jitter_s:0.002,bytes:100", &o,
                                      err, sizeof err));
    ck_assert_double_eq(o.reset, 0.1);
    ck_assert_double_eq(o.refused, 0.2);
    ck_assert_double_eq(o.jitter, 0.5);
    ck_assert_double_eq(o.drop, 1);
    ck_assert_double_eq(o.jitter_s, 0.002);
    ck_assert_uint_eq(o.fault_bytes, 100);
    aw_sim_net_options before = o;
    ck_assert(!aw_sim_net_parse_faults("reset:1.5", &o, err, sizeof err));
    ck_assert_str_eq(err, "'reset:1.5': reset: expected a probability, 0 to 1");
    ck_assert(!aw_sim_net_parse_faults("resets:0.1", &o, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "'resets:0.1': expected refused, reset"));
    ck_assert(!aw_sim_net_parse_faults("reset", &o, err, sizeof err));
    ck_assert(!aw_sim_net_parse_faults("reset:abc", &o, err, sizeof err));
    ck_assert(!aw_sim_net_parse_faults("reset:nan", &o, err, sizeof err));
    ck_assert(!aw_sim_net_parse_faults("drop:0.5,", &o, err, sizeof err));
    ck_assert(!aw_sim_net_parse_faults("bytes:0", &o, err, sizeof err));
    ck_assert_mem_eq(&o, &before, sizeof o); /* a bad list changes nothing */
    o.latency = -1;
    ck_assert_ptr_null(aw_sim_backend_new(0, 0, &o));
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* A link override: connections to "far.example" take 0.5 s each way, others the default 0. */
START_TEST(per_host_link_override)
{
    aw_sim_net_link far = {.host = "far.example", .latency = 0.5};
    aw_sim_net_options o = opts(0, 0);
    o.links = &far;
    o.n_links = 1;
    net_start(&o, 0, &collector, NULL);
    static server srv;
    server_listen(&srv, NULL, 6000);
    static end a, b;
    client_start(&a, "far.example", 6000, 10);
    client_start(&b, "127.0.0.1", 6000, 10);
    net_run();
    ck_assert_double_eq_tol(a.t_connected, 1.0, TOL);
    ck_assert_double_eq_tol(b.t_connected, 0.0, TOL);
    ck_assert_uint_eq(srv.n, 2);
    const char *host;
    int port;
    ck_assert_int_eq(ops->sockname(be, srv.fd, &host, &port), 0);
    ck_assert_str_eq(host, "0.0.0.0");
    net_end();
}
END_TEST

/* Waiting forever is no deadlock while packets are in flight: the clock jumps to each (1 s each
 * way: SYN 1, SYN-ACK 2, ACK and the client's FIN 3, the server's FIN 4); once nothing is in
 * flight and nothing else can happen, it is one (EDEADLK: the loop stops with its error). */
START_TEST(deadlock_only_when_nothing_is_in_flight)
{
    aw_sim_net_options o = opts(1.0, 0);
    net_start(&o, 0, &collector, NULL);
    static server srv;
    server_listen(&srv, "127.0.0.1", 4000);
    static end c;
    client_start(&c, "127.0.0.1", 4000, 0);
    ck_assert_int_eq(aw_loop_run_forever(loop), AW_ERROR); /* the loop's deadlock error */
    aw_exc_clear();
    ck_assert(c.eof && c.closed && srv.ends[0].eof && srv.ends[0].closed);
    ck_assert_double_eq_tol(c.t_eof, 4.0, TOL);
    ck_assert_double_eq_tol(now(), 4.0, TOL);
    net_end();
}
END_TEST

/* Watching: a real descriptor has no place on the simulated clock; a closed simulated one
 * cannot be watched, but forgetting it is fine (as epoll_ctl DEL after close). */
START_TEST(watching_descriptors)
{
    aw_sim_net_options o = opts(0, 0);
    net_start(&o, 0, &collector, NULL);
    ck_assert_int_eq(aw_add_reader(loop, 0, stop_loop, NULL), -1);
    ck_assert_int_eq(errno, ENOTSUP);
    aw_remove_reader(loop, 0);
    int fd = ops->listen(be, "127.0.0.1", 80, 1, NULL);
    ck_assert_int_eq(fd, 1 << 30);
    ck_assert_int_eq(ops->listen(be, "0.0.0.0", 80, 1, NULL), -1); /* taken: the wildcard overlaps */
    ck_assert_int_eq(errno, EADDRINUSE);
    ck_assert_int_eq(aw_add_reader(loop, fd, stop_loop, NULL), 0);
    ck_assert_int_eq(ops->close(be, fd, false), 0);
    ck_assert_int_eq(aw_remove_reader(loop, fd), 1);
    ck_assert_int_eq(aw_add_reader(loop, fd, stop_loop, NULL), -1);
    ck_assert_int_eq(errno, EBADF);
    aw_remove_reader(loop, fd);
    ck_assert_int_eq(ops->connect(be, "127.0.0.1", 70000), -1);
    ck_assert_int_eq(errno, EINVAL);
    char b[4];
    ck_assert_int_eq(ops->send(be, 5, b, 4), -1); /* not a simulated descriptor */
    ck_assert_int_eq(errno, EBADF);
    net_end();
}
END_TEST

/* A backlog of 2 that nobody accepts from: the third connection is refused; closing the
 * listener at 1.0 resets the two that waited (the RSTs arrive at 1.01). */
static int backlog_fd;
static void close_backlog_listener(void *arg)
{
    (void)arg;
    ck_assert_int_eq(ops->close(be, backlog_fd, false), 0);
}

START_TEST(backlog_full_refuses_and_closing_resets)
{
    aw_sim_net_options o = opts(0.01, 0);
    net_start(&o, 0, &collector, NULL);
    backlog_fd = ops->listen(be, "127.0.0.1", 3000, 2, NULL);
    static end a, b, c;
    client_start(&a, "127.0.0.1", 3000, 0);
    client_start(&b, "127.0.0.1", 3000, 0);
    client_start(&c, "127.0.0.1", 3000, 0);
    aw_call_at(loop, 1.0, close_backlog_listener, NULL);
    net_run();
    ck_assert_int_eq(c.connect_err, ECONNREFUSED);
    ck_assert_uint_eq(count_op(AW_NET_REFUSED, ""), 1);
    ck_assert_uint_eq(count_op(AW_NET_QUEUED, NULL), 2);
    ck_assert(a.connected && b.connected);
    ck_assert_int_eq(a.read_err, ECONNRESET);
    ck_assert_int_eq(b.read_err, ECONNRESET);
    ck_assert_double_eq_tol(a.t_err, 1.01, TOL);
    net_end();
}
END_TEST

/* ---- the model: net events in words, connections at a step ---------------------------------- */
static aw_recorder *record_to(char *path)
{
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char err[256];
    aw_recorder *rec = aw_recorder_open(path, err, sizeof err);
    ck_assert_msg(rec != NULL, "%s", err);
    return rec;
}

static int64_t step_of(const aw_model *m, const char *op, int64_t after)
{
    for (int64_t s = after + 1; s <= aw_model_event_count(m); s++) {
        aw_model_event ev;
        if (aw_model_event_get(m, s, &ev) && ev.op && !strcmp(ev.op, op) && !strcmp(ev.kind_name, "net")) return s;
    }
    return -1;
}

/* The first test's run (100 bytes at 1000 B/s, 0.05 s each way), as the viewers read it. */
START_TEST(model_tells_the_network_in_words)
{
    char path[] = "/tmp/aw_sim_net_model_XXXXXX";
    aw_recorder *rec = record_to(path);
    aw_sim_net_options o = opts(0.05, 1000);
    net_start(&o, 0, &collector, rec);
    static server srv;
    server_listen(&srv, "127.0.0.1", 8888);
    static end c;
    client_start(&c, "127.0.0.1", 8888, 100);
    net_run();
    net_end();
    aw_model_error err;
    aw_model *m = aw_model_load(path, NULL, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    unlink(path);
    char buf[512];
    int64_t tx = step_of(m, "transmit", 0);
    ck_assert_int_gt(tx, 0);
    ck_assert_str_eq(aw_model_explain(m, tx, buf, sizeof buf), "Client \u2192 server (TCP connection 1): 100 bytes sent, arrive at 0.250 s.");
    ck_assert_str_eq(aw_model_explain(m, step_of(m, "connect", 0), buf, sizeof buf),
                     "The client 127.0.0.1:49152 connects to 127.0.0.1:8888 (TCP connection 1): the SYN arrives at 0.050 s.");
    ck_assert_str_eq(aw_model_explain(m, step_of(m, "listen", 0), buf, sizeof buf), "The program listens on 127.0.0.1:8888.");
    aw_model_state *st = aw_model_state_new(m);
    aw_model_conn cs[4];
    aw_model_seek(st, step_of(m, "connect", 0) - 1);
    ck_assert_uint_eq(aw_model_conns(st, cs, 4), 0);
    aw_model_seek(st, tx);
    ck_assert_uint_eq(aw_model_conns(st, cs, 4), 1);
    ck_assert_str_eq(cs[0].state, "open");
    ck_assert_int_eq(cs[0].in_flight[0], 100);
    ck_assert_int_eq(cs[0].in_flight[1], 0);
    ck_assert_str_eq(aw_model_conn_describe(&cs[0], buf, sizeof buf),
                     "127.0.0.1:49152 \u2192 127.0.0.1:8888: open; in flight: 100 B \u2192");
    aw_model_seek(st, step_of(m, "deliver", tx));
    aw_model_conns(st, cs, 4);
    ck_assert_int_eq(cs[0].in_flight[0], 0);
    aw_model_seek(st, aw_model_event_count(m));
    aw_model_conns(st, cs, 4);
    ck_assert_str_eq(cs[0].state, "closed");
    aw_model_state_free(st);
    aw_model_free(m);
}
END_TEST

START_TEST(model_names_a_seeded_reset)
{
    char path[] = "/tmp/aw_sim_net_model_XXXXXX";
    aw_recorder *rec = record_to(path);
    aw_sim_net_options o = opts(0.01, 0);
    o.reset = 1;
    o.fault_bytes = 1000;
    net_start(&o, 7, &collector, rec);
    server_listen(&fsrv, "127.0.0.1", 6000);
    fsrv.to_send = 5000;
    client_start(&fc, "127.0.0.1", 6000, 5000);
    net_run();
    net_end();
    aw_model_error err;
    aw_model *m = aw_model_load(path, NULL, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    unlink(path);
    char buf[512];
    int64_t r = step_of(m, "reset", 0);
    ck_assert_int_gt(r, 0);
    ck_assert_ptr_nonnull(strstr(aw_model_explain(m, r, buf, sizeof buf), "connection reset (seeded fault): ConnectionResetError next"));
    ck_assert_ptr_nonnull(strstr(aw_model_explain(m, step_of(m, "fault", 0), buf, sizeof buf), "Seeded fault planned: a reset of "));
    aw_model_state *st = aw_model_state_new(m);
    aw_model_conn cs[2];
    aw_model_seek(st, aw_model_event_count(m));
    ck_assert_uint_eq(aw_model_conns(st, cs, 2), 1);
    ck_assert_str_eq(cs[0].state, "reset");
    ck_assert_str_eq(cs[0].fault, "reset");
    ck_assert_ptr_nonnull(strstr(aw_model_conn_describe(&cs[0], buf, sizeof buf), ": reset (seeded fault: reset)"));
    aw_model_state_free(st);
    aw_model_free(m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sim_net");
    TCase *tc = tcase_create("net");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, delivery_at_latency_plus_size_over_bandwidth);
    tcase_add_test(tc, bytes_in_order_and_eof_after_data);
    tcase_add_test(tc, connect_refused_after_a_round_trip);
    tcase_add_test(tc, abort_resets_the_peer);
    tcase_add_test(tc, after_a_reset);
    tcase_add_test(tc, backpressure_send_blocks_until_the_peer_reads);
    tcase_add_test(tc, fault_refused);
    tcase_add_test(tc, fault_reset);
    tcase_add_test(tc, fault_drop_a_read_hangs_until_a_timeout);
    tcase_add_test(tc, fault_stall_fills_the_buffers);
    tcase_add_test(tc, fault_jitter_keeps_order);
    tcase_add_test(tc, same_seed_same_trace_other_seeds_differ_only_with_faults);
    tcase_add_test(tc, stress_every_byte_accounted_for);
    tcase_add_test(tc, fault_list_parses_and_refuses_bad_text);
    tcase_add_test(tc, per_host_link_override);
    tcase_add_test(tc, deadlock_only_when_nothing_is_in_flight);
    tcase_add_test(tc, backlog_full_refuses_and_closing_resets);
    tcase_add_test(tc, watching_descriptors);
    tcase_add_test(tc, model_tells_the_network_in_words);
    tcase_add_test(tc, model_names_a_seeded_reset);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return run_suite(suite()); }
