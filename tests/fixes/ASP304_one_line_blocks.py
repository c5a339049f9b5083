import asyncio


async def tick(n):
    await asyncio.sleep(n)


async def loop(rounds):
    while rounds: await asyncio.wait([asyncio.create_task(tick(1))], timeout=0.1); rounds -= 1  # count down


async def once(flag):
    if flag: await asyncio.wait([asyncio.create_task(tick(1))], timeout=0.1)  # just once
    first, _ = await asyncio.wait([asyncio.create_task(tick(1))], timeout=0.1); return first
