/* net_sim.h — the simulated network, as the simulated clock (backend_sim.c) drives it, and the
 * shared state of its files (net_sim.c: the model and its packets; net_sockets.c: the socket
 * operations; net_options.c: the options).  Not public: awaitlab_sim.h has the options. */
#ifndef AW_SIM_NET_SIM_H
#define AW_SIM_NET_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/aw_backend.h"
#include "awaitlab_sim.h"
#include "net_buf.h"
#include "rng.h"

/* Simulated descriptors are AW_SIM_FD_BASE + n: above any real one (Linux's fs.nr_open, the
 * largest descriptor a process may have, is 2^20 by default), so a trace's fd and a program's
 * mistake (a real descriptor handed to the simulated network, or back) are never ambiguous. */
#define AW_SIM_FD_BASE (1 << 30)

typedef struct aw__net aw__net;
typedef struct net_conn net_conn;

/* One direction of a connection: end[d] sends to end[1 - d] on link[d]. */
typedef struct net_link {
    double latency, bandwidth, jitter_s; /* jitter_s: ± seconds, from the options */
    double busy_until;   /* the wire carries the previous bytes until then (bandwidth) */
    double last_arrival; /* in order: nothing arrives before what was sent earlier */
    uint64_t sent;       /* bytes transmitted so far: fault offsets count these */
    uint64_t reset_at, drop_at, stall_at; /* planned faults (UINT64_MAX: none) */
} net_link;

enum { NET_LISTENER = 1, NET_STREAM };
enum { NET_CONNECTING = 1, NET_HALF_OPEN, NET_QUEUED, NET_OPEN, NET_DEAD };

typedef struct net_sock {
    int kind, state;
    int fd;               /* AW_SIM_FD_BASE + index; kept after close for the trace */
    unsigned watch;       /* AW_READABLE | AW_WRITABLE wanted by the loop */
    bool closed;          /* the program closed it (no longer a descriptor) */
    /* listener */
    char *host;           /* its own copy; "0.0.0.0": any host name */
    int port, backlog, n_half;
    char *addr;           /* "host:port" for the trace */
    struct net_sock **queue; /* handshakes done, not yet accepted (FIFO) */
    size_t q_head, q_len, q_cap;
    /* stream end */
    net_conn *conn;
    int side;             /* 0: the client's end, 1: the server's */
    struct net_sock *listener; /* server end before accept() */
    aw__netbuf snd, rcv;
    size_t snd_cap;
    size_t credit;        /* bytes the peer's window still takes */
    int error;            /* pending (so_error, or the next send/recv) */
    bool shut_wr, fin_sent, eof_in, rst_sent, stalled;
    uint64_t delivered, read_total, read_limit; /* read_limit: a stall fault's offset */
} net_sock;

struct net_conn {
    unsigned id;
    net_sock *end[2];
    net_link link[2];
    char *host[2];        /* the ends' host names ("127.0.0.1", the name connected to) */
    int port[2];
    char *addr[2];        /* "host:port" of each end */
    bool broken;          /* reset by a fault: neither end transmits any more */
    bool dropped;         /* dropped by a fault: nothing arrives any more */
};

/* A packet in flight, arriving at `t` (ties: in the order sent). */
enum { NE_SYN = 1, NE_SYNACK, NE_ACK, NE_REFUSE, NE_DATA, NE_FIN, NE_RST, NE_WINDOW };
typedef struct net_ev {
    double t;
    uint64_t seq;
    int kind, dir;        /* dir: the link it travels on (NE_WINDOW: the link it opens) */
    net_conn *c;
    unsigned char *data;
    size_t n;
    const char *fault;    /* the seeded fault that sent it (NE_RST, NE_REFUSE), or NULL */
} net_ev;

struct aw__net {
    aw_backend *b;
    aw_sim_net_options o;
    aw_sim_net_link *links; /* o.links, copied with their host names */
    aw_rng lat_rng, fault_rng;
    net_sock **socks;     /* by fd - AW_SIM_FD_BASE, never reused; NULL once freed */
    size_t n_socks, cap_socks;
    net_sock **listeners; /* the open ones, in the order made */
    size_t n_listeners, cap_listeners;
    net_conn **conns;     /* by id - 1 */
    size_t n_conns, cap_conns;
    net_ev *heap;
    size_t n_ev, cap_ev;
    uint64_t ev_seq;
    int next_port;        /* ephemeral ports, in order from 49152 */
    int *watched;         /* fds with a watch, ascending (reports go in fd order) */
    size_t n_watched, cap_watched;
    /* A clock jump not traced yet: the wait moved the clock (from jump_from) to a packet whose
     * arrival the trace may not show (a window update to a closed end...); it is traced just
     * before the next net event, so that every jump in the trace leads to what it is for. */
    bool jump_pending;
    double jump_from;
};

/* ---- net_sim.c: the model ---- */
aw__net *aw__net_new(aw_backend *b, uint64_t seed, const aw_sim_net_options *o);
void aw__net_free(aw__net *n);
double aw__net_now(const aw__net *n);
/* Fires every packet due at or before now (and those they send that are due too). */
void aw__net_run_due(aw__net *n);
/* The time of the next packet; false when none is in flight. */
bool aw__net_next(const aw__net *n, double *t);
/* Reports each watched descriptor that is ready (ascending fd); returns how many. */
int aw__net_report(aw__net *n, aw_ready_fn ready, void *ctx);
bool aw__net_is_fd(int fd);
/* The wait moved the clock from `from` to the next packet (traced lazily, see jump_pending). */
void aw__net_clock_moved(aw__net *n, double from);
/* The wait is over: the loop traces what is left of the jump itself. */
void aw__net_wait_over(aw__net *n);
int aw__net_watch(aw__net *n, int fd, int events);
bool aw__net_readable(const net_sock *s);
bool aw__net_writable(const net_sock *s);
/* Model steps the socket operations take. */
net_sock *aw__net_sock_new(aw__net *n, int kind);
void aw__net_pump(aw__net *n, net_sock *s);
void aw__net_send_ctl(aw__net *n, net_conn *c, int dir, int kind, const char *fault);
void aw__net_send_window(aw__net *n, net_sock *s, size_t bytes);
void aw__net_plan_faults(aw__net *n, net_conn *c);
void aw__net_unwatch(aw__net *n, int fd);
void aw__net_emit(aw__net *n, int op, const net_conn *c, int dir, int fd, uint64_t bytes, double at,
                  const char *fault);
void aw__net_emit_addr(aw__net *n, int op, const char *addr, int fd);
net_conn *aw__net_conn_new(aw__net *n);
/* The descriptor's socket, if the program holds it open (else NULL). */
net_sock *aw__net_open_sock(aw__net *n, int fd);
char *aw__net_strdup(const char *s);
void aw__net_listener_add(aw__net *n, net_sock *l);
void aw__net_listener_remove(aw__net *n, net_sock *l);
int aw__net_ephemeral_port(aw__net *n);
/* The link settings for connections to host. */
void aw__net_link_init(const aw__net *n, net_link *l, const char *host);

/* ---- net_sockets.c ---- */
extern const aw_socket_ops aw__net_socket_ops;

/* ---- backend_sim.c ---- */
aw__net *aw__sim_net(aw_backend *b);

#endif /* AW_SIM_NET_SIM_H */
