"""Eval file for ASP302 gather-results-unchecked.  Parsed, never run.

An inventory API client and the batch jobs that use it.  Positives carry
`# error: ASP302` on the gather whose results are used as successes (iterated,
indexed, unpacked, zipped, read in a comprehension) with no exception test
anywhere.  Every other gather(..., return_exceptions=True) is a negative that
must stay silent.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
import logging
from asyncio import gather
from dataclasses import dataclass

import aiohttp

log = logging.getLogger(__name__)

_slots = asyncio.Semaphore(10)


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> dict:
        return {}


async def fetch(url: str) -> Response:
    async with _slots:
        await asyncio.sleep(0)
        return Response(200, b"")


async def fetch_json(url: str) -> dict:
    async with _slots:
        await asyncio.sleep(0)
        return {"items": []}


def summarize(results) -> dict:
    ok = [r for r in results if not isinstance(r, BaseException)]
    return {"ok": len(ok), "failed": len(results) - len(ok)}


# -- positives ---------------------------------------------------------------------------


async def load_catalogue(urls: list[str]) -> list[dict]:
    results = await gather(*(fetch(u) for u in urls), return_exceptions=True)  # error: ASP302
    pages = []
    for r in results:
        pages.append(r.json())
    return pages


async def primary_status(primary: str, backup: str) -> int:
    results = await asyncio.gather(fetch(primary), fetch(backup), return_exceptions=True)  # error: ASP302
    return results[0].status


async def compare_regions(eu: str, us: str) -> bool:
    a, b = await aio.gather(fetch(eu), fetch(us), return_exceptions=True)  # error: ASP302
    return a.body == b.body


async def status_by_url(urls: list[str]) -> dict[str, int]:
    results = await gather(*(fetch(u) for u in urls), return_exceptions=True)  # error: ASP302
    statuses = {}
    for url, r in zip(urls, results):
        statuses[url] = r.status
    return statuses


async def bodies(urls: list[str]) -> list[bytes]:
    results = await asyncio.gather(*(fetch(u) for u in urls), return_exceptions=True)  # error: ASP302
    return [r.body for r in results]


async def total_size(urls: list[str]) -> int:
    size = 0
    for r in await gather(*(fetch(u) for u in urls), return_exceptions=True):  # error: ASP302
        size += len(r.body)
    return size


async def numbered(urls: list[str]) -> None:
    results = await gather(*(fetch(u) for u in urls), return_exceptions=True)  # error: ASP302
    for i, r in enumerate(results):
        log.info("%d: %s", i, r.status)


async def head_and_rest(urls: list[str]) -> bytes:
    first, *rest = await aio.gather(*(fetch(u) for u in urls), return_exceptions=True)  # error: ASP302
    return first.body


async def all_ok(urls: list[str]) -> bool:
    outcomes = await gather(*(fetch(u) for u in urls), return_exceptions=True)  # error: ASP302
    copy = outcomes
    return all(o.status == 200 for o in copy)


async def user_items(users_url: str, teams_url: str) -> list:
    users, teams = await asyncio.gather(fetch_json(users_url), fetch_json(teams_url),  # error: ASP302
                                        return_exceptions=True)
    return users["items"] + teams["items"]


class InventoryClient:
    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base
        self.snapshot: list = []
        self.by_sku: dict = {}

    async def stock(self, sku: str) -> Response:
        async with _slots:
            return await fetch(f"{self.base}/stock/{sku}")

    async def price(self, sku: str) -> Response:
        async with _slots:
            return await fetch(f"{self.base}/price/{sku}")

    async def product(self, sku: str) -> dict:
        stock, price = await gather(self.stock(sku), self.price(sku), return_exceptions=True)  # error: ASP302
        return {"sku": sku, "stock": stock.json(), "price": price.json()}

    async def latest_statuses(self, skus: list[str]) -> list[int]:
        async def one(sku: str) -> list[int]:
            results = await aio.gather(self.stock(sku), self.price(sku), return_exceptions=True)  # error: ASP302
            return [r.status for r in results]

        per_sku = await asyncio.gather(*(one(s) for s in skus))
        return [s for statuses in per_sku for s in statuses]

    async def first_ok(self, skus: list[str]) -> Response | None:
        results = await gather(*(self.stock(s) for s in skus), return_exceptions=True)  # error: ASP302
        if results:
            return next(r for r in results if r.status == 200)
        return None

    async def classify(self, skus: list[str]) -> list[str]:
        results = await gather(*(self.stock(s) for s in skus), return_exceptions=True)
        labels = []
        for r in results:
            match r:
                # class patterns are type tests: a failure goes to the first case
                case BaseException():
                    labels.append("failed")
                case Response(status=200):
                    labels.append("ok")
                case _:
                    labels.append("other")
        return labels


# -- negatives ---------------------------------------------------------------------------


async def successes(urls: list[str]) -> list[Response]:
    # a comprehension that keeps only the non-exceptions
    results = await gather(*(fetch(u) for u in urls), return_exceptions=True)
    return [r for r in results if not isinstance(r, BaseException)]


async def exact_types(urls: list[str]) -> list[bytes]:
    # type(r) is ...: an exact type test
    results = await asyncio.gather(*(fetch(u) for u in urls), return_exceptions=True)
    return [r.body for r in results if type(r) is Response]


async def all_or_nothing(urls: list[str]) -> list[Response]:
    # the failures are raised as a group, built from a filter
    results = await gather(*(fetch(u) for u in urls), return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise BaseExceptionGroup("fetch failed", errors)
    return results


async def summary(urls: list[str]) -> dict:
    # the helper looks at every result
    results = await aio.gather(*(fetch(u) for u in urls), return_exceptions=True)
    return summarize(results)


async def raw_outcomes(urls: list[str]) -> list:
    # returned to the caller as they are
    results = await gather(*(fetch(u) for u in urls), return_exceptions=True)
    return results


async def count_outcomes(urls: list[str]) -> int:
    # only the length is read, never an element (which is ASP301's business: the failures are lost)
    results = await gather(*(fetch(u) for u in urls), return_exceptions=True)  # error: ASP301
    return len(results)


async def per_url(urls: list[str]) -> dict[str, int]:
    # each result is tested before it is used
    results = await asyncio.gather(*(fetch(u) for u in urls), return_exceptions=True)
    statuses = {}
    for url, r in zip(urls, results):
        if isinstance(r, BaseException):
            log.warning("%s failed: %r", url, r)
            continue
        statuses[url] = r.status
    return statuses


async def pair_checked(eu: str, us: str) -> bool:
    # both unpacked results are tested first
    a, b = await gather(fetch(eu), fetch(us), return_exceptions=True)
    if isinstance(a, BaseException) or isinstance(b, BaseException):
        return False
    return a.body == b.body


async def strict_bodies(urls: list[str]) -> list[bytes]:
    # no return_exceptions: a failure is raised, never returned
    results = await gather(*(fetch(u) for u in urls))
    return [r.body for r in results]


class InventoryNegatives(InventoryClient):
    async def refresh_snapshot(self, skus: list[str]) -> None:
        # stored on self: the page that shows the snapshot checks it
        results = await gather(*(self.stock(s) for s in skus), return_exceptions=True)
        self.snapshot = results

    async def refresh_index(self, skus: list[str]) -> None:
        # each result goes, untouched, into a dict that a checker reads later
        results = await aio.gather(*(self.stock(s) for s in skus), return_exceptions=True)
        for sku, r in zip(skus, results):
            self.by_sku[sku] = r

    async def via_tasks(self, skus: list[str]) -> dict[str, int]:
        # the task says whether its result is a value: .cancelled() and .exception()
        tasks = [asyncio.create_task(self.stock(s), name=s) for s in skus]
        results = await gather(*tasks, return_exceptions=True)
        statuses = {}
        for task, r in zip(tasks, results):
            if task.cancelled() or task.exception() is not None:
                continue
            statuses[task.get_name()] = r.status
        return statuses

    async def log_failures(self, skus: list[str]) -> None:
        # results handed to the logger as they are
        results = await gather(*(self.stock(s) for s in skus), return_exceptions=True)
        log.info("stock refresh: %r", results)

    async def is_subclass_check(self, skus: list[str]) -> list[int]:
        # issubclass(type(r), ...) is a type test too
        results = await gather(*(self.stock(s) for s in skus), return_exceptions=True)
        return [r.status for r in results if not issubclass(type(r), BaseException)]
