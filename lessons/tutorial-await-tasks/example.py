import asyncio

async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)

async def main():
    print("starting main()")
    
    # Task 1
    task1 = asyncio.create_task(
        say_after(3, 'hello')
    )
    # Task 2
    task2 = asyncio.create_task(
        say_after(1, 'world')
    )

    print("tasks created, now awaiting")
    await task1
    await task2
    
    print("finished main()")

asyncio.run(main())
