/* stream_common.c — what every stream file uses (stream.h): the loop's list of stream objects,
 * the byte buffer, OSError from an errno, addresses as Python shows them, the `stream` event. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

void aw__resource_add(aw_loop *loop, aw__resource *r, void (*release)(aw__resource *r))
{
    r->release = release;
    r->next = loop->resources;
    loop->resources = r;
}

void *aw__resource_new(aw_loop *loop, size_t size, void (*release)(aw__resource *r))
{
    aw__resource *r = calloc(1, size);
    if (!r) abort();
    aw__resource_add(loop, r, release);
    return r;
}

void aw__resources_free(aw_loop *loop)
{
    while (loop->resources) {
        aw__resource *r = loop->resources;
        loop->resources = r->next;
        r->release(r);
    }
}

void aw__bytebuf_append(aw__bytebuf *b, const void *p, size_t n)
{
    if (!n) return;
    if (b->start && b->start + b->len + n > b->cap) { /* room at the front: move down first */
        memmove(b->data, b->data + b->start, b->len);
        b->start = 0;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d) abort();
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->start + b->len, p, n);
    b->len += n;
}

void aw__bytebuf_consume(aw__bytebuf *b, size_t n)
{
    if (n >= b->len) {
        b->start = b->len = 0;
        return;
    }
    b->start += n;
    b->len -= n;
}

void aw__bytebuf_free(aw__bytebuf *b)
{
    free(b->data);
    *b = (aw__bytebuf){0};
}

aw_exc *aw__oserror(int err, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    aw_value args[2] = {aw_int(err), {AW_STR, {.s = msg}}};
    return aw_exc_new_args(AW_OSError, 2, args);
}

size_t aw__address_repr(const char *host, int port, char *buf, size_t size)
{
    /* socket.getpeername(): (host, port) for IPv4, (host, port, flowinfo, scope_id) for IPv6 */
    int n = strchr(host, ':') ? snprintf(buf, size, "('%s', %d, 0, 0)", host, port)
                              : snprintf(buf, size, "('%s', %d)", host, port);
    return n < 0 ? 0 : (size_t)n;
}

aw_value aw__address_value(aw_loop *loop, const char *host, int port)
{
    bool v6 = strchr(host, ':') != NULL;
    size_t n = v6 ? 4 : 2;
    aw_list *l = aw__arena_alloc(loop, sizeof *l + n * sizeof(aw_value));
    l->len = n;
    l->items[0] = (aw_value){AW_STR, {.s = aw__arena_strdup(loop, host)}};
    l->items[1] = aw_int(port);
    if (v6) l->items[2] = l->items[3] = aw_int(0);
    return (aw_value){AW_TUPLE, {.list = l}};
}

void aw__stream_trace(aw_loop *loop, unsigned id, int op, aw_future *fut, int64_t n, const char *text)
{
    if (!id) return; /* a reader of no connection before it is fed: nothing to name it by yet */
    AW__TRACE(loop, .kind = AW_EV_STREAM, .other = id, .reason = op, .task = aw__task_id(loop->current_task),
              .future = fut ? fut->id : 0, .a = n < 0 ? 0 : n, .text = text);
}

/* ---- name resolution (base_events._ensure_resolved) ------------------------------------------ */
/* socket.gaierror: what getaddrinfo raises for a host it cannot resolve. */
AW_EXCEPTION_CLASS(gaierror, AW_OSError);

static aw_value gaierror_value(void)
{
    return aw_raise_args(gaierror, 2, (aw_value[]){aw_int(-2), aw_str("Name or service not known")});
}

/* getaddrinfo, in the executor's thread: the networks know numeric addresses and "localhost". */
static aw_value getaddrinfo_job(void *host)
{
    if (strcmp(host, "localhost") == 0) return aw_none();
    return gaierror_value();
}

static bool numeric(const char *host)
{
    unsigned char addr[16];
    return inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
}

/* _ensure_resolved: a numeric address is its own (_ipaddr_info: no await); any other name goes
 * to loop.getaddrinfo, which runs getaddrinfo in the default executor, so the task waits for a
 * job as CPython's does (the same iterations, the same executor events). */
aw_status aw__stream_resolve(aw_loop *loop, const char *host)
{
    if (!host) return aw__fail(AW_TypeError, "host must be a string");
    if (numeric(host)) return AW_OK;
    aw_future *f = aw_run_in_executor(loop, 0, getaddrinfo_job, (void *)host);
    if (!f) return aw_exc_status(aw_exc_current());
    aw_status st = aw__await_future(f, NULL, NULL, 0);
    aw_future_detach(f);
    return st;
}

void aw__stream_gaierror(void) { gaierror_value(); }
