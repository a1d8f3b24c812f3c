import asyncio

async def fast_operation():
    print("Fast operation is starting...")
    await asyncio.sleep(1) # This is less than the 3-second timeout
    return "Operation complete!"

async def main():
    try:
        print("Waiting for fast operation...")
        result = await asyncio.wait_for(fast_operation(), timeout=3)
        print(f"Result: {result}")
    except asyncio.TimeoutError:
        print("Error: The operation timed out.")

asyncio.run(main())
