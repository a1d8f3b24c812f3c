# The Python twin of test_core_combinators.c's wait_for and timeout-scope tests; test_core_twins.c
# runs the whole program in C and compares its output with timeouts.expected.
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def work(name, d):
    await asyncio.sleep(d)
    log(f"{name} done")
    return name

async def slow_cleanup():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("inner cancelled, cleaning up")
        await asyncio.sleep(0.5)
        log("inner cleanup done")
        raise

async def main():
    t = asyncio.create_task(slow_cleanup())
    try:
        await asyncio.wait_for(t, 1.0)
    except TimeoutError:
        log(f"wait_for: TimeoutError (inner cancelled={int(t.cancelled())})")
    log(f"in time: {await asyncio.wait_for(work('quick', 0.5), 1.0)}")
    try:
        await asyncio.wait_for(work('zero', 0.5), 0)
    except TimeoutError:
        log("timeout 0: TimeoutError")
    try:
        async with asyncio.timeout(1.0) as cm:
            await asyncio.sleep(5)
    except TimeoutError:
        log(f"scope 1: TimeoutError expired={int(cm.expired())}")
    try:
        async with asyncio.timeout(1.0) as cm:
            cm.reschedule(asyncio.get_running_loop().time() + 3.0)
            await asyncio.sleep(5)
    except TimeoutError:
        log("scope 2 (rescheduled to +3): TimeoutError")

asyncio.run(main())
