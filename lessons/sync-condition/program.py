# Variant of lessons/sync-condition/example.py. The doc's snippet is not a program: asyncio is
# not imported and `async with` stands outside a coroutine; and once run, its wait() would wait
# forever, since nothing notifies the condition. Its four lines are kept, indented into the two
# coroutines that run them: main() makes the condition, and waiter() (defined first, as C needs)
# waits on it "later". Every added line is marked "added": main notifies the waiter after 1 s.
import asyncio  # added: the snippet uses asyncio without importing it

async def waiter(cond):  # added: a task runs the doc's block
    # ... later
    print('waiter: waiting')  # added
    async with cond:
        await cond.wait()
    print('waiter: notified')  # added

async def main():  # added: makes the condition in the running loop (where a C one must be made)
    cond = asyncio.Condition()
    task = asyncio.create_task(waiter(cond))  # added: a task waits on the condition
    await asyncio.sleep(1)  # added
    async with cond:  # added: notify() needs the lock held
        print('main: notify')  # added
        cond.notify()  # added: wakes the waiter (without it the program would never end)
    await task  # added

asyncio.run(main())  # added
