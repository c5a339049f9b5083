"""Eval file for ASP202 unbounded-task-spawn: loops that start a bounded number of tasks by
construction.  Parsed, never run.  A spawn that runs at most once per loop, a loop over
`as_completed()` of a small collection, a loop that waits for the previous task before
starting the next, and tasks that work on objects the program already holds (through a
project's own spawner, or a bound method given uncalled).  Positives carry
`# error: ASP202`; the default async-patterns-max-fanout (50) applies.
"""
from __future__ import annotations

import asyncio
from enum import Enum

import anyio


class Phase(Enum):
    WARM = 1
    RUN = 2
    COOL = 3


async def step(value) -> None:
    await asyncio.sleep(0)


def start_task(awaitable) -> asyncio.Task:
    return asyncio.ensure_future(awaitable)


_running: set[asyncio.Task] = set()


def keep(task: asyncio.Task) -> None:
    _running.add(task)
    task.add_done_callback(_running.discard)


# -- at most once per loop ----------------------------------------------------------------------


async def checkpoint_halfway(rows):
    for i, row in enumerate(rows):
        await asyncio.sleep(0)
        if i == 50:  # the index takes each value once
            keep(asyncio.create_task(step(row)))


async def checkpoint_on_round(count):
    for i in range(count):
        if 10 == i:
            keep(asyncio.create_task(step(i)))


async def first_ready(nodes):
    for node in nodes:
        if node.ready:
            keep(asyncio.create_task(step(node)))
            break  # leaves the loop after its only spawn


async def on_matching_item(rows):
    for row in rows:
        if row == 50:  # an item, not a round number: may match many times
            keep(asyncio.create_task(step(row)))  # error: ASP202


async def counter_rebound(rows):
    for i in range(len(rows)):
        i = i % 7
        if i == 0:
            keep(asyncio.create_task(step(i)))  # error: ASP202


async def break_of_inner_loop(groups):
    for group in groups:
        for item in group:
            keep(asyncio.create_task(step(item)))  # error: ASP202
            break  # leaves only the inner loop: one task per group


# -- smallness carried through as_completed() -----------------------------------------------


async def follow_up_small():
    for done in asyncio.as_completed([step(1), step(2), step(3)]):
        keep(asyncio.create_task(step(await done)))


async def follow_up_phases():
    for phase in Phase:
        keep(asyncio.create_task(step(phase)))


async def follow_up_all(values):
    for done in asyncio.as_completed([step(v) for v in values]):  # error: ASP201
        keep(asyncio.create_task(step(await done)))  # error: ASP202


# -- one at a time by construction ----------------------------------------------------------


async def one_by_one(jobs):
    previous = None
    for job in jobs:
        if previous is not None:
            await previous  # the previous task is done before the next starts
        previous = asyncio.create_task(step(job))
    if previous is not None:
        await previous


async def one_by_one_with_timeout(jobs):
    for job in jobs:
        task = asyncio.create_task(step(job))
        await asyncio.wait_for(task, 30)


async def one_by_one_shielded(jobs):
    for job in jobs:
        task = asyncio.create_task(step(job))
        await asyncio.shield(task)


async def awaits_another(jobs, other):
    for job in jobs:
        task = asyncio.create_task(step(job))  # error: ASP202
        await asyncio.wait_for(other, 30)  # waits for something else: the tasks pile up
        keep(task)


# -- work on objects that already exist ----------------------------------------------------


class Supervisor:
    def __init__(self) -> None:
        self.children: list = []

    async def stop_children(self):
        async with asyncio.TaskGroup() as tg:
            for child in self.children:
                tg.create_task(start_task(child.stop()))  # the project's spawner around a method of each child

    async def close_children(self):
        async with anyio.create_task_group() as tg:
            for child in self.children:
                tg.start_soon(child.aclose)  # a bound method of each child, passed uncalled

    async def restart_children(self):
        async with asyncio.TaskGroup() as tg:
            for child in self.children:
                tg.create_task(step(child))  # error: ASP202


# -- bounds the loop or the spawned function keeps itself ------------------------------------


class Subscriber:
    def __init__(self, limit: int) -> None:
        self.gate = anyio.Semaphore(limit)

    async def consume_one(self, message) -> None:
        async with self.gate:
            await step(message)

    async def handle_one(self, message) -> None:
        await step(message)

    async def consume(self, stream):
        async with anyio.create_task_group() as tg:
            async for message in stream:
                tg.start_soon(self.consume_one, message)  # the function given uncalled holds the gate

    async def handle(self, stream):
        async with anyio.create_task_group() as tg:
            async for message in stream:
                tg.start_soon(self.handle_one, message)  # error: ASP202


async def upload_with(limiter, path) -> None:
    async with limiter:  # the limiter its caller gives
        await step(path)


async def upload_all(paths):
    limiter = anyio.CapacityLimiter(4)
    async with anyio.create_task_group() as tg:
        for path in paths:
            tg.start_soon(upload_with, limiter, path)


async def run_windowed(calls, max_in_flight):
    jobs = []

    async def settle():
        await asyncio.gather(*(task for _, task in jobs))
        jobs.clear()

    for call in calls:
        jobs.append((call, asyncio.create_task(step(call))))
        if len(jobs) == max_in_flight:  # waits for the window before starting more
            await settle()
    await settle()


async def run_counted(calls):
    jobs = []
    for call in calls:
        jobs.append(asyncio.create_task(step(call)))  # error: ASP202
        if len(jobs) % 100 == 0:
            print(len(jobs))  # only reports progress: nothing waits
    await asyncio.gather(*jobs)


async def spawned_in_the_iterable(hosts: list[str]) -> None:
    # the iterable and the else clause run once, not on each pass
    for task in [asyncio.create_task(step(h)) for h in hosts]:
        await task
    for host in hosts:
        await step(host)
    else:
        keep(asyncio.create_task(step("fallback")))
    while hosts:
        keep(asyncio.create_task(step(hosts.pop())))  # error: ASP202
