"""Eval file for ASP201 unbounded-gather: limiters in another module.  Parsed, never run.

The bound is acquired in a coroutine, a wrapper or a processor object defined in a sibling
module of the project (_support_limiters.py) or in an installed package
(tests/site/fake_limits_pkg): a Semaphore, an anyio CapacityLimiter, an aiolimiter
AsyncLimiter, under names that do not say what they are.  Positives carry
`# error: ASP201`; every other fan-out is a negative that must stay silent.
"""
from __future__ import annotations

import asyncio

import _support_limiters
from _support_limiters import BatchProcessor, Processor, Uploader, fetch_gated, fetch_unbounded, fetch_via, gate, limited
from fake_limits_pkg import Client, plain_get, throttled_get


async def crawl_gated(urls):
    # the sibling module's coroutine holds its semaphore
    return await asyncio.gather(*(fetch_gated(u) for u in urls))


async def crawl_through_module(urls):
    return await asyncio.gather(*[_support_limiters.fetch_gated(u) for u in urls])


async def crawl_unbounded(urls):
    return await asyncio.gather(*(fetch_unbounded(u) for u in urls))  # error: ASP201


async def crawl_wrapped(urls):
    # the sibling module's wrapper holds the semaphore around each awaitable
    return await asyncio.gather(*(limited(fetch_unbounded(u)) for u in urls))


async def crawl_via(urls):
    # bounded one level down, in the other module
    return await asyncio.gather(*(fetch_via(u) for u in urls))


async def under_imported_gate(urls):
    async def one(url):
        async with gate:  # a semaphore made in the other module, under a plain name
            return await fetch_unbounded(url)

    return await asyncio.gather(*(one(u) for u in urls))


async def process_all(items):
    processor = Processor()
    # Processor.process enters an aiolimiter.AsyncLimiter made in __init__
    return await asyncio.gather(*(processor.process(i) for i in items))


async def process_raw(items):
    processor = Processor()
    return await asyncio.gather(*(processor.process_raw(i) for i in items))  # error: ASP201


async def process_batch(items):
    processor = BatchProcessor()  # inherits the bounded method
    return await asyncio.gather(*(processor.process(i) for i in items))


async def process_given(processor: Processor, items):
    return await asyncio.gather(*map(processor.process, items))


async def upload_all(uploader: Uploader, paths):
    # an anyio CapacityLimiter of the other module's
    await asyncio.wait([asyncio.ensure_future(uploader.upload(p)) for p in paths])


async def get_throttled(urls):
    # the installed package's coroutine holds a BoundedSemaphore
    return await asyncio.gather(*(throttled_get(u) for u in urls))


async def get_plain(urls):
    return await asyncio.gather(*(plain_get(u) for u in urls))  # error: ASP201


async def send_all(client: Client, messages):
    # Client.send acquires a CapacityLimiter made in __init__
    return await asyncio.gather(*(client.send(m) for m in messages))


async def send_all_raw(client: Client, messages):
    return await asyncio.gather(*(client.send_raw(m) for m in messages))  # error: ASP201
