import asyncio


async def tick(n):
    await asyncio.sleep(n)


async def loop(rounds):
    while rounds:
        done, pending = await asyncio.wait([asyncio.create_task(tick(1))], timeout=0.1)
        for task in pending:
            task.cancel()
        rounds -= 1  # count down


async def once(flag):
    if flag:
        done, pending = await asyncio.wait([asyncio.create_task(tick(1))], timeout=0.1)  # just once
        for task in pending:
            task.cancel()
    first, pending = await asyncio.wait([asyncio.create_task(tick(1))], timeout=0.1)
    for task in pending:
        task.cancel()
    return first
