# The Python twin of test_core_loop.c's ready-queue and timer tests; test_core_twins.c runs the
# whole program in C and compares its output with fifo_timers.expected.
import asyncio

def log(s):
    loop = asyncio.get_running_loop()
    print(f"t={loop.time():.3f} {s}")

async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(lambda: (log("A"), loop.call_soon(log, "D (scheduled by A)")))
    loop.call_soon(log, "B")
    loop.call_soon(log, "C")
    await asyncio.sleep(0.1)
    for i in range(8):
        loop.call_later(1.0, log, str(i))
    loop.call_later(0.5, log, "early (created last)")
    loop.call_at(loop.time() + 0.25, log, "call_at 0.25")
    await asyncio.sleep(2)

asyncio.run(main())
