# The Python twin of test_core_queue.c: a bounded Queue between a producer and two consumers
# (put waits while full, get while empty, each wakes the other's first waiter), QueueFull and
# QueueEmpty from the *_nowait calls, task_done/join and "task_done() called too many times",
# a getter woken and then cancelled passing the item on to the next getter, LifoQueue's order,
# and PriorityQueue's: smallest first, equal items (1 and 1.0) in the order heapq's own
# mechanics give, and strings by code point; comparing an int with a str is a TypeError.
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def producer(q, n):
    for i in range(n):
        log(f"put {i}")
        await q.put(i)
        log(f"put {i} done, qsize={q.qsize()} full={q.full()}")

async def consumer(q, name):
    while True:
        item = await q.get()
        log(f"{name} got {item}")
        await asyncio.sleep(1)
        q.task_done()

async def getter(q, name):
    try:
        item = await q.get()
    except asyncio.CancelledError:
        log(f"{name} cancelled, qsize={q.qsize()}")
        raise
    log(f"{name} got {item}")

async def main():
    q = asyncio.Queue(maxsize=2)
    cs = [asyncio.create_task(consumer(q, f"c{i}")) for i in range(2)]
    await producer(q, 5)
    await q.join()
    log(f"joined, empty={q.empty()}")
    for c in cs:
        c.cancel()
    await asyncio.gather(*cs, return_exceptions=True)

    q.put_nowait("a")
    q.put_nowait("b")
    try:
        q.put_nowait("c")
    except asyncio.QueueFull:
        log("QueueFull")
    log(f"{q.get_nowait()} {q.get_nowait()}")
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        log("QueueEmpty")
    for _ in range(2):
        q.task_done()
    try:
        q.task_done()
    except ValueError as e:
        log(f"ValueError: {e}")

    g1 = asyncio.create_task(getter(q, "g1"))
    g2 = asyncio.create_task(getter(q, "g2"))
    await asyncio.sleep(0)
    q.put_nowait("x")
    g1.cancel()
    await asyncio.gather(g1, g2, return_exceptions=True)

    lq = asyncio.LifoQueue()
    for i in range(3):
        lq.put_nowait(i)
    log(f"lifo: {[lq.get_nowait() for _ in range(3)]}")

    pq = asyncio.PriorityQueue()
    for v in [5, 1, 3, 1.0, 2, 1, 4, 1.0]:
        pq.put_nowait(v)
    log(f"priority: {[pq.get_nowait() for _ in range(8)]}")
    for v in ["pear", "apple", "Zebra", "apple pie", "é", "b"]:
        pq.put_nowait(v)
    log(f"priority: {[pq.get_nowait() for _ in range(6)]}")
    pq.put_nowait(1)
    try:
        pq.put_nowait("one")
    except TypeError as e:
        log(f"TypeError: {e}, qsize={pq.qsize()}")

asyncio.run(main())
