"""Eval file for ASP103: tasks made one step removed.  Parsed, never run.

A feed reader that refreshes its sources in the background.  The helpers that start tasks
live in this module, in the sibling _support_tasks.py (a module of the project), and in
installed packages (tests/site): fake_tasks_pkg (source; `create_task` re-exported from its
compat module) and fake_tasks_stubbed (its `.pyi` says what its functions return).  A helper
that hands the only reference to its caller makes a dangling task when the caller drops it;
a helper that keeps the task itself does not.
"""
from __future__ import annotations

import asyncio

import _support_tasks
import fake_tasks_pkg
import fake_tasks_stubbed
from _support_tasks import (
    Runner, closed, current, root_task, create_task, each_task, in_group, make_task, maybe_spawn, new_waiter, run_blocking,
    run_together, schedule, schedule_future, spawn, spawn_again, spawn_decorated, spawn_global,
    spawn_in_context, spawn_logged, spawn_named, spawn_registered, spawn_tracked, start_job, start_service,
    wrap,
)
from fake_tasks_pkg import Scheduler, fire, fire_and_keep, launch
from fake_tasks_stubbed import count, launch_later, notify, task_named
from notinstalled import spawn as other_spawn

_refreshing: set[asyncio.Task] = set()


async def refresh(source):
    await asyncio.sleep(0)
    return source


class Feed:
    def __init__(self, loop: asyncio.AbstractEventLoop, sources):
        self.loop = loop
        self.sources = sources
        self._tasks: set[asyncio.Task] = set()

    def start_refresh(self, source):
        return self.loop.create_task(refresh(source))

    def start_kept(self, source) -> asyncio.Task:
        task = self.loop.create_task(refresh(source))
        self._tasks.add(task)
        return task

    def _make(self, source):
        return refresh(source)  # a coroutine, not a task

    def refresh_all(self):
        for source in self.sources:
            self.start_refresh(source)  # error: ASP103
        self.start_kept(self.sources[0])  # the method keeps the task itself
        self._make(self.sources[0])  # a plain def that returns a coroutine, not a task


def local_spawn(coro):
    return asyncio.create_task(coro)


def local_spawn_kept(coro):
    task = asyncio.create_task(coro)
    _refreshing.add(task)
    task.add_done_callback(_refreshing.discard)
    return task


async def same_module(source):
    local_spawn(refresh(source))  # error: ASP103
    local_spawn_kept(refresh(source))  # the helper keeps the task
    pending = local_spawn(refresh(source))  # error: ASP103
    kept = local_spawn(refresh(source))
    await kept


async def from_the_project(source, job, group: asyncio.TaskGroup, connection):
    spawn(refresh(source))  # error: ASP103
    start_job(job)  # error: ASP103
    schedule(refresh(source))  # error: ASP103
    maybe_spawn(refresh(source), enabled=True)  # error: ASP103
    spawn_named(refresh(source), "named")  # error: ASP103
    spawn_again(refresh(source))  # error: ASP103
    _support_tasks.spawn(refresh(source))  # error: ASP103
    run_together(refresh(source), refresh(source))  # error: ASP103
    wrap(refresh(source))  # error: ASP103
    await start_service(refresh(source))  # error: ASP103
    spawn(refresh(source)).add_done_callback(print)  # error: ASP103
    # the helpers below keep the task, make none, or cannot be read
    spawn_tracked(refresh(source))
    spawn_logged(refresh(source))
    spawn_global(refresh(source))
    in_group(group, refresh(source))
    spawn_registered(refresh(source))
    spawn_in_context(refresh(source))
    run_blocking(print)
    new_waiter()
    closed(connection)
    each_task([refresh(source)])
    spawn_decorated(refresh(source))
    Runner().start(refresh(source))
    root_task().add_done_callback(print)  # annotated `-> Task`, but a lookup: it is given no work
    current()
    other_spawn(refresh(source))


async def re_exported(source):
    create_task(refresh(source))  # error: ASP103
    make_task(refresh(source))  # error: ASP103
    schedule_future(refresh(source))  # error: ASP103
    schedule_future(asyncio.get_running_loop().create_future())  # ensure_future of a future: no new task


async def from_packages(source, scheduler: Scheduler):
    fire(refresh(source))  # error: ASP103
    launch(refresh(source), name="feed")  # error: ASP103
    fake_tasks_pkg.create_task(refresh(source))  # error: ASP103
    fake_tasks_pkg.ensure_future(refresh(source))  # error: ASP103
    fake_tasks_stubbed.launch(refresh(source))  # error: ASP103
    launch_later(refresh(source), 1.0)  # error: ASP103
    fire_and_keep(refresh(source))  # the package keeps the task
    scheduler.submit(refresh(source))  # a method: the scheduler keeps its jobs
    notify("refreshed")  # a future the package resolves: a completion signal
    count()
    fake_tasks_stubbed.root_task()  # a stub's `-> Task` given no work: a lookup
    task_named("feed")


async def kept_by_the_caller(source):
    task = spawn(refresh(source))
    _refreshing.add(task)
    task.add_done_callback(_refreshing.discard)
    await start_service(refresh(source))  # error: ASP103
    service = await start_service(refresh(source))
    results = [spawn(refresh(source))]
    await asyncio.wait(results)
    return fire(refresh(source)), service


def spawn_with(spawn, source):
    spawn(refresh(source))  # a parameter that shadows the helper's name
