# The Python twin of test_core_scope.c.  Rules:
# - `async with` always exits: an exception leaving the body from a loop inside it, a `return`
#   inside it, an exception nothing in the function catches (timeouts.py Timeout.__aexit__ turns
#   the scope's cancellation into TimeoutError on the way); nothing is left armed afterwards;
# - a negative delay is a deadline already past (3.12+): timeout(-1) expires at the next
#   iteration; wait_for(x, -1) takes its `timeout <= 0` path (TimeoutError at once, x cancelled;
#   a done x gives its result); wait(fs, timeout=-1) returns after one iteration; None never;
# - a coroutine is awaited once: again -> "cannot reuse already awaited coroutine"; while its
#   task runs it -> "coroutine is being awaited already".  (Awaited before its task's first step,
#   it runs in the awaiter; CPython's task then drives the same coroutine too, through generator
#   delegation, and waits on the future it is suspended on: test_core_scope.c says what awaitlab
#   does there instead.)
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def work(d, v):
    await asyncio.sleep(d)
    return v

async def loop_in_scope():
    try:
        async with asyncio.timeout(1) as cm:
            for i in range(3):
                await asyncio.sleep(0.6)
                log(f"step {i}")
    except TimeoutError:
        log(f"TimeoutError expired={cm.expired()}")
    await asyncio.sleep(2)
    log("after: nothing left armed")

async def uncaught_inside():
    async with asyncio.timeout(1):
        await asyncio.sleep(5)

async def return_inside():
    async with asyncio.timeout(1):
        return await work(0.5, "returned")

async def negative():
    try:
        async with asyncio.timeout(-1) as cm:
            await asyncio.sleep(1)
    except TimeoutError:
        log(f"timeout(-1): TimeoutError expired={cm.expired()}")
    async with asyncio.timeout(None):
        await asyncio.sleep(0.5)
    log("timeout(None): never")
    try:
        await asyncio.wait_for(work(1, "x"), -1)
    except TimeoutError:
        log("wait_for(x, -1): TimeoutError")
    t = asyncio.create_task(work(0, "done already"))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(f"wait_for(done task, -1): {await asyncio.wait_for(t, -1)}")
    t = asyncio.create_task(work(1, "w"))
    done, pending = await asyncio.wait([t], timeout=-1)
    log(f"wait(timeout=-1): done={len(done)} pending={len(pending)}")
    await t

async def reuse():
    c = work(0.1, "c")
    await c
    try:
        await c
    except RuntimeError as e:
        log(f"again: RuntimeError('{e}')")
    c = work(1, "running")
    t = asyncio.create_task(c)
    await asyncio.sleep(0)
    try:
        await c
    except RuntimeError as e:
        log(f"while its task runs it: RuntimeError('{e}')")
    log(f"its task: {await t}")

async def main():
    await loop_in_scope()
    try:
        await uncaught_inside()
    except TimeoutError:
        log("uncaught inside: TimeoutError")
    await asyncio.sleep(2)
    log("after: nothing left armed")
    log(await return_inside())
    await asyncio.sleep(2)
    log("after: nothing left armed")
    await negative()
    await reuse()

asyncio.run(main())
