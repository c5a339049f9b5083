"""Eval file for ASP202 unbounded-task-spawn.  Parsed, never run.

Workers, servers and loaders that start tasks in loops.  Positives carry
`# error: ASP202`; every other task started in a loop is a negative that must
stay silent.  The default async-patterns-max-fanout (50) applies.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
import functools
from asyncio import FIRST_COMPLETED, TaskGroup, create_task, ensure_future

import anyio

SHARDS = (0, 1, 2, 3, 4, 5, 6, 7)
_slots = asyncio.Semaphore(16)
_background: set[asyncio.Task] = set()


async def download(session, url):
    async with session.get(url) as response:
        return await response.read()


async def download_bounded(session, url):
    async with _slots:
        return await download(session, url)


async def limited(coro):
    async with _slots:
        return await coro


async def handle(reader, writer):
    data = await reader.read(1024)
    writer.write(data)
    await writer.drain()


async def process(item):
    await asyncio.sleep(0)
    return item


async def worker(name, queue):
    while True:
        item = await queue.get()
        try:
            await process(item)
        finally:
            queue.task_done()


async def crawl(session, urls):
    tasks = []
    for url in urls:
        tasks.append(asyncio.create_task(download(session, url)))  # error: ASP202
    return await asyncio.gather(*tasks)


async def crawl_alias(session, urls):
    tasks = []
    for url in urls:
        tasks.append(aio.create_task(download(session, url)))  # error: ASP202
    return await aio.gather(*tasks)


async def crawl_bare_names(session, urls):
    futures = []
    for url in sorted(set(urls)):
        futures.append(ensure_future(download(session, url)))  # error: ASP202
    return await asyncio.gather(*futures)


async def consume_stream(stream):
    pending = set()
    async for message in stream:
        task = create_task(process(message))  # error: ASP202
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)


async def flush_buffer(buffer):
    tasks = []
    while buffer:  # never awaits: starts tasks as fast as it can pop
        tasks.append(asyncio.create_task(process(buffer.pop())))  # error: ASP202
    await asyncio.gather(*tasks)


async def import_rows(conn, table):
    rows = await conn.fetch(f"SELECT * FROM {table}")
    async with TaskGroup() as tg:
        for row in rows:
            tg.create_task(process(row))  # error: ASP202


async def import_file(path):
    async with asyncio.TaskGroup() as group:
        with open(path, encoding="utf-8") as lines:  # error: ASP602
            for line in lines:
                group.create_task(process(line.rstrip("\n")))  # error: ASP202


async def fan_out_range(count):
    loop = asyncio.get_running_loop()
    futures = []
    for index in range(count):
        futures.append(loop.create_task(process(index)))  # error: ASP202
    return await asyncio.gather(*futures)


async def load_test():
    tasks = []
    for index in range(500):  # a literal far over the default limit of 50
        tasks.append(asyncio.create_task(process(index)))  # error: ASP202
    return await asyncio.gather(*tasks)


async def crawl_paced(session, urls):
    tasks = []
    for url in urls:
        tasks.append(asyncio.create_task(download(session, url)))  # error: ASP202
        await asyncio.sleep(0.05)  # paces the start rate; the tasks still all run at once
    return await asyncio.gather(*tasks)


async def scan_ports(hosts):
    tasks = []
    for host in hosts:
        for port in (22, 80, 443):  # the inner loop is small, the outer one is not
            tasks.append(asyncio.create_task(asyncio.open_connection(host, port)))  # error: ASP202
    return await asyncio.gather(*tasks, return_exceptions=True)


async def start_background(jobs):
    for job in jobs:
        asyncio.create_task(process(job))  # error: ASP202, ASP103


class Indexer:
    def __init__(self, conn):
        self.conn = conn
        self._inflight: dict[int, asyncio.Task] = {}
        self._gate = asyncio.Semaphore(8)

    async def index(self, document):
        await self.conn.execute("INSERT INTO idx VALUES ($1)", document)

    async def index_gated(self, document):
        async with self._gate:  # a semaphore made in __init__
            await self.index(document)

    async def reindex(self, documents):
        for doc in documents:
            # self.index does not acquire the class's semaphore
            self._inflight[doc.id] = asyncio.create_task(self.index(doc))  # error: ASP202
        await asyncio.gather(*self._inflight.values())

    async def reindex_by_owner(self, by_owner):
        tasks = []
        for owner, docs in self.group(by_owner).items():
            tasks.append(asyncio.create_task(self.index(docs[0])))  # error: ASP202
        await asyncio.gather(*tasks)

    async def reindex_gated(self, documents):
        tasks = []
        for doc in documents:
            # the callee acquires self._gate
            tasks.append(asyncio.create_task(self.index_gated(doc)))
        await asyncio.gather(*tasks)

    def group(self, documents):
        return {d.owner: [d] for d in documents}


async def start_workers(queue):
    workers = set()
    for name in ["fetcher", "parser", "writer"]:  # a fixed pool of three
        workers.add(asyncio.ensure_future(worker(name, queue)))
    return workers


async def start_shard_loaders(conn):
    tasks = []
    for shard in SHARDS:  # bound once to a tuple of eight
        tasks.append(asyncio.create_task(process((conn, shard))))
    return await asyncio.gather(*tasks)


async def start_region_checks():
    async with asyncio.TaskGroup() as tg:
        for region in ("eu", "us", "ap"):  # three regions
            tg.create_task(process(region))


async def start_fixed_workers(queue):
    workers = []
    for i in range(8):  # range with a small constant
        workers.append(asyncio.create_task(worker(f"w{i}", queue)))
    await queue.join()
    for w in workers:
        w.cancel()


async def serve(server_socket, loop):
    while True:
        # each round waits for a new connection: tasks start as clients arrive
        client, _ = await loop.sock_accept(server_socket)
        task = asyncio.create_task(handle_client(client))
        _background.add(task)
        task.add_done_callback(_background.discard)


async def handle_client(client):
    await asyncio.sleep(0)


async def dispatch(queue):
    running = set()
    while True:
        item = await queue.get()  # one task per item as it arrives
        task = asyncio.create_task(process(item))
        running.add(task)
        task.add_done_callback(running.discard)


async def crawl_windowed(session, urls, window=20):
    pending = set()
    results = []
    for url in urls:
        if len(pending) >= window:
            # waits for one to finish before starting another: at most `window` run at once
            done, pending = await asyncio.wait(pending, return_when=FIRST_COMPLETED)
            results.extend(t.result() for t in done)
        pending.add(asyncio.create_task(download(session, url)))
    done, _ = await asyncio.wait(pending)
    return results + [t.result() for t in done]


async def crawl_acquire_first(session, urls):
    sem = asyncio.Semaphore(10)
    tasks = []
    for url in urls:
        await sem.acquire()  # released when the task is done: at most 10 in flight
        task = asyncio.create_task(download(session, url))
        task.add_done_callback(lambda _: sem.release())
        tasks.append(task)
    return await asyncio.gather(*tasks)


async def crawl_bounded_callee(session, urls):
    tasks = []
    for url in urls:
        # the callee enters _slots
        tasks.append(asyncio.create_task(download_bounded(session, url)))
    return await asyncio.gather(*tasks)


async def crawl_wrapped(session, urls):
    tasks = []
    for url in urls:
        # the element is wrapped in a helper that holds _slots
        tasks.append(asyncio.create_task(limited(download(session, url))))
    return await asyncio.gather(*tasks)


async def crawl_capacity(session, urls):
    limiter = anyio.CapacityLimiter(5)

    async def fetch_one(url):
        async with limiter:  # an anyio CapacityLimiter
            return await download(session, url)

    tasks = []
    for url in urls:
        tasks.append(asyncio.create_task(fetch_one(url)))
    return await asyncio.gather(*tasks)


async def crawl_unknown_client(client, urls):
    tasks = []
    for url in urls:
        # an unknown client's method: nothing visible bounds it
        tasks.append(asyncio.create_task(client.fetch(url)))  # error: ASP202
    return await asyncio.gather(*tasks)


def schedule_all(loop, jobs):
    futures = []
    for job in jobs:  # a sync function starts the tasks just the same
        futures.append(loop.create_task(process(job)))  # error: ASP202
    return futures


def install_signal_handlers(loop, signals, shutdown):
    for sig in signals:
        # the task is made later, when the signal arrives, not by this loop
        loop.add_signal_handler(sig, lambda: asyncio.create_task(shutdown()))  # error: ASP103


class JobRunner:
    def __init__(self):
        self.current: asyncio.Task | None = None

    async def run_all(self, jobs):
        for job in jobs:
            # each task is awaited before the next starts: one at a time, kept cancellable
            self.current = asyncio.create_task(process(job))
            await self.current


# -- negatives found in real projects ------------------------------------------------------


async def enter_first_two(entered_events):
    async with anyio.create_task_group() as tg:
        # corpus: anyio tests — a slice with a constant bound has at most two items
        for event in entered_events[:2]:
            tg.start_soon(worker, event)


async def run_until_first_complete(*args) -> None:
    # corpus: starlette — the function's own *args: as many as its callers write out
    async with anyio.create_task_group() as task_group:

        async def run(func) -> None:
            await func()
            task_group.cancel_scope.cancel()

        for func, kwargs in args:
            task_group.start_soon(run, functools.partial(func, **kwargs))


class H11Protocol:
    def __init__(self, loop, conn, app) -> None:
        self.loop = loop
        self.conn = conn
        self.app = app
        self.tasks: set[asyncio.Task] = set()

    async def run_asgi(self, app) -> None:
        await app()

    def handle_events(self) -> None:
        # corpus: uvicorn h11 — a sync protocol callback whose loop breaks when the input runs dry
        while True:
            event = self.conn.next_event()
            if event is None:
                break
            task = self.loop.create_task(self.run_asgi(self.app))
            task.add_done_callback(self.tasks.discard)
            self.tasks.add(task)


class ClusterNodes:
    def __init__(self) -> None:
        self._background_tasks: set[asyncio.Task] = set()

    def drop_old_nodes(self, old: dict) -> None:
        # corpus: redis cluster — one task per node the client already holds, a method of each
        for name in list(old.keys()):
            removed_node = old.pop(name)
            task = asyncio.create_task(removed_node.disconnect_free_connections())
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)


class Connection:
    def __init__(self, loop) -> None:
        self._loop = loop
        self._log_listeners: set = set()

    def _process_log_message(self, con_ref, message) -> None:
        # corpus: asyncpg — a callback of each registered listener: ASP202 stays silent (ASP103 does not)
        for cb in self._log_listeners:
            if cb.is_async:
                self._loop.create_task(cb.cb(con_ref, message))  # error: ASP103
            else:
                self._loop.call_soon(cb.cb, con_ref, message)


class ConsumerPool:
    def __init__(self, size: int):
        self.size = size
        self.jobs: asyncio.Queue[str] = asyncio.Queue()

    async def consume(self, number: int) -> None:
        while True:
            job = await self.jobs.get()
            await asyncio.sleep(0)  # stands in for handling job
            self.jobs.task_done()

    async def start(self) -> None:
        async with asyncio.TaskGroup() as tg:
            for number in range(self.size):
                tg.create_task(self.consume(number))  # a pool of queue consumers bounds itself
