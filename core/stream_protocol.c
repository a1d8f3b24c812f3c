/* stream_protocol.c — CPython's StreamReaderProtocol and FlowControlMixin (streams.py): the
 * protocol between a transport and a StreamReader/StreamWriter.  It feeds the reader, starts the
 * server's client_connected_cb task, keeps the `closed` future wait_closed() awaits, and holds
 * drain()'s waiters while the transport has paused writing. */
#include <stdio.h>
#include <stdlib.h>

#include "stream.h"

/* ---- FlowControlMixin ------------------------------------------------------------------------- */
static void pause_writing(void *proto)
{
    aw__stream_protocol *p = proto;
    p->paused = true;
}

static void resume_writing(void *proto)
{
    aw__stream_protocol *p = proto;
    p->paused = false;
    for (aw__drain_waiter *w = p->drain_waiters; w; w = w->next)
        if (w->fut->state == AW__PENDING) aw__future_finish(w->fut, aw_none());
}

/* _drain_helper(): ConnectionResetError('Connection lost') once the connection is lost; waits
 * while the transport's buffer is over the high-water mark. */
aw_status aw__stream_protocol_drain_helper(aw__stream_protocol *p)
{
    if (p->connection_lost) return aw__fail(AW_ConnectionResetError, "Connection lost");
    if (!p->paused) return AW_OK;
    /* Copied stacks: resume_writing reaches w while this task sleeps (fiber.h). */
    aw__drain_waiter w_on_stack = {aw__future_new_internal(p->loop), NULL, p->drain_waiters};
    aw__drain_waiter *w = aw__fiber_local_home(&w_on_stack, sizeof w_on_stack);
    *w = w_on_stack;
    aw__future_set_what(w->fut, "FlowControlMixin._drain_helper waiter");
    if (w->next) w->next->prev = w;
    p->drain_waiters = w;
    aw__stream_trace(p->loop, p->transport ? p->transport->id : 0, p->transport ? p->transport->fd : -1, AW_STREAM_DRAIN, w->fut,
                     p->transport ? (int64_t)p->transport->buffer.len : 0, NULL);
    aw_status st = aw__await_future(w->fut, NULL, NULL, 0);
    /* finally: self._drain_waiters.remove(waiter) */
    if (w->prev) w->prev->next = w->next; else p->drain_waiters = w->next;
    if (w->next) w->next->prev = w->prev;
    aw_future_detach(w->fut);
    aw__fiber_local_free(w, &w_on_stack);
    return st;
}

/* ---- StreamReaderProtocol -------------------------------------------------------------------- */
static void client_done(aw_future *f, void *arg)
{
    aw__transport *t = arg;
    if (f->state == AW__CANCELLED) {
        aw__transport_close(t);
        return;
    }
    aw_exc *exc = aw_future_exception(f);
    if (!exc) return;
    /* loop.call_exception_handler: the default handler logs the message and the exception. */
    char repr[512];
    aw_exc_repr(exc, repr, sizeof repr);
    aw__warn(t->loop, "exception-handler", f->id,
             "Unhandled exception in client_connected_cb\ntransport: <_SelectorSocketTransport fd=%d>\n%s", t->fd, repr);
    aw__transport_close(t);
}

static void connection_made(void *proto, aw__transport *t)
{
    aw__stream_protocol *p = proto;
    p->transport = t;
    if (p->reader) aw__stream_reader_set_transport(p->reader, t);
    if (!p->client_connected_cb) return;
    aw_stream_writer *w = aw__stream_writer_new(p->loop, t, p, p->reader);
    aw_coro *res = p->client_connected_cb(p->reader, w, p->cb_arg);
    if (!res) return;
    aw_task *task = aw_create_task(res);
    if (!task) { /* not a coroutine: CPython ignores what a plain callback returns */
        aw_exc_clear();
        return;
    }
    aw_future_add_done_callback(aw_task_future(task), client_done, t);
    aw_task_detach(task); /* the protocol keeps no use for it beyond the callback */
}

static void connection_lost(void *proto, aw_exc *exc)
{
    aw__stream_protocol *p = proto;
    if (p->reader) {
        if (!exc)
            aw_stream_reader_feed_eof(p->reader);
        else
            aw_stream_reader_set_exception(p->reader, aw_exc_ref(exc));
    }
    if (p->closed->state == AW__PENDING) {
        if (!exc) {
            aw__future_finish(p->closed, aw_none());
        } else {
            aw__future_finish_exception(p->closed, aw_exc_ref(exc));
            p->closed->log_traceback = false; /* __del__ retrieves it: never "never retrieved" */
        }
    }
    /* FlowControlMixin.connection_lost */
    p->connection_lost = true;
    if (p->paused)
        for (aw__drain_waiter *w = p->drain_waiters; w; w = w->next) {
            if (w->fut->state != AW__PENDING) continue;
            if (!exc)
                aw__future_finish(w->fut, aw_none());
            else
                aw__future_finish_exception(w->fut, aw_exc_ref(exc));
        }
    p->transport = NULL;
}

static void data_received(void *proto, const unsigned char *data, size_t n)
{
    aw__stream_protocol *p = proto;
    if (p->reader) aw_stream_reader_feed_data(p->reader, data, n);
}

static bool eof_received(void *proto)
{
    aw__stream_protocol *p = proto;
    if (p->reader) aw_stream_reader_feed_eof(p->reader);
    return true; /* keep the transport open: the writer may still write (not over SSL) */
}

static aw_future *closed_future(void *proto) { return ((aw__stream_protocol *)proto)->closed; }

const aw__protocol_ops aw__stream_protocol_ops = {
    .name = "StreamReaderProtocol",
    .connection_made = connection_made,
    .data_received = data_received,
    .eof_received = eof_received,
    .connection_lost = connection_lost,
    .pause_writing = pause_writing,
    .resume_writing = resume_writing,
    .closed = closed_future,
};

aw__stream_protocol *aw__stream_protocol_new(aw_loop *loop, aw_stream_reader *reader,
                                             aw_client_connected_fn cb, void *cb_arg)
{
    aw__stream_protocol *p = aw__arena_alloc(loop, sizeof *p);
    *p = (aw__stream_protocol){.loop = loop, .reader = reader, .client_connected_cb = cb, .cb_arg = cb_arg};
    p->closed = aw__future_new_internal(loop); /* self._closed = self._loop.create_future() */
    aw__future_set_what(p->closed, "StreamReaderProtocol._closed");
    return p;
}
