import asyncio

async def slow_operation():
    print("Slow operation is starting...")
    try:
        await asyncio.sleep(5) # This is more than the 3-second timeout
        print("This message will not be printed because the task was cancelled.")
    except asyncio.CancelledError:
        print("Slow operation was cancelled.")
        raise # It's good practice to re-raise the exception after cleanup

async def main():
    try:
        print("Waiting for slow operation...")
        await asyncio.wait_for(slow_operation(), timeout=3)
        print("This message will not be printed.")
    except asyncio.TimeoutError:
        print("Successfully caught a TimeoutError.")

asyncio.run(main())
