"""A fake installed package for the ASP201/ASP202 limiter eval files: a client that bounds
itself with limiters whose names do not say so, beside functions and methods that do not."""
import asyncio

import anyio

_guard = asyncio.BoundedSemaphore(5)


async def throttled_get(url):
    async with _guard:
        await asyncio.sleep(0)


async def plain_get(url):
    await asyncio.sleep(0)


class Client:
    def __init__(self):
        self._tokens = anyio.CapacityLimiter(3)

    async def send(self, message):
        await self._tokens.acquire()
        try:
            await asyncio.sleep(0)
        finally:
            self._tokens.release()

    async def send_raw(self, message):
        await asyncio.sleep(0)
