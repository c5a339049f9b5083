import asyncio


async def fetch(key):
    await asyncio.sleep(0)
    return key


async def collect(make_job, running):
    # what the awaited call gives back may be the awaitable to gather: left alone
    first, second = await asyncio.gather(await make_job(), fetch("b"))
    third, fourth = await asyncio.gather(await running, fetch("d"))
    return first, second, third, fourth
