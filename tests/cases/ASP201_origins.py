"""Eval file for ASP201 unbounded-gather: what is small by construction, work on items that
already exist, gathers of awaitables that were already gathered, and where a collection comes
from.  Parsed, never run.  The default options apply: async-patterns-max-fanout 50 and
async-patterns-fanout-origins of every origin but constants, so a fan-out over a constant
collection is silent whatever its size.  Positives carry `# error: ASP201`.
"""
from __future__ import annotations

import asyncio
from enum import Enum

from _support_constants import DISCOVERED, PLATFORMS, ZONES, Channel


class Color(Enum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


DEFAULT = "default"
RETRY_DELAYS = [0.1, 0.5, 1.0, 5.0]
PORTS = range(1, 65536)  # a constant, far over the limit: silent by default


async def paint(name) -> None:
    await asyncio.sleep(0)


def start_task(awaitable) -> asyncio.Task:
    """The project's own spawner: makes a task of what it is given."""
    return asyncio.ensure_future(awaitable)


async def retrying(operation):
    for _ in range(3):
        try:
            return await operation()
        except OSError:
            pass


async def with_timeout(awaitable):
    return await asyncio.wait_for(awaitable, 5)


async def upload(data) -> None:
    """Does its own work with its argument: not a wrapper."""
    await asyncio.sleep(0)


class Store:
    async def keys(self, prefix: str) -> list[str]:
        await asyncio.sleep(0)
        return []

    async def get(self, key: str) -> bytes:
        await asyncio.sleep(0)
        return b""


# -- small by construction ---------------------------------------------------------------------


async def paint_every_color():
    # an Enum class has as many items as members
    await asyncio.gather(*(paint(c) for c in Color))


async def paint_colors_and_default():
    # a starred literal: three members and one more
    await asyncio.gather(*(paint(c) for c in (*Color, DEFAULT)))


async def notify_every_channel(user):
    # an IntEnum of another module
    await asyncio.gather(*(paint((user, c)) for c in Channel))


async def set_up_platforms(entry):
    # a tuple of constants bound once in another module
    await asyncio.gather(*[paint((entry, p)) for p in PLATFORMS])


async def probe_zones():
    await asyncio.gather(*map(paint, ZONES))


async def probe_discovered():
    # a list read from a file at import: not a literal
    await asyncio.gather(*map(paint, DISCOVERED))  # error: ASP201


async def retry_all():
    await asyncio.gather(*(paint(d) for d in RETRY_DELAYS))


async def scan_every_port():
    # a constant collection, however large, is not data-sized: silent unless constants are asked for
    await asyncio.gather(*(paint(p) for p in PORTS))


async def paint_many():
    await asyncio.gather(*(paint(i) for i in range(10_000)))  # a constant range: silent by default


class Renderer:
    LAYERS = ("background", "sprites", "overlay")
    queue: list[str]

    def __init__(self, frames) -> None:
        self.frames = frames
        self.queue = []

    async def render_layers(self):
        # a class-level tuple of constants, assigned nowhere else
        await asyncio.gather(*(paint(layer) for layer in self.LAYERS))

    async def render_layers_by_class(self):
        await asyncio.gather(*(paint(layer) for layer in Renderer.LAYERS))

    async def render_frames(self):
        await asyncio.gather(*(paint(f) for f in self.frames))  # error: ASP201

    async def render_queue(self):
        # a class-level annotation without a value, filled at run time
        await asyncio.gather(*(paint(f) for f in self.queue))  # error: ASP201


class Palette:
    SWATCHES = ("a", "b")

    def load(self, extra) -> None:
        self.SWATCHES = self.SWATCHES + tuple(extra)  # reassigned on the instance: no longer constant

    async def show(self):
        await asyncio.gather(*(paint(s) for s in self.SWATCHES))  # error: ASP201


# -- work on items that already exist ---------------------------------------------------------


class Pool:
    def __init__(self) -> None:
        self.workers: list = []
        self.connections: list = []

    async def shut_down(self):
        # the project's spawner around a method of each worker the pool already holds
        await asyncio.gather(*(start_task(w.shutdown()) for w in self.workers))

    async def close_with_timeout(self):
        await asyncio.gather(*(with_timeout(c.close()) for c in self.connections))

    async def close_on_loop(self):
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.create_task(c.close()) for c in self.connections))

    async def close_each_with_retries(self):
        # a bound method handed on uncalled: it works on the connection the pool already holds
        await asyncio.gather(*(retrying(c.close) for c in self.connections))

    async def upload_each_with_retries(self):
        await asyncio.gather(*(retrying(lambda c=c: upload(c)) for c in self.connections))  # error: ASP201

    async def upload_each(self):
        # upload() does new work with the data: not a wrapper
        await asyncio.gather(*(upload(c.snapshot()) for c in self.connections))  # error: ASP201

    async def drain_each(self):
        tasks = []
        for connection in self.connections:
            tasks.append(start_task(connection.drain()))
        await asyncio.gather(*tasks)


# -- the same awaitables gathered again --------------------------------------------------------


async def fetch_all(store: Store, prefix: str):
    keys = await store.keys(prefix)
    tasks = [asyncio.create_task(store.get(k)) for k in keys]
    try:
        return await asyncio.gather(*tasks)  # error: ASP201
    finally:
        for task in tasks:
            task.cancel()
        # the same tasks, after cancelling them: nothing new starts
        await asyncio.gather(*tasks, return_exceptions=True)


async def fetch_then_wait(store: Store, keys):
    futures = [asyncio.ensure_future(store.get(k)) for k in keys]
    done, pending = await asyncio.wait(futures, timeout=5)  # error: ASP201
    for future in pending:
        future.cancel()
    await asyncio.wait(futures)
    return done


# -- origins in the message (checked by tests/test_fanout_origins.py) ----------------------------


class Mirror:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.nodes: list[str] = []

    async def sync_keys(self, prefix):
        keys = await self.store.keys(prefix)
        await asyncio.gather(*(self.store.get(k) for k in keys))  # error: ASP201

    async def sync_nodes(self):
        await asyncio.gather(*(self.store.get(n) for n in self.nodes))  # error: ASP201

    async def sync_urls(self, urls):
        await asyncio.gather(*(self.store.get(u) for u in urls))  # error: ASP201

    async def sync_listed(self):
        await asyncio.gather(*(self.store.get(k) for k in self.listing()))  # error: ASP201

    async def sync_indexed(self, count):
        await asyncio.gather(*(self.store.get(str(i)) for i in range(count)))  # error: ASP201

    def listing(self) -> list[str]:
        return list(self.nodes)
