# The Python twin of test_core_executor.c's simulated-clock test (run_in_executor, to_thread and
# call_soon_threadsafe on the oracle's virtual loop, whose VirtualExecutor runs each job at once
# and delivers its result when the job's own time.sleep()s are over); the C test runs the same
# program and compares its output with executor.expected.
import asyncio
import time

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

def work(name, seconds):        # a worker thread's function: blocks, returns a value
    time.sleep(seconds)
    return name

def chatty(loop):               # a worker thread that prints as it goes; time.sleep() is its own
    for i in range(3):
        print(f"t={loop.time():.3f} chatty {i}: monotonic {time.monotonic()!r}")
        time.sleep(0.1)
    return "chatty"

def fail(seconds):              # ... or raises
    time.sleep(seconds)
    raise ValueError("boom")

async def main():
    loop = asyncio.get_running_loop()
    # Two jobs finish in the order of their durations, not of submission; each future completes
    # one iteration after its job ends (call_soon_threadsafe from the worker).
    slow = loop.run_in_executor(None, work, "slow", 0.3)
    fast = loop.run_in_executor(None, work, "fast", 0.1)
    slow.add_done_callback(lambda f: log(f"slow done: {f.result()}"))
    fast.add_done_callback(lambda f: log(f"fast done: {f.result()}"))
    loop.call_soon(log, "call_soon after the submissions")
    loop.call_soon_threadsafe(log, "call_soon_threadsafe from the loop's thread")
    loop.call_soon(log, "call_soon after it")
    results = await asyncio.gather(slow, fast)
    log(f"gather: {results}")
    # An exception raised in the job is the future's exception.
    try:
        await loop.run_in_executor(None, fail, 0.2)
    except ValueError as e:
        log(f"ValueError: {e}")
    # to_thread: a coroutine; the job is submitted when it runs.
    log(f"to_thread: {await asyncio.to_thread(work, 'via to_thread', 0.5)}")
    # Cancelling the task that awaits the job: the task is cancelled at once; the job (already
    # running) runs on and its result is dropped when it arrives.
    t = asyncio.create_task(asyncio.to_thread(work, "never seen", 1.0))
    await asyncio.sleep(0.1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log(f"to_thread task cancelled: {t.cancelled()}")
    await asyncio.sleep(2)
    # A job of no duration against call_soon and bare yields.
    zero = loop.run_in_executor(None, work, "zero", 0)
    zero.add_done_callback(lambda f: log(f"zero done: {f.result()}"))
    loop.call_soon(log, "soon")
    await asyncio.sleep(0)
    log("after sleep(0)")
    await asyncio.sleep(0)
    log("after a second sleep(0)")
    log(f"await zero: {await zero}")
    # A job that prints and sleeps: on the virtual clock its lines come out at submission (the
    # loop's time), each reading the job's own clock, which its sleeps move (float sums); the
    # job ends when they are over.
    log(f"to_thread: {await asyncio.to_thread(chatty, loop)}")

asyncio.run(main())
