# options: --async-patterns-coroutine-functions=mylib.fetch
# options: --async-patterns-non-coroutine-decorators=mylib.memoize
"""Eval file for ASP104 coroutine-in-sync-slot.  Parsed, never run.

A service that wires callbacks into threads, signals and the event loop.
Positives carry `# error: ASP104`; sync functions and lambdas returning sync
values in the same slots must stay silent.
"""
from __future__ import annotations

import asyncio
import atexit
import functools
import logging
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from operator import attrgetter
from threading import Thread

import mylib

log = logging.getLogger(__name__)
executor = ThreadPoolExecutor(max_workers=4)


async def refresh():
    await asyncio.sleep(0)


async def shutdown():
    await asyncio.sleep(0)


async def close_pool():
    await asyncio.sleep(0)


async def on_interrupt(signum, frame):
    await asyncio.sleep(0)


async def on_done(future):
    await asyncio.sleep(0)


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def is_valid(item):
    await asyncio.sleep(0)
    return bool(item)


async def score(item):
    await asyncio.sleep(0)
    return len(item)


async def is_ready():
    await asyncio.sleep(0)
    return True


async def has_more(cursor):
    await asyncio.sleep(0)
    return cursor.remaining > 0


async def events():
    yield "started"


@mylib.memoize
async def settings():
    return {"debug": False}


async def lookup_name(user_id):
    await asyncio.sleep(0)
    return str(user_id)


@atexit.register  # error: ASP104
async def flush_metrics():
    await asyncio.sleep(0)


def sync_refresh():
    return None


def sync_cleanup():
    return None


def blocking_io(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


class Poller:
    def __init__(self, loop: asyncio.AbstractEventLoop, items):
        self.loop = loop
        self.items = items

    async def poll(self):
        await asyncio.sleep(1)

    async def reconnect(self):
        await asyncio.sleep(0)

    async def rank(self, item):
        await asyncio.sleep(0)
        return item

    def is_ready(self):  # sync, and unrelated to the module's coroutine function
        return bool(self.items)

    def sync_poll(self):
        return None

    def start_in_thread(self):
        threading.Thread(target=functools.partial(self.poll)).start()  # error: ASP104

    def start(self):
        threading.Thread(target=self.poll, daemon=True).start()  # error: ASP104
        threading.Thread(target=self.sync_poll, daemon=True).start()  # a sync method
        threading.Thread(target=asyncio.run, args=(self.poll(),)).start()  # asyncio.run runs the coroutine
        self.loop.call_later(5, self.reconnect)  # error: ASP104

    def best(self):
        return max(self.items, key=self.rank)  # error: ASP104

    def ready(self):
        if self.is_ready():  # the sync method, not the module's coroutine function
            return True
        return False


def install(loop: asyncio.AbstractEventLoop):
    loop.call_soon(refresh)  # error: ASP104
    loop.call_soon_threadsafe(refresh)  # error: ASP104
    loop.add_signal_handler(signal.SIGTERM, shutdown)  # error: ASP104
    loop.call_soon(functools.partial(fetch, "https://example.org"))  # error: ASP104
    loop.call_later(1.0, lambda: fetch("https://example.org"))  # error: ASP104
    loop.call_soon(mylib.fetch)  # error: ASP104
    loop.call_at(loop.time() + 10, shutdown)  # error: ASP104
    loop.call_soon(sync_refresh)  # a sync function
    loop.call_soon(lambda: log.info("tick"))  # the lambda returns a sync value
    loop.call_soon(functools.partial(log.info, "tick"))  # a partial of a sync function
    loop.call_soon_threadsafe(asyncio.ensure_future, refresh())  # ensure_future schedules the coroutine
    loop.add_signal_handler(signal.SIGHUP, lambda: log.info("reload"))  # sync lambda


def at_process_level():
    atexit.register(close_pool)  # error: ASP104
    signal.signal(signal.SIGINT, on_interrupt)  # error: ASP104
    threading.Timer(30.0, refresh).start()  # error: ASP104
    Thread(target=refresh).start()  # error: ASP104
    atexit.register(sync_cleanup)  # a sync function
    atexit.register(asyncio.run, close_pool())  # asyncio.run runs the coroutine at exit
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # not a function of ours
    Thread(target=events).start()  # an async generator function, not a coroutine function


async def offload(path, loop: asyncio.AbstractEventLoop):
    future = loop.run_in_executor(None, fetch, path)  # error: ASP104
    future.add_done_callback(on_done)  # error: ASP104
    job = executor.submit(fetch, path)  # error: ASP104
    with ThreadPoolExecutor() as pool:
        pool.submit(fetch, path)  # error: ASP104
        pool.submit(blocking_io, path)  # a sync function
    text = await loop.run_in_executor(None, blocking_io, path)  # a sync function
    future.add_done_callback(lambda done: log.info("done: %s", done.result()))  # sync lambda
    return text, job


def order(items: list, tasks: list):
    valid = list(filter(is_valid, items))  # error: ASP104
    checked = list(filter(lambda item: is_valid(item), items))  # error: ASP104
    ranked = sorted(valid, key=score)  # error: ASP104
    items.sort(key=score)  # error: ASP104
    longest = max(items, key=len)  # a builtin
    non_empty = list(filter(None, items))  # no function at all
    by_name = sorted(tasks, key=attrgetter("name"))  # a sync key
    shortest = min(items, key=lambda item: len(item))  # the lambda returns a sync value
    return ranked, checked, longest, non_empty, by_name, shortest


async def truth_tests(cursor, items, other):
    if is_ready():  # error: ASP104
        log.info("ready")
    while has_more(cursor):  # error: ASP104
        cursor.advance()
    if not is_valid(items[0]):  # error: ASP104
        return None
    if other and is_ready():  # error: ASP104
        log.info("both")
    assert is_valid(items), "no items"  # error: ASP104
    label = "ok" if is_ready() else "wait"  # error: ASP104
    kept = [item for item in items if is_valid(item)]  # error: ASP104
    name = lookup_name(cursor.user_id) or "anonymous"  # error: ASP104
    if lookup_name(cursor.user_id) is None:  # a comparison, not a truth test
        return None
    if await is_ready():  # awaited
        log.info("ready")
    if not await is_valid(items[0]):  # awaited
        return None
    if asyncio.iscoroutinefunction(refresh):  # a sync question about the function
        log.info("refresh is async")
    if refresh:  # the function object, not a call
        log.info("refresh is set")
    if settings():  # mylib.memoize is a non-coroutine decorator (option)
        log.info("configured")
    return label, kept, name


class SyncPoller(Poller):
    def poll(self):  # overrides the async base method with a sync one
        return None

    def start(self):
        threading.Thread(target=self.poll, daemon=True).start()  # the sync override


def frameworks(app, dispatcher):
    app.on_startup.append(refresh)  # frameworks that await their callbacks are not sync slots
    dispatcher.register(shutdown)  # unknown API: unsure


def shadowed(loop: asyncio.AbstractEventLoop):
    def refresh():  # a sync refresh that shadows the module's coroutine function
        return None

    loop.call_soon(refresh)  # the local sync function
    if refresh():  # the local sync function
        return True
    return False


def unknown_receivers(jobs, url):
    jobs.submit(fetch, url)  # `jobs` is no known executor: its submit may accept coroutine functions


def silenced(loop: asyncio.AbstractEventLoop):
    loop.call_soon(refresh)  # noqa: ASP104
