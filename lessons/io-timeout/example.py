import asyncio

async def slow_server(reader, writer):
    await reader.readline()
    # A slow link: the answer trickles in, a piece every 0.4 seconds.
    for piece in (b'the ', b'answer ', b'is ', b'42\n'):
        await asyncio.sleep(0.4)
        writer.write(piece)
        await writer.drain()
    writer.close()
    await writer.wait_closed()

async def main():
    server = await asyncio.start_server(slow_server, '127.0.0.1', 8889)
    async with server:
        reader, writer = await asyncio.open_connection('127.0.0.1', 8889)
        writer.write(b'question?\n')
        await writer.drain()
        try:
            line = await asyncio.wait_for(reader.readline(), timeout=1)
            print(f'answer: {line.decode()!r}')
        except TimeoutError:
            print('timeout! no whole line within 1 second')
        # readline() was cancelled, but the bytes that came stay in the reader's buffer.
        line = await asyncio.wait_for(reader.readline(), timeout=1)
        print(f'answer: {line.decode()!r}')
        writer.close()
        await writer.wait_closed()

asyncio.run(main())
