# Variant of lessons/coroutines-taskgroup/example.py: the doc shows only the new main() ("Using
# this API, the last example becomes"). The lines marked "added" are those of the first say_after
# example (lessons/coroutines-say-after), verbatim; main() is the doc's, unchanged.
import asyncio  # added: from the say_after example
import time  # added: from the say_after example

async def say_after(delay, what):  # added: from the say_after example
    await asyncio.sleep(delay)
    print(what)

async def main():
    async with asyncio.TaskGroup() as tg:
        task1 = tg.create_task(
            say_after(1, 'hello'))

        task2 = tg.create_task(
            say_after(2, 'world'))

        print(f"started at {time.strftime('%X')}")

    # The await is implicit when the context manager exits.

    print(f"finished at {time.strftime('%X')}")

asyncio.run(main())  # added: from the say_after example
