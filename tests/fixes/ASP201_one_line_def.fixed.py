# fix-options: --unsafe-fixes

import asyncio


async def fetch(url):
    return url


async def crawl(urls):
    semaphore = asyncio.Semaphore(10)

    async def bounded(awaitable):
        async with semaphore:
            return await awaitable
    return await asyncio.gather(*[bounded(fetch(url)) for url in urls])  # one line


class Crawler:
    async def crawl(self, urls):
        semaphore_2 = asyncio.Semaphore(10)

        async def bounded_2(awaitable):
            async with semaphore_2:
                return await awaitable
        pages = await asyncio.gather(*(bounded_2(fetch(item)) for item in urls)); return pages
