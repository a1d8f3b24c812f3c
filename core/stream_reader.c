/* stream_reader.c — CPython's StreamReader (streams.py, 3.13+): a buffer fed by the protocol,
 * read by one coroutine at a time, which waits on a future (_wait_for_data) while the buffer
 * has too little.  Flow control: a buffer over 2 * limit pauses the transport's reading, and
 * taking it down to the limit (or waiting for more) resumes it. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

static void release(aw__resource *res)
{
    aw_stream_reader *r = (aw_stream_reader *)((char *)res - offsetof(aw_stream_reader, res));
    aw__bytebuf_free(&r->buffer);
    aw_exc_unref(r->exception);
    free(r);
}

/* The socket under the reader, for its trace events (-1: none, or closed). */
static int reader_fd(const aw_stream_reader *r) { return r->transport ? r->transport->fd : -1; }

aw_stream_reader *aw__stream_reader_new(aw_loop *loop, size_t limit)
{
    aw_stream_reader *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->tag = AW__TAG_READER;
    aw__resource_add(loop, &r->res, release);
    r->loop = loop;
    r->limit = limit;
    return r;
}

void aw__stream_reader_repr_to(aw__out *o, const aw_stream_reader *r)
{
    /* StreamReader.__repr__'s items, but its waiter and transport (memory, a descriptor) */
    aw__out_puts(o, "<StreamReader");
    if (r->buffer.len) aw__out_printf(o, " %zu bytes", r->buffer.len);
    if (r->eof) aw__out_puts(o, " eof");
    if (r->limit != AW__STREAM_LIMIT) aw__out_printf(o, " limit=%zu", r->limit);
    if (r->exception) {
        aw__out_puts(o, " exception=");
        aw__exc_repr_to(o, r->exception);
    }
    if (r->paused) aw__out_puts(o, " paused");
    aw__out_puts(o, ">");
}

aw_stream_reader *aw_stream_reader_new(long limit)
{
    aw_loop *loop = aw__running_loop();
    if (!loop) {
        aw__fail(AW_RuntimeError, "no running event loop");
        return NULL;
    }
    if (limit <= 0) {
        aw__fail(AW_ValueError, "Limit cannot be <= 0");
        return NULL;
    }
    aw_stream_reader *r = aw__stream_reader_new(loop, (size_t)limit);
    r->id = ++loop->next_stream_id; /* a reader of its own: traced under its own id */
    return r;
}

void aw__stream_reader_set_transport(aw_stream_reader *r, aw__transport *t)
{
    r->transport = t;
    r->id = t->id;
}

aw_exc *aw_stream_reader_exception(const aw_stream_reader *r) { return r->exception; }
bool aw_stream_reader_at_eof(const aw_stream_reader *r) { return r->eof && !r->buffer.len; }

static void wakeup_waiter(aw_stream_reader *r)
{
    aw_future *w = r->waiter;
    if (!w) return;
    r->waiter = NULL;
    if (w->state == AW__PENDING) aw__future_finish(w, aw_none());
}

void aw_stream_reader_set_exception(aw_stream_reader *r, aw_exc *e)
{
    aw_exc_unref(r->exception);
    r->exception = e;
    aw_future *w = r->waiter;
    if (!w) return;
    r->waiter = NULL;
    if (w->state == AW__PENDING) aw__future_finish_exception(w, aw_exc_ref(e));
}

void aw_stream_reader_feed_eof(aw_stream_reader *r)
{
    r->eof = true;
    aw__stream_trace(r->loop, r->id, reader_fd(r), AW_STREAM_EOF, NULL, (int64_t)r->buffer.len, NULL);
    wakeup_waiter(r);
}

void aw_stream_reader_feed_data(aw_stream_reader *r, const void *data, size_t n)
{
    if (!n) return;
    aw__bytebuf_append(&r->buffer, data, n);
    aw__stream_trace(r->loop, r->id, reader_fd(r), AW_STREAM_FED, NULL, (int64_t)n, NULL);
    wakeup_waiter(r);
    if (r->transport && !r->paused && r->buffer.len > 2 * r->limit) {
        aw__stream_trace(r->loop, r->id, reader_fd(r), AW_STREAM_PAUSE_READING, NULL, (int64_t)r->buffer.len, NULL);
        aw__transport_pause_reading(r->transport);
        r->paused = true;
    }
}

