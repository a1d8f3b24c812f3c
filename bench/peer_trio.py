"""Trio doing awaitlab_bench.c's workloads where Trio has an equivalent (no call_soon, no bare
timers); prints `BENCH WORKLOAD VALUE`.
    python3 peer_trio.py WORKLOAD N        (Debian's python3, with python3-trio)"""
import sys
import time

import trio

from bench_util import report, status_bytes


async def yielder(n):
    for _ in range(n):
        await trio.sleep(0)


async def bench_switch(n):
    t0 = time.perf_counter()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(yielder, n)
        nursery.start_soon(yielder, n)
    report("switch", (time.perf_counter() - t0) * 1e9 / (2 * n))


async def trivial():
    return 1


async def bench_spawn(n):
    # Trio has no task handle to await: a nursery around one child is its create + await.
    t0 = time.perf_counter()
    for _ in range(n):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(trivial)
    report("spawn", (time.perf_counter() - t0) * 1e9 / n)


async def sleeper0():
    await trio.sleep(0)


async def bench_gather(n):
    t0 = time.perf_counter()
    async with trio.open_nursery() as nursery:
        for _ in range(n):
            nursery.start_soon(sleeper0)
    report("gather", (time.perf_counter() - t0) * 1e9 / n)


async def bench_memory(n):
    ev = trio.Event()
    finished = [0]

    async def event_sleeper():
        await ev.wait()
        finished[0] += 1

    rss0 = status_bytes("VmRSS")
    async with trio.open_nursery() as nursery:
        for _ in range(n):
            nursery.start_soon(event_sleeper)
        await trio.sleep(0)
        await trio.sleep(0)
        per_task = (status_bytes("VmRSS") - rss0) / n
        t0 = time.perf_counter()
        ev.set()
    if finished[0] == n:
        report("memory", per_task)
        report("memory_wake", (time.perf_counter() - t0) * 1e9 / n)


WORKLOADS = {"switch": bench_switch, "spawn": bench_spawn, "gather": bench_gather, "memory": bench_memory}

if len(sys.argv) != 3 or sys.argv[1] not in WORKLOADS:
    sys.exit("usage: peer_trio.py WORKLOAD N  (WORKLOAD: " + ", ".join(WORKLOADS) + ")")
trio.run(WORKLOADS[sys.argv[1]], int(sys.argv[2]))
