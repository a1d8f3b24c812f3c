# The Python twin of test_core_sync.c's Lock tests: FIFO order, fairness (a released lock goes
# to the first waiter, not to a task that asks later), a waiter woken and then cancelled passing
# its turn on (Lock._wake_up_first), CPython's error, and async with releasing on an exception.
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def worker(lock, name, hold):
    log(f"{name} wants the lock")
    async with lock:
        log(f"{name} has the lock")
        await asyncio.sleep(hold)
        log(f"{name} releases")

async def taker(lock, name):
    try:
        await lock.acquire()
    except asyncio.CancelledError:
        log(f"{name} cancelled, locked={lock.locked()}")
        raise
    log(f"{name} acquired")
    lock.release()

async def late(lock):
    log(f"late asks: locked={lock.locked()}")
    await lock.acquire()
    log("late acquired")
    lock.release()

async def fails(lock):
    async with lock:
        raise ValueError("inside")

async def main():
    lock = asyncio.Lock()
    ws = [asyncio.create_task(worker(lock, f"w{i}", 1)) for i in range(3)]
    await asyncio.gather(*ws)
    log(f"fifo done, locked={lock.locked()}")

    # woken, then cancelled before it ran: the turn passes to b
    await lock.acquire()
    a = asyncio.create_task(taker(lock, "a"))
    b = asyncio.create_task(taker(lock, "b"))
    await asyncio.sleep(0)
    lock.release()
    a.cancel()
    await asyncio.gather(a, b, return_exceptions=True)
    log(f"a cancelled={a.cancelled()} locked={lock.locked()}")

    # fairness: released with a waiter in line, a later task must wait its turn
    await lock.acquire()
    c = asyncio.create_task(taker(lock, "c"))
    await asyncio.sleep(0)
    d = asyncio.create_task(late(lock))   # its first step runs before c's wake-up
    lock.release()
    await asyncio.gather(c, d)

    try:
        lock.release()
    except RuntimeError as e:
        log(f"RuntimeError: {e}")
    try:
        await fails(lock)
    except ValueError as e:
        log(f"ValueError: {e}, locked={lock.locked()}")

asyncio.run(main())
