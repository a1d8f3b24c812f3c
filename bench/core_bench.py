"""CPython asyncio doing the same work as core_bench.c; prints `BENCH <name> <ns per op>`."""
import asyncio
import sys
import time


def report(name, seconds, ops):
    print(f"BENCH {name} {seconds * 1e9 / ops:.1f}")


async def yielder(n):
    for _ in range(n):
        await asyncio.sleep(0)


async def pingpong(n):
    t0 = time.perf_counter()
    await asyncio.gather(yielder(n), yielder(n))
    report("sleep0_switch", time.perf_counter() - t0, 2 * n)


async def trivial():
    return 1


async def create_await(n):
    t0 = time.perf_counter()
    for _ in range(n):
        await asyncio.create_task(trivial())
    report("create_await_task", time.perf_counter() - t0, n)


async def sleeper0():
    await asyncio.sleep(0)
    return 1


async def gather_many(n):
    coros = [sleeper0() for _ in range(n)]
    t0 = time.perf_counter()
    await asyncio.gather(*coros)
    report("gather_task", time.perf_counter() - t0, n)


async def callbacks(n):
    loop = asyncio.get_running_loop()
    remaining = [n]

    def chain():
        remaining[0] -= 1
        if remaining[0] > 0:
            loop.call_soon(chain)

    t0 = time.perf_counter()
    loop.call_soon(chain)
    while remaining[0] > 0:
        await asyncio.sleep(0)
    report("call_soon", time.perf_counter() - t0, n)


scale = int(sys.argv[1]) if len(sys.argv) > 1 else 1
asyncio.run(pingpong(500000 * scale))
asyncio.run(create_await(200000 * scale))
asyncio.run(gather_many(20000 * scale))
asyncio.run(callbacks(1000000 * scale))
