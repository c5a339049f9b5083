"""Eval file for ASP101: decorated coroutine functions.  Parsed, never run.

An inventory service and its tests.  A decorator is read (in this module, in the
sibling _support_decorators.py, or in the installed package tests/site/fakeretry): a
wrapper that is an `async def`, or a decorator that returns the function, keeps an
`async def` a coroutine function, and calling it without `await` loses the work.  A
plain `def` wrapper that runs the coroutine (`asyncio.run`, `run_until_complete`), a
decorator that cannot be read, and the known transformers make it something else:
silent.
"""
from __future__ import annotations

import abc
import asyncio
import contextlib
import functools
import logging
import typing
import unittest

import pytest
from _support_decorators import blocking, timed
from fakeretry import retry, with_deadline
from nowhere import magic

log = logging.getLogger(__name__)
REGISTRY: list = []


def register(function):
    REGISTRY.append(function)
    return function


def logged(function):
    @functools.wraps(function)
    async def wrapper(*args, **kwargs):
        log.debug("calling %s", function.__name__)
        return await function(*args, **kwargs)
    return wrapper


def timeout(seconds: float):
    def decorate(function):
        async def wrapper(*args, **kwargs):
            return await asyncio.wait_for(function(*args, **kwargs), seconds)
        return functools.update_wrapper(wrapper, function)
    return decorate


def async_test(function):
    """Let unittest run an `async def` test: the wrapper drives it to completion."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return asyncio.get_event_loop().run_until_complete(function(*args, **kwargs))
    return wrapper


def run_sync(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return asyncio.run(function(*args, **kwargs))
    return wrapper


def _drive(function, *args, **kwargs):
    return asyncio.run(function(*args, **kwargs))


def in_thread(function):
    return functools.partial(_drive, function)  # a partial of a sync runner


def in_loop(function):
    loop = asyncio.new_event_loop()
    return lambda *args, **kwargs: loop.run_until_complete(function(*args, **kwargs))


def streamed(function):
    async def wrapper(*args, **kwargs):
        for item in await function(*args, **kwargs):
            yield item  # the wrapper is an async generator: not a coroutine function
    return wrapper


class Memo:
    def __init__(self, function):
        self.function = function
        self.cache: dict = {}

    def __call__(self, *args):
        if args not in self.cache:
            self.cache[args] = asyncio.ensure_future(self.function(*args))
        return self.cache[args]


# -- kept coroutine functions ---------------------------------------------------------


@register
async def restock(sku: str, count: int) -> None:
    await asyncio.sleep(0)


@logged
async def reserve(sku: str) -> bool:
    await asyncio.sleep(0)
    return True


@timeout(2.5)
async def price_of(sku: str) -> float:
    await asyncio.sleep(0)
    return 1.0


@timed
async def sync_catalog() -> None:
    await asyncio.sleep(0)


@retry(times=3)
async def push_to_warehouse(sku: str) -> None:
    await asyncio.sleep(0)


@with_deadline
async def audit() -> None:
    await asyncio.sleep(0)


@register
@logged
async def release(sku: str) -> None:
    await asyncio.sleep(0)


@typing.final
async def archive(sku: str) -> None:
    await asyncio.sleep(0)


class Store(abc.ABC):
    @abc.abstractmethod
    async def save(self, sku: str) -> None: ...

    @staticmethod
    async def ping() -> None:
        await asyncio.sleep(0)

    @classmethod
    async def open(cls) -> Store:
        await asyncio.sleep(0)
        return cls()

    @classmethod
    async def warm(cls) -> None:
        cls.open()  # error: ASP101

    @property
    async def size(self) -> int:
        await asyncio.sleep(0)
        return 0

    async def flush(self, skus: list[str]) -> None:
        self.save(skus[0])  # error: ASP101
        self.ping()  # error: ASP101
        Store.ping()  # error: ASP101
        self.size  # a property read, not a call: the decorator made it something else


async def nightly(sku: str) -> None:
    restock(sku, 10)  # error: ASP101
    reserve(sku)  # error: ASP101
    price_of(sku)  # error: ASP101
    sync_catalog()  # error: ASP101
    push_to_warehouse(sku)  # error: ASP101
    audit()  # error: ASP101
    release(sku)  # error: ASP101
    archive(sku)  # error: ASP101
    if reserve(sku):  # error: ASP104
        log.info("reserved")


@pytest.mark.asyncio
async def test_restock() -> None:
    await restock("a", 1)


@pytest.mark.asyncio
async def test_restock_twice() -> None:
    test_restock()  # error: ASP101
    await test_restock()


# -- no longer coroutine functions ----------------------------------------------------


@run_sync
async def migrate() -> None:
    await asyncio.sleep(0)


@blocking
async def rebuild_index() -> None:
    await asyncio.sleep(0)


@in_thread
async def export_csv(path: str) -> None:
    await asyncio.sleep(0)


@in_loop
async def import_csv(path: str) -> None:
    await asyncio.sleep(0)


@magic
async def mystery() -> None:
    await asyncio.sleep(0)


@Memo
async def lookup(sku: str) -> dict:
    await asyncio.sleep(0)
    return {}


@streamed
async def batches() -> list:
    await asyncio.sleep(0)
    return [[1], [2]]


@contextlib.asynccontextmanager
async def transaction():
    yield None


class TestInventory(unittest.TestCase):
    @async_test
    async def test_reserve(self) -> None:
        self.assertTrue(await reserve("a"))

    @async_test
    async def test_release(self) -> None:
        await release("a")

    def test_all(self) -> None:
        self.test_reserve()  # async_test's wrapper runs the coroutine to completion
        self.test_release()  # the same


@async_test
async def test_migrate() -> None:
    await asyncio.sleep(0)


def maintenance() -> None:
    migrate()  # run_sync: asyncio.run inside a plain wrapper
    rebuild_index()  # the sibling module's `blocking`: asyncio.run inside a plain wrapper
    export_csv("out.csv")  # a partial of a sync runner
    import_csv("in.csv")  # a lambda that runs the loop
    mystery()  # a decorator that cannot be read: unknown, silent
    lookup("a")  # a class-based decorator: Memo.__call__ returns a cached future
    batches()  # the wrapper is an async generator
    transaction()  # asynccontextmanager: returns a context manager


if __name__ == "__main__":
    test_migrate()  # async_test: a plain function now
    TestInventory().test_all()
