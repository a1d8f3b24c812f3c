/* model_sockets.c — what each socket is, in the words of one connection: a learner sees one TCP
 * connection as one thing, "the client's end of TCP connection 1" and "the server's end of TCP
 * connection 1", however many layers name it (the simulated network's `net` events number
 * connections, the streams' `stream` events number transports and servers, the loop's `io_ready`
 * events give bare descriptors).  The descriptor ties them: `net` and `stream` events both carry
 * it (sim/trace-format.md, Stream events).  On the real clock there is no network of ours, so a
 * stream is named by its addresses: "the connection to ('127.0.0.1', 8888)".
 *
 * Facts, recorded once while loading in step order (model_internal.h, msock): what a `net` event
 * says a descriptor is (listener, client's end, server's end of connection N) and what the first
 * event of each stream says it is.  Every lookup is "as of step": never a later fact. */
#include <string.h>

#include "model_internal.h"

enum { MSOCK_READER, MSOCK_LISTENER, MSOCK_CLIENT, MSOCK_SERVER };

static bool is(const char *a, const char *b) { return a && !strcmp(a, b); }

static bool add(aw_model *m, msock s)
{
    if (!aw__grow((void **)&m->socks, &m->sock_cap, m->nsocks + 1, sizeof *m->socks)) return false;
    m->socks[m->nsocks++] = s;
    return true;
}

bool aw__model_sockets_record(aw_model *m, const aw_model_event *ev)
{
    if (ev->kind == AW_TK_NET) {
        uint8_t role = is(ev->op, "listen") ? MSOCK_LISTENER : is(ev->op, "connect") ? MSOCK_CLIENT
                       : is(ev->op, "accept") ? MSOCK_SERVER : MSOCK_READER;
        if (role == MSOCK_READER || ev->fd == AW_MODEL_NULL) return true; /* other ops name no new socket */
        /* a listener: its own address; a client's end: where it connects; the server's end: its peer */
        const char *addr = role == MSOCK_CLIENT ? ev->to : ev->from;
        return add(m, (msock){ev->step, ev->fd, ev->conn, 0, aw__mstore_sid(&m->store, addr), role});
    }
    if (ev->kind != AW_TK_STREAM || ev->stream <= 0) return true;
    /* The first event of a stream says what it is; a dense index finds it (ids are small and in
     * creation order; one beyond the events so far cannot be a real one and is not kept). */
    if ((uint64_t)ev->stream > (uint64_t)m->store.n + 1024) return true;
    if ((size_t)ev->stream >= m->nstream_sock) {
        size_t old = m->stream_sock_cap;
        if (!aw__grow((void **)&m->stream_sock, &m->stream_sock_cap, (size_t)ev->stream + 1, sizeof *m->stream_sock))
            return false;
        memset(m->stream_sock + old, 0, (m->stream_sock_cap - old) * sizeof *m->stream_sock);
        m->nstream_sock = (size_t)ev->stream + 1;
    }
    if (m->stream_sock[ev->stream]) return true;
    /* "connected" first: a transport on a socket the server accepted (open_connection's side has
     * its "connect" before) */
    uint8_t role = is(ev->op, "listen") ? MSOCK_LISTENER : is(ev->op, "connect") ? MSOCK_CLIENT
                   : is(ev->op, "connected") ? MSOCK_SERVER : MSOCK_READER;
    if (!add(m, (msock){ev->step, ev->fd, 0, ev->stream, aw__mstore_sid(&m->store, ev->value), role})) return false;
    m->stream_sock[ev->stream] = (uint32_t)m->nsocks;
    return true;
}

/* The latest fact about descriptor fd at or before step, from the network (net: true) or the
 * streams; NULL: none. */
static const msock *latest_of_fd(const aw_model *m, int64_t step, int64_t fd, bool net)
{
    if (fd == AW_MODEL_NULL) return NULL;
    size_t lo = 0, hi = m->nsocks;
    while (lo < hi) { /* the first fact after step */
        size_t mid = (lo + hi) / 2;
        if (m->socks[mid].step <= step) lo = mid + 1;
        else hi = mid;
    }
    for (size_t i = lo; i > 0; i--) {
        const msock *s = &m->socks[i - 1];
        if (s->fd == fd && (net ? s->stream == 0 : s->stream != 0)) return s;
    }
    return NULL;
}

static const msock *of_stream(const aw_model *m, int64_t step, int64_t stream)
{
    if (stream <= 0 || (size_t)stream >= m->nstream_sock || !m->stream_sock[stream]) return NULL;
    const msock *s = &m->socks[m->stream_sock[stream] - 1];
    return s->step <= step ? s : NULL;
}

/* The network's connection under a stream's socket, if the trace has one. */
static const msock *net_of(const aw_model *m, int64_t step, const msock *st)
{
    const msock *n = st ? latest_of_fd(m, step, st->fd, true) : NULL;
    return n && n->conn ? n : NULL;
}

void aw__words_stream(aw__words *w, const aw_model *m, int64_t step, int64_t stream)
{
    const msock *s = of_stream(m, step, stream), *n = net_of(m, step, s);
    const char *addr = s ? aw__str(m, s->addr) : NULL;
    if (!s) aw__wput(w, "stream %lld", (long long)stream);
    else if (s->role == MSOCK_LISTENER) aw__wput(w, "the server on %s", addr ? addr : "?");
    else if (s->role == MSOCK_READER) aw__wput(w, "StreamReader #%lld", (long long)stream);
    else if (n) aw__wput(w, "the %s's end of TCP connection %lld", s->role == MSOCK_CLIENT ? "client" : "server", (long long)n->conn);
    else if (s->role == MSOCK_CLIENT) aw__wput(w, "the connection to %s", addr ? addr : "?");
    else aw__wput(w, "the server's connection from %s", addr ? addr : "?");
}

int64_t aw__stream_conn(const aw_model *m, int64_t step, int64_t stream)
{
    const msock *n = net_of(m, step, of_stream(m, step, stream));
    return n ? n->conn : 0;
}

bool aw__words_fd(aw__words *w, const aw_model *m, int64_t step, int64_t fd, bool *listener)
{
    const msock *n = latest_of_fd(m, step, fd, true), *s = n ? NULL : latest_of_fd(m, step, fd, false);
    *listener = (n && n->role == MSOCK_LISTENER) || (s && s->role == MSOCK_LISTENER);
    const char *addr = n ? aw__str(m, n->addr) : s ? aw__str(m, s->addr) : NULL;
    if (n && n->role == MSOCK_LISTENER) aw__wput(w, "the server's listening socket on %s", addr ? addr : "?");
    else if (n) aw__wput(w, "the %s's socket of TCP connection %lld", n->role == MSOCK_CLIENT ? "client" : "server", (long long)n->conn);
    else if (s && s->role == MSOCK_LISTENER) aw__wput(w, "the listening socket of the server on %s", addr ? addr : "?");
    else if (s && s->role == MSOCK_CLIENT) aw__wput(w, "the socket of the connection to %s", addr ? addr : "?");
    else if (s && s->role == MSOCK_SERVER) aw__wput(w, "the socket of the server's connection from %s", addr ? addr : "?");
    else return false;
    return true;
}
