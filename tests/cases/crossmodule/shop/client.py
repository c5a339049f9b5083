"""The client module of the shop package: the definitions the other modules use.

Everything here is reached from the other modules of the package.  It has no
markers: a finding here would not depend on cross-module resolution.
"""
from __future__ import annotations

import asyncio
import contextlib
import functools


async def fetch(url: str) -> bytes:
    await asyncio.sleep(0)
    return url.encode()


async def fetch_all(urls: list[str]) -> list[bytes]:
    return [await fetch(u) for u in urls]


def parse(text: str) -> dict:
    return {"text": text}


async def stream(url: str):
    for line in (url, url):
        yield line
        await asyncio.sleep(0)


@contextlib.asynccontextmanager
async def connection(url: str):
    yield url


class BaseClient:
    """Methods that subclasses in other modules reach through self and super()."""

    async def send(self, payload: bytes) -> None:
        await asyncio.sleep(0)

    async def close(self) -> None:
        await asyncio.sleep(0)

    def describe(self) -> str:
        return type(self).__name__


class Client(BaseClient):
    def __init__(self, base: str = "http://localhost") -> None:
        self.base = base

    async def get(self, path: str) -> bytes:
        return await fetch(self.base + path)

    def url_for(self, path: str) -> str:
        return self.base + path

    @contextlib.asynccontextmanager
    async def session(self):
        yield self

    async def lines(self, path: str):
        async for line in stream(self.url_for(path)):
            yield line

    @property
    async def ready(self) -> bool:
        return True

    @functools.cached_property
    async def token(self) -> str:
        return "t"
