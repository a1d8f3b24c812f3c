sem = asyncio.Semaphore(10)

# ... later
async with sem:
    # work with shared resource
