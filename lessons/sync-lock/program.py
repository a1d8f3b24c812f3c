# Variant of lessons/sync-lock/example.py. The doc's snippet is not a program: asyncio is not
# imported, `async with` stands outside a coroutine, and the block holds only a comment (as written,
# Python stops with IndentationError). Its four lines are kept, indented into the two coroutines
# that run them: main() makes the lock, and worker() (defined first, as C needs) takes it "later".
# Every added line is marked "added": two tasks contend for the lock, each holding it 1 second.
import asyncio  # added: the snippet uses asyncio without importing it

async def worker(name, lock):  # added: two tasks run this, sharing one lock
    # ... later
    print(f'{name}: wants the lock')  # added
    async with lock:
        # access shared state
        print(f'{name}: has the lock')  # added: the doc's block has only a comment
        await asyncio.sleep(1)  # added: holds the lock 1 second
    print(f'{name}: released it')  # added

async def main():  # added: makes the lock in the running loop (where a C lock must be made)
    lock = asyncio.Lock()
    await asyncio.gather(worker('A', lock), worker('B', lock))  # added

asyncio.run(main())  # added