static void maybe_resume_transport(aw_stream_reader *r)
{
    if (r->paused && r->buffer.len <= r->limit) {
        r->paused = false;
        aw__stream_trace(r->loop, r->id, reader_fd(r), AW_STREAM_RESUME_READING, NULL, (int64_t)r->buffer.len, NULL);
        aw__transport_resume_reading(r->transport);
    }
}

static aw_status wait_for_data(aw_stream_reader *r, const char *func)
{
    if (r->waiter)
        return aw__fail(AW_RuntimeError, "%s() called while another coroutine is already waiting for incoming data", func);
    if (r->paused) {
        r->paused = false;
        aw__stream_trace(r->loop, r->id, reader_fd(r), AW_STREAM_RESUME_READING, NULL, (int64_t)r->buffer.len, NULL);
        aw__transport_resume_reading(r->transport);
    }
    aw_future *w = r->waiter = aw__future_new_internal(r->loop);
    aw__future_set_what(w, "StreamReader._waiter");
    aw__stream_trace(r->loop, r->id, reader_fd(r), AW_STREAM_WAIT, w, (int64_t)r->buffer.len, func);
    aw_status st = aw__await_future(w, NULL, NULL, 0);
    r->waiter = NULL; /* finally */
    aw_future_detach(w);
    return st;
}

static aw_value raise_stored(aw_stream_reader *r) { return aw_raise_exc(r->exception); }

/* bytes(self._buffer[:n]); del self._buffer[:n] */
static aw_value take(aw_stream_reader *r, size_t n)
{
    if (n > r->buffer.len) n = r->buffer.len;
    aw_value v = aw_bytes(aw__bytebuf_at(&r->buffer), n);
    aw__bytebuf_consume(&r->buffer, n);
    return v;
}

/* IncompleteReadError(partial, expected): expected < 0 is None (readuntil's). */
static aw_value raise_incomplete(aw_value partial, long expected)
{
    char msg[128];
    if (expected < 0)
        snprintf(msg, sizeof msg, "%zu bytes read on a total of undefined expected bytes", aw_bytes_len(partial));
    else
        snprintf(msg, sizeof msg, "%zu bytes read on a total of %ld expected bytes", aw_bytes_len(partial), expected);
    aw_exc *e = aw__exc_new_msg(AW_IncompleteReadError, msg);
    aw__exc_set_attr(e, "partial", partial);
    aw__exc_set_attr(e, "expected", expected < 0 ? aw_none() : aw_int(expected));
    aw__set_in_flight(e);
    return (aw_value){AW_RAISED, {0}};
}

static aw_value raise_limit_overrun(const char *msg, size_t consumed)
{
    aw_exc *e = aw__exc_new_msg(AW_LimitOverrunError, msg);
    aw__exc_set_attr(e, "consumed", aw_int((long long)consumed));
    aw__set_in_flight(e);
    return (aw_value){AW_RAISED, {0}};
}

/* ---- read(n) ---------------------------------------------------------------------------------- */
static aw_status read_n(aw_stream_reader *r, long n, aw_value *out)
{
    if (r->exception) return aw_raise_exc(r->exception), AW_ERROR;
    if (n == 0) return *out = aw_bytes("", 0), AW_OK;
    if (!r->buffer.len && !r->eof) {
        aw_status st = wait_for_data(r, "read");
        if (st != AW_OK) return st;
    }
    *out = take(r, (size_t)n);
    maybe_resume_transport(r);
    return AW_OK;
}

AW_COROUTINE(reader_read, aw_stream_reader *r; long n;)
{
    aw_stream_reader *r = self->r;
    if (r->exception) return raise_stored(r);
    aw_value v;
    if (self->n >= 0) {
        aw_status st = read_n(r, self->n, &v);
        return st == AW_OK ? v : aw_reraise();
    }
    /* n < 0: read(self._limit) until it returns b'', then b''.join(blocks) */
    aw__bytebuf all = {0};
    for (;;) {
        aw_status st = read_n(r, (long)r->limit, &v);
        if (st != AW_OK) {
            aw__bytebuf_free(&all);
            return aw_reraise();
        }
        if (!aw_bytes_len(v)) break;
        aw__bytebuf_append(&all, aw_bytes_data(v), aw_bytes_len(v));
    }
    v = aw_bytes(all.data, all.len);
    aw__bytebuf_free(&all);
    return v;
}

aw_coro *aw_stream_reader_read(aw_stream_reader *r, long n) { return AW__CALL_AS("StreamReader.read", reader_read, r, n); }

