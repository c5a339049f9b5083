"""Eval file for ASP202 unbounded-task-spawn: limiters in another module.  Parsed, never run.

Tasks started in a loop whose coroutine acquires its bound in a coroutine, a wrapper or a
processor object of a sibling module (_support_limiters.py) or of an installed package
(tests/site/fake_limits_pkg).  Positives carry `# error: ASP202`; every other task started
in a loop is a negative that must stay silent.
"""
from __future__ import annotations

import asyncio

import _support_limiters
from _support_limiters import Processor, Uploader, fetch_gated, fetch_unbounded, fetch_via, gate, limited
from fake_limits_pkg import Client, plain_get, throttled_get


async def crawl_gated(urls):
    tasks = []
    for url in urls:
        tasks.append(asyncio.create_task(fetch_gated(url)))  # the other module's semaphore
    return await asyncio.gather(*tasks)


async def crawl_through_module(urls):
    async with asyncio.TaskGroup() as tg:
        for url in urls:
            tg.create_task(_support_limiters.fetch_via(url))  # bounded one level down


async def crawl_unbounded(urls):
    tasks = []
    for url in urls:
        tasks.append(asyncio.create_task(fetch_unbounded(url)))  # error: ASP202
    return await asyncio.gather(*tasks)


async def crawl_wrapped(urls):
    tasks = []
    for url in urls:
        tasks.append(asyncio.ensure_future(limited(fetch_unbounded(url))))  # the wrapper holds the gate
    return await asyncio.gather(*tasks)


async def crawl_via(urls):
    async with asyncio.TaskGroup() as tg:
        for url in urls:
            tg.create_task(fetch_via(url))


async def under_imported_gate(urls):
    async def one(url):
        async with gate:  # made in the other module
            return await fetch_unbounded(url)

    async with asyncio.TaskGroup() as tg:
        for url in urls:
            tg.create_task(one(url))


async def process_all(items):
    processor = Processor()
    async with asyncio.TaskGroup() as tg:
        for item in items:
            tg.create_task(processor.process(item))  # an AsyncLimiter made in __init__


async def process_raw(items):
    processor = Processor()
    async with asyncio.TaskGroup() as tg:
        for item in items:
            tg.create_task(processor.process_raw(item))  # error: ASP202


async def upload_all(uploader: Uploader, paths):
    loop = asyncio.get_running_loop()
    tasks = []
    for path in paths:
        tasks.append(loop.create_task(uploader.upload(path)))  # a CapacityLimiter of the other module
    await asyncio.wait(tasks)


async def get_throttled(urls):
    tasks = []
    for url in urls:
        tasks.append(asyncio.create_task(throttled_get(url)))  # the package's BoundedSemaphore
    return await asyncio.gather(*tasks)


async def get_plain(urls):
    tasks = []
    for url in urls:
        tasks.append(asyncio.create_task(plain_get(url)))  # error: ASP202
    return await asyncio.gather(*tasks)


async def send_all(client: Client, messages):
    async with asyncio.TaskGroup() as tg:
        for message in messages:
            tg.create_task(client.send(message))  # a CapacityLimiter acquired by the package's method


async def send_all_raw(client: Client, messages):
    async with asyncio.TaskGroup() as tg:
        for message in messages:
            tg.create_task(client.send_raw(message))  # error: ASP202
