# The Python twin of test_core_stream.c: asyncio streams on CPython's real loop over loopback.
# Each scenario prints what a C test prints, in the order it happens; the C tests compare their
# output with streams.expected, which tests/scripts/test_core_stream_twin.sh keeps equal to what
# this prints under python3.  Ports are chosen by the system: they are printed as PORT.
# Scenarios: an echo round trip through readline/readexactly/readuntil/read(n)/read(-1); early
# EOF (IncompleteReadError); a limit (LimitOverrunError, readline's ValueError); a refused
# connection; a reset; drain under backpressure; writing after write_eof and after close; a
# server's close/wait_closed while a connection is open; many connections; serve_forever
# cancelled inside `async with server`; writing on to a peer that closed (BrokenPipeError); close()
# sending what is buffered before the socket is closed.
import asyncio
import sys

PAYLOAD = 16 * 1024 * 1024   # more than loopback's buffers take while the peer does not read

def log(s):
    print(s)

def err(e, port=None):
    text = str(e) if port is None else str(e).replace(str(port), 'PORT')
    return f"{type(e).__name__}: {text}"

# ---- echo -------------------------------------------------------------------------------------
async def echo_handler(reader, writer):
    log("server: connected")
    line = await reader.readline()
    log(f"server: readline {line!r}")
    writer.write(line.upper())
    await writer.drain()
    log(f"server: readexactly {await reader.readexactly(5)!r}")
    log(f"server: readuntil {await reader.readuntil(b'!')!r}")
    rest = await reader.read()
    log(f"server: read() {rest!r} at_eof={reader.at_eof()}")
    writer.write(b'bye')
    writer.close()
    await writer.wait_closed()
    log("server: closed")

