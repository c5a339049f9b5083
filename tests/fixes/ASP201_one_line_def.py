# fix-options: --unsafe-fixes

import asyncio


async def fetch(url):
    return url


async def crawl(urls): return await asyncio.gather(*[fetch(url) for url in urls])  # one line


class Crawler:
    async def crawl(self, urls): pages = await asyncio.gather(*map(fetch, urls)); return pages
