# The Python twin of test_core_cancel_rules.c's timeout_scope_under_outside_cancel.
# Rule (timeouts.py Timeout.__aexit__): an expired scope turns CancelledError into TimeoutError
# only if task.uncancel() <= the cancelling() it saw on entry, i.e. no other cancel request
# came meanwhile.  An outside cancel wins: CancelledError propagates, whether it came before the
# deadline, in the same loop iteration (either order), or during the body's cleanup.
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def scope(n, me, cleanup, cancel_at_deadline=None):
    cm = None
    try:
        async with asyncio.timeout(1.0) as cm:
            if cancel_at_deadline:  # a timer younger than the scope's, same deadline
                asyncio.get_running_loop().call_later(1.0, me.cancel, cancel_at_deadline)
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError as e:
                log(f"{n}: body got CancelledError('{e}')")
                if cleanup:
                    await asyncio.sleep(0.5)
                raise
    except asyncio.CancelledError as e:
        log(f"{n}: CancelledError('{e}') expired={int(cm.expired())} cancelling={me.cancelling()}")
        me.uncancel()
    except TimeoutError:
        log(f"{n}: TimeoutError expired={int(cm.expired())} cancelling={me.cancelling()}")

async def main():
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    await scope("deadline alone", me, False)
    loop.call_later(0.5, me.cancel, "before")
    await scope("cancel before the deadline", me, False)
    loop.call_later(1.0, me.cancel, "same-before")  # its timer is older than the scope's
    await scope("cancel, then deadline", me, False)
    await scope("deadline, then cancel", me, False, "same-after")
    loop.call_later(1.2, me.cancel, "cleanup")
    await scope("cancel during cleanup", me, True)

asyncio.run(main())
