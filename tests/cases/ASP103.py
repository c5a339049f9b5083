"""Eval file for ASP103 dangling-task.  Parsed, never run.

A small worker daemon that starts background jobs.  Positives carry
`# error: ASP103`; every other task creation keeps its task and must stay silent.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
import logging
import signal
from asyncio import create_task
from asyncio import ensure_future as schedule

import anyio
import trio

log = logging.getLogger(__name__)
_background: set[asyncio.Task] = set()
_monitor = None
_LIMIT = asyncio.Semaphore(10)


async def fetch(url):
    async with _LIMIT:
        await asyncio.sleep(0)
        return url


async def handle(message):
    await asyncio.sleep(0)
    return message


async def main():
    await asyncio.sleep(0)


def log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("job failed", exc_info=task.exception())


class Worker:
    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.workers: dict[str, asyncio.Task] = {}
        self._heartbeat_task = None

    async def heartbeat(self):
        await asyncio.sleep(1)

    async def report(self, name):
        await asyncio.sleep(0)
        return name

    async def start(self):
        asyncio.create_task(self.heartbeat())  # error: ASP103
        self.loop.create_task(self.report("started"))  # error: ASP103
        for name in ("metrics", "health"):
            asyncio.create_task(self.report(name))  # error: ASP103

    async def start_properly(self):
        self._heartbeat_task = asyncio.create_task(self.heartbeat())  # stored on the object
        self.workers["metrics"] = asyncio.create_task(self.report("metrics"))  # stored in a dict

    async def restart(self):
        try:
            await asyncio.wait_for(self.heartbeat(), timeout=1)
        except asyncio.TimeoutError:
            asyncio.ensure_future(self.heartbeat())  # error: ASP103
            raise

    def on_message(self, message):
        asyncio.create_task(handle(message))  # error: ASP103

    def on_message_tracked(self, message):
        task = asyncio.create_task(handle(message))  # kept in a module-level set
        _background.add(task)
        task.add_done_callback(_background.discard)


class JobQueue:
    """Its own create_task is a plain method that queues a job."""

    def __init__(self):
        self.jobs = []

    def create_task(self, job):
        self.jobs.append(job)

    def submit(self, job):
        self.create_task(job)  # a sync method of this class, not a task factory


async def aliases(url):
    aio.create_task(fetch(url))  # error: ASP103
    create_task(fetch(url))  # error: ASP103
    schedule(fetch(url))  # error: ASP103
    asyncio.tasks.create_task(fetch(url))  # error: ASP103


async def through_the_loop(url):
    loop = asyncio.get_running_loop()
    loop.create_task(fetch(url))  # error: ASP103
    asyncio.get_event_loop().create_task(fetch(url))  # error: ASP103
    asyncio.ensure_future(fetch(url), loop=loop)  # error: ASP103
    future = loop.create_future()  # a future, not a task
    return await future


def start_on(loop, url):
    loop.create_task(fetch(url))  # error: ASP103


async def assigned_and_dropped(url):
    task = asyncio.create_task(fetch(url))  # error: ASP103
    typed: asyncio.Task[str] = asyncio.create_task(fetch(url))  # error: ASP103


async def in_comprehensions(urls):
    [asyncio.create_task(fetch(url)) for url in urls]  # error: ASP103
    {asyncio.ensure_future(fetch(url)) for url in urls}  # error: ASP103


async def callback_is_not_a_reference(url):
    asyncio.create_task(fetch(url)).add_done_callback(log_failure)  # error: ASP103


def make_listener(queue):
    async def consume():
        return await queue.get()

    def on_ready():
        asyncio.ensure_future(consume())  # error: ASP103

    return on_ready


def install_handlers(loop):
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: asyncio.create_task(main()))  # error: ASP103


class Supervisor:
    def __init__(self, loop):
        self._loop = loop

    async def run(self):
        await asyncio.sleep(0)

    def restart(self):
        self._loop.create_task(self.run())  # error: ASP103


async def kept(url, sink):
    task = asyncio.create_task(fetch(url))  # awaited below
    first = await task
    second = await asyncio.create_task(fetch(first))  # awaited at once
    sink.append(asyncio.ensure_future(fetch(second)))  # handed to a container
    _background.add(tracked := asyncio.create_task(fetch(second)))  # walrus: kept in the set
    tracked.add_done_callback(_background.discard)
    return asyncio.create_task(fetch(second))  # returned to the caller


def spawn(url):
    return asyncio.ensure_future(fetch(url))  # returned to the caller


def spawn_many():
    yield asyncio.create_task(fetch("a"))  # handed to whoever iterates


async def all_kept(urls):
    tasks = [asyncio.create_task(fetch(url)) for url in urls]  # the list is awaited below
    done, _ = await asyncio.wait(tasks)
    return done


async def supervised(urls):
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fetch(urls[0]))  # a TaskGroup keeps its tasks
        tg.create_task(handle(urls[1]))  # a TaskGroup keeps its tasks


async def with_trio(url):
    async with trio.open_nursery() as nursery:
        nursery.start_soon(fetch, url)  # a trio nursery keeps its tasks


async def with_anyio(url):
    async with anyio.create_task_group() as tg:
        tg.start_soon(fetch, url)  # an anyio task group keeps its tasks


def from_a_thread(loop, url):
    asyncio.run_coroutine_threadsafe(fetch(url), loop)  # not one of the task factories


def monitor():
    global _monitor
    _monitor = asyncio.create_task(main())  # a module global keeps the reference


def spawn_with(create_task, job):
    create_task(job)  # a parameter, not asyncio.create_task


async def silenced(url):
    asyncio.create_task(fetch(url))  # noqa: ASP103


if __name__ == "__main__":
    event_loop = asyncio.new_event_loop()
    event_loop.create_task(main())  # error: ASP103
    event_loop.run_until_complete(main())
