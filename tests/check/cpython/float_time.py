# The Python twin of test_core_time.c (issue 13): loop.time() and every deadline are CPython's
# floats, computed as CPython computes them (call_later: loop.time() + delay), and the virtual
# clock moves by now + (when - now).  test_core_time.c runs the same program in C and compares
# its output with float_time.expected.
#
# real-clock-check: 4
# (the first 4 lines are an order that a real clock shows too: tests/scripts/
# test_core_cpython_twins.sh also runs this file on CPython's own loop, really sleeping, and
# compares those lines without their times)
import asyncio


def say(text):
    print(f"t={asyncio.get_running_loop().time():.3f} {text}")


def log(text):
    say(f"{text} (loop.time() = {asyncio.get_running_loop().time()!r})")


async def tenths():
    for _ in range(3):
        await asyncio.sleep(0.1)
    log("tenths: 3 x sleep(0.1) done")


async def thirds():
    for _ in range(3):
        await asyncio.sleep(1 / 3)
    log("thirds: 3 x sleep(1/3) done")


async def one():
    await asyncio.sleep(1)
    log("one: sleep(1) done")


async def main():
    loop = asyncio.get_running_loop()
    # 1. Three sleep(0.1) end at 0.1 + 0.1 + 0.1 = 0.30000000000000004.  Three thirds make
    #    exactly 1.0: a tie with sleep(1), whose timer was made first (at 0) and fires first,
    #    though the thirds task was created first.  (In integer ns, three 333333333 ns thirds
    #    end 1 ns early and fire first.)
    c = asyncio.create_task(tenths())
    a = asyncio.create_task(thirds())
    b = asyncio.create_task(one())
    await a
    await b
    await c
    # 2. A timeout scope and a sleep of the same delay: the same float sum, a tie; the scope's
    #    timer was made first, so the timeout wins.
    try:
        async with asyncio.timeout(0.5):
            await asyncio.sleep(0.5)
        log("timeout(0.5) around sleep(0.5): no timeout")
    except TimeoutError:
        log("timeout(0.5) around sleep(0.5): TimeoutError")
    # 3. Three more sleep(0.1), from 1.5: the sums drift as floats do.
    t0 = loop.time()
    for _ in range(3):
        await asyncio.sleep(0.1)
    log("3 x sleep(0.1) more")
    say(f"{loop.time() - t0!r} {loop.time() - t0 == 0.3}")
    # 4. call_at with a float deadline: call_later(0.3) made first, call_at(now + 0.1 + 0.2)
    #    second; 0.1 + 0.2 is 0.30000000000000004, a later deadline: call_later fires first,
    #    both in the same iteration (within the clock resolution of each other).
    now = loop.time()
    h1 = loop.call_later(0.3, log, "call_later(0.3)")
    h2 = loop.call_at(now + 0.1 + 0.2, log, "call_at(now + 0.1 + 0.2)")
    h3 = loop.call_at(now + 0.3, log, "call_at(now + 0.3)")
    say(f"{h1.when()!r} {h2.when()!r} {h3.when()!r} {h1.when() == h3.when()}")
    await asyncio.sleep(0.5)
    # 5. wait_for(sleep(0.3), 0.1 + 0.2): the timeout's deadline, now + 0.30000000000000004, is
    #    a little after the sleep's, now + 0.3, but closer than the clock resolution (1e-9):
    #    both timers fire in one iteration, the sleep's first; the task's wake-up comes an
    #    iteration later, after the timeout cancelled it: TimeoutError.  (3.11's wait_for, not
    #    yet a timeout scope, returns the result the inner task has by then:
    #    float_time.expected-3.11.)
    try:
        r = await asyncio.wait_for(asyncio.sleep(0.3, "slept"), 0.1 + 0.2)
        log("wait_for(sleep(0.3), 0.1 + 0.2) -> %r" % r)
    except TimeoutError:
        log("wait_for(sleep(0.3), 0.1 + 0.2): TimeoutError")
    # 6. timeout_at with a float deadline; cm.when() is that float.
    try:
        async with asyncio.timeout_at(loop.time() + 1 / 3) as cm:
            say(f"timeout_at when: {cm.when()!r}")
            await asyncio.sleep(1)
    except TimeoutError:
        log("timeout_at: TimeoutError")
    # 7. A timeout rescheduled to a float deadline, and one already past (now - 0.1): expires at
    #    the next iteration.
    try:
        async with asyncio.timeout(10) as cm:
            cm.reschedule(loop.time() + 0.7)
            say(f"rescheduled to: {cm.when()!r}")
            await asyncio.sleep(1)
    except TimeoutError:
        log("rescheduled timeout: TimeoutError")
    try:
        async with asyncio.timeout_at(loop.time() - 0.1):
            await asyncio.sleep(0)
            await asyncio.sleep(0)
    except TimeoutError:
        log("timeout_at(the past): TimeoutError")


asyncio.run(main())
