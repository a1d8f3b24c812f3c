# Variant of lessons/io-echo/example.py: the docs' echo client and echo server are two programs
# (the server serves forever); here they are one, so one trace shows both ends of the connection.
# The server's main() runs the client inside `async with server` instead of serve_forever(): when
# the client is done, leaving the block closes the server and the program ends.  Every changed or
# added line is marked.
import asyncio

async def tcp_echo_client(message):
    reader, writer = await asyncio.open_connection(
        '127.0.0.1', 8888)

    print(f'Send: {message!r}')
    writer.write(message.encode())
    await writer.drain()

    data = await reader.read(100)
    print(f'Received: {data.decode()!r}')

    print('Close the connection')
    writer.close()
    await writer.wait_closed()

async def handle_echo(reader, writer):
    data = await reader.read(100)
    message = data.decode()
    addr = writer.get_extra_info('peername')

    print(f"Received {message!r} from {addr!r}")

    print(f"Send: {message!r}")
    writer.write(data)
    await writer.drain()

    print("Close the connection")
    writer.close()
    await writer.wait_closed()

async def main():
    server = await asyncio.start_server(
        handle_echo, '127.0.0.1', 8888)

    addrs = ', '.join(str(sock.getsockname()) for sock in server.sockets)
    print(f'Serving on {addrs}')

    async with server:
        await tcp_echo_client('Hello World!')  # changed: was `await server.serve_forever()`

asyncio.run(main())
