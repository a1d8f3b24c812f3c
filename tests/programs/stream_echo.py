# The Python twin of stream_echo.c: an echo server and its client over loopback (the host is the
# first argument: 127.0.0.1, or localhost, which CPython resolves in the executor).
# tests/scripts/test_core_stream_schedule.sh records it under CPython and checks that the C port's
# trace has the same schedule.
import asyncio
import sys

HOST = sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1'

async def handle_echo(reader, writer):
    line = await reader.readline()
    print(f"Received: {line.decode()!r}")
    writer.write(line.upper())
    await writer.drain()
    rest = await reader.read()
    print(f"Then: {rest!r}")
    writer.write(b'bye')
    writer.close()
    await writer.wait_closed()

async def client(port):
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(b'hello\n')
    print(f"Echoed: {await reader.readline()!r}")
    writer.write(b'the end')
    writer.write_eof()
    print(f"Last: {await reader.read()!r}")
    writer.close()
    await writer.wait_closed()

async def main():
    server = await asyncio.start_server(handle_echo, HOST, 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        await client(port)
    print("closed")
    try:
        await asyncio.open_connection(HOST, port)
    except ConnectionRefusedError as e:
        print(f"refused: errno {e.errno}")

asyncio.run(main())
