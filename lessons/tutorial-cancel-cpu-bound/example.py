import asyncio
import time

def cpu_intensive_operatin():
    print("Task: Starting heavy computation...")
    start_time = time.time()
    # This loop runs plain Python code and does not yield to the event loop.
    while time.time() - start_time < 10:
        # Simulate CPU-bound work
        _ = 1 + 1
    print("Task: Heavy computation finished.")

async def worker_with_await():
    print("Worker: Starting...")
    cpu_intensive_operatin()  # Await a task that does CPU-bound work
    print("Worker: First part complete, now awaiting something else...")
    try:
        await asyncio.sleep(5)  # The cancellation will happen here
    except asyncio.CancelledError:
        print("Worker: Caught CancelledError. Cleanup complete.")
        raise  # Re-raise to signal cancellation is complete
    finally:
        print("Worker: Exiting gracefully.")

async def main():
    task = asyncio.create_task(worker_with_await())
    print("Main: Task created. Waiting 1 second before cancelling...")
    await asyncio.sleep(1)
    
    print("Main: Calling cancel() on the task.")
    task.cancel()
    
    try:
        await task
    except asyncio.CancelledError:
        print("Main: Task was successfully cancelled.")

await main()
