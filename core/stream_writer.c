/* stream_writer.c — CPython's StreamWriter (streams.py): the transport's methods, drain() (the
 * reader's error first, a yield when the transport is closing, then the protocol's flow
 * control) and wait_closed() (the protocol's `closed` future). */
#include <string.h>

#include "stream.h"

aw_stream_writer *aw__stream_writer_new(aw_loop *loop, aw__transport *t, aw__stream_protocol *p,
                                        aw_stream_reader *r)
{
    aw_stream_writer *w = aw__arena_alloc(loop, sizeof *w);
    *w = (aw_stream_writer){loop, t, p, r};
    return w;
}

aw_status aw_stream_writer_write(aw_stream_writer *w, const void *data, size_t n)
{
    return aw__transport_write(w->transport, data, n);
}

aw_status aw_stream_writer_write_str(aw_stream_writer *w, const char *s)
{
    return aw__transport_write(w->transport, s, strlen(s));
}

aw_status aw_stream_writer_writelines(aw_stream_writer *w, size_t n, const aw_value *items)
{
    return aw__transport_writelines(w->transport, n, items);
}

void aw_stream_writer_write_eof(aw_stream_writer *w) { aw__transport_write_eof(w->transport); }
bool aw_stream_writer_can_write_eof(const aw_stream_writer *w) { (void)w; return true; }
void aw_stream_writer_close(aw_stream_writer *w) { aw__transport_close(w->transport); }
bool aw_stream_writer_is_closing(const aw_stream_writer *w) { return aw__transport_is_closing(w->transport); }
void aw_stream_writer_abort(aw_stream_writer *w) { aw__transport_abort(w->transport); }
size_t aw_stream_writer_buffer_size(const aw_stream_writer *w) { return w->transport->buffer.len; }

aw_value aw_stream_writer_get_extra_info(aw_stream_writer *w, const char *name)
{
    const aw__transport *t = w->transport;
    if (name && strcmp(name, "peername") == 0 && t->peer_port >= 0)
        return aw__address_value(w->loop, t->peer_host, t->peer_port);
    if (name && strcmp(name, "sockname") == 0 && t->sock_port >= 0)
        return aw__address_value(w->loop, t->sock_host, t->sock_port);
    return aw_none();
}

AW_COROUTINE(writer_drain, aw_stream_writer *w;)
{
    aw_stream_writer *w = self->w;
    if (w->reader && w->reader->exception) return aw_raise_exc(w->reader->exception);
    /* Let connection_lost run first, so that the next line raises (bpo-29930). */
    if (aw__transport_is_closing(w->transport)) AW_AWAIT(aw_sleep(0));
    if (aw__stream_protocol_drain_helper(w->protocol) != AW_OK) return aw_reraise();
    return aw_none();
}

aw_coro *aw_stream_writer_drain(aw_stream_writer *w) { return AW__CALL_AS("StreamWriter.drain", writer_drain, w); }

AW_COROUTINE(writer_wait_closed, aw_stream_writer *w;)
{
    if (aw__await_future(self->w->protocol->closed, NULL, NULL, 0) != AW_OK) return aw_reraise();
    return aw_none();
}

aw_coro *aw_stream_writer_wait_closed(aw_stream_writer *w)
{
    return AW__CALL_AS("StreamWriter.wait_closed", writer_wait_closed, w);
}
