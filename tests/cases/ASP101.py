# options: --async-patterns-coroutine-functions=mylib.fetch,mylib.rpc.call
# options: --async-patterns-non-coroutine-decorators=mylib.cached,tracing.traced,memoized
"""Eval file for ASP101 coroutine-not-awaited.  Parsed, never run.

A crawler with a small client library: positives carry `# error: ASP101`,
every other call of a coroutine function is a negative that must stay silent.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
import contextlib
import functools
import sys
from asyncio import sleep
from asyncio import wait_for as wait_at_most
from typing import overload

import mylib
import mylib.rpc as rpc
import pytest
import thirdparty
from _support_client import fetch_json, parse_json, stream_lines
from mylib import fetch as mylib_fetch
from thirdparty import download, retry
from tracing import traced

_LIMIT = asyncio.Semaphore(10)
_warmup = None


async def fetch(url: str) -> bytes:
    async with _LIMIT:
        await sleep(0.01)
        return url.encode()


async def store(key: str, value: bytes) -> None:
    async with _LIMIT:
        await sleep(0)


def fetch_sync(url: str) -> bytes:
    return url.encode()


async def ticker(interval: float):
    while True:
        yield interval
        await sleep(interval)


@contextlib.asynccontextmanager
async def transaction():
    yield None


@retry(times=3)
async def flaky_call(x):
    return x


@mylib.cached
async def cached_lookup(key):
    return key


@traced(level="debug")
async def traced_lookup(key):
    return key


def memoized(function):  # read: returns the function, so it keeps a coroutine function one...
    return function


@memoized
async def memoized_lookup(key):  # ...but the option says it does not
    return key


@pytest.fixture
async def ready_client():
    return await Client.create("http://test")


if sys.version_info >= (3, 11):
    async def compat_pause(delay):
        await asyncio.sleep(delay)
else:
    async def compat_pause(delay):
        await aio.sleep(delay)


if sys.platform == "win32":
    def poll_events():
        return []
else:
    async def poll_events():
        await sleep(0)
        return []


async def on_event(event):
    await sleep(0)
    return event


def on_event(event):  # the module name is rebound to a sync function
    return event


@overload
async def get(key: int) -> int: ...
@overload
async def get(key: str) -> str: ...
async def get(key):
    await sleep(0)
    return key


class BaseClient:
    def __init__(self, url):
        self.url = url

    async def connect(self):
        await sleep(0)

    async def close(self):
        await sleep(0)

    def reset(self):
        return None


class Client(BaseClient):
    async def refresh(self):
        await sleep(0)

    @classmethod
    async def create(cls, url):
        client = cls(url)
        await client.connect()
        return client

    @classmethod
    async def warm_pool(cls, urls):
        for url in urls:
            cls.create(url)  # error: ASP101

    @staticmethod
    async def ping(host):
        await sleep(0)

    @property
    async def latest(self):
        return await fetch(self.url)

    async def close(self):
        self.refresh()  # error: ASP101
        super().close()  # error: ASP101

    async def reconnect(self):
        try:
            self.connect()  # error: ASP101
        except OSError:
            self.reset()  # sync method of the base class
            Client.ping(self.url)  # error: ASP101
        self.latest  # a property read, not a call: the decorator made it something else

    async def cached_or_fetch(self, cache):
        cached = cache.lookup(self.url)  # unknown object: unsure
        latest = self.refresh()  # error: ASP101
        if latest is None:  # compared, never awaited, passed on, returned or stored
            return cached
        return None

    def on_timer(self):
        def tick():
            self.refresh()  # error: ASP101
        return tick

    async def sync_up(self, other: Client):
        other.refresh()  # error: ASP101
        other.refresh()  # type: ignore[unused-coroutine]  (corpus: sqlalchemy drops it on purpose)
        other.refresh()  # pyright: ignore[reportUnusedCoroutine]
        self.pending = fetch(self.url)  # stored on the object
        await self.pending


class Repository:
    async def load(this, key):  # the first parameter need not be called self
        await sleep(0)
        return key

    async def preload(this, keys):
        this.load(keys[0])  # error: ASP101


def retrying(function):
    @functools.wraps(function)
    async def wrapper(*args):
        return await function(*args)
    return wrapper


@retrying
async def flaky_save(record):
    await sleep(0)
    return record


async def with_sync_helpers(items):
    def key_of(item):  # a nested generator function does not make the outer one a generator
        yield item
    await sleep(0)
    return [key_of(item) for item in items]


def test_in_a_local_class():
    class FakeClient:
        async def send(self, payload):
            return payload

        async def send_twice(self, payload):
            self.send(payload)  # error: ASP101
            return await self.send(payload)

    return FakeClient


class Notifier:
    def __init__(self, transport):
        self.send = transport.send  # the instance attribute hides the method below

    async def send(self, payload):
        await sleep(0)

    async def broadcast(self, payloads):
        for payload in payloads:
            self.send(payload)  # the instance attribute, not the async method


class Service(thirdparty.BaseService):
    async def flush(self):
        await sleep(0)

    async def start(self):
        self.heartbeat()  # inherited from an unknown base: unsure

    async def stop(self):
        self.flush()  # error: ASP101


async def crawl(urls):
    tasks = []
    for url in urls:
        fetch(url)  # error: ASP101
        tasks.append(fetch(url))  # kept in a list that is gathered below
    await asyncio.gather(*tasks)


async def drain(queue, done):
    while not done.is_set():
        item = queue.get_nowait()
        store(item.key, item.value)  # error: ASP101
    await sleep(0)


async def pause_variants(delay):
    sleep(delay)  # error: ASP101
    aio.sleep(delay)  # error: ASP101
    if delay > 1:
        asyncio.sleep(delay)  # error: ASP101
    await compat_pause(delay)


async def deadlines(url):
    asyncio.wait_for(fetch(url), 5)  # error: ASP101
    wait_at_most(store("k", b""), timeout=1)  # error: ASP101
    return await asyncio.wait_for(fetch(url), timeout=5)  # awaited


async def assigned_but_dropped(url, host, port):
    pending = fetch(url)  # error: ASP101
    body: bytes = fetch(url)  # error: ASP101
    connection = asyncio.open_connection(host, port)  # error: ASP101
    kept = fetch(url)  # awaited below
    await kept


async def handed_on(url, schedule):
    coro = fetch(url)  # passed on to the scheduler
    schedule(coro)
    later = fetch(url)  # returned to the caller
    return later


def fetch_later(url):
    return fetch(url)  # a sync wrapper that returns the coroutine


def fetch_each(urls):
    for url in urls:
        yield fetch(url)  # handed to whoever iterates


async def decorated_calls(key):
    flaky_call(key)  # `retry` of a module that cannot be read: unknown, silent
    flaky_save(key)  # error: ASP101
    with_sync_helpers([key])  # error: ASP101
    compat_pause(0.1)  # error: ASP101
    get(key)  # error: ASP101
    cached_lookup(key)  # mylib.cached is a non-coroutine decorator (option)
    traced_lookup(key)  # tracing.traced is a non-coroutine decorator (option)
    memoized_lookup(key)  # memoized: named by the option (a bare name)
    transaction()  # asynccontextmanager: returns a context manager
    ticker(1.0)  # an async generator function, not a coroutine function
    poll_events()  # sync on one platform, async on another: unsure
    on_event(key)  # rebound to a sync function further down the module


async def configured_names(url):
    mylib.fetch(url)  # error: ASP101
    mylib_fetch(url)  # error: ASP101
    mylib.rpc.call("status")  # error: ASP101
    rpc.call("status")  # error: ASP101
    mylib.publish(url)  # not named in async-patterns-coroutine-functions
    download(url)  # imported from a package that is not installed: unknown


async def imported_from_disk(url, text):
    fetch_json(url)  # error: ASP101
    parse_json(text)  # a sync function of the same sibling module
    stream_lines(url)  # an async generator of the sibling module


async def threads_and_shadows(url, fetch=fetch_sync):
    fetch(url)  # the parameter shadows the module's coroutine function
    asyncio.to_thread(fetch_sync, url)  # error: ASP101
    await asyncio.to_thread(fetch_sync, url)


def legacy_crawl(urls):
    def fetch(url):  # a sync fetch that shadows the module's coroutine function
        return url.encode()

    for url in urls:
        fetch(url)  # the local sync function


def make_notifier(channel):
    async def notify(message):
        await sleep(0)
        return channel, message

    def on_message(message):
        notify(message)  # error: ASP101

    callback = lambda message: notify(message)  # noqa: E731 - the lambda returns the coroutine
    return on_message, callback


def on_done(future):
    store("last", future.result())  # error: ASP101


async def transactional(key, value):
    async with transaction():
        store(key, value)  # error: ASP101
    with contextlib.suppress(KeyError):
        await store(key, value)


async def remembered(url):
    global _warmup
    _warmup = fetch(url)  # a module global: someone else may await it


async def silenced(url):
    fetch(url)  # noqa: ASP101


def use_fixture_helper():
    ready_client()  # pytest.fixture: calling it does not make a coroutine


async def main():
    client = await Client.create("http://example.org")
    await client.close()


if __name__ == "__main__":
    if "--dry-run" in sys.argv:
        main()  # error: ASP101
    else:
        asyncio.run(main())  # handed to asyncio.run
