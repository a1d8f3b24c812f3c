# The Python twin of test_core_ready_order.c: task steps (sleep(0), a task's start, a wake-up)
# and plain callbacks share one FIFO ready queue, in CPython's order; a sleep(0) is a coroutine
# like any other (awaited once, wrapped in a task, leaves the exception being handled alone).
# The C test runs the program with no tracer and with one, and both logs must equal
# ready_order.expected.
import asyncio
import sys

def log(s):
    loop = asyncio.get_running_loop()
    print(f"t={loop.time():.3f} {s}")

async def yielder(name, n):
    for i in range(n):
        log(f"{name} step {i}")
        await asyncio.sleep(0)
    log(f"{name} done")
    return name

async def victim():
    try:
        while True:
            log("victim yields")
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        log("victim cancelled at sleep(0)")
        raise

async def fails():
    raise ValueError("handled")

def resolve(fut):
    log("callback 2 resolves fut")
    fut.set_result("x")

def start_c():
    log("callback 3 starts c")
    asyncio.get_running_loop().create_task(yielder("c", 1))

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.add_done_callback(lambda f: log(f"done-callback sees {f.result()}"))
    a = asyncio.create_task(yielder("a", 3))
    loop.call_soon(log, "callback 1")
    b = asyncio.create_task(yielder("b", 2))
    loop.call_soon(resolve, fut)
    v = asyncio.create_task(victim())
    loop.call_soon(start_c)
    log("main awaits fut")
    log(f"main got {await fut}")
    await asyncio.sleep(0)
    v.cancel()
    log("main cancelled victim")
    log(f"main got {await a} {await b}")
    try:
        await v
    except asyncio.CancelledError:
        log("victim is cancelled")
    s = asyncio.sleep(0)
    await s
    try:
        await s
    except RuntimeError as e:
        log(f"awaited again: RuntimeError('{e}')")
    t = asyncio.create_task(asyncio.sleep(0))
    log(f"task of sleep(0): {await t}")
    try:
        await fails()
    except ValueError:
        await asyncio.sleep(0)
        log(f"after sleep(0) still handling {sys.exc_info()[1]!r}")

asyncio.run(main())
