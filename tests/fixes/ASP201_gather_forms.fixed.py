# fix-options: --unsafe-fixes

import asyncio as aio


async def fetch(u):
    await aio.sleep(0)
    return u


async def crawl(urls):
    """Crawl them all."""
    semaphore = aio.Semaphore(10)

    async def bounded(awaitable):
        async with semaphore:
            return await awaitable
    pages = await aio.gather(*(bounded(fetch(u)) for u in urls))  # keep
    more = await aio.gather(*(bounded(fetch(item)) for item in urls))
    coros = [bounded(fetch(u)) for u in urls]
    rest = await aio.gather(*coros)
    return pages, more, rest
