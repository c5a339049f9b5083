# fix-options: --unsafe-fixes

import asyncio as aio


async def fetch(u):
    await aio.sleep(0)
    return u


async def crawl(urls):
    """Crawl them all."""
    pages = await aio.gather(*(fetch(u) for u in urls))  # keep
    more = await aio.gather(*map(fetch, urls))
    coros = [fetch(u) for u in urls]
    rest = await aio.gather(*coros)
    return pages, more, rest
