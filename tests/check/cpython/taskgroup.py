# The Python twin of test_core_taskgroup.c.  Rules (Lib/asyncio/taskgroups.py, CPython 3.13+):
# - the exit waits for every task of the group;
# - the first task that fails cancels the others and the body (its parent task); the exit raises
#   ExceptionGroup('unhandled errors in a TaskGroup', errors) and takes the parent's
#   cancellation back (uncancel), so cancelling() is 0 after it;
# - the body raising cancels the tasks too, and its error joins the group;
# - the parent cancelled from outside: the tasks are cancelled and CancelledError propagates
#   once they are done;
# - both (a task fails while the parent is cancelled from outside): 3.13+ uncancels and cancels
#   the parent again, so its cancelling() stays 1 and the next await is cancelled (3.11 leaves
#   nothing pending: see taskgroup.expected-3.11);
# - create_task on a group not entered / finished / shutting down: RuntimeError in CPython's words.
# CPython cancels a group's tasks in set order (addresses): at most one task per abort prints here.
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

async def child(name, d, fail=None, cleanup=0):
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError:
        log(f"{name}: cancelled")
        if cleanup:
            await asyncio.sleep(cleanup)
            log(f"{name}: cleanup done")
        raise
    if fail:
        log(f"{name}: raises {fail}")
        raise ValueError(fail)
    log(f"{name}: done")
    return name

def eg(e):  # the C port has no access to the members yet (the exception hierarchy is elsewhere)
    return f"{type(e).__name__}('{e}')"

async def all_succeed():
    async with asyncio.TaskGroup() as tg:
        t1 = tg.create_task(child("a", 1))
        t2 = tg.create_task(child("b", 2))
        log("body: tasks created")
    log(f"all done: {t1.result()} {t2.result()}")

async def one_fails():
    me = asyncio.current_task()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("bad", 1, "boom"))
            tg.create_task(child("slow", 5, cleanup=0.5))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                log("body: cancelled by the group")
                raise
    except* ValueError as e:
        log(f"caught {eg(e)} cancelling={me.cancelling()}")

async def body_raises():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("c", 3))
            await asyncio.sleep(1)
            log("body: raises")
            raise ValueError("body")
    except* ValueError as e:
        log(f"caught {eg(e)}")

async def outside_cancel():
    async def wrapper():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("d", 5, cleanup=0.5))
            await asyncio.sleep(10)
    t = asyncio.create_task(wrapper())
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log(f"wrapper: cancelled={t.cancelled()}")

async def both():
    async def wrapper():
        me = asyncio.current_task()
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child("e", 1, "late", cleanup=0))
                tg.create_task(child("f", 5, cleanup=1))
                await asyncio.sleep(10)
        except* ValueError as e:
            log(f"caught {eg(e)} cancelling={me.cancelling()}")
        try:
            await asyncio.sleep(0)
            log("after: not cancelled")
        except asyncio.CancelledError:
            log("after: cancelled at the next await")
            raise
    t = asyncio.create_task(wrapper())
    await asyncio.sleep(1.5)  # e has failed; f is cleaning up; the group waits in its exit
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log(f"wrapper: cancelled={t.cancelled()}")

async def misuse():
    tg = asyncio.TaskGroup()
    c = child("x", 1)
    try:
        tg.create_task(c)
    except RuntimeError as e:
        log(f"RuntimeError('{e}')")
        c.close()  # 3.14's create_task closes it already; 3.11's does not (its warning aside)
    async with tg:
        tg.create_task(child("y", 1, "fail"))
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            z = child("z", 1)
            try:
                tg.create_task(z)
            except RuntimeError as e:
                log(f"RuntimeError('{e}')")
                z.close()
            raise
    # not reached: the group raises

async def misuse_main():
    try:
        await misuse()
    except* ValueError as e:
        log(f"caught {eg(e)}")
    tg = asyncio.TaskGroup()
    async with tg:
        pass
    w = child("w", 1)
    try:
        tg.create_task(w)
    except RuntimeError as e:
        log(f"RuntimeError('{e}')")
        w.close()

async def main():
    await all_succeed()
    await one_fails()
    await body_raises()
    await outside_cancel()
    await both()
    await misuse_main()

asyncio.run(main())
