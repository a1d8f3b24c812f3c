import asyncio
import time

# A coroutine is defined with 'async def'.
async def my_coroutine(name):
    """
    This is a coroutine that simulates an I/O-bound task.
    """
    print(f"[{time.time():.2f}] Coroutine '{name}' started.")
    
    # The 'await' keyword pauses this coroutine and gives control back to the event loop.
    # The event loop can then run other tasks while 'my_coroutine' is waiting.
    await asyncio.sleep(2)  # Simulates waiting for 2 seconds (e.g., a network request)
    
    print(f"[{time.time():.2f}] Coroutine '{name}' resumed and finished.")

# The 'main' function is a coroutine that serves as the entry point for the program.
# It is also defined with 'async def'.
async def main():
    """
    The main entry point for the asynchronous program.
    """
    print("Program starting...")
    
    # We call our coroutine here, but this does not run it immediately.
    # It simply returns an "awaitable" object (a coroutine object).
    coro = my_coroutine("First Task")
    
    # The 'await' keyword is used to execute the coroutine.
    # The program will pause here until 'coro' has finished running.
    await coro
    
    print("Program finished.")