/* ---- readexactly(n) --------------------------------------------------------------------------- */
AW_COROUTINE(reader_readexactly, aw_stream_reader *r; long n;)
{
    aw_stream_reader *r = self->r;
    if (self->n < 0) return aw_raise_class(AW_ValueError, "readexactly size can not be less than zero");
    if (r->exception) return raise_stored(r);
    if (self->n == 0) return aw_bytes("", 0);
    while (r->buffer.len < (size_t)self->n) {
        if (r->eof) return raise_incomplete(take(r, r->buffer.len), self->n);
        if (wait_for_data(r, "readexactly") != AW_OK) return aw_reraise();
    }
    aw_value v = take(r, (size_t)self->n);
    maybe_resume_transport(r);
    return v;
}

aw_coro *aw_stream_reader_readexactly(aw_stream_reader *r, long n)
{
    return AW__CALL_AS("StreamReader.readexactly", reader_readexactly, r, n);
}

/* ---- readuntil(separator) ----------------------------------------------------------------------- */
static long find(const aw__bytebuf *b, const char *sep, size_t seplen, size_t offset)
{
    const unsigned char *d = aw__bytebuf_at(b);
    if (b->len < seplen) return -1;
    for (size_t i = offset; i + seplen <= b->len; i++)
        if (memcmp(d + i, sep, seplen) == 0) return (long)i;
    return -1;
}

static aw_status readuntil(aw_stream_reader *r, const char *sep, aw_value *out)
{
    size_t seplen = sep ? strlen(sep) : 0;
    if (!seplen) return aw__fail(AW_ValueError, "Separator should be at least one-byte string");
    if (r->exception) return aw_raise_exc(r->exception), AW_ERROR;
    size_t offset = 0;
    long isep;
    for (;;) {
        size_t buflen = r->buffer.len;
        if (buflen - offset >= seplen) {
            isep = find(&r->buffer, sep, seplen, offset);
            if (isep != -1) break;
            offset = buflen + 1 > seplen ? buflen + 1 - seplen : 0;
            if (offset > r->limit) {
                raise_limit_overrun("Separator is not found, and chunk exceed the limit", offset);
                return AW_ERROR;
            }
        }
        if (r->eof) {
            raise_incomplete(take(r, r->buffer.len), -1);
            return AW_ERROR;
        }
        aw_status st = wait_for_data(r, "readuntil");
        if (st != AW_OK) return st;
    }
    if ((size_t)isep > r->limit) {
        raise_limit_overrun("Separator is found, but chunk is longer than limit", (size_t)isep);
        return AW_ERROR;
    }
    *out = take(r, (size_t)isep + seplen);
    maybe_resume_transport(r);
    return AW_OK;
}

AW_COROUTINE(reader_readuntil, aw_stream_reader *r; const char *sep;)
{
    aw_value v;
    return readuntil(self->r, self->sep, &v) == AW_OK ? v : aw_reraise();
}

aw_coro *aw_stream_reader_readuntil(aw_stream_reader *r, const char *separator)
{
    return AW__CALL_AS("StreamReader.readuntil", reader_readuntil, r, separator);
}

/* ---- readline() -------------------------------------------------------------------------------- */
AW_COROUTINE(reader_readline, aw_stream_reader *r;)
{
    aw_stream_reader *r = self->r;
    aw_value line;
    aw_status st = readuntil(r, "\n", &line);
    if (st == AW_OK) return line;
    aw_exc *e = aw_exc_current();
    if (aw_exc_matches(e, AW_IncompleteReadError)) { /* except IncompleteReadError as e: return e.partial */
        aw_value partial = aw_exc_attr(e, "partial");
        aw_value v = aw_bytes(aw_bytes_data(partial), aw_bytes_len(partial));
        aw_exc_clear();
        return v;
    }
    if (aw_exc_matches(e, AW_LimitOverrunError)) {
        size_t consumed = (size_t)aw_exc_attr(e, "consumed").as.i;
        if (consumed < r->buffer.len && aw__bytebuf_at(&r->buffer)[consumed] == '\n')
            aw__bytebuf_consume(&r->buffer, consumed + 1);
        else
            aw__bytebuf_consume(&r->buffer, r->buffer.len);
        maybe_resume_transport(r);
        char msg[128];
        snprintf(msg, sizeof msg, "%s", aw_exc_message(e));
        aw_exc_clear();
        return aw_raise_class(AW_ValueError, "%s", msg); /* raise ValueError(e.args[0]) */
    }
    return aw_reraise();
}

aw_coro *aw_stream_reader_readline(aw_stream_reader *r) { return AW__CALL_AS("StreamReader.readline", reader_readline, r); }
