/* io-echo — the C port of the docs' TCP echo client and server, in one program (program.py);
 * py:N tags line N of program.py.
 * The server's handler and the client are two tasks talking over one connection: every await on
 * the network is a wait for bytes, and the loop runs whoever's bytes have come. */
#include "awaitlab.h"
#include "lessons.h"

/* f'{x!r}' of a value: its repr in a buffer of the caller's */
static const char *repr(aw_value v, char *buf, size_t size)
{
    aw_value_repr(v, buf, size);
    return buf;
}

AW_COROUTINE(tcp_echo_client, const char *message;) {        /* py:8 */
    aw_stream_reader *reader;
    aw_stream_writer *writer;
    char r[256];
    AW_AWAIT(aw_open_connection("127.0.0.1", 8888, &reader, &writer)); /* py:9 */

    aw_print("Send: %s", repr(aw_str(self->message), r, sizeof r)); /* py:12 */
    AW_TRY(aw_stream_writer_write_str(writer, self->message)); /* py:13 */
    AW_AWAIT(aw_stream_writer_drain(writer));                 /* py:14 */

    aw_value data;
    AW_AWAIT_INTO(data, aw_stream_reader_read(reader, 100));  /* py:16 */
    aw_print("Received: %s", repr(aw_bytes_decode(data), r, sizeof r)); /* py:17 */

    aw_print("Close the connection");                         /* py:19 */
    aw_stream_writer_close(writer);                           /* py:20 */
    AW_AWAIT(aw_stream_writer_wait_closed(writer));           /* py:21 */
    return aw_none();
}

AW_COROUTINE(handle_echo, aw_stream_reader *reader; aw_stream_writer *writer;) { /* py:23 */
    aw_value data;
    char r[256], a[256];
    AW_AWAIT_INTO(data, aw_stream_reader_read(self->reader, 100)); /* py:24 */
    aw_value message = aw_bytes_decode(data);                 /* py:25 */
    aw_value addr = aw_stream_writer_get_extra_info(self->writer, "peername"); /* py:26 */

    aw_print("Received %s from %s", repr(message, r, sizeof r), repr(addr, a, sizeof a)); /* py:28 */

    aw_print("Send: %s", r);                                  /* py:30 */
    AW_TRY(aw_stream_writer_write(self->writer, aw_bytes_data(data), aw_bytes_len(data))); /* py:31 */
    AW_AWAIT(aw_stream_writer_drain(self->writer));           /* py:32 */

    aw_print("Close the connection");                         /* py:34 */
    aw_stream_writer_close(self->writer);                     /* py:35 */
    AW_AWAIT(aw_stream_writer_wait_closed(self->writer));     /* py:36 */
    return aw_none();
}

/* start_server's client_connected_cb: handle_echo(reader, writer), which the server runs as a task */
static aw_coro *on_connect(aw_stream_reader *reader, aw_stream_writer *writer, void *arg)
{
    (void)arg;
    return AW_CALL(handle_echo, reader, writer);
}

AW_COROUTINE(main) {                                          /* py:38 */
    aw_server *server;
    AW_AWAIT(aw_start_server(on_connect, NULL, "127.0.0.1", 8888, &server)); /* py:39 */

    /* one socket: str(sock.getsockname()) is ('127.0.0.1', 8888) */
    aw_print("Serving on ('127.0.0.1', %d)", aw_server_port(server)); /* py:43 */

    AW_ASYNC_WITH(server) {                                   /* py:45 */
        AW_AWAIT(AW_CALL(tcp_echo_client, "Hello World!"));   /* py:46 */
    }
    return aw_none();
}

AW_LESSON(io_echo,                                            /* py:48 */
          "streams: an echo server and its client on one connection, each await a wait for bytes", /* py:48 */
          0, main);                                           /* py:48 */
