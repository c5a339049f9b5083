"""Eval file for ASP103: tasks made in a list, tuple or set display that is a statement of
its own.  Parsed, never run.

A crawler that starts one task per seed.  The display is thrown away at once, and every task
in it with it.  A display that is kept, awaited, returned or handed on keeps its tasks.
"""
from __future__ import annotations

import asyncio
from asyncio import create_task, ensure_future

import trio

_crawling: set[asyncio.Task] = set()


async def crawl(url):
    await asyncio.sleep(0)
    return url


def spawn(coro):
    return asyncio.create_task(coro)


async def seeds(loop, urls):
    [asyncio.create_task(crawl("a")), asyncio.create_task(crawl("b"))]  # error: ASP103
    (asyncio.create_task(crawl("a")), asyncio.create_task(crawl("b")))  # error: ASP103
    asyncio.create_task(crawl("a")), asyncio.create_task(crawl("b"))  # error: ASP103
    {create_task(crawl("a")), ensure_future(crawl("b"))}  # error: ASP103
    [loop.create_task(crawl("a"))]  # error: ASP103
    [spawn(crawl("a")), spawn(crawl("b"))]  # error: ASP103
    [  # error: ASP103
        asyncio.create_task(crawl(urls[0])),  # the first seed
        asyncio.create_task(crawl(urls[1])),
    ]
    [spawn(crawl(url)) for url in urls]  # error: ASP103


class Crawler:
    def __init__(self, loop):
        self._loop = loop
        self.running = []

    def start(self, urls):
        [self._loop.create_task(crawl(url)) for url in urls[:2]]  # error: ASP103
        [self._loop.create_task(crawl(urls[0])), self._loop.create_task(crawl(urls[1]))]  # error: ASP103
        self.running = [self._loop.create_task(crawl(u)) for u in urls]  # stored on the object


async def kept(urls, group: asyncio.TaskGroup, nursery: trio.Nursery):
    tasks = [asyncio.create_task(crawl("a")), asyncio.create_task(crawl("b"))]
    await asyncio.wait(tasks)
    await asyncio.gather(*[asyncio.create_task(crawl("a")), asyncio.create_task(crawl("b"))])
    _crawling.update({asyncio.create_task(crawl("a")), asyncio.create_task(crawl("b"))})
    [group.create_task(crawl("a")), group.create_task(crawl("b"))]  # a TaskGroup keeps its tasks
    [nursery.start_soon(crawl, "a"), nursery.start_soon(crawl, "b")]  # a nursery keeps its tasks
    [asyncio.create_task(crawl("a")), urls]  # not only tasks: left alone
    [*tasks]  # the tasks already have a name
    [tasks[0], tasks[1]]
    [crawl("a").close(), crawl("b").close()]
    ()
    return [asyncio.create_task(crawl("a")), asyncio.create_task(crawl("b"))]


def lazily(urls):
    yield [asyncio.create_task(crawl(url)) for url in urls]  # handed to whoever iterates
