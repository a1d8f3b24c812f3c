# Variant of lessons/awaitables-futures/example.py. The doc's main() is unchanged; the doc leaves
# the rest out, so it is added here (every added line is marked), with prints so the run shows
# something. The doc names loop.run_in_executor() as "a good example of a low-level function
# that returns a Future", so that is what function_that_returns_a_future_object() does.
# On the virtual loop the executor is vloop.VirtualExecutor: deterministic, no threads (see
# vloop.py): blocking_io() runs when submitted, its time.sleep(1) is the worker thread's time,
# and its result arrives 1 virtual second later.
import asyncio  # added: the fragment uses asyncio without importing it
import time  # added: for blocking_io()

def blocking_io():  # added: plain blocking code, for the executor's worker thread
    time.sleep(1)
    return "blocking_io result"

def function_that_returns_a_future_object():  # added: the doc uses this name without defining it
    print("function_that_returns_a_future_object: blocking_io() sent to the executor")
    future = asyncio.get_running_loop().run_in_executor(None, blocking_io)
    future.add_done_callback(lambda f: print(f"future done: {f.result()!r}"))
    return future

async def some_python_coroutine():  # added: the doc uses this name without defining it
    print("some_python_coroutine: started")
    await asyncio.sleep(2)
    print("some_python_coroutine: finished")
    return "coroutine result"

async def main():
    await function_that_returns_a_future_object()

    # this is also valid:
    await asyncio.gather(
        function_that_returns_a_future_object(),
        some_python_coroutine()
    )

asyncio.run(main())  # added: the fragment defines main() but does not run it
