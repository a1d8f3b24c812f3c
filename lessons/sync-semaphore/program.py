# Variant of lessons/sync-semaphore/example.py. The doc's snippet is not a program: asyncio is not
# imported, `async with` stands outside a coroutine, and the block holds only a comment (as
# written, Python stops with IndentationError). Its four lines are kept, indented into the two
# coroutines that run them: main() makes the semaphore, and worker() (defined first, as C needs)
# takes it "later". Every added line is marked "added": twelve tasks share the semaphore of 10, each
# holding it for 1 second, so two of them must wait.
import asyncio  # added: the snippet uses asyncio without importing it

async def worker(i, sem):  # added: twelve tasks run this, sharing one semaphore
    # ... later
    async with sem:
        # work with shared resource
        print(f'worker {i}: in')  # added: the doc's block has only a comment
        await asyncio.sleep(1)  # added: holds the semaphore 1 second

async def main():  # added: makes the semaphore in the running loop (where a C one must be made)
    sem = asyncio.Semaphore(10)
    await asyncio.gather(*(worker(i, sem) for i in range(12)))  # added

asyncio.run(main())  # added
