"""Eval file for ASP402 trivial-gather.  Parsed, never run.

The backend of a small web shop: a catalogue client, a cart service and a
product page.  Positives carry `# error: ASP402`; every other gather (or
gather-like call) is a negative that must stay silent.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
import logging
from asyncio import gather
from asyncio import gather as gather_all

from storekit.aio import gather as gather_pages  # another library's gather, not asyncio's

log = logging.getLogger(__name__)
_LIMIT = asyncio.Semaphore(8)


class Product:
    def __init__(self, sku: str, price: int) -> None:
        self.sku = sku
        self.price = price


async def fetch_product(sku: str) -> Product:
    async with _LIMIT:
        await asyncio.sleep(0.01)
        return Product(sku, 100)


async def fetch_stock(sku: str) -> int:
    async with _LIMIT:
        await asyncio.sleep(0.01)
        return 3


async def fetch_reviews(sku: str) -> list[str]:
    await asyncio.sleep(0.01)
    return []


async def warm_cache() -> None:
    await asyncio.sleep(0)


async def load_catalog() -> None:
    await asyncio.sleep(0)


async def first_page() -> list[Product]:
    await asyncio.sleep(0)
    return []


async def build_summary(order_id: int) -> str:
    await asyncio.sleep(0)
    return str(order_id)


# -- positives: a gather of nothing or of one awaitable ---------------------------


async def product_page(sku: str) -> Product:
    [product] = await asyncio.gather(fetch_product(sku))  # error: ASP402
    return product


async def nothing_left_to_run() -> None:
    await asyncio.gather()  # error: ASP402


async def stock_level(sku: str) -> int:
    stock, = await aio.gather(fetch_stock(sku))  # error: ASP402
    return stock


async def on_startup() -> None:
    await gather(warm_cache())  # error: ASP402


async def reviews_of(sku: str) -> list[str]:
    (reviews,) = await gather_all(fetch_reviews(sku))  # error: ASP402
    return reviews


async def refresh_catalog() -> None:
    await asyncio.tasks.gather(load_catalog())  # error: ASP402


async def stock_or_zero(sku: str) -> int:
    [outcome] = await asyncio.gather(fetch_stock(sku), return_exceptions=True)  # error: ASP402
    if isinstance(outcome, BaseException):
        log.warning("stock lookup for %s failed: %r", sku, outcome)
        return 0
    return outcome


async def leftover_after_refactoring() -> None:
    outcomes = await aio.gather(return_exceptions=True)  # error: ASP402
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome


async def reviews_in_background(sku: str) -> list[str]:
    task = asyncio.create_task(fetch_reviews(sku))
    log.info("reviews for %s requested", sku)
    [reviews] = await asyncio.gather(task)  # error: ASP402
    return reviews


async def product_explicitly_strict(sku: str) -> Product:
    [product] = await aio.gather(fetch_product(sku), return_exceptions=False)  # error: ASP402
    return product


async def order_summary(order_id: int) -> str:
    [summary] = await asyncio.gather(  # error: ASP402
        build_summary(order_id),
    )
    return summary


async def stock_with_deadline(sku: str) -> int:
    [stock] = await asyncio.gather(asyncio.wait_for(fetch_stock(sku), timeout=2))  # error: ASP402
    return stock


async def reviews_lazily(sku: str) -> list[str]:
    from asyncio import gather as together  # a function-local alias is still asyncio.gather

    [reviews] = await together(fetch_reviews(sku))  # error: ASP402
    return reviews


class Catalog:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._pending: list[asyncio.Task] = []

    async def refresh(self) -> None:
        await asyncio.sleep(0)

    async def reload(self) -> list[None]:
        return await asyncio.gather(self.refresh())  # error: ASP402

    async def reload_quietly(self) -> None:
        async def once() -> None:
            await gather(self.refresh())  # error: ASP402

        await once()

    # -- negatives in a class ----------------------------------------------------

    async def drain(self) -> None:
        await aio.gather(*self._pending)  # starred: the number of awaitables is not known here

    async def reload_and_restock(self, sku: str) -> None:
        await asyncio.gather(self.refresh(), fetch_stock(sku))  # two awaitables: real concurrency


def schedule_refresh(catalog: Catalog) -> asyncio.Future:
    return asyncio.gather(catalog.refresh())  # error: ASP402


# -- negatives: a real fan-out, or not asyncio.gather at all -------------------------


async def product_with_stock(sku: str) -> tuple[Product, int]:
    product, stock = await asyncio.gather(fetch_product(sku), fetch_stock(sku))  # two awaitables
    return product, stock


async def run_all(*jobs):
    return await asyncio.gather(*jobs)  # starred parameter: any number of awaitables


async def products(skus: list[str]) -> list[Product]:
    # starred generator over many skus; fetch_product holds _LIMIT, so nothing is unbounded either
    return await gather(*(fetch_product(sku) for sku in skus))


async def page_with_extras(first, *rest):
    return await gather_all(first, *rest)  # one named plus a starred rest: may be many


async def best_effort(*coros):
    outcomes = await asyncio.gather(*coros, return_exceptions=True)  # starred, results checked below
    return [o for o in outcomes if not isinstance(o, BaseException)]


async def storefront_home() -> list[Product]:
    return await gather_pages(first_page())  # storekit's gather: a different function


async def reviews_or_timeout(sku: str) -> list[str]:
    reviews_task = asyncio.create_task(fetch_reviews(sku))
    done, _ = await asyncio.wait({reviews_task})  # wait() of one task is not ASP402's business
    return done.pop().result()


async def protected_stock(sku: str) -> int:
    return await asyncio.shield(fetch_stock(sku))  # shield() of one is what shield is for


async def stock_within(sku: str) -> int:
    return await asyncio.wait_for(fetch_stock(sku), timeout=2)  # not a gather


class Metrics:
    def __init__(self, registry) -> None:
        self.registry = registry

    def snapshot(self):
        return self.registry.gather("latency")  # a metrics registry's gather method


def render_report(sections: list[str]) -> str:
    def gather(*parts: str) -> str:  # a local helper shadows asyncio's gather
        return "\n".join(parts)

    return gather(sections[0])  # the local helper, called with one string


def main() -> None:
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(asyncio.gather(warm_cache(), load_catalog()))  # two awaitables
    finally:
        loop.close()


# -- negatives found in real projects ------------------------------------------------------


async def stop_listener(listener) -> None:
    message_task = asyncio.create_task(listener.get_message())
    await asyncio.sleep(0)
    message_task.cancel()
    # corpus: redis/asyncpg tests — awaits the cancelled task and keeps its CancelledError quiet
    await asyncio.gather(message_task, return_exceptions=True)


async def cancel_gather_from_outside() -> None:
    async def child_coro() -> None:
        await asyncio.sleep(10)

    # corpus: cpython test_tasks — the gather is kept as a future to be cancelled, not awaited here
    gather_future = asyncio.gather(child_coro())
    await asyncio.sleep(0)
    gather_future.cancel()
