/* stream_echo.c — the C port of stream_echo.py (an echo server and its client over loopback; the
 * host is the first argument), whose schedule tests/scripts/test_core_stream_schedule.sh compares
 * with CPython's. */
#include <ctype.h>
#include <string.h>

#include "awaitlab.h"

static const char *host = "127.0.0.1";

static const char *repr(aw_value v)
{
    static char bufs[2][256];
    static int i;
    char *b = bufs[i++ % 2];
    aw_value_repr(v, b, 256);
    return b;
}

AW_COROUTINE(handle_echo, aw_stream_reader *reader; aw_stream_writer *writer;)
{
    aw_value line, rest;
    AW_AWAIT_INTO(line, aw_stream_reader_readline(self->reader));
    aw_print("Received: %s", repr(aw_bytes_decode(line)));
    char upper[256];
    size_t n = aw_bytes_len(line) < sizeof upper ? aw_bytes_len(line) : sizeof upper;
    for (size_t i = 0; i < n; i++) upper[i] = (char)toupper(aw_bytes_data(line)[i]);
    AW_TRY(aw_stream_writer_write(self->writer, upper, n));
    AW_AWAIT(aw_stream_writer_drain(self->writer));
    AW_AWAIT_INTO(rest, aw_stream_reader_read(self->reader, -1));
    aw_print("Then: %s", repr(rest));
    AW_TRY(aw_stream_writer_write_str(self->writer, "bye"));
    aw_stream_writer_close(self->writer);
    AW_AWAIT(aw_stream_writer_wait_closed(self->writer));
    return aw_none();
}

static aw_coro *on_client(aw_stream_reader *reader, aw_stream_writer *writer, void *arg)
{
    (void)arg;
    return AW_CALL(handle_echo, reader, writer);
}

AW_COROUTINE(client, int port;)
{
    aw_stream_reader *reader;
    aw_stream_writer *writer;
    aw_value v;
    AW_AWAIT(aw_open_connection(host, self->port, &reader, &writer));
    AW_TRY(aw_stream_writer_write_str(writer, "hello\n"));
    AW_AWAIT_INTO(v, aw_stream_reader_readline(reader));
    aw_print("Echoed: %s", repr(v));
    AW_TRY(aw_stream_writer_write_str(writer, "the end"));
    aw_stream_writer_write_eof(writer);
    AW_AWAIT_INTO(v, aw_stream_reader_read(reader, -1));
    aw_print("Last: %s", repr(v));
    aw_stream_writer_close(writer);
    AW_AWAIT(aw_stream_writer_wait_closed(writer));
    return aw_none();
}

AW_COROUTINE(main)
{
    aw_server *server;
    AW_AWAIT(aw_start_server(on_client, NULL, host, 0, &server));
    int port = aw_server_port(server);
    AW_ASYNC_WITH(server) {
        AW_AWAIT(AW_CALL(client, port));
    }
    aw_print("closed");
    aw_status st = aw_await(aw_open_connection(host, port, NULL, NULL), NULL);
    if (aw_except(st, AW_ConnectionRefusedError)) {
        aw_print("refused: errno %lld", aw_exc_attr(aw_exc_current(), "errno").as.i);
        aw_exc_clear();
    }
    return aw_none();
}

int main(int argc, char **argv)
{
    if (argc > 1) host = argv[1];
    return aw_run(AW_CALL(main), NULL, NULL) == AW_OK ? 0 : 1;
}
