"""CPython asyncio (or uvloop) doing awaitlab_bench.c's workloads; prints `BENCH WORKLOAD VALUE`.
    python3 peer_asyncio.py asyncio|uvloop WORKLOAD N
Run with Debian's python3 (/usr/bin/python3), where python3-uvloop is installed."""
import asyncio
import sys
import time

from bench_util import report, status_bytes


async def yielder(n):
    for _ in range(n):
        await asyncio.sleep(0)


async def bench_switch(n):
    t0 = time.perf_counter()
    await asyncio.gather(yielder(n), yielder(n))
    report("switch", (time.perf_counter() - t0) * 1e9 / (2 * n))


async def trivial():
    return 1


async def bench_spawn(n):
    t0 = time.perf_counter()
    for _ in range(n):
        await asyncio.create_task(trivial())
    report("spawn", (time.perf_counter() - t0) * 1e9 / n)


async def run_chain(n):
    loop = asyncio.get_running_loop()
    remaining = [n]

    def chain():
        remaining[0] -= 1
        if remaining[0] > 0:
            loop.call_soon(chain)

    loop.call_soon(chain)
    while remaining[0] > 0:
        await asyncio.sleep(0)


async def bench_call_soon(n):
    t0 = time.perf_counter()
    await run_chain(n)
    report("call_soon", (time.perf_counter() - t0) * 1e9 / n)


async def bench_callbacks_rss(n):
    await run_chain(n)
    report("callbacks_rss", status_bytes("VmHWM") / 1e6)


async def bench_timers(n):
    loop = asyncio.get_running_loop()
    fired = [0]

    def fire():
        fired[0] += 1

    t0 = time.perf_counter()
    for i in range(n):
        loop.call_later((i % 1000) * 1e-6, fire)
    while fired[0] < n:
        await asyncio.sleep(0.0005)
    report("timers", (time.perf_counter() - t0) * 1e9 / n)


async def sleeper0():
    await asyncio.sleep(0)
    return 1


async def bench_gather(n):
    t0 = time.perf_counter()
    await asyncio.gather(*[sleeper0() for _ in range(n)])
    report("gather", (time.perf_counter() - t0) * 1e9 / n)


async def bench_memory(n):
    ev = asyncio.Event()
    finished = [0]

    async def event_sleeper():
        await ev.wait()
        finished[0] += 1

    rss0 = status_bytes("VmRSS")
    tasks = [asyncio.create_task(event_sleeper()) for _ in range(n)]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    per_task = (status_bytes("VmRSS") - rss0) / n
    t0 = time.perf_counter()
    ev.set()
    for t in tasks:
        await t
    if finished[0] == n:
        report("memory", per_task)
        report("memory_wake", (time.perf_counter() - t0) * 1e9 / n)


WORKLOADS = {
    "switch": bench_switch, "spawn": bench_spawn, "call_soon": bench_call_soon,
    "callbacks_rss": bench_callbacks_rss, "timers": bench_timers, "gather": bench_gather,
    "memory": bench_memory,
}

if len(sys.argv) != 4 or sys.argv[1] not in ("asyncio", "uvloop") or sys.argv[2] not in WORKLOADS:
    sys.exit("usage: peer_asyncio.py asyncio|uvloop WORKLOAD N")
if sys.argv[1] == "uvloop":
    import uvloop
    uvloop.install()
asyncio.run(WORKLOADS[sys.argv[2]](int(sys.argv[3])))