async def echo():
    server = await asyncio.start_server(echo_handler, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    log(f"serving={server.is_serving()}")
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    log(f"client: connected, peer port is the server's: {writer.get_extra_info('peername') == ('127.0.0.1', port)}")
    writer.write(b'hello\n')
    log(f"client: readline {await reader.readline()!r}")
    writer.writelines([b'12', b'345', b'abc!', b'tail'])
    writer.write_eof()
    log(f"client: can_write_eof={writer.can_write_eof()}")
    log(f"client: read(100) {await reader.read(100)!r}")
    log(f"client: read(100) {await reader.read(100)!r} at_eof={reader.at_eof()}")
    writer.close()
    log(f"client: is_closing={writer.is_closing()}")
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    log(f"serving={server.is_serving()}")

# ---- early EOF, limits ------------------------------------------------------------------------
async def short_handler(reader, writer):
    writer.write(b'abc')
    writer.close()

async def early_eof():
    server = await asyncio.start_server(short_handler, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    try:
        await reader.readexactly(5)
    except asyncio.IncompleteReadError as e:
        log(f"{err(e)} partial={e.partial!r} expected={e.expected!r}")
    try:
        await reader.readexactly(5)
    except asyncio.IncompleteReadError as e:
        log(f"{err(e)} partial={e.partial!r}")
    try:
        await reader.readuntil(b'\n')
    except asyncio.IncompleteReadError as e:
        log(f"{err(e)} expected={e.expected!r}")
    log(f"readline at EOF: {await reader.readline()!r}")
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

async def limits():
    r = asyncio.StreamReader(limit=4)
    r.feed_data(b'abcdefgh')
    try:
        await r.readuntil(b'!')
    except asyncio.LimitOverrunError as e:
        log(f"{err(e)} consumed={e.consumed}")
    r.feed_data(b'xy\nz')
    try:
        await r.readline()
    except ValueError as e:
        log(f"readline: {err(e)}")
    log(f"left: {await r.read(100)!r}")
    r.feed_data(b'1234567\n')
    try:
        await r.readline()
    except ValueError as e:
        log(f"readline: {err(e)}")
    r.feed_eof()
    log(f"after: {await r.read()!r} at_eof={r.at_eof()}")
    try:
        asyncio.StreamReader(limit=0)
    except ValueError as e:
        log(err(e))

# ---- refused, reset ---------------------------------------------------------------------------
async def nothing(reader, writer):
    writer.close()

async def refused():
    server = await asyncio.start_server(nothing, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    try:
        await asyncio.open_connection('127.0.0.1', port)
    except ConnectionRefusedError as e:
        log(f"{err(e, port)} errno={e.errno}")

async def abort_handler(reader, writer):
    # The client sends more than the reader takes in (it pauses reading past 2 * limit): what is
    # left unread in the socket makes its close a reset.
    while len(await reader.read(1)) == 0:
        pass
    await asyncio.sleep(0.1)
    log("server: abort")
    writer.transport.abort()

async def reset():
    server = await asyncio.start_server(abort_handler, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'x' * (1 << 20))
    try:
        await reader.read(10)
    except ConnectionResetError as e:
        log(f"client: {err(e)}")
    try:
        await reader.read(10)
    except ConnectionResetError as e:
        log(f"client again: {err(e)}")
    try:
        await writer.drain()
    except ConnectionResetError as e:
        log(f"client drain: {err(e)}")
    try:
        await writer.wait_closed()
    except ConnectionResetError as e:
        log(f"client wait_closed: {err(e)}")
    server.close()
    await server.wait_closed()

# ---- drain under backpressure -----------------------------------------------------------------
async def slow_handler(reader, writer, go):
    await go.wait()
    log("server: reading")
    got = 0
    while got < PAYLOAD:
        got += len(await reader.read(1 << 16))
    log(f"server: got {got} bytes")
    writer.write(b'ok')
    await writer.drain()
    writer.close()

async def backpressure():
    go = asyncio.Event()
    server = await asyncio.start_server(lambda r, w: slow_handler(r, w, go), '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'x' * PAYLOAD)
    log(f"client: buffered more than the high-water mark: {writer.transport.get_write_buffer_size() > 65536}")
    drain = asyncio.create_task(writer.drain())
    await asyncio.sleep(0.1)
    log(f"client: drain done after 0.1 s: {drain.done()}")
    go.set()
    await drain
    drained = writer.transport.get_write_buffer_size() <= 16384
    reply = await reader.read()
    log(f"client: drained to the low-water mark: {drained}, then got {reply!r}")
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

# ---- writing after write_eof / close ----------------------------------------------------------
async def after_close():
    server = await asyncio.start_server(nothing, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write_eof()
    try:
        writer.write(b'x')
    except RuntimeError as e:
        log(f"write after write_eof: {err(e)}")
    reader2, writer2 = await asyncio.open_connection('127.0.0.1', port)
    writer2.close()
    writer2.write(b'dropped')
    log("write after close: no error")
    try:
        await writer2.drain()
    except ConnectionResetError as e:
        log(f"drain after close: {err(e)}")
    await writer2.wait_closed()
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

# ---- a server's close and wait_closed with a connection open ----------------------------------
async def holder(reader, writer):
    log("server: holding a connection")
    data = await reader.read()
    log(f"server: client finished ({data!r})")
    writer.close()
    await writer.wait_closed()

async def server_close():
    server = await asyncio.start_server(holder, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    await asyncio.sleep(0.05)
    server.close()
    log(f"closed: serving={server.is_serving()}")
    waiting = asyncio.create_task(server.wait_closed())
    await asyncio.sleep(0.05)
    log(f"wait_closed done with a connection open: {waiting.done()}")
    writer.close()
    await writer.wait_closed()
    await waiting
    log("wait_closed done")

# ---- a broken pipe; close() flushes ------------------------------------------------------------
async def broken_pipe():
    server = await asyncio.start_server(nothing, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    log(f"eof: {await reader.read()!r}")
    writer.write(b'x')            # sent; the peer, closed, answers with a reset
    await asyncio.sleep(0.05)
    writer.write(b'y')            # EPIPE: the connection is lost with BrokenPipeError
    try:
        await writer.drain()
    except ConnectionError as e:
        log(f"drain: {err(e)}")
    try:
        await writer.wait_closed()
    except ConnectionError as e:
        log(f"wait_closed: {err(e)}")
    server.close()
    await server.wait_closed()

async def count_handler(reader, writer):
    data = await reader.read()
    log(f"server: got {len(data)} bytes")
    writer.close()

async def close_flushes():
    server = await asyncio.start_server(count_handler, '127.0.0.1', 0)
    reader, writer = await asyncio.open_connection('127.0.0.1', server.sockets[0].getsockname()[1])
    writer.write(b'z' * PAYLOAD)
    log(f"client: buffered: {writer.transport.get_write_buffer_size() > 0}")
    writer.close()
    await writer.wait_closed()
    log("client: closed")
    async with server:
        await asyncio.sleep(0.1)

# ---- many connections -------------------------------------------------------------------------
async def upper(reader, writer):
    writer.write((await reader.readline()).upper())
    await writer.drain()
    writer.close()

async def one_client(port, i):
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(f"client {i}\n".encode())
    line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return line.decode()

async def many():
    async with await asyncio.start_server(upper, '127.0.0.1', 0) as server:
        port = server.sockets[0].getsockname()[1]
        lines = await asyncio.gather(*(one_client(port, i) for i in range(50)))
        log(f"{len(lines)} replies, all right: {lines == [f'CLIENT {i}' + chr(10) for i in range(50)]}")
    log(f"after async with: serving={server.is_serving()}")

async def forever():
    server = await asyncio.start_server(nothing, '127.0.0.1', 0)
    task = asyncio.create_task(server.serve_forever())
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log(f"serve_forever cancelled: serving={server.is_serving()}")

# Server.wait_closed as 3.12.1+ has it (the reference: 3.14).  3.11 returns at once once the
# server is closed, connections or not; run with --wait-closed-3.12 to check streams.expected's
# server_close lines on python3 with the newer method (the rest of Server is the same).
async def wait_closed_312(self):
    if self._waiters is None:
        return
    waiter = self._loop.create_future()
    self._waiters.append(waiter)
    await waiter

if '--wait-closed-3.12' in sys.argv:
    asyncio.base_events.Server.wait_closed = wait_closed_312

async def main():
    for scenario in (echo, early_eof, limits, refused, reset, backpressure, after_close, server_close, many, forever,
                     broken_pipe, close_flushes):
        log(f"--- {scenario.__name__}")
        await scenario()

asyncio.run(main())
