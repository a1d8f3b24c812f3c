# The Python twin of test_core_task.c's default_names_twin: a default name "Task-N" takes the
# next number of a process-wide counter that only unnamed tasks advance (CPython 3.12+; 3.11
# counted named tasks too: task_names.expected-3.11).  Numbers are printed relative to the main
# task's, so the C test may run after other tests in the same process.
import asyncio

def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")

def relative(name, base):
    return f"main+{int(name[5:]) - base}" if name.startswith("Task-") else name

async def nothing():
    pass

async def main():
    base = int(asyncio.current_task().get_name()[5:])
    tasks = [asyncio.create_task(nothing(), name="worker"),
             asyncio.create_task(nothing()),
             asyncio.create_task(nothing(), name="helper"),
             asyncio.create_task(nothing()),
             asyncio.create_task(nothing())]
    for t in tasks:
        log(relative(t.get_name(), base))
    await asyncio.gather(*tasks)

asyncio.run(main())
