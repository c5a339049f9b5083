# options: --async-patterns-fanout-origins=awaited,parameter
"""Eval file for ASP201 unbounded-gather with async-patterns-fanout-origins=awaited,parameter:
a team that wants to hear only about collections its code receives (a parameter) or fetches
(an awaited result).  Parsed, never run.  Positives carry `# error: ASP201`; fan-outs over
attributes, calls, locals and constants stay silent here.
"""
from __future__ import annotations

import asyncio

SHARDS = tuple(range(64))  # a constant over the limit of 50


async def get(key: str) -> bytes:
    await asyncio.sleep(0)
    return b""


class Replicator:
    def __init__(self, db) -> None:
        self.db = db
        self.peers: list[str] = []

    async def by_parameter(self, keys):
        return await asyncio.gather(*(get(k) for k in keys))  # error: ASP201

    async def by_awaited(self):
        keys = await self.db.fetch_keys()
        return await asyncio.gather(*(get(k) for k in keys))  # error: ASP201

    async def by_awaited_inline(self):
        return await asyncio.gather(*(get(k) for k in await self.db.fetch_keys()))  # error: ASP201

    async def by_parameter_range(self, count):
        return await asyncio.gather(*(get(str(i)) for i in range(count)))  # error: ASP201

    async def by_attribute(self):
        return await asyncio.gather(*(get(p) for p in self.peers))

    async def by_call(self):
        return await asyncio.gather(*(get(k) for k in self.db.cached_keys()))

    async def by_local(self, text):
        words = []
        for word in text.split():
            words.append(word)
        return await asyncio.gather(*(get(w) for w in words))

    async def by_constant(self):
        return await asyncio.gather(*(get(str(s)) for s in SHARDS))
