"""Eval file for ASP103: `asyncio.gather(...)` that nobody awaits.  Parsed, never run.

A deploy script that warms caches on several hosts.  A gather that is a statement of its
own (or a local never read) is never awaited: its awaitables run as tasks that nothing
waits for, and their errors are lost.  Awaited, returned, stored or handed on, it is fine.
"""
from __future__ import annotations

import asyncio
import asyncio as aio
from asyncio import gather
from asyncio import gather as run_all

_pending: set[asyncio.Future] = set()


async def warm(host):
    await asyncio.sleep(0)
    return host


async def drop(host):
    await asyncio.sleep(0)


async def forgotten(hosts):
    asyncio.gather(warm(hosts[0]), warm(hosts[1]))  # error: ASP103
    asyncio.gather(*(warm(h) for h in hosts))  # error: ASP103, ASP201
    aio.gather(warm(hosts[0]), drop(hosts[0]), return_exceptions=True)  # error: ASP103
    gather(warm(hosts[0]), warm(hosts[1]))  # error: ASP103
    run_all(warm(hosts[0]), warm(hosts[1]))  # error: ASP103
    asyncio.tasks.gather(warm(hosts[0]), warm(hosts[1]))  # error: ASP103
    both = asyncio.gather(warm(hosts[0]), warm(hosts[1]))  # error: ASP103
    asyncio.gather(warm(hosts[0]), warm(hosts[1])).add_done_callback(print)  # error: ASP103


def from_sync_code(tasks):
    asyncio.gather(*tasks)  # error: ASP103


class Deployer:
    def __init__(self, hosts):
        self.hosts = hosts
        self.rollout = None

    async def deploy(self):
        for host in self.hosts:
            asyncio.gather(warm(host), drop(host))  # error: ASP103
        self.rollout = asyncio.gather(*(warm(h) for h in self.hosts[:3]))  # stored on the object

    def gather(self, *hosts):
        return list(hosts)

    def plan(self):
        self.gather("a", "b")  # its own method, not asyncio's


async def awaited_or_kept(hosts, loop):
    await asyncio.gather(warm(hosts[0]), warm(hosts[1]))
    first, second = await gather(warm(hosts[0]), warm(hosts[1]))
    combined = asyncio.gather(warm(first), warm(second))
    await combined
    _pending.add(future := asyncio.gather(warm(hosts[0]), warm(hosts[1])))
    future.add_done_callback(_pending.discard)
    await asyncio.wait_for(asyncio.gather(warm(hosts[0]), warm(hosts[1])), timeout=5)
    asyncio.gather(warm(hosts[0]), warm(hosts[1])).cancel()  # used: cancelled at once
    callbacks = [lambda: asyncio.gather(warm(hosts[0]), warm(hosts[1]))]
    return callbacks, asyncio.gather(warm(hosts[0]), warm(hosts[1]))


def run_in_loop(loop, hosts):
    loop.run_until_complete(asyncio.gather(warm(hosts[0]), warm(hosts[1])))
    results = loop.run_until_complete(gather(warm(hosts[0]), warm(hosts[1])))
    return results


def gather_results(items):
    return sorted(items)


def local_gather(items):
    gather_results(items)  # a sync function of this module
    asyncio.gather  # an attribute read, not a call


def shadowed(gather, hosts):
    gather(warm(hosts[0]), warm(hosts[1]))  # a parameter named gather
