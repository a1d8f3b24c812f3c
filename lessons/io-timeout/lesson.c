/* io-timeout — the C port of example.py; py:N tags line N of example.py.
 * A read under wait_for on a slow link: the server's answer trickles in, a piece every 0.4 s, so
 * no whole line has come when the 1 s timeout cancels readline().  Cancelling it loses nothing:
 * the pieces that came wait in the reader's buffer, and the next readline() returns the line. */
#include "awaitlab.h"
#include "lessons.h"

static const char *const pieces[] = {"the ", "answer ", "is ", "42\n"};

AW_COROUTINE(slow_server, aw_stream_reader *reader; aw_stream_writer *writer;) { /* py:3 */
    AW_AWAIT(aw_stream_reader_readline(self->reader));        /* py:4 */
    /* A slow link: the answer trickles in, a piece every 0.4 seconds. */
    for (int i = 0; i < 4; i++) {                             /* py:6 */
        AW_AWAIT(aw_sleep(0.4));                              /* py:7 */
        AW_TRY(aw_stream_writer_write_str(self->writer, pieces[i])); /* py:8 */
        AW_AWAIT(aw_stream_writer_drain(self->writer));       /* py:9 */
    }
    aw_stream_writer_close(self->writer);                     /* py:10 */
    AW_AWAIT(aw_stream_writer_wait_closed(self->writer));     /* py:11 */
    return aw_none();
}

static aw_coro *on_connect(aw_stream_reader *reader, aw_stream_writer *writer, void *arg)
{
    (void)arg;
    return AW_CALL(slow_server, reader, writer);
}

AW_COROUTINE(main) {                                          /* py:13 */
    aw_server *server;
    AW_AWAIT(aw_start_server(on_connect, NULL, "127.0.0.1", 8889, &server)); /* py:14 */
    AW_ASYNC_WITH(server) {                                   /* py:15 */
        aw_stream_reader *reader;
        aw_stream_writer *writer;
        aw_value line;
        char r[128];
        AW_AWAIT(aw_open_connection("127.0.0.1", 8889, &reader, &writer)); /* py:16 */
        AW_TRY(aw_stream_writer_write_str(writer, "question?\n")); /* py:17 */
        AW_AWAIT(aw_stream_writer_drain(writer));             /* py:18 */
        /* try: */                                            /* py:19 */
        aw_status st = aw_await(aw_wait_for(aw_stream_reader_readline(reader), 1), &line); /* py:20 */
        if (st == AW_OK) {
            aw_value_repr(aw_bytes_decode(line), r, sizeof r);
            aw_print("answer: %s", r);                        /* py:21 */
        } else if (aw_except(st, "TimeoutError")) {           /* py:22 */
            aw_print("timeout! no whole line within 1 second"); /* py:23 */
            aw_exc_clear();
        } else {
            return aw_reraise();
        }
        /* readline() was cancelled, but the bytes that came stay in the reader's buffer. */
        AW_AWAIT_INTO(line, aw_wait_for(aw_stream_reader_readline(reader), 1)); /* py:25 */
        aw_value_repr(aw_bytes_decode(line), r, sizeof r);
        aw_print("answer: %s", r);                            /* py:26 */
        aw_stream_writer_close(writer);                       /* py:27 */
        AW_AWAIT(aw_stream_writer_wait_closed(writer));       /* py:28 */
    }
    return aw_none();
}

AW_LESSON(io_timeout,                                         /* py:30 */
          "streams: wait_for cancels a readline on a slow link; the bytes that came are kept", /* py:30 */
          0, main);                                           /* py:30 */
