cond = asyncio.Condition()

# ... later
async with cond:
    await cond.wait()
