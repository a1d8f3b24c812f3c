# The Python twin of test_core_cancel_rules.c's shield_of_cancelled_inner_cancels_outer.
# Rule (tasks.py shield, _inner_done_callback): when the inner future is cancelled, the shield's
# outer future is cancelled too, by outer.cancel() without a message; the awaiting task gets
# CancelledError() (not the inner's message) and is not itself being cancelled (cancelling() 0).
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def child(d):
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError as e:
        log(f"child: CancelledError('{e}')")
        raise
    return "child"

async def main():
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    inner = loop.create_future()
    outer = asyncio.shield(inner)
    loop.call_later(1, inner.cancel, "inner-msg")
    try:
        await outer
        log("shield(future): no exception")
    except asyncio.CancelledError as e:
        log(f"shield(future): CancelledError('{e}') outer.cancelled={int(outer.cancelled())} "
            f"cancelling={me.cancelling()}")
    task = asyncio.create_task(child(5))
    outer = asyncio.shield(task)
    loop.call_later(1, task.cancel, "task-msg")
    try:
        await outer
        log("shield(task): no exception")
    except asyncio.CancelledError as e:
        log(f"shield(task): CancelledError('{e}') outer.cancelled={int(outer.cancelled())} "
            f"cancelling={me.cancelling()}")
    await asyncio.sleep(1)
    log("main still runs")

asyncio.run(main())
