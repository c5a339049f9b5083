import asyncio


async def profile(u):
    await asyncio.sleep(0)


async def orders(u):
    await asyncio.sleep(0)


async def main(users):
    await asyncio.gather(*(awaitable for u in users[:5] for awaitable in (profile(u), orders(u),)))
