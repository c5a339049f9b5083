"""The order service: every coroutine function it calls lives in client.py.

Each marked line fires only because the callee is resolved in another module
of the package: relative imports, `from . import client`, the re-export of
shop/__init__.py, a base class of client.py, an instance of a client.py class
stored on self.  Every unmarked call must stay silent.
"""
from __future__ import annotations

import asyncio
import threading

import aiohttp  # a third-party package: not a file of the project, never read

import shop
import shop.client
from shop import fetch as fetch_through_package
from shop import get_page

from . import client
from . import client as cl
from .client import BaseClient, Client, connection, fetch, fetch_all, parse, stream
from .client import fetch as download
from .missing import fetch_missing  # no such module: unknown, silent
from .client import no_such_name  # not defined in client.py: unknown, silent
from .client import describe_later

describe_later = parse  # rebound at module level: two bindings, silent


async def place_order(url: str, urls: list[str]) -> None:
    fetch(url)  # error: ASP101
    download(url)  # error: ASP101
    fetch_all(urls)  # error: ASP101
    client.fetch(url)  # error: ASP101
    cl.fetch(url)  # error: ASP101
    shop.fetch(url)  # error: ASP101
    shop.client.fetch(url)  # error: ASP101
    fetch_through_package(url)  # error: ASP101
    get_page(url)  # error: ASP101
    pending = fetch(url)  # error: ASP101
    await fetch(url)
    await client.fetch(url)
    task = asyncio.create_task(fetch(url))
    await task
    # sync functions and non-coroutine async defs of client.py
    parse(url)
    client.parse(url)
    shop.parse(url)
    stream(url)
    client.stream(url)
    connection(url)
    # names that cannot be resolved
    fetch_missing(url)
    no_such_name(url)
    describe_later(url)
    aiohttp.request("GET", url)
    client.not_defined_anywhere(url)


async def rebound_locally(url: str) -> None:
    fetch = parse  # the imported name is rebound in this function
    fetch(url)


def start_workers(urls: list[str]) -> None:
    [fetch(u) for u in urls]  # error: ASP102
    worker = threading.Thread(target=client.fetch, args=(urls[0],))  # error: ASP104
    worker.start()
    checker = threading.Thread(target=parse, args=(urls[0],))
    checker.start()


async def gate(url: str) -> None:
    if fetch(url):  # error: ASP104
        return
    if parse(url):
        return


class OrderService(BaseClient):
    """A subclass of a client.py class: self.send() and super().close() are its methods."""

    def __init__(self) -> None:
        self.client = Client()
        self.cache: dict = {}

    async def submit(self, payload: bytes) -> None:
        self.send(payload)  # error: ASP101
        self.describe()
        self.client.get("/orders")  # error: ASP101
        self.client.url_for("/orders")
        self.client.session()
        self.client.lines("/orders")
        self.client.ready
        self.cache.get("x")
        await self.client.get("/orders")
        await self.send(payload)

    async def close(self) -> None:
        super().close()  # error: ASP101
        await super().close()


class Checkout:
    def __init__(self, client: Client) -> None:
        self.client = client  # a parameter annotated with Client: its annotation says what it is

    async def pay(self) -> None:
        self.client.get("/pay")  # error: ASP101
