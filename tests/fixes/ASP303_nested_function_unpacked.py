import asyncio


async def work(n):
    await asyncio.sleep(0)
    return n


def outer():
    async def inner():
        first, second = await asyncio.gather(work(1), work(2), return_exceptions=True)
        if isinstance(first, Exception) or isinstance(second, Exception):  # either failed
            return None
        return first + second

    return inner
