# The Python twin of test_core_task.c's cancel_during_cleanup and about-to-step tests; test_core_twins.c
# runs the whole program in C and compares its output with cleanup.expected.
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def cleaner(cleanup):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("cleanup starts")
        try:
            await asyncio.sleep(cleanup)
        except asyncio.CancelledError:
            log("cleanup ends: CancelledError")
            raise
        log("cleanup ends: ok")
        raise

async def waits_on(f):
    try:
        return await f
    except asyncio.CancelledError:
        log("waiter resumed: CancelledError")
        raise

async def main():
    a = asyncio.create_task(cleaner(0.5))
    b = asyncio.create_task(cleaner(5))
    await asyncio.sleep(1)
    a.cancel("first"); b.cancel("first")
    await asyncio.sleep(1)
    b.cancel("second")
    try:
        await a
    except asyncio.CancelledError as e:
        log(f"a: CancelledError '{e}'")
    try:
        await b
    except asyncio.CancelledError as e:
        log(f"b: CancelledError '{e}' cancelling={b.cancelling()}")
    f = asyncio.get_running_loop().create_future()
    t = asyncio.create_task(waits_on(f))
    await asyncio.sleep(0)
    f.set_result(1)
    t.cancel("late")
    try:
        await t
    except asyncio.CancelledError as e:
        log(f"task cancelled={int(t.cancelled())} (CancelledError '{e}')")

asyncio.run(main())
