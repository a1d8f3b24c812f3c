/* model_net.c — the simulated network in the model: each connection's state after each of its
 * `net` events (folded once, while loading), the connections at a step, and each event in plain
 * words ("127.0.0.1:49152 → 127.0.0.1:8888: 12 bytes sent, arrive at 0.050 s").  The ops and
 * what their `bytes` mean: sim/trace-format.md, Network events. */
#include <stdio.h>
#include <string.h>

#include "model_internal.h"

enum { MCONN_CONNECTING, MCONN_OPEN, MCONN_CLOSING, MCONN_CLOSED, MCONN_REFUSED, MCONN_RESET, MCONN_DROPPED, MCONN_STALLED };
static const char *const state_names[] = {"connecting", "open", "closing", "closed", "refused", "reset", "dropped", "stalled"};
enum { MCONN_FAULT_NONE, MCONN_FAULT_REFUSED, MCONN_FAULT_RESET, MCONN_FAULT_DROP, MCONN_FAULT_STALL };
static const char *const fault_names[] = {NULL, "refused", "reset", "drop", "stall"};

static bool is(const char *a, const char *b) { return a && !strcmp(a, b); }

static uint8_t fault_of(const char *f)
{
    for (uint8_t i = 1; i < sizeof fault_names / sizeof *fault_names; i++)
        if (is(f, fault_names[i])) return i;
    return MCONN_FAULT_NONE;
}

/* The connection's `connect` event: its client's and server's addresses. */
static bool first_event(const aw_model *m, const mconn *c, aw_model_event *ev)
{
    return c->n && aw__mstore_get(&m->store, c->steps[0], ev);
}

bool aw__model_net_record(aw_model *m, const aw_model_event *ev)
{
    mconn *c = &m->conns[ev->conn];
    if (!c->n && !is(ev->op, "connect")) return true; /* made before tracing began: not kept */
    mconn_snap s = c->n ? c->snaps[c->n - 1] : (mconn_snap){.state = MCONN_CONNECTING};
    aw_model_event first;
    /* Direction 0 is the client's: the `from` of its connect event. */
    int dir = c->n && first_event(m, c, &first) && !is(ev->from, first.from);
    int64_t bytes = ev->bytes == AW_MODEL_NULL ? 0 : ev->bytes;
    const char *op = ev->op ? ev->op : "";
    if (is(op, "transmit")) s.in_flight[dir] += bytes;
    else if (is(op, "deliver") || is(op, "lost")) s.in_flight[dir] -= bytes;
    else if (is(op, "established") && s.state == MCONN_CONNECTING) s.state = MCONN_OPEN;
    else if (is(op, "refused")) s.state = MCONN_REFUSED;
    else if (is(op, "reset") && s.state != MCONN_DROPPED) s.state = MCONN_RESET;
    else if (is(op, "drop")) s.state = MCONN_DROPPED;
    else if (is(op, "stall") && s.state == MCONN_OPEN) s.state = MCONN_STALLED;
    else if (is(op, "eof")) s.closed |= (uint8_t)(1u << (1 - dir)); /* the receiver heard the end */
    else if (is(op, "close") || is(op, "abort")) s.closed |= (uint8_t)(1u << dir);
    if (is(op, "abort")) s.state = MCONN_RESET;
    if ((s.state == MCONN_OPEN || s.state == MCONN_CLOSING) && s.closed)
        s.state = s.closed == 3 ? MCONN_CLOSED : MCONN_CLOSING;
    if (ev->fault && !is(op, "fault") && fault_of(ev->fault)) s.fault = fault_of(ev->fault);
    size_t c1 = c->cap, c2 = c->cap;
    if (!aw__grow((void **)&c->steps, &c1, c->n + 1, sizeof *c->steps) ||
        !aw__grow((void **)&c->snaps, &c2, c->n + 1, sizeof *c->snaps))
        return false;
    c->cap = c1 < c2 ? c1 : c2;
    c->steps[c->n] = ev->step;
    c->snaps[c->n++] = s;
    return true;
}

/* The index of the latest of c's events at or before `step`, or -1. */
static ptrdiff_t latest(const mconn *c, int64_t step)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->steps[mid] <= step) lo = mid + 1;
        else hi = mid;
    }
    return (ptrdiff_t)lo - 1;
}

size_t aw_model_conns(const aw_model_state *st, aw_model_conn *out, size_t max)
{
    const aw_model *m = st->m;
    size_t n = 0;
    for (size_t id = 1; id < m->nconn; id++) {
        const mconn *c = &m->conns[id];
        ptrdiff_t i = latest(c, st->step);
        aw_model_event first;
        if (i < 0 || !first_event(m, c, &first)) continue; /* not made yet */
        if (n < max) {
            const mconn_snap *s = &c->snaps[i];
            out[n] = (aw_model_conn){.id = (int64_t)id, .client = first.from, .server = first.to,
                                     .state = state_names[s->state], .in_flight = {s->in_flight[0], s->in_flight[1]},
                                     .fault = fault_names[s->fault]};
        }
        n++;
    }
    return n;
}

char *aw_model_conn_describe(const aw_model_conn *c, char *buf, size_t size)
{
    aw__words w = {buf, size, 0};
    if (size) buf[0] = '\0';
    aw__wput(&w, "%s \u2192 %s: %s", c->client ? c->client : "?", c->server ? c->server : "?", c->state);
    if (c->fault) aw__wput(&w, " (seeded fault: %s)", c->fault);
    if (c->in_flight[0] || c->in_flight[1]) {
        aw__wput(&w, "; in flight:");
        if (c->in_flight[0]) aw__wput(&w, " %lld B \u2192", (long long)c->in_flight[0]);
        if (c->in_flight[1]) aw__wput(&w, "%s %lld B \u2190", c->in_flight[0] ? "," : "", (long long)c->in_flight[1]);
    }
    return buf;
}

