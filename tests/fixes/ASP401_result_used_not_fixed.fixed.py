import asyncio


async def profile(u):
    await asyncio.sleep(0)


async def orders(u):
    await asyncio.sleep(0)


async def main(users):
    # the nested result is read: flattening would change its shape, so it is left alone
    pairs = await asyncio.gather(*(asyncio.gather(profile(u), orders(u)) for u in users[:5]))
    return pairs
