"""Eval file for ASP102 discarded-coroutines.  Parsed, never run.

A notification service that fans work out over lists of users.  Positives carry
`# error: ASP102`; every other collection of coroutines must stay silent.
Every coroutine function here acquires `_LIMIT`, so the gathers below are bounded.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
import contextlib
import functools
import logging
from asyncio import gather as gather_all

from thirdparty import run_bounded

log = logging.getLogger(__name__)
_LIMIT = asyncio.Semaphore(10)
SEED_URLS = ("https://a.example", "https://b.example")


async def fetch(url: str) -> bytes:
    async with _LIMIT:
        await asyncio.sleep(0.01)
        return url.encode()


async def notify(user, message="hello"):
    async with _LIMIT:
        await asyncio.sleep(0)
        return user


async def check():
    async with _LIMIT:
        return True


async def render(template):
    async with _LIMIT:
        return template


def render(template):  # the module name is rebound to a sync function
    return str(template)


def fetch_sync(url: str) -> bytes:
    return url.encode()


async def ticker(n):
    for i in range(n):
        yield i


@contextlib.asynccontextmanager
async def lease(name):
    async with _LIMIT:
        yield name


async def warm(url):
    async with _LIMIT:
        return url


[warm(url) for url in SEED_URLS]  # error: ASP102


class Mailer:
    def __init__(self, users):
        self.users = users
        self.jobs = {}

    async def send(self, user, text):
        async with _LIMIT:
            await asyncio.sleep(0)

    @classmethod
    async def create(cls, users):
        async with _LIMIT:
            return cls(users)

    @staticmethod
    async def ping(host):
        async with _LIMIT:
            return host

    async def announce(self, text):
        [self.send(user, text) for user in self.users]  # error: ASP102

    async def announce_lazily(self, text):
        set(map(self.send, self.users, [text] * len(self.users)))  # error: ASP102

    @classmethod
    async def create_many(cls, groups):
        map(cls.create, groups)  # error: ASP102

    async def ping_all(self, hosts):
        list(map(Mailer.ping, hosts))  # error: ASP102

    async def queued(self, text):
        self.pending = [self.send(user, text) for user in self.users]  # stored on the object
        self.jobs[text] = {user: self.send(user, text) for user in self.users}  # stored in a dict on the object

    async def announce_properly(self, text):
        return await asyncio.gather(*[self.send(user, text) for user in self.users])  # gathered


async def shapes(urls):
    {fetch(url) for url in urls}  # error: ASP102
    (fetch(url) for url in urls)  # error: ASP102
    {url: fetch(url) for url in urls}  # error: ASP102
    map(fetch, urls)  # error: ASP102


async def assigned(urls, batches):
    coros = [fetch(url) for url in urls]  # error: ASP102
    by_url = {url: fetch(url) for url in urls}  # error: ASP102
    nested = [fetch(url) for batch in batches for url in batch]  # error: ASP102


async def filtered(settings: dict):
    [notify(user) for user, enabled in settings.items() if enabled]  # error: ASP102


async def retried(urls):
    map(lambda url: notify(url, message="retry"), urls)  # error: ASP102


async def farewell(users):
    map(functools.partial(notify, message="bye"), users)  # error: ASP102


async def from_a_stream(stream):
    [fetch(url) async for url in stream]  # error: ASP102


async def forced(urls):
    [*map(fetch, urls)]  # error: ASP102


async def with_aliases(delays):
    [aio.sleep(delay) for delay in delays]  # error: ASP102


def schedule_all(urls):
    tuple(fetch(url) for url in urls)  # error: ASP102


async def counted_but_never_gathered(users):
    pending = [notify(user) for user in users]  # error: ASP102
    log.info("notifying %d users", len(pending))  # only its length is read: nothing awaits the list


async def gathered(urls):
    results = await asyncio.gather(*[fetch(url) for url in urls])  # gathered
    return results


async def gathered_later(urls):
    coros = [fetch(url) for url in urls]  # gathered on the next line
    return await gather_all(*coros)


async def gathered_map(urls):
    return await asyncio.gather(*map(fetch, urls))  # gathered


async def gathered_dict(urls):
    by_url = {url: fetch(url) for url in urls}  # its values are gathered below
    bodies = await asyncio.gather(*by_url.values())
    return dict(zip(by_url, bodies))


async def first_done(users):
    coros = [notify(user) for user in users]  # handed to as_completed
    done = []
    for next_done in asyncio.as_completed(coros):
        done = [*done, await next_done]
    return done


async def in_a_task_group(urls):
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(fetch(url)) for url in urls]  # tasks of a TaskGroup, not bare coroutines
    return [task.result() for task in tasks]


def build(urls):
    return [fetch(url) for url in urls]  # returned to the caller


def lazily(urls):
    return (fetch(url) for url in urls)  # returned to the caller


async def not_coroutines(urls, lines, names):
    [fetch_sync(url) for url in urls]  # a sync function
    [ticker(3) for _ in urls]  # async generators, not coroutines
    [lease(name) for name in names]  # asynccontextmanager: context managers, not coroutines
    list(map(print, lines))  # a sync function
    cleaned = list(map(lambda line: line.strip(), lines))  # the lambda returns a sync value
    [render(name) for name in names]  # rebound to a sync function
    return cleaned


async def awaited_inside(urls):
    bodies = [await fetch(url) for url in urls]  # each element is awaited: results, not coroutines
    return bodies


async def shadowed(health_checks):
    ok = [check() for check in health_checks]  # the loop variable shadows the coroutine function
    return all(ok)


async def handed_to_helpers(urls, queue):
    await run_bounded([fetch(url) for url in urls])  # handed to a helper that runs them
    queue.extend(fetch(url) for url in urls)  # passed on to a consumer


def fire_and_forget(urls):
    # not ASP102: gather wraps them in tasks, they do run; but the gather is never awaited (ASP103)
    asyncio.gather(*[fetch(url) for url in urls])  # error: ASP103


def deferred(urls):
    global _deferred
    _deferred = [fetch(url) for url in urls]  # a module global: someone else may gather it


async def silenced(urls):
    [fetch(url) for url in urls]  # noqa: ASP102
