/* net_sim.c — the simulated network: a small TCP stack on the virtual clock.
 *
 * The model, like a real stack but simplified:
 *  - Hosts are names.  The program is on every host: it may listen on any name, and its
 *    connections come from "127.0.0.1" to the name it connects to ("localhost" is 127.0.0.1; a
 *    listener on "0.0.0.0", "::" or no host takes every name).  Ports are per host; a client's
 *    port and a listener's port 0 come from one ephemeral counter, in order from 49152.
 *  - A connection's two directions are links.  A packet sent on a link arrives at
 *        max(now, link busy until) + size / bandwidth + latency (± jitter),
 *    and never before the packet sent before it (in order).  Nothing is lost unless a fault says.
 *  - Handshake: SYN (the client's connect) -> SYN-ACK (the client is connected, a round trip
 *    later) -> ACK (the server's end joins the listener's backlog, half a round trip after that).
 *    No listener, a full backlog or a `refused` fault: a RST comes back instead (ECONNREFUSED).
 *  - Flow control: each end has a send buffer and a receive buffer (64 KiB each by default).  A
 *    sender transmits only what the receiver's window takes (its credit: the receive buffer
 *    minus what is in flight or unread); a read opens the window again, the news travelling
 *    back with the link's latency.  A peer that stops reading fills its receive buffer, then the
 *    sender's send buffer, then send() says EAGAIN: real backpressure.  Segments are at most
 *    16 KiB, so bytes stream in over time on a slow link.
 *  - Ends: shutdown_write sends a FIN after the buffered bytes (the peer reads EOF after them);
 *    close does the same, unless it aborts or leaves unread bytes (then, as Linux, a RST: the
 *    peer's next recv/send fails with ECONNRESET, and what it had not read is gone).  Bytes that
 *    reach an end the program closed are lost and answered with a RST.
 *  - Faults, seeded and off by default (aw_sim_net_options): jitter per packet; a connection
 *    refused; a reset, a drop (nothing more arrives either way: a read hangs until a timeout)
 *    or a stall (the receiver stops reading) at a byte offset of one direction, planned when the
 *    connection is made.  Each draw comes from its own stream of the seed (sim/rng.h), and a
 *    fault that is off draws nothing, so a run with faults off is the same for every seed.
 *  - Time: packets are events on a heap by (arrival, order sent).  The simulated clock's wait()
 *    fires those due, reports ready descriptors as level-triggered epoll would, and jumps to the
 *    next packet when it comes before the wait's timeout (backend_sim.c); the trace shows the
 *    jump just before the first net event it leads to.
 *  - Trace: every step of a connection is a `net` event (sim/trace-format.md, Network events).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/aw_tracer.h"
#include "net_sim.h"

#define SEGMENT_MAX ((size_t)16384)
#define EPHEMERAL_FIRST 49152

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return p;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need) c *= 2;
    void *q = realloc(p, c * size);
    if (!q) abort(); /* the simulator's memory is the program's: out of it, nothing sensible */
    *cap = c;
    return q;
}

static char *dup_str(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d) abort();
    return d;
}

double aw__net_now(const aw__net *n) { return n->b->time(n->b); }
bool aw__net_is_fd(int fd) { return fd >= AW_SIM_FD_BASE; }

/* ---- trace ---------------------------------------------------------------------------------- */
void aw__net_clock_moved(aw__net *n, double from)
{
    if (n->jump_pending) return;
    n->jump_pending = true;
    n->jump_from = from;
}

void aw__net_wait_over(aw__net *n) { n->jump_pending = false; }

/* Traces the pending jump, if any: before a net event, or a descriptor reported ready. */
static void flush_jump(aw__net *n)
{
    if (!n->jump_pending) return;
    n->jump_pending = false;
    aw_event jump = {.kind = AW_EV_CLOCK_JUMP, .ta = n->jump_from, .tb = aw__net_now(n)};
    if (n->b->trace) n->b->trace(n->b->trace_ctx, &jump);
}

static void emit_event(aw__net *n, aw_event *ev)
{
    flush_jump(n);
    if (n->b->trace) n->b->trace(n->b->trace_ctx, ev);
}

