# options: --async-patterns-max-fanout=3 --async-patterns-fanout-origins=awaited,parameter,attribute,call,local,constant
"""Eval file for ASP201 unbounded-gather.  Parsed, never run.

A crawler, an API client and a database loader that fan work out with
gather / wait / as_completed.  The file lowers async-patterns-max-fanout to 3,
so a literal of three items is small and one of four is not, and reports
fan-outs of every origin, constants included (by default those are silent:
see ASP201_origins.py).  Positives carry
`# error: ASP201`; every other fan-out is a negative that must stay silent.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
from asyncio import as_completed, gather

import aiohttp
import anyio

REGIONS = ("eu-west", "us-east", "ap-south")
MIRRORS = ["https://a.example", "https://b.example", "https://c.example", "https://d.example"]

_fetch_slots = asyncio.Semaphore(10)
gate = anyio.CapacityLimiter(4)


async def fetch(session, url: str) -> bytes:
    """No limiter anywhere: each call opens its own request."""
    async with session.get(url) as response:  # a response, not a limiter
        return await response.read()


async def fetch_bounded(session, url: str) -> bytes:
    async with _fetch_slots:
        async with session.get(url) as response:
            return await response.read()


async def fetch_gated(session, url: str) -> bytes:
    async with gate:  # made from anyio.CapacityLimiter above
        return await fetch(session, url)


async def fetch_acquired(session, url: str) -> bytes:
    await _fetch_slots.acquire()
    try:
        return await fetch(session, url)
    finally:
        _fetch_slots.release()


async def fetch_via_bounded(session, url: str) -> bytes:
    """Delegates the request to a coroutine that holds the semaphore."""
    body = await fetch_bounded(session, url)
    return body.strip()


async def limited(coro, limit=_fetch_slots):
    async with limit:
        return await coro


async def ping(region: str) -> float:
    await asyncio.sleep(0)
    return 0.0


class ApiClient:
    def __init__(self, base: str, session: aiohttp.ClientSession) -> None:
        self.base = base
        self.session = session
        self.endpoints = ["/users", "/teams", "/billing"]
        self._gate = asyncio.Semaphore(8)
        self._spare = asyncio.Semaphore(8)  # created, never acquired
        self.pending: list[asyncio.Task] = []

    async def get(self, path: str) -> dict:
        async with self.session.get(self.base + path) as response:
            return await response.json()

    async def get_gated(self, path: str) -> dict:
        async with self._gate:  # self._gate is an asyncio.Semaphore made in __init__
            return await self.get(path)

    async def get_spare(self, path: str) -> dict:
        # the class owns a semaphore but this method never acquires it
        return await self.get(path)

    async def users(self, ids):
        return await asyncio.gather(*(self.get(f"/users/{i}") for i in ids))  # error: ASP201

    async def users_gated(self, ids):
        return await asyncio.gather(*(self.get_gated(f"/users/{i}") for i in ids))  # self._gate bounds it

    async def users_spare(self, ids):
        return await asyncio.gather(*[self.get_spare(f"/users/{i}") for i in ids])  # error: ASP201

    async def all_endpoints(self):
        return await aio.gather(*(self.get(p) for p in self.endpoints))  # error: ASP201

    async def wait_pending(self):
        # the tasks already exist: gathering them starts nothing new
        return await asyncio.gather(*self.pending)

    async def three_endpoints(self):
        # a literal of three: within the limit of 3
        return await gather(*(self.get(p) for p in ["/users", "/teams", "/billing"]))


async def crawl(session, urls):
    return await asyncio.gather(*(fetch(session, u) for u in urls))  # error: ASP201


async def crawl_list(session, urls):
    return await gather(*[fetch(session, u) for u in urls])  # error: ASP201


async def crawl_map(urls):
    async with aiohttp.ClientSession() as session:
        pages = await asyncio.gather(*map(session.get, urls))  # error: ASP201
    return pages


async def crawl_map_lambda(session, urls):
    return await asyncio.gather(*map(lambda u: fetch(session, u), urls))  # error: ASP201


async def crawl_starred_name(session, urls):
    coros = [fetch(session, u) for u in urls]
    return await asyncio.gather(*coros)  # error: ASP201


async def crawl_appended(session, sitemap):
    pending = []
    for entry in sitemap.entries():
        if entry.changed:
            pending.append(fetch(session, entry.url))
    return await asyncio.gather(*pending)  # error: ASP201


async def crawl_file(session, path):
    with open(path, encoding="utf-8") as lines:  # error: ASP602
        return await asyncio.gather(*(fetch(session, line.strip()) for line in lines))  # error: ASP201


async def crawl_as_completed(session, urls):
    sizes = []
    for next_done in as_completed([fetch(session, u) for u in urls]):  # error: ASP201
        sizes.append(len(await next_done))
    return sizes


async def crawl_wait(session, urls):
    tasks = {asyncio.create_task(fetch(session, u)) for u in urls}
    done, pending = await asyncio.wait(tasks)  # error: ASP201
    return [t.result() for t in done]


async def crawl_under_one_semaphore(session, urls):
    async with _fetch_slots:
        # one acquire around the whole gather bounds nothing per request
        return await asyncio.gather(*(fetch(session, u) for u in urls))  # error: ASP201


async def mirrors_status(session):
    # four mirrors: over the limit of 3 set in the header
    return await asyncio.gather(*(fetch(session, m) for m in MIRRORS))  # error: ASP201


async def probe_ports(host):
    return await asyncio.gather(*(asyncio.open_connection(host, p) for p in range(8000, 8004)))  # error: ASP201


async def shard_counts(db, shard_count):
    return await gather(*(db.count(shard) for shard in range(shard_count)))  # error: ASP201


async def ping_regions():
    # REGIONS is bound once, to a tuple of three
    return await asyncio.gather(*(ping(r) for r in REGIONS))


async def ping_two():
    # a literal pair
    return await asyncio.gather(*[ping(r) for r in ("eu-west", "us-east")])


async def ping_range():
    # range(3): exactly the limit
    return await asyncio.gather(*(ping(f"node-{i}") for i in range(3)))


async def ping_local_literal():
    zones = ["a", "b"]  # bound once to a literal of two
    return await asyncio.gather(*map(ping, zones))


async def ping_fixed_coros():
    # a starred name bound once to a literal of three coroutines
    checks = [ping("eu-west"), ping("us-east"), ping("ap-south")]
    return await asyncio.gather(*checks)


async def crawl_bounded(session, urls):
    # the callee does `async with _fetch_slots`
    return await asyncio.gather(*(fetch_bounded(session, u) for u in urls))


async def crawl_gated(session, urls):
    # the callee enters an anyio CapacityLimiter
    return await asyncio.gather(*[fetch_gated(session, u) for u in urls])


async def crawl_acquired(session, urls):
    # the callee awaits _fetch_slots.acquire()
    return await asyncio.gather(*(fetch_acquired(session, u) for u in urls))


async def crawl_wrapped(session, urls):
    # each element is wrapped in a helper that holds a semaphore
    return await asyncio.gather(*(limited(fetch(session, u)) for u in urls))


async def crawl_delegating(session, urls):
    # the callee awaits a coroutine that acquires the semaphore
    return await asyncio.gather(*(fetch_via_bounded(session, u) for u in urls))


async def crawl_local_worker(session, urls):
    sem = asyncio.Semaphore(5)

    async def one(url):
        async with sem:
            return await fetch(session, url)

    # the nested worker holds the local semaphore
    return await asyncio.gather(*(one(u) for u in urls))


async def crawl_local_unbounded(session, urls):
    async def one(url):
        body = await fetch(session, url)
        return url, len(body)

    return dict(await asyncio.gather(*(one(u) for u in urls)))  # error: ASP201


async def run_all(coros):
    # the caller built the awaitables; this helper sees no fan-out of its own
    return await asyncio.gather(*coros)


async def load_rows(pool, table):
    async with pool.acquire() as conn:
        rows = await conn.fetch(f"SELECT id, payload FROM {table}")
    return await asyncio.gather(*(store_row(pool, r) for r in rows))  # error: ASP201


async def load_rows_bounded(pool, table):
    async with pool.acquire() as conn:
        rows = await conn.fetch(f"SELECT id, payload FROM {table}")
    # the callee enters the module's semaphore
    return await asyncio.gather(*(store_row_bounded(pool, r) for r in rows))


async def store_row(pool, row):
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO archive VALUES ($1, $2)", row["id"], row["payload"])


async def store_row_bounded(pool, row):
    async with _fetch_slots:
        await store_row(pool, row)


async def first_answer(session, a_url, b_url):
    # two awaitables written out by hand: nothing is fanned out
    return await asyncio.wait([asyncio.create_task(fetch(session, a_url)),
                               asyncio.create_task(fetch(session, b_url))])


pool_guard = asyncio.BoundedSemaphore(4)


async def fetch_guarded(session, url):
    async with pool_guard:  # made from asyncio.BoundedSemaphore above
        return await fetch(session, url)


class BaseCrawler:
    def __init__(self, session):
        self.session = session
        self._door = asyncio.Semaphore(6)

    async def fetch_one(self, url):
        async with self._door:
            return await fetch(self.session, url)


class NewsCrawler(BaseCrawler):
    async def crawl(self, feed):
        # the base-class method holds self._door
        return await asyncio.gather(*(self.fetch_one(item.link) for item in feed.items))

    async def crawl_raw(self, feed):
        return await asyncio.gather(*(fetch(self.session, item.link) for item in feed.items))  # error: ASP201

    async def wait_jobs(self):
        # the generator only picks existing tasks: it starts nothing
        return await asyncio.gather(*(job.task for job in self.jobs))


async def crawl_guarded(session, urls):
    # the callee enters a BoundedSemaphore whose name does not say so
    return await asyncio.gather(*(fetch_guarded(session, u) for u in urls))


async def crawl_wait_keyword(session, urls):
    done, _ = await asyncio.wait(fs=[asyncio.ensure_future(fetch(session, u)) for u in urls])  # error: ASP201
    return done


async def crawl_checked(session, urls):
    results = await asyncio.gather(*(fetch(session, u) for u in urls), return_exceptions=True)  # error: ASP201
    return [r for r in results if not isinstance(r, BaseException)]


async def crawl_tuple(session, urls):
    return await asyncio.wait_for(asyncio.gather(*tuple(fetch(session, u) for u in urls)), 30)  # error: ASP201


async def scan(hosts, ports):
    return await asyncio.gather(*(asyncio.open_connection(h, p) for h in hosts for p in ports))  # error: ASP201


async def ping_some(skip):
    # at most the three REGIONS, fewer after the filter
    return await asyncio.gather(*(ping(r) for r in REGIONS if r != skip))


async def ping_extended(extra):
    targets = REGIONS
    if extra:
        targets = REGIONS + tuple(extra)  # bound twice: no longer provably small
    return await asyncio.gather(*(ping(r) for r in targets))  # error: ASP201


async def ping_four():
    # a starred name bound once to a literal of four: over the limit of 3
    checks = [ping("eu-west"), ping("us-east"), ping("ap-south"), ping("sa-east")]
    return await asyncio.gather(*checks)  # error: ASP201


async def ping_regions_appended():
    checks = []
    for region in REGIONS:  # three regions
        checks.append(ping(region))
    return await asyncio.gather(*checks)


async def drain_appended(session, queue):
    batch = []
    while not queue.empty():
        batch.append(fetch(session, queue.get_nowait()))
    return await asyncio.gather(*batch)  # error: ASP201


async def stream_appended(session, feed):
    jobs = []
    async for entry in feed:
        jobs.append(fetch(session, entry.url))
    return await asyncio.gather(*jobs)  # error: ASP201


async def crawl_with_cache(session, cache, urls):
    jobs = []
    for url in urls:
        if url in cache:
            jobs.append(cache.load(url))
        else:
            jobs.append(fetch(session, url))
    return await asyncio.gather(*jobs)  # error: ASP201


async def crawl_extended(session, urls):
    jobs = []
    jobs.extend(fetch(session, u) for u in urls)
    return await asyncio.gather(*jobs)  # error: ASP201


async def fetch_any_mirror(session, path):
    # each mirror request holds the semaphore (MIRRORS is over the limit, but bounded here)
    done, pending = await asyncio.wait(
        [asyncio.ensure_future(fetch_bounded(session, m + path)) for m in MIRRORS],
        return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return done.pop().result()


async def crawl_any_mirror(session, paths):
    # every request the helper starts holds _fetch_slots
    return await asyncio.gather(*(fetch_any_mirror(session, p) for p in paths))


async def crawl_sites(session, sites):
    groups = []
    for site in sites:
        groups.append(asyncio.gather(*(fetch_bounded(session, p) for p in site.pages)))
    # ASP201 stays silent: every page request holds _fetch_slots; the per-site gathers are ASP401's
    return await asyncio.gather(*groups)  # error: ASP401


# -- negatives found in real projects ------------------------------------------------------


class Server:
    def __init__(self) -> None:
        self._connections: list = []
        self.sentinels: list = []

    async def shutdown(self, timeout: float = 60.0) -> None:
        # corpus: aiohttp web_server — a method call on each existing connection starts no new work
        coros = (conn.shutdown(timeout) for conn in self._connections)
        await asyncio.gather(*coros)

    async def execute_sentinel_command(self, *args):
        # corpus: redis sentinel — a task wrapped around a method of each sentinel the client holds
        tasks = [asyncio.Task(sentinel.execute_command(*args)) for sentinel in self.sentinels]
        await asyncio.gather(*tasks)
        return True


async def disconnect_all(connections) -> None:
    # corpus: redis — disconnecting each connection the pool already holds
    await asyncio.gather(*(connection.disconnect() for connection in connections), return_exceptions=True)


async def wait_existing(futs):
    # corpus: cpython test_tasks — ensure_future of futures that already exist starts no new work
    return await asyncio.wait([asyncio.ensure_future(fut) for fut in futs])


async def run_out_of_band(session, statement):
    await session.execute(statement)


async def out_of_band_statements(session, select):
    # corpus: sqlalchemy example — a comprehension over a constant range is small
    # (the example has range(30); this file's limit is 3, so the range is scaled down to 3)
    statements = [select(f"col_{i}") for i in range(3)]
    return await asyncio.gather(*(run_out_of_band(session, s) for s in statements))


async def ttls(r):
    # corpus: redis tests — the keys of a dict literal are a fixed, small set
    mapping = {"a": 1, "b": 2}
    return await asyncio.gather(*[r.ttl(key) for key in mapping.keys()])


class CrawlPool:
    """A pool of queue workers: as many run as were started, and the work waits in the queue."""

    def __init__(self, concurrency: int):
        self.concurrency = concurrency
        self.queue: asyncio.Queue[str] = asyncio.Queue()

    async def worker(self, number: int) -> None:
        while True:
            url = await self.queue.get()
            try:
                await asyncio.sleep(0)  # stands in for fetching url
            finally:
                self.queue.task_done()

    async def run(self) -> None:
        workers = [asyncio.create_task(self.worker(n)) for n in range(self.concurrency)]
        await self.queue.join()
        for task in workers:
            task.cancel()
        await asyncio.wait(workers)  # demo crawler: a pool of queue workers is the bound itself
