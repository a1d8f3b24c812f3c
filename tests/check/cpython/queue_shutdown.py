# The Python twin of test_core_queue.c's shutdown tests (Queue.shutdown is new in 3.13: under
# an older Python this twin says so and stops).  shutdown() wakes every blocked put() and get():
# puts raise QueueShutDown; gets take what is left, then raise QueueShutDown.  shutdown(
# immediate=True) drains the queue, so gets raise at once, and join() returns once the drained
# items no longer count as unfinished.
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def getter(q, name):
    while True:
        try:
            item = await q.get()
        except asyncio.QueueShutDown:
            log(f"{name}: QueueShutDown")
            return
        log(f"{name} got {item}")
        q.task_done()

async def putter(q, item):
    try:
        await q.put(item)
        log(f"put {item}")
    except asyncio.QueueShutDown:
        log(f"put {item}: QueueShutDown")

async def joiner(q):
    await q.join()
    log("join returned")

async def main():
    if not hasattr(asyncio, "QueueShutDown"):
        log("Queue.shutdown is new in Python 3.13")
        return
    q = asyncio.Queue()
    gs = [asyncio.create_task(getter(q, f"g{i}")) for i in range(2)]
    await asyncio.sleep(1)
    q.put_nowait(1)
    q.shutdown()
    try:
        q.put_nowait(2)
    except asyncio.QueueShutDown:
        log("put_nowait: QueueShutDown")
    await asyncio.gather(*gs)

    q = asyncio.Queue(maxsize=1)
    q.put_nowait("a")
    ps = [asyncio.create_task(putter(q, x)) for x in "bc"]
    j = asyncio.create_task(joiner(q))
    await asyncio.sleep(1)
    q.shutdown(immediate=True)
    log(f"qsize={q.qsize()}")
    await asyncio.gather(*ps, j)
    try:
        q.get_nowait()
    except asyncio.QueueShutDown:
        log("get_nowait: QueueShutDown")
    try:
        q.task_done()
    except ValueError as e:
        log(f"ValueError: {e}")

asyncio.run(main())
