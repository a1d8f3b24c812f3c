# The Python twin of test_core_sync.c's Event and Condition tests: Event.set wakes every waiter
# in the order they waited, clear() makes wait() block again; Condition.notify(n) wakes the first
# n waiters, notify_all the rest; a woken waiter returns only once it holds the lock again;
# wait_for re-checks its predicate; wait() cancelled still re-acquires the lock before
# CancelledError propagates; notify without the lock raises CPython's RuntimeError.
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def ev_waiter(ev, name):
    log(f"{name} waits")
    await ev.wait()
    log(f"{name} woke, is_set={ev.is_set()}")

async def cond_waiter(cond, name):
    async with cond:
        log(f"{name} waits")
        await cond.wait()
        log(f"{name} notified, locked={cond.locked()}")
        await asyncio.sleep(1)

async def cancelled_waiter(cond):
    async with cond:
        try:
            await cond.wait()
        except asyncio.CancelledError:
            log(f"cancelled in wait, locked={cond.locked()}")
            raise

async def main():
    ev = asyncio.Event()
    ts = [asyncio.create_task(ev_waiter(ev, f"e{i}")) for i in range(3)]
    await asyncio.sleep(1)
    ev.set()
    ev.clear()
    log(f"set and cleared, is_set={ev.is_set()}")
    await asyncio.gather(*ts)
    t = asyncio.create_task(ev_waiter(ev, "e3"))
    await asyncio.sleep(1)
    ev.set()
    await t
    await ev.wait()
    log("wait on a set event returns at once")

    cond = asyncio.Condition()
    ws = [asyncio.create_task(cond_waiter(cond, f"c{i}")) for i in range(4)]
    await asyncio.sleep(1)
    async with cond:
        cond.notify(2)
        log("notified 2")
        await asyncio.sleep(1)
        log("main releases")
    await asyncio.sleep(1)
    async with cond:
        cond.notify_all()
        log("notified all")
    await asyncio.gather(*ws)

    state = {"n": 0}
    async def waits_for():
        async with cond:
            await cond.wait_for(lambda: state["n"] >= 2)
            log(f"predicate true at n={state['n']}")
    w = asyncio.create_task(waits_for())
    for i in range(3):
        await asyncio.sleep(1)
        async with cond:
            state["n"] += 1
            log(f"n={state['n']}")
            cond.notify()
    await w

    c = asyncio.create_task(cancelled_waiter(cond))
    await asyncio.sleep(1)
    await cond.acquire()
    c.cancel()
    await asyncio.sleep(1)
    log(f"main holds the lock: {cond.locked()}")
    cond.release()
    try:
        await c
    except asyncio.CancelledError:
        log(f"cancelled waiter done, locked={cond.locked()}")
    try:
        cond.notify()
    except RuntimeError as e:
        log(f"RuntimeError: {e}")
    try:
        await cond.wait()
    except RuntimeError as e:
        log(f"RuntimeError: {e}")

asyncio.run(main())
