/* io-faults — the C port of example.py; py:N tags line N of example.py.
 * A client that retries after a reset: the server resets the first connection (SO_LINGER 0, then
 * abort(): the peer gets a reset, not an orderly end), so the client's readline() raises
 * ConnectionResetError; it waits 0.5 s, connects again and gets its answer. */
#include "awaitlab.h"
#include "lessons.h"

static int connections = 0;                                   /* py:5 */

AW_COROUTINE(flaky_server, aw_stream_reader *reader; aw_stream_writer *writer;) { /* py:7 */
    char r[128];
    connections += 1;                                         /* py:9 */
    aw_value request;
    AW_AWAIT_INTO(request, aw_stream_reader_readline(self->reader)); /* py:10 */
    aw_value_repr(aw_bytes_decode(request), r, sizeof r);
    aw_print("server: connection %d asks %s", connections, r); /* py:11 */
    if (connections == 1) {                                   /* py:12 */
        aw_print("server: resets it");                        /* py:13 */
        /* abort() closes with SO_LINGER 0: lines 14-16 in one call */
        aw_stream_writer_abort(self->writer);                 /* py:16 */
        return aw_none();                                     /* py:17 */
    }
    AW_TRY(aw_stream_writer_write_str(self->writer, "pong\n")); /* py:18 */
    AW_AWAIT(aw_stream_writer_drain(self->writer));           /* py:19 */
    aw_stream_writer_close(self->writer);                     /* py:20 */
    AW_AWAIT(aw_stream_writer_wait_closed(self->writer));     /* py:21 */
    return aw_none();
}

static aw_coro *on_connect(aw_stream_reader *reader, aw_stream_writer *writer, void *arg)
{
    (void)arg;
    return AW_CALL(flaky_server, reader, writer);
}

/* reply.decode().strip() of a line: its text without the newline */
static aw_value stripped(aw_value line)
{
    size_t n = aw_bytes_len(line);
    while (n > 0 && (aw_bytes_data(line)[n - 1] == '\n' || aw_bytes_data(line)[n - 1] == ' ')) n--;
    return aw_bytes_decode(aw_bytes(aw_bytes_data(line), n));
}

AW_COROUTINE(ping) {                                          /* py:23 */
    aw_stream_reader *reader;
    aw_stream_writer *writer;
    aw_value reply;
    AW_AWAIT(aw_open_connection("127.0.0.1", 8890, &reader, &writer)); /* py:24 */
    AW_TRY(aw_stream_writer_write_str(writer, "ping\n"));     /* py:25 */
    AW_AWAIT(aw_stream_writer_drain(writer));                 /* py:26 */
    /* try: */                                                /* py:27 */
    aw_status st = aw_await(aw_stream_reader_readline(reader), &reply); /* py:28 */
    aw_finally();                                             /* py:29 */
    aw_stream_writer_close(writer);                           /* py:30 */
    if (st != AW_OK) return aw_reraise();
    return stripped(reply);                                   /* py:31 */
}

AW_COROUTINE(main) {                                          /* py:33 */
    aw_server *server;
    AW_AWAIT(aw_start_server(on_connect, NULL, "127.0.0.1", 8890, &server)); /* py:34 */
    AW_ASYNC_WITH(server) {                                   /* py:35 */
        for (int attempt = 1; attempt < 4; attempt++) {       /* py:36 */
            char r[128];
            aw_value reply;
            /* try: */                                        /* py:37 */
            aw_status st = aw_await(AW_CALL(ping), &reply);   /* py:38 */
            if (st == AW_OK) {
                aw_value_repr(reply, r, sizeof r);
                aw_print("client: attempt %d got %s", attempt, r); /* py:39 */
                break;                                        /* py:40 */
            } else if (aw_except(st, "ConnectionResetError")) { /* py:41 */
                aw_exc_repr(aw_exc_current(), r, sizeof r);
                aw_print("client: attempt %d failed: %s", attempt, r); /* py:42 */
                aw_exc_clear();
                AW_AWAIT(aw_sleep(0.5));                      /* py:43 */
            } else {
                return aw_reraise();
            }
        }
    }
    return aw_none();
}

AW_LESSON(io_faults,                                          /* py:45 */
          "streams: the server resets a connection; the client catches ConnectionResetError and retries", /* py:45 */
          0, main);                                           /* py:45 */