void aw__net_emit(aw__net *n, int op, const net_conn *c, int dir, int fd, uint64_t bytes, double at,
                  const char *fault)
{
    aw_event ev = {.kind = AW_EV_NET, .reason = op, .other = c->id, .b = fd, .a = (int64_t)bytes,
                   .text = c->addr[dir], .message = c->addr[1 - dir], .ta = at, .name = fault};
    emit_event(n, &ev);
}

void aw__net_emit_addr(aw__net *n, int op, const char *addr, int fd)
{
    aw_event ev = {.kind = AW_EV_NET, .reason = op, .b = fd, .text = addr, .ta = -1};
    emit_event(n, &ev);
}

/* ---- objects -------------------------------------------------------------------------------- */
net_sock *aw__net_sock_new(aw__net *n, int kind)
{
    net_sock *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->kind = kind;
    s->read_limit = UINT64_MAX;
    s->snd_cap = n->o.send_buffer;
    n->socks = grow(n->socks, &n->cap_socks, n->n_socks + 1, sizeof *n->socks);
    s->fd = AW_SIM_FD_BASE + (int)n->n_socks;
    n->socks[n->n_socks++] = s;
    return s;
}

net_conn *aw__net_conn_new(aw__net *n)
{
    net_conn *c = calloc(1, sizeof *c);
    if (!c) abort();
    n->conns = grow(n->conns, &n->cap_conns, n->n_conns + 1, sizeof *n->conns);
    n->conns[n->n_conns++] = c;
    c->id = (unsigned)n->n_conns;
    return c;
}

void aw__net_link_init(const aw__net *n, net_link *l, const char *host)
{
    double latency = n->o.latency, bandwidth = n->o.bandwidth, jitter = n->o.jitter;
    for (size_t i = 0; i < n->o.n_links; i++)
        if (!strcmp(n->links[i].host, host)) {
            latency = n->links[i].latency;
            bandwidth = n->links[i].bandwidth;
            jitter = n->links[i].jitter;
        }
    *l = (net_link){.latency = latency, .bandwidth = bandwidth, .jitter_s = jitter * latency + n->o.jitter_s,
                    .reset_at = UINT64_MAX, .drop_at = UINT64_MAX, .stall_at = UINT64_MAX};
}

/* ---- packets in flight: a binary heap by (t, seq) ------------------------------------------- */
static bool ev_before(const net_ev *a, const net_ev *b) { return a->t < b->t || (a->t == b->t && a->seq < b->seq); }

