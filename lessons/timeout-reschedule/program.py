# Variant of lessons/timeout-reschedule/example.py. The doc's main() is unchanged; the doc leaves
# the rest out, so it is added here (every added line is marked): the imports, a
# long_running_task() that prints and then takes 20 s (longer than the 10 s deadline, so the run
# shows the doc's last line), and asyncio.run(main()).
import asyncio  # added: the fragment uses asyncio without importing it
from asyncio import get_running_loop  # added: the fragment calls get_running_loop() unqualified

async def long_running_task():  # added: the doc uses this name without defining it
    print("long_running_task(): started")
    await asyncio.sleep(20)
    print("long_running_task(): finished")

async def main():
    try:
        # We do not know the timeout when starting, so we pass ``None``.
        async with asyncio.timeout(None) as cm:
            # We know the timeout now, so we reschedule it.
            new_deadline = get_running_loop().time() + 10
            cm.reschedule(new_deadline)

            await long_running_task()
    except TimeoutError:
        pass

    if cm.expired():
        print("Looks like we haven't finished on time.")

asyncio.run(main())  # added: the fragment defines main() but does not run it
