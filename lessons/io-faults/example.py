import asyncio
import socket
import struct

connections = 0

async def flaky_server(reader, writer):
    global connections
    connections += 1
    request = await reader.readline()
    print(f'server: connection {connections} asks {request.decode()!r}')
    if connections == 1:
        print('server: resets it')
        sock = writer.get_extra_info('socket')
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        writer.transport.abort()
        return
    writer.write(b'pong\n')
    await writer.drain()
    writer.close()
    await writer.wait_closed()

async def ping():
    reader, writer = await asyncio.open_connection('127.0.0.1', 8890)
    writer.write(b'ping\n')
    await writer.drain()
    try:
        reply = await reader.readline()
    finally:
        writer.close()
    return reply.decode().strip()

async def main():
    server = await asyncio.start_server(flaky_server, '127.0.0.1', 8890)
    async with server:
        for attempt in range(1, 4):
            try:
                reply = await ping()
                print(f'client: attempt {attempt} got {reply!r}')
                break
            except ConnectionResetError as e:
                print(f'client: attempt {attempt} failed: {e!r}')
                await asyncio.sleep(0.5)

asyncio.run(main())
