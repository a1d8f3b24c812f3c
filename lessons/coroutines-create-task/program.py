# Variant of lessons/coroutines-create-task/example.py: the doc shows only the new main() and says
# "Let's modify the above example". The lines marked "added" are the above example's
# (lessons/coroutines-say-after), verbatim; main() is the doc's, unchanged.
import asyncio  # added: from the above example
import time  # added: from the above example

async def say_after(delay, what):  # added: from the above example
    await asyncio.sleep(delay)
    print(what)

async def main():
    task1 = asyncio.create_task(
        say_after(1, 'hello'))

    task2 = asyncio.create_task(
        say_after(2, 'world'))

    print(f"started at {time.strftime('%X')}")

    # Wait until both tasks are completed (should take
    # around 2 seconds.)
    await task1
    await task2

    print(f"finished at {time.strftime('%X')}")

asyncio.run(main())  # added: from the above example
