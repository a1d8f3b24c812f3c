/* sockets_tcp.c — the real backend's network (aw_socket_ops, aw_backend.h): non-blocking TCP
 * sockets, the system calls as they are.  Hosts are numeric addresses ("127.0.0.1", "::1") or
 * "localhost", which is 127.0.0.1 here (CPython asks getaddrinfo, which may also give ::1 first;
 * one address keeps one connect attempt, as a loopback lesson needs). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

/* host:port as a socket address; -1 EINVAL for a host that is not an address (gaierror's case). */
static int resolve(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    if (!host || port < 0 || port > 65535) return errno = EINVAL, -1;
    if (strcmp(host, "localhost") == 0) host = "127.0.0.1";
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *len = sizeof *in4;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *len = sizeof *in6;
        return 0;
    }
    return errno = EINVAL, -1;
}

static int new_socket(int family)
{
    return socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

static int close_keep_errno(int fd)
{
    int e = errno;
    close(fd);
    errno = e;
    return -1;
}

static int tcp_connect(aw_backend *b, const char *host, int port)
{
    (void)b;
    struct sockaddr_storage ss;
    socklen_t len;
    if (resolve(host, port, &ss, &len) < 0) return -1;
    int fd = new_socket(ss.ss_family);
    if (fd < 0) return -1;
    int one = 1; /* base_events._set_nodelay: streams are interactive */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS && errno != EINTR)
        return close_keep_errno(fd);
    return fd;
}

static int tcp_listen(aw_backend *b, const char *host, int port, int backlog, int *bound_port)
{
    (void)b;
    struct sockaddr_storage ss;
    socklen_t len;
    if (resolve(host, port, &ss, &len) < 0) return -1;
    int fd = new_socket(ss.ss_family);
    if (fd < 0) return -1;
    int one = 1; /* create_server's reuse_address default on Unix */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ss.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, backlog) < 0) return close_keep_errno(fd);
    struct sockaddr_storage got;
    socklen_t glen = sizeof got;
    if (getsockname(fd, (struct sockaddr *)&got, &glen) < 0) return close_keep_errno(fd);
    if (bound_port)
        *bound_port = got.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&got)->sin6_port)
                                                : ntohs(((struct sockaddr_in *)&got)->sin_port);
    return fd;
}

static int tcp_accept(aw_backend *b, int listen_fd)
{
    (void)b;
    int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

static long tcp_send(aw_backend *b, int fd, const void *buf, size_t n)
{
    (void)b;
    /* MSG_NOSIGNAL: a closed peer is EPIPE (BrokenPipeError), not a SIGPIPE that kills us. */
    return (long)send(fd, buf, n, MSG_NOSIGNAL);
}

static long tcp_recv(aw_backend *b, int fd, void *buf, size_t n)
{
    (void)b;
    return (long)recv(fd, buf, n, 0);
}

static int tcp_so_error(aw_backend *b, int fd)
{
    (void)b;
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return errno;
    return err;
}

static int tcp_shutdown_write(aw_backend *b, int fd)
{
    (void)b;
    return shutdown(fd, SHUT_WR);
}

static int tcp_close(aw_backend *b, int fd, bool abort)
{
    (void)b;
    if (abort) {
        struct linger lg = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    return close(fd);
}

/* Host strings live as long as the process: interned, so a transport may keep the pointer (the
 * loopback has two; other addresses are few). */
static const char *intern(const char *host)
{
    static char **names;
    static size_t n;
    if (strcmp(host, "127.0.0.1") == 0) return "127.0.0.1";
    if (strcmp(host, "::1") == 0) return "::1";
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], host) == 0) return names[i];
    char **grown = realloc(names, (n + 1) * sizeof *grown);
    char *copy = strdup(host);
    if (!grown || !copy) abort();
    names = grown;
    return names[n++] = copy;
}

static int address_of(int fd, bool peer, const char **host, int *port)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if ((peer ? getpeername(fd, (struct sockaddr *)&ss, &len) : getsockname(fd, (struct sockaddr *)&ss, &len)) < 0)
        return -1;
    char text[INET6_ADDRSTRLEN];
    if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
        *port = ntohs(in6->sin6_port);
    } else {
        struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &in4->sin_addr, text, sizeof text);
        *port = ntohs(in4->sin_port);
    }
    *host = intern(text);
    return 0;
}

static int tcp_sockname(aw_backend *b, int fd, const char **host, int *port)
{
    (void)b;
    return address_of(fd, false, host, port);
}

static int tcp_peername(aw_backend *b, int fd, const char **host, int *port)
{
    (void)b;
    return address_of(fd, true, host, port);
}

const aw_socket_ops aw__tcp_socket_ops = {
    .connect = tcp_connect,
    .listen = tcp_listen,
    .accept = tcp_accept,
    .send = tcp_send,
    .recv = tcp_recv,
    .so_error = tcp_so_error,
    .shutdown_write = tcp_shutdown_write,
    .close = tcp_close,
    .sockname = tcp_sockname,
    .peername = tcp_peername,
};
