"""A sibling module that the ASP201/ASP202 limiter eval files import from: coroutines and
processor objects that hold their own bound (a semaphore, a capacity limiter, an aiolimiter
whose names do not say so) and some that hold none.  It has no markers and is not an eval
file itself."""
from __future__ import annotations

import asyncio

import anyio
from aiolimiter import AsyncLimiter

gate = asyncio.Semaphore(4)
downloads = anyio.CapacityLimiter(8)


async def fetch_gated(url: str) -> bytes:
    async with gate:
        await asyncio.sleep(0)
        return url.encode()


async def fetch_unbounded(url: str) -> bytes:
    await asyncio.sleep(0)
    return url.encode()


async def fetch_via(url: str) -> bytes:
    """Bounded one level down: the coroutine it awaits holds the gate."""
    body = await fetch_gated(url)
    return body.strip()


async def limited(awaitable):
    async with gate:
        return await awaitable


class Processor:
    def __init__(self) -> None:
        self._pace = AsyncLimiter(10, 1)

    async def process(self, item: str) -> None:
        async with self._pace:
            await asyncio.sleep(0)

    async def process_raw(self, item: str) -> None:
        await asyncio.sleep(0)


class BatchProcessor(Processor):
    """Inherits the bounded `process`."""


class Uploader:
    async def upload(self, path: str) -> None:
        async with downloads:
            await asyncio.sleep(0)
