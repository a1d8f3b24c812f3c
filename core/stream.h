/* stream.h — what core's streams share (not installed): CPython's asyncio streams in layers, one
 * file each, as Lib/asyncio has them:
 *
 *   transport.c       _SelectorSocketTransport (+ _FlowControlMixin): a connected socket's
 *                     buffers and readiness callbacks, calling a protocol;
 *   stream_protocol.c StreamReaderProtocol (+ FlowControlMixin): the protocol streams use;
 *   stream_reader.c   StreamReader;   stream_writer.c StreamWriter;
 *   stream_connect.c  open_connection (create_connection, sock_connect);
 *   stream_server.c   start_server, Server (create_server, _accept_connection).
 *
 * Only the backend's aw_socket_ops and the loop's readers and writers are used below the
 * transport, so the same code runs on the real network (sockets_tcp.c) and a simulated one.
 */
#ifndef AW_STREAM_H
#define AW_STREAM_H

#include "internal.h"

enum { AW__STREAM_LIMIT = 64 * 1024,        /* streams._DEFAULT_LIMIT */
       AW__HIGH_WATER = 64 * 1024,          /* _FlowControlMixin: high, low = high // 4 */
       AW__MAX_RECV = 256 * 1024,           /* _SelectorTransport.max_size */
       AW__LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5, AW__SERVER_BACKLOG = 100 };

/* What the loop frees when it is freed (a stream's buffers, a socket left open): the streams'
 * objects live until then, as the loop's futures do. */
typedef struct aw__resource aw__resource;
struct aw__resource {
    void (*release)(aw__resource *r);
    aw__resource *next;
};
void *aw__resource_new(aw_loop *loop, size_t size, void (*release)(aw__resource *r));   /* at offset 0 */
void aw__resource_add(aw_loop *loop, aw__resource *r, void (*release)(aw__resource *r)); /* embedded */
void aw__resources_free(aw_loop *loop);

/* bytearray, consumed from the front. */
typedef struct aw__bytebuf {
    unsigned char *data;
    size_t start, len, cap;   /* the bytes are data[start .. start+len) */
} aw__bytebuf;
void aw__bytebuf_append(aw__bytebuf *b, const void *p, size_t n);
void aw__bytebuf_consume(aw__bytebuf *b, size_t n);          /* del b[:n] */
/* NULL + 0 is undefined in C: an empty buffer that never held a byte has no data yet. */
static inline const unsigned char *aw__bytebuf_at(const aw__bytebuf *b) { return b->data ? b->data + b->start : (const unsigned char *)""; }
void aw__bytebuf_free(aw__bytebuf *b);