static void heap_push(aw__net *n, net_ev ev)
{
    n->heap = grow(n->heap, &n->cap_ev, n->n_ev + 1, sizeof *n->heap);
    ev.seq = ++n->ev_seq;
    size_t i = n->n_ev++;
    while (i && ev_before(&ev, &n->heap[(i - 1) / 2])) {
        n->heap[i] = n->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    n->heap[i] = ev;
}

static net_ev heap_pop(aw__net *n)
{
    net_ev top = n->heap[0], last = n->heap[--n->n_ev];
    size_t i = 0;
    for (;;) {
        size_t k = 2 * i + 1;
        if (k >= n->n_ev) break;
        if (k + 1 < n->n_ev && ev_before(&n->heap[k + 1], &n->heap[k])) k++;
        if (!ev_before(&n->heap[k], &last)) break;
        n->heap[i] = n->heap[k];
        i = k;
    }
    if (n->n_ev) n->heap[i] = last;
    return top;
}

bool aw__net_next(const aw__net *n, double *t)
{
    if (!n->n_ev) return false;
    *t = n->heap[0].t;
    return true;
}

/* When a packet of `bytes` sent now on l arrives (the seeded jitter drawn here); *jittered says
 * whether the draw changed it. */
static double link_arrival(aw__net *n, net_link *l, size_t bytes, bool *jittered)
{
    double now = aw__net_now(n);
    double t = l->busy_until > now ? l->busy_until : now;
    if (l->bandwidth > 0 && bytes) {
        t = t + (double)bytes / l->bandwidth;
        l->busy_until = t;
    }
    double delay = l->latency;
    *jittered = false;
    if (l->jitter_s > 0) {
        delay = delay + (2 * aw_rng_unit(&n->lat_rng) - 1) * l->jitter_s;
        if (delay < 0) delay = 0;
        *jittered = true;
    }
    t = t + delay;
    if (t < l->last_arrival) t = l->last_arrival;
    l->last_arrival = t;
    return t;
}

void aw__net_send_ctl(aw__net *n, net_conn *c, int dir, int kind, const char *fault)
{
    bool jittered;
    double t = link_arrival(n, &c->link[dir], 0, &jittered);
    heap_push(n, (net_ev){.t = t, .kind = kind, .dir = dir, .c = c, .fault = fault});
    if (kind == NE_SYN) aw__net_emit(n, AW_NET_CONNECT, c, 0, c->end[0]->fd, 0, t, jittered ? "jitter" : NULL);
}

/* A read of `bytes` opens the sender's window: the news arrives a latency later. */
void aw__net_send_window(aw__net *n, net_sock *s, size_t bytes)
{
    net_conn *c = s->conn;
    double t = aw__net_now(n) + c->link[s->side].latency;
    heap_push(n, (net_ev){.t = t, .kind = NE_WINDOW, .dir = 1 - s->side, .c = c, .n = bytes});
}

/* ---- faults --------------------------------------------------------------------------------- */
/* Plans this connection's mid-stream faults (those switched on), each on a seeded direction at a
 * seeded offset, and says so in the trace. */
void aw__net_plan_faults(aw__net *n, net_conn *c)
{
    static const char *const names[] = {"reset", "drop", "stall"};
    double p[] = {n->o.reset, n->o.drop, n->o.stall};
    for (int k = 0; k < 3; k++) {
        if (p[k] <= 0 || aw_rng_unit(&n->fault_rng) >= p[k]) continue;
        int dir = (int)aw_rng_below(&n->fault_rng, 2);
        uint64_t at = n->o.fault_bytes ? aw_rng_below(&n->fault_rng, n->o.fault_bytes) : 0;
        net_link *l = &c->link[dir];
        uint64_t *slot = k == 0 ? &l->reset_at : k == 1 ? &l->drop_at : &l->stall_at;
        *slot = at;
        aw__net_emit(n, AW_NET_FAULT, c, dir, c->end[0]->fd, at, -1, names[k]);
    }
}

/* A reset fault: both ends get a RST, the receiver after what is already on the wire. */
static void fault_reset(aw__net *n, net_conn *c, int dir)
{
    c->broken = true;
    c->link[dir].reset_at = UINT64_MAX;
    aw__net_send_ctl(n, c, dir, NE_RST, "reset");
    aw__net_send_ctl(n, c, 1 - dir, NE_RST, "reset");
}

static void fault_drop(aw__net *n, net_conn *c, int dir)
{
    c->dropped = true;
    c->link[dir].drop_at = UINT64_MAX;
    aw__net_emit(n, AW_NET_DROP, c, dir, c->end[dir]->fd, c->link[dir].sent, -1, "drop");
}

/* ---- sending -------------------------------------------------------------------------------- */
static void transmit(aw__net *n, net_sock *s, size_t k)
{
    net_conn *c = s->conn;
    net_link *l = &c->link[s->side];
    unsigned char *data = malloc(k);
    if (!data) abort();
    aw__netbuf_pop(&s->snd, data, k);
    s->credit -= k;
    l->sent += k;
    bool jittered;
    double t = link_arrival(n, l, k, &jittered);
    heap_push(n, (net_ev){.t = t, .kind = NE_DATA, .dir = s->side, .c = c, .data = data, .n = k});
    aw__net_emit(n, AW_NET_TRANSMIT, c, s->side, s->fd, k, t, jittered ? "jitter" : NULL);
}

/* Sends what the window takes, segment by segment; the FIN after the last byte. */
void aw__net_pump(aw__net *n, net_sock *s)
{
    net_conn *c = s->conn;
    net_link *l = &c->link[s->side];
    if (s->state != NET_OPEN && s->state != NET_QUEUED) return;
    while (!c->broken && s->snd.len && s->credit) {
        size_t k = s->snd.len < s->credit ? s->snd.len : s->credit;
        if (k > SEGMENT_MAX) k = SEGMENT_MAX;
        uint64_t fault_at = l->reset_at < l->drop_at ? l->reset_at : l->drop_at;
        if (fault_at < l->sent + k) k = (size_t)(fault_at - l->sent);
        if (k) transmit(n, s, k);
        if (!s->snd.len) break; /* a fault strikes only a stream that goes on past its offset */
        if (l->sent == l->reset_at) {
            fault_reset(n, c, s->side);
            return;
        }
        if (l->sent == l->drop_at) fault_drop(n, c, s->side);
    }
    if (!s->snd.len && s->shut_wr && !s->fin_sent && !c->broken) {
        s->fin_sent = true;
        aw__net_send_ctl(n, c, s->side, NE_FIN, NULL);
    }
    if (s->closed && !s->snd.len) aw__netbuf_free(&s->snd); /* memory follows open sockets */
}

/* ---- arrivals ------------------------------------------------------------------------------- */
/* A RST reaches s: what it had buffered either way is gone, ECONNRESET is pending. */
static void arrive_rst(aw__net *n, net_sock *s, const net_ev *ev)
{
    if (s->state == NET_DEAD) return;
    if (s->state == NET_HALF_OPEN) s->listener->n_half--;
    uint64_t gone = s->snd.len + s->rcv.len;
    aw__netbuf_free(&s->snd);
    aw__netbuf_free(&s->rcv);
    s->state = NET_DEAD;
    if (!s->closed) s->error = ECONNRESET;
    aw__net_emit(n, AW_NET_RESET, ev->c, ev->dir, s->fd, gone, -1, ev->fault);
}

static void arrive_data(aw__net *n, net_sock *r, net_ev *ev)
{
    net_conn *c = ev->c;
    if (c->dropped || r->closed || r->state == NET_DEAD) {
        const char *why = c->dropped ? "drop" : c->broken ? "reset" : NULL;
        aw__net_emit(n, AW_NET_LOST, c, ev->dir, r->fd, ev->n, -1, why);
        /* Bytes for an end the program closed: its stack answers with a reset. */
        if (!c->dropped && r->closed && !r->rst_sent && r->state != NET_DEAD) {
            r->rst_sent = true;
            aw__net_send_ctl(n, c, 1 - ev->dir, NE_RST, NULL);
        }
        return;
    }
    if (!aw__netbuf_push(&r->rcv, ev->data, ev->n)) abort();
    r->delivered += ev->n;
    aw__net_emit(n, AW_NET_DELIVER, c, ev->dir, r->fd, ev->n, -1, NULL);
    uint64_t stall_at = c->link[ev->dir].stall_at;
    if (!r->stalled && stall_at != UINT64_MAX && r->delivered > stall_at) {
        r->stalled = true;
        r->read_limit = stall_at;
        aw__net_emit(n, AW_NET_STALL, c, ev->dir, r->fd, stall_at, -1, "stall");
    }
}

static void arrive_syn(aw__net *n, net_ev *ev);

static void fire(aw__net *n, net_ev *ev)
{
    net_conn *c = ev->c;
    net_sock *to = c->end[1 - ev->dir];
    switch (ev->kind) {
    case NE_SYN: arrive_syn(n, ev); break;
    case NE_SYNACK:
        if (to->closed) { /* connect abandoned: the half-open server end is reset */
            aw__net_send_ctl(n, c, 0, NE_RST, NULL);
            break;
        }
        to->state = NET_OPEN;
        aw__net_emit(n, AW_NET_ESTABLISHED, c, 1, to->fd, 0, -1, NULL);
        aw__net_send_ctl(n, c, 0, NE_ACK, NULL);
        aw__net_plan_faults(n, c);
        aw__net_pump(n, to);
        break;
    case NE_ACK: {
        net_sock *l = to->listener;
        if (to->state != NET_HALF_OPEN) break; /* reset meanwhile */
        l->n_half--;
        if (l->closed) {
            to->state = NET_DEAD;
            aw__net_send_ctl(n, c, 1, NE_RST, NULL);
            break;
        }
        to->state = NET_QUEUED;
        if (l->q_head) { /* keep the queue at the front: its size stays the backlog's */
            memmove(l->queue, l->queue + l->q_head, l->q_len * sizeof *l->queue);
            l->q_head = 0;
        }
        l->queue = grow(l->queue, &l->q_cap, l->q_len + 1, sizeof *l->queue);
        l->queue[l->q_len++] = to;
        aw__net_emit(n, AW_NET_QUEUED, c, 0, l->fd, 0, -1, NULL);
        break;
    }
    case NE_REFUSE:
        if (to->closed) break;
        to->state = NET_DEAD;
        to->error = ECONNREFUSED;
        aw__net_emit(n, AW_NET_REFUSED, c, 1, to->fd, 0, -1, ev->fault);
        break;
    case NE_DATA: arrive_data(n, to, ev); break;
    case NE_FIN:
        if (c->dropped || to->closed || to->state == NET_DEAD) break;
        to->eof_in = true;
        aw__net_emit(n, AW_NET_EOF, c, ev->dir, to->fd, 0, -1, NULL);
        break;
    case NE_RST:
        if (!c->dropped) arrive_rst(n, to, ev);
        break;
    case NE_WINDOW: {
        net_sock *s = c->end[ev->dir];
        if (c->dropped || s->state == NET_DEAD) break;
        s->credit += ev->n;
        aw__net_emit(n, AW_NET_WINDOW, c, ev->dir, s->fd, ev->n, -1, NULL);
        aw__net_pump(n, s);
        break;
    }
    }
}

/* The listener for host:port: one on that name, else one on every name. */
static net_sock *find_listener(aw__net *n, const char *host, int port)
{
    net_sock *any = NULL;
    for (size_t i = 0; i < n->n_listeners; i++) {
        net_sock *s = n->listeners[i];
        if (s->port != port) continue;
        if (!strcmp(s->host, host)) return s;
        if (!strcmp(s->host, "0.0.0.0") && !any) any = s;
    }
    return any;
}

void aw__net_listener_add(aw__net *n, net_sock *l)
{
    n->listeners = grow(n->listeners, &n->cap_listeners, n->n_listeners + 1, sizeof *n->listeners);
    n->listeners[n->n_listeners++] = l;
}

void aw__net_listener_remove(aw__net *n, net_sock *l)
{
    for (size_t i = 0; i < n->n_listeners; i++)
        if (n->listeners[i] == l) {
            memmove(&n->listeners[i], &n->listeners[i + 1], (n->n_listeners - i - 1) * sizeof *n->listeners);
            n->n_listeners--;
            return;
        }
}

static void arrive_syn(aw__net *n, net_ev *ev)
{
    net_conn *c = ev->c;
    net_sock *l = find_listener(n, c->host[1], c->port[1]);
    const char *fault = NULL;
    if (l && n->o.refused > 0 && aw_rng_unit(&n->fault_rng) < n->o.refused) fault = "refused";
    if (!l || fault || l->n_half + (int)l->q_len >= l->backlog) {
        aw__net_send_ctl(n, c, 1, NE_REFUSE, fault);
        return;
    }
    net_sock *s = aw__net_sock_new(n, NET_STREAM);
    s->state = NET_HALF_OPEN;
    s->conn = c;
    s->side = 1;
    s->listener = l;
    s->credit = n->o.recv_buffer;
    l->n_half++;
    c->end[1] = s;
    aw__net_send_ctl(n, c, 1, NE_SYNACK, NULL);
}

void aw__net_run_due(aw__net *n)
{
    double now = aw__net_now(n);
    while (n->n_ev && n->heap[0].t <= now) {
        net_ev ev = heap_pop(n);
        fire(n, &ev);
        free(ev.data);
    }
}

/* ---- readiness (level-triggered, as epoll) -------------------------------------------------- */
static uint64_t readable_bytes(const net_sock *s)
{
    uint64_t room = s->read_limit - s->read_total;
    return s->rcv.len < room ? s->rcv.len : room;
}

bool aw__net_readable(const net_sock *s)
{
    if (s->kind == NET_LISTENER) return s->q_len > 0;
    if (s->state == NET_DEAD) return true; /* an error, or a reset connection (EPOLLHUP) */
    if (s->state != NET_OPEN) return false;
    return readable_bytes(s) > 0 || (s->eof_in && !s->rcv.len);
}

bool aw__net_writable(const net_sock *s)
{
    if (s->kind == NET_LISTENER) return false;
    if (s->state == NET_DEAD) return true;
    if (s->state != NET_OPEN) return false;
    return s->shut_wr || s->snd.len < s->snd_cap;
}

int aw__net_report(aw__net *n, aw_ready_fn ready, void *ctx)
{
    int count = 0;
    for (size_t i = 0; i < n->n_watched; i++) {
        net_sock *s = n->socks[n->watched[i] - AW_SIM_FD_BASE];
        int events = ((s->watch & AW_READABLE) && aw__net_readable(s) ? AW_READABLE : 0) |
                     ((s->watch & AW_WRITABLE) && aw__net_writable(s) ? AW_WRITABLE : 0);
        if (!events) continue;
        flush_jump(n);
        ready(ctx, s->fd, events);
        count++;
    }
    return count;
}

static net_sock *open_sock(aw__net *n, int fd)
{
    if (!aw__net_is_fd(fd) || (size_t)(fd - AW_SIM_FD_BASE) >= n->n_socks) return NULL;
    net_sock *s = n->socks[fd - AW_SIM_FD_BASE];
    return s && !s->closed && (s->kind == NET_LISTENER || s->side == 0 || !s->listener) ? s : NULL;
}

void aw__net_unwatch(aw__net *n, int fd)
{
    for (size_t i = 0; i < n->n_watched; i++)
        if (n->watched[i] == fd) {
            memmove(&n->watched[i], &n->watched[i + 1], (n->n_watched - i - 1) * sizeof *n->watched);
            n->n_watched--;
            return;
        }
}

int aw__net_watch(aw__net *n, int fd, int events)
{
    if (!events) { /* as epoll_ctl(DEL) in backend_epoll.c: nothing to fail, even once closed */
        if (aw__net_is_fd(fd) && (size_t)(fd - AW_SIM_FD_BASE) < n->n_socks) n->socks[fd - AW_SIM_FD_BASE]->watch = 0;
        aw__net_unwatch(n, fd);
        return 0;
    }
    net_sock *s = open_sock(n, fd);
    if (!s) {
        errno = EBADF;
        return -1;
    }
    if (!s->watch) {
        size_t i = n->n_watched;
        n->watched = grow(n->watched, &n->cap_watched, n->n_watched + 1, sizeof *n->watched);
        while (i && n->watched[i - 1] > fd) {
            n->watched[i] = n->watched[i - 1];
            i--;
        }
        n->watched[i] = fd;
        n->n_watched++;
    }
    s->watch = (unsigned)events;
    return 0;
}

net_sock *aw__net_open_sock(aw__net *n, int fd) { return open_sock(n, fd); }

/* ---- life ----------------------------------------------------------------------------------- */
aw__net *aw__net_new(aw_backend *b, uint64_t seed, const aw_sim_net_options *o)
{
    aw__net *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->b = b;
    n->o = *o;
    if (o->n_links) {
        n->links = calloc(o->n_links, sizeof *n->links);
        if (!n->links) abort();
        for (size_t i = 0; i < o->n_links; i++) {
            n->links[i] = o->links[i];
            n->links[i].host = dup_str(o->links[i].host);
        }
    }
    n->o.links = n->links;
    aw_rng_init(&n->lat_rng, seed, AW_RNG_NET_LATENCY);
    aw_rng_init(&n->fault_rng, seed, AW_RNG_NET_FAULT);
    n->next_port = EPHEMERAL_FIRST;
    return n;
}

void aw__net_free(aw__net *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n_ev; i++) free(n->heap[i].data);
    free(n->heap);
    for (size_t i = 0; i < n->n_socks; i++) {
        net_sock *s = n->socks[i];
        aw__netbuf_free(&s->snd);
        aw__netbuf_free(&s->rcv);
        free(s->queue);
        free(s->host);
        free(s->addr);
        free(s);
    }
    free(n->socks);
    free(n->listeners);
    for (size_t i = 0; i < n->n_conns; i++) {
        for (int k = 0; k < 2; k++) {
            free(n->conns[i]->host[k]);
            free(n->conns[i]->addr[k]);
        }
        free(n->conns[i]);
    }
    free(n->conns);
    for (size_t i = 0; i < n->o.n_links; i++) free((char *)n->links[i].host);
    free(n->links);
    free(n->watched);
    free(n);
}

char *aw__net_strdup(const char *s) { return dup_str(s); }

int aw__net_ephemeral_port(aw__net *n)
{
    int p = n->next_port++;
    if (n->next_port > 65535) n->next_port = EPHEMERAL_FIRST;
    return p;
}
