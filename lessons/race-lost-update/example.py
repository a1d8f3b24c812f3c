import asyncio

balance = 100

async def deposit(name, amount, arrive):
    global balance
    await asyncio.sleep(arrive)  # the customer arrives
    current = balance  # read
    print(f'{name} reads the balance: {current}')
    await asyncio.sleep(0.1)  # the bank's ledger takes a while to answer
    balance = current + amount  # write
    print(f'{name} writes the balance: {balance}')

async def main():
    await asyncio.gather(deposit('Alice', 50, 0.05), deposit('Bob', 30, 0.2))
    print(f'final balance: {balance} (expected 180)')

asyncio.run(main())
