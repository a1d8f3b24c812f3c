# The Python twin of test_core_sync.c's Semaphore and Barrier tests: Semaphore(2) lets two in at
# a time, FIFO; a waiter woken (its unit already taken for it) and then cancelled gives the unit
# back to the next waiter; BoundedSemaphore's and Semaphore's ValueErrors; Barrier(3) returns
# indexes 0..2 in arrival order and lets no one through until the third arrives; abort() breaks
# it for waiters and later arrivals; reset() gives waiters BrokenBarrierError and makes it usable;
# repr() shows each state (its address written 0x..., as the oracle's loop writes it).
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def sem_worker(sem, name):
    async with sem:
        log(f"{name} in")
        await asyncio.sleep(1)
        log(f"{name} out")

async def sem_taker(sem, name):
    try:
        await sem.acquire()
    except asyncio.CancelledError:
        log(f"{name} cancelled, locked={sem.locked()}")
        raise
    log(f"{name} acquired")
    sem.release()

async def party(b, name, delay):
    await asyncio.sleep(delay)
    log(f"{name} arrives, n_waiting={b.n_waiting}")
    try:
        i = await b.wait()
    except asyncio.BrokenBarrierError as e:
        log(f"{name}: BrokenBarrierError: {e}")
        return
    log(f"{name} passes with index {i}")

async def main():
    sem = asyncio.Semaphore(2)
    await asyncio.gather(*(sem_worker(sem, f"s{i}") for i in range(4)))

    sem = asyncio.Semaphore(0)
    a = asyncio.create_task(sem_taker(sem, "a"))
    b = asyncio.create_task(sem_taker(sem, "b"))
    await asyncio.sleep(0)
    sem.release()
    a.cancel()
    await asyncio.gather(a, b, return_exceptions=True)
    log(f"a cancelled={a.cancelled()} locked={sem.locked()}")

    bs = asyncio.BoundedSemaphore(1)
    await bs.acquire()
    bs.release()
    try:
        bs.release()
    except ValueError as e:
        log(f"ValueError: {e}")
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        log(f"ValueError: {e}")

    barrier = asyncio.Barrier(3)
    await asyncio.gather(*(party(barrier, f"p{i}", i) for i in range(3)))
    log(f"after one round: n_waiting={barrier.n_waiting} broken={barrier.broken}")
    await asyncio.gather(*(party(barrier, f"q{i}", 0) for i in range(3)))

    ts = [asyncio.create_task(party(barrier, f"r{i}", 0)) for i in range(2)]
    await asyncio.sleep(1)
    log(f"before reset: {barrier!r}")
    await barrier.reset()
    log(f"reset: {barrier!r}")
    await asyncio.gather(*ts)
    log(f"after reset: n_waiting={barrier.n_waiting} broken={barrier.broken}")

    ts = [asyncio.create_task(party(barrier, f"x{i}", 0)) for i in range(2)]
    await asyncio.sleep(1)
    await barrier.abort()
    log(f"aborted: {barrier!r}")
    await asyncio.gather(*ts)
    await party(barrier, "y", 0)
    log(f"broken={barrier.broken}")
    try:
        asyncio.Barrier(0)
    except ValueError as e:
        log(f"ValueError: {e}")

asyncio.run(main())