/* An OSError as CPython makes one from an errno (the subclass it names), message strerror's. */
aw_exc *aw__oserror(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ('127.0.0.1', 8888) / ('::1', 8888, 0, 0): a socket address as Python's repr() shows it. */
size_t aw__address_repr(const char *host, int port, char *buf, size_t size);
aw_value aw__address_value(aw_loop *loop, const char *host, int port);   /* that tuple */

/* base_events._ensure_resolved(host): AW_OK, or socket.gaierror in flight (an await: a name that
 * is not an address is looked up in the executor, as loop.getaddrinfo does).  aw__stream_gaierror
 * puts gaierror(-2, 'Name or service not known') in flight. */
aw_status aw__stream_resolve(aw_loop *loop, const char *host);
void aw__stream_gaierror(void);

/* The `stream` trace event (sim/trace-format.md); fd: the socket it concerns (-1: none), which
 * the simulated network's `net` events name too, so a viewer tells one connection by one name. */
void aw__stream_trace(aw_loop *loop, unsigned id, int fd, int op, aw_future *fut, int64_t n, const char *text);

/* ---- transport.c ---------------------------------------------------------------------------- */
typedef struct aw__transport aw__transport;
typedef struct aw__protocol_ops {
    const char *name;   /* "StreamReaderProtocol": its methods' handles are named after it */
    void (*connection_made)(void *proto, aw__transport *t);
    void (*data_received)(void *proto, const unsigned char *data, size_t n);
    bool (*eof_received)(void *proto);            /* true: keep the transport open */
    void (*connection_lost)(void *proto, aw_exc *exc);   /* exc borrowed; NULL: a clean close */
    void (*pause_writing)(void *proto);
    void (*resume_writing)(void *proto);
    /* The future connection_lost completes (StreamReaderProtocol._closed, what wait_closed()
     * awaits), for the `lost` event to name; NULL: none. */
    aw_future *(*closed)(void *proto);
} aw__protocol_ops;

struct aw__transport {
    aw__resource res;
    aw_loop *loop;
    const aw_socket_ops *ops;
    unsigned id;                   /* the connection's id in traces */
    int fd;                        /* -1 once closed (self._sock = None) */
    const aw__protocol_ops *proto_ops;
    void *proto;
    struct aw_server *server;
    aw__bytebuf buffer;            /* what send() did not take yet */
    int conn_lost;                 /* connection_lost scheduled (then counts writes after it) */
    bool closing, eof, paused, protocol_paused;
    bool aborting;                 /* abort(): the socket is closed with a reset */
    size_t high_water, low_water;
    unsigned char *rbuf;           /* recv()'s buffer, max_size bytes */
    aw_future *waiter;             /* create_connection's: done after connection_made */
    aw_exc *lost_exc;              /* what _call_connection_lost will pass on */
    const char *sock_host, *peer_host;
    int sock_port, peer_port;      /* -1: unknown (None) */
};
/* _SelectorSocketTransport(loop, sock, protocol, waiter, server): schedules connection_made,
 * the reader and the waiter's result, in that order (three call_soon). */
aw__transport *aw__transport_new(aw_loop *loop, unsigned id, int fd, const aw__protocol_ops *ops, void *proto,
                                 aw_future *waiter, struct aw_server *server);
aw_status aw__transport_write(aw__transport *t, const void *data, size_t n);
aw_status aw__transport_writelines(aw__transport *t, size_t n, const aw_value *items);
void aw__transport_write_eof(aw__transport *t);
void aw__transport_close(aw__transport *t);
void aw__transport_abort(aw__transport *t);
void aw__transport_pause_reading(aw__transport *t);
void aw__transport_resume_reading(aw__transport *t);
static inline bool aw__transport_is_closing(const aw__transport *t) { return t->closing; }

/* ---- stream_protocol.c ------------------------------------------------------------------------ */
typedef struct aw__drain_waiter aw__drain_waiter;
struct aw__drain_waiter {
    aw_future *fut;
    aw__drain_waiter *prev, *next;
};

typedef struct aw__stream_protocol {
    aw_loop *loop;
    aw_stream_reader *reader;
    aw_client_connected_fn client_connected_cb;   /* NULL: open_connection's side */
    void *cb_arg;
    aw__transport *transport;
    aw_future *closed;             /* wait_closed() awaits it */
    bool paused, connection_lost;  /* FlowControlMixin */
    aw__drain_waiter *drain_waiters;
} aw__stream_protocol;
extern const aw__protocol_ops aw__stream_protocol_ops;
aw__stream_protocol *aw__stream_protocol_new(aw_loop *loop, aw_stream_reader *reader,
                                             aw_client_connected_fn cb, void *cb_arg);
aw_status aw__stream_protocol_drain_helper(aw__stream_protocol *p);

/* ---- stream_reader.c / stream_writer.c ------------------------------------------------------ */
struct aw_stream_reader {
    uint32_t tag;                  /* AW__TAG_READER: an AW_OBJECT value's repr finds it */
    aw__resource res;
    aw_loop *loop;
    unsigned id;                   /* its connection's id in traces (0: a reader of its own) */
    size_t limit;
    aw__bytebuf buffer;
    bool eof, paused;
    aw_future *waiter;
    aw_exc *exception;
    aw__transport *transport;
};
aw_stream_reader *aw__stream_reader_new(aw_loop *loop, size_t limit);
void aw__stream_reader_set_transport(aw_stream_reader *r, aw__transport *t);

struct aw_stream_writer {
    uint32_t tag;                  /* AW__TAG_WRITER */
    aw_loop *loop;
    aw__transport *transport;
    aw__stream_protocol *protocol;
    aw_stream_reader *reader;
};
aw_stream_writer *aw__stream_writer_new(aw_loop *loop, aw__transport *t, aw__stream_protocol *p,
                                        aw_stream_reader *r);

/* repr() of each, as CPython's without what names memory or a descriptor (the transport, the
 * waiter): <StreamReader 5 bytes eof>, <StreamWriter>, <Server sockets=(('127.0.0.1', 8888),)>. */
void aw__stream_reader_repr_to(aw__out *o, const aw_stream_reader *r);
void aw__stream_writer_repr_to(aw__out *o, const aw_stream_writer *w);

/* ---- stream_server.c ------------------------------------------------------------------------ */
void aw__server_repr_to(aw__out *o, const struct aw_server *s);
void aw__server_detach(struct aw_server *s);
void aw__server_attach(struct aw_server *s);

#endif /* AW_STREAM_H */
