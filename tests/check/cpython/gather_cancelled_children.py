# The Python twin of test_core_cancel_rules.c's gather_keeps_cancel_messages.
# Rule (tasks.py gather, _done_callback with return_exceptions=True): a cancelled child becomes
# CancelledError('' if fut._cancel_message is None else fut._cancel_message).  So a future
# cancelled with a message keeps it; a task whose coroutine raised CancelledError does not
# (Task.__step ends it with super().cancel(), no message); a task cancelled while running that
# then returns keeps it (super().cancel(msg=self._cancel_message)).
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def sleeper(d):
    await asyncio.sleep(d)
    return "slept"

async def cancel_self_then_return():
    asyncio.current_task().cancel("self-msg")
    return "returned"

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    t_wait = asyncio.create_task(sleeper(5))
    t_self = asyncio.create_task(cancel_self_then_return())
    t_ok = asyncio.create_task(sleeper(1))
    loop.call_later(1, fut.cancel, "fut-msg")
    loop.call_later(1, t_wait.cancel, "task-msg")
    results = await asyncio.gather(fut, t_wait, t_self, t_ok, return_exceptions=True)
    for name, r in zip(["future", "task raised", "task returned", "task ok"], results):
        if isinstance(r, BaseException):
            log(f"{name}: {type(r).__name__}('{r}')")
        else:
            log(f"{name}: {r!r}")

asyncio.run(main())
