"""Eval file for ASP301 gather-exceptions-ignored.  Parsed, never run.

A status-page service: an API client, health checks, a nightly batch job and
a connection pool.  Positives carry `# error: ASP301`: an awaited
gather(..., return_exceptions=True) that starts new work and whose result is
thrown away (a statement, `_ = ...`, or a name that is never read).  Every
other gather is a negative that must stay silent.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
import logging
from asyncio import gather

import aiohttp
from dask.distributed import Client as DaskClient

log = logging.getLogger(__name__)

_http_slots = asyncio.Semaphore(10)
LAST_SWEEP = None


async def fetch(url: str) -> bytes:
    async with _http_slots:
        await asyncio.sleep(0)
        return url.encode()


async def ping(host: str) -> float:
    async with _http_slots:
        await asyncio.sleep(0)
        return 0.0


async def store(key: str, value: bytes) -> None:
    async with _http_slots:
        await asyncio.sleep(0)


async def notify(channel: str, text: str) -> None:
    async with _http_slots:
        await asyncio.sleep(0)


async def load_closed_tickets(project: str) -> list:
    async with _http_slots:
        await asyncio.sleep(0)
        return []


async def publish_release(region: str, version: str) -> None:
    async with _http_slots:
        await asyncio.sleep(0)


def report(outcomes) -> None:
    for outcome in outcomes:
        log.info("outcome: %r", outcome)


# -- positives ---------------------------------------------------------------------------


async def warm_cache(urls: list[str]) -> None:
    await gather(*(fetch(u) for u in urls), return_exceptions=True)  # error: ASP301


async def refresh_mirrors(urls: list[str]) -> None:
    _ = await asyncio.gather(*(fetch(u) for u in urls), return_exceptions=True)  # error: ASP301


async def broadcast(channels: list[str], text: str) -> None:
    deliveries = await aio.gather(*(notify(c, text) for c in channels), return_exceptions=True)  # error: ASP301
    log.info("broadcast sent to %d channels", len(channels))


async def sweep(hosts: list[str]) -> None:
    outcomes: list = await gather(*(ping(h) for h in hosts), return_exceptions=True)  # error: ASP301
    log.info("swept")


async def mirror_pair(primary: str, backup: str) -> None:
    await asyncio.gather(fetch(primary), fetch(backup), return_exceptions=True)  # error: ASP301


async def spawn_pings(hosts: list[str]) -> None:
    await asyncio.gather(*[asyncio.create_task(ping(h)) for h in hosts], return_exceptions=True)  # error: ASP301


async def save_all(items: dict[str, bytes]) -> None:
    writes = []
    for key, value in items.items():
        writes.append(store(key, value))
    await gather(*writes, return_exceptions=True)  # error: ASP301


async def count_replies(hosts: list[str]) -> int:
    replies = await gather(*(ping(h) for h in hosts), return_exceptions=True)  # error: ASP301
    return len(hosts)


class StatusPage:
    def __init__(self, session: aiohttp.ClientSession, hosts: list[str]) -> None:
        self.session = session
        self.hosts = hosts
        self._tasks: set[asyncio.Task] = set()
        self._heartbeat: asyncio.TimerHandle | None = None
        self.last_results: list = []
        self.tolerant = True

    async def refresh_users(self) -> None:
        async with _http_slots:
            await asyncio.sleep(0)

    async def refresh_teams(self) -> None:
        async with _http_slots:
            await asyncio.sleep(0)

    async def refresh(self) -> None:
        await asyncio.gather(self.refresh_users(), self.refresh_teams(), return_exceptions=True)  # error: ASP301

    async def publish(self, text: str) -> None:
        try:
            await notify("#status", text)
        finally:
            await aio.gather(store("status", text.encode()), notify("#audit", text),  # error: ASP301
                             return_exceptions=True)

    async def check_all(self) -> None:
        async def probe(host: str) -> None:
            await gather(ping(host), fetch(f"https://{host}/health"), return_exceptions=True)  # error: ASP301

        await asyncio.gather(*(probe(h) for h in self.hosts))

    async def restart(self, urls: list[str]) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()  # an unrelated timer, not the work gathered below
        await gather(*(fetch(u) for u in urls), return_exceptions=True)  # error: ASP301


async def nightly_ticket_export(projects: list[str]) -> None:
    # "closed" names the tickets, not a teardown: new work whose failures vanish
    await gather(*(load_closed_tickets(p) for p in projects), return_exceptions=True)  # error: ASP301


async def roll_out(regions: list[str], version: str) -> None:
    # a release is published, not released like a lock
    await asyncio.gather(*(publish_release(r, version) for r in regions), return_exceptions=True)  # error: ASP301


# -- negatives ---------------------------------------------------------------------------


async def warm_cache_checked(urls: list[str]) -> None:
    # the results are assigned and inspected
    results = await gather(*(fetch(u) for u in urls), return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        raise BaseExceptionGroup("cache warm-up failed", failures)


async def mirror_strict(primary: str, backup: str) -> None:
    # return_exceptions=False: the first failure is raised
    await asyncio.gather(fetch(primary), fetch(backup), return_exceptions=False)


async def mirror_default(primary: str, backup: str) -> None:
    # no return_exceptions: the first failure is raised
    await aio.gather(fetch(primary), fetch(backup))


async def stop_workers(tasks: list[asyncio.Task]) -> None:
    # cleanup: the tasks were just cancelled, how they ended does not matter
    for t in tasks:
        t.cancel()
    await gather(*tasks, return_exceptions=True)


async def close_pool(conns: list) -> None:
    # best-effort closing: an error while closing has nowhere useful to go
    await gather(*(c.close() for c in conns), return_exceptions=True)


async def fetch_many(urls: list[str]) -> list:
    # returned to the caller, who decides what to do with the failures
    return await asyncio.gather(*(fetch(u) for u in urls), return_exceptions=True)


async def sweep_and_report(hosts: list[str]) -> None:
    # the results are handed to a helper that looks at every one
    report(await gather(*(ping(h) for h in hosts), return_exceptions=True))


async def sweep_into_global(hosts: list[str]) -> None:
    # a global: read elsewhere in the module
    global LAST_SWEEP
    LAST_SWEEP = await gather(*(ping(h) for h in hosts), return_exceptions=True)


async def sweep_inline(hosts: list[str]) -> None:
    # the loop reads every result as it comes
    for outcome in await gather(*(ping(h) for h in hosts), return_exceptions=True):
        if isinstance(outcome, BaseException):
            log.warning("ping failed: %r", outcome)


async def sweep_walrus(hosts: list[str]) -> None:
    # the comprehension reads every result and the test keeps the failures
    if failed := [r for r in await gather(*(ping(h) for h in hosts), return_exceptions=True)
                  if isinstance(r, BaseException)]:
        log.warning("some pings failed: %r", failed)


async def shutdown_services(services: list) -> None:
    # stop/disconnect are teardown verbs
    await aio.gather(*(s.stop() for s in services), return_exceptions=True)
    await aio.gather(*(s.disconnect() for s in services), return_exceptions=True)


async def collect_on_cluster(client: DaskClient, futures: list) -> None:
    # dask's gather, not asyncio's
    await client.gather(futures, return_exceptions=True)


class StatusPageNegatives(StatusPage):
    async def drain(self) -> None:
        # tasks that already run, held on self: waiting for them starts nothing
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def refresh_and_keep(self) -> None:
        # stored on self: read by the status page later
        self.last_results = await gather(self.refresh_users(), self.refresh_teams(), return_exceptions=True)

    async def refresh_maybe_tolerant(self) -> None:
        # return_exceptions is not the constant True: whether failures are kept is unknown
        await gather(self.refresh_users(), self.refresh_teams(), return_exceptions=self.tolerant)

    async def close(self) -> None:
        # cancelled first, then waited for: cleanup
        for task in self._tasks:
            task.cancel()
        _ = await gather(*self._tasks, return_exceptions=True)
        await self.session.close()

    async def wait_pair(self, reader: asyncio.Task, writer: asyncio.Task) -> None:
        # two existing tasks: nothing new starts here
        await aio.gather(reader, writer, return_exceptions=True)

    async def inspect_through_tasks(self) -> None:
        # the outcomes are read through the tasks themselves
        tasks = [asyncio.create_task(ping(h)) for h in self.hosts]
        await gather(*tasks, return_exceptions=True)
        for task in tasks:
            if not task.cancelled() and task.exception() is not None:
                log.warning("ping failed: %r", task.exception())