/* ---- in words ------------------------------------------------------------------------------- */
static const char *plural(int64_t n) { return n == 1 ? "" : "s"; }

/* " (seeded fault)" when the event comes from one. */
static const char *seeded(const aw_model_event *ev) { return ev->fault && fault_of(ev->fault) ? " (seeded fault)" : ""; }

/* "Client → server (connection 2)": the direction of an event in roles. */
static void put_way(aw__words *w, const aw_model *m, const aw_model_event *ev)
{
    aw_model_event first;
    bool from_client = true;
    if ((uint64_t)ev->conn < m->nconn && first_event(m, &m->conns[ev->conn], &first)) from_client = is(ev->from, first.from);
    aw__wput(w, "%s \u2192 %s (TCP connection %lld)", from_client ? "Client" : "Server", from_client ? "server" : "client",
             (long long)ev->conn);
}

void aw__model_net_explain(const aw_model *m, const aw_model_event *ev, char *buf, size_t size)
{
    aw__words w = {buf, size, 0};
    if (size) buf[0] = '\0';
    const char *op = ev->op ? ev->op : "", *from = ev->from ? ev->from : "?", *to = ev->to ? ev->to : "?";
    long long n = ev->bytes == AW_MODEL_NULL ? 0 : (long long)ev->bytes, id = (long long)ev->conn;
    char at[48] = "";
    if (ev->at_ns != AW_MODEL_NULL) aw_model_format_time(ev->at_ns, at, sizeof at);
    if (is(op, "listen")) {
        aw__wput(&w, "The program listens on %s.", from);
        return;
    }
    if (is(op, "close") && !ev->conn) {
        aw__wput(&w, "The program stops listening on %s.", from);
        return;
    }
    if (is(op, "connect")) {
        aw__wput(&w, "The client %s connects to %s (TCP connection %lld): the SYN arrives at %s s.", from, to, id, at);
        return;
    }
    if (is(op, "established")) {
        aw__wput(&w, "TCP connection %lld is established: the client's connect succeeds (the SYN-ACK is back: a round trip).", id);
        return;
    }
    if (is(op, "refused")) {
        aw__wput(&w, "TCP connection %lld is refused by %s%s: the client's connect fails with ConnectionRefusedError.", id, from,
                 seeded(ev));
        return;
    }
    if (is(op, "queued")) {
        aw__wput(&w, "TCP connection %lld from %s waits in the backlog of %s: accept() can take it.", id, from, to);
        return;
    }
    if (is(op, "accept")) {
        aw__wput(&w, "The server accepts TCP connection %lld from %s.", id, from);
        return;
    }
    if (is(op, "fault")) {
        aw__wput(&w, "Seeded fault planned: a %s of ", ev->fault ? ev->fault : "fault");
        put_way(&w, m, ev);
        aw__wput(&w, " at byte %lld.", n);
        return;
    }
    put_way(&w, m, ev);
    if (is(op, "send")) aw__wput(&w, ": %lld byte%s into the send buffer.", n, plural(n));
    else if (is(op, "blocked")) aw__wput(&w, ": the send buffer is full (%lld bytes): send() must wait (backpressure).", n);
    else if (is(op, "transmit"))
        aw__wput(&w, ": %lld byte%s sent, arrive%s at %s s%s.", n, plural(n), n == 1 ? "s" : "", at,
                 is(ev->fault, "jitter") ? " (delay jittered: a seeded choice)" : "");
    else if (is(op, "deliver")) aw__wput(&w, ": %lld byte%s arrive%s in the receive buffer.", n, plural(n), n == 1 ? "s" : "");
    else if (is(op, "recv")) {
        if (n) aw__wput(&w, ": the program reads %lld byte%s.", n, plural(n));
        else aw__wput(&w, ": the program reads the end of the stream (EOF).");
    } else if (is(op, "shutdown")) aw__wput(&w, ": shutdown of writing; EOF follows %lld more byte%s.", n, plural(n));
    else if (is(op, "eof")) aw__wput(&w, ": the end of the stream (FIN) arrives.");
    else if (is(op, "close")) {
        if (n) aw__wput(&w, ": the sender closes; %lld byte%s still go out, then the FIN.", n, plural(n));
        else aw__wput(&w, ": the sender closes its end.");
    } else if (is(op, "abort"))
        aw__wput(&w, ": the sender aborts (%lld byte%s discarded): the other end will get ConnectionResetError.", n, plural(n));
    else if (is(op, "reset"))
        aw__wput(&w, ": connection reset%s: ConnectionResetError next (%lld byte%s discarded).", seeded(ev), n, plural(n));
    else if (is(op, "lost")) {
        aw__wput(&w, ": %lld byte%s lost", n, plural(n));
        if (is(ev->fault, "drop")) aw__wput(&w, ": the connection dropped (seeded fault).");
        else if (is(ev->fault, "reset")) aw__wput(&w, ": the connection was reset (seeded fault).");
        else aw__wput(&w, ": the receiver had closed; it answers with a reset.");
    } else if (is(op, "drop"))
        aw__wput(&w, ": the connection drops at byte %lld (seeded fault): nothing arrives any more, either way.", n);
    else if (is(op, "stall")) aw__wput(&w, ": the receiver stops reading at byte %lld (seeded fault): the buffers fill.", n);
    else if (is(op, "window"))
        aw__wput(&w, ": the receiver read %lld byte%s, and the sender hears it: %lld more may go.", n, plural(n), n);
    else aw__wput(&w, ": %s.", op);
}
