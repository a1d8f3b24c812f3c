import asyncio

balance = 100

async def deposit(name, amount, arrive, lock):
    global balance
    await asyncio.sleep(arrive)  # the customer arrives
    async with lock:  # one deposit at a time, from the read to the write
        current = balance  # read
        print(f'{name} reads the balance: {current}')
        await asyncio.sleep(0.1)  # the bank's ledger takes a while to answer
        balance = current + amount  # write
        print(f'{name} writes the balance: {balance}')

async def main():
    lock = asyncio.Lock()
    await asyncio.gather(deposit('Alice', 50, 0.05, lock), deposit('Bob', 30, 0.2, lock))
    print(f'final balance: {balance} (expected 180)')

asyncio.run(main())
