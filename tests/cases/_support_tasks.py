"""A sibling module that the ASP103 eval files import from: helpers that start tasks, some
of which hand the only reference back to their caller and some of which keep it.  It has no
markers and is not an eval file itself."""
from __future__ import annotations

import asyncio
import contextvars
import logging
from asyncio import create_task
from typing import Any, Coroutine, Optional

from notinstalled import retrying

log = logging.getLogger(__name__)
_TASKS: set[asyncio.Task] = set()
_LAST = None
_ROOT = contextvars.ContextVar("root")
schedule_future = asyncio.ensure_future  # a module-level alias of asyncio's own
make_task = create_task  # an alias of the re-exported name


# -- the caller gets the only reference ------------------------------------------------------


def spawn(coro) -> asyncio.Task:
    return asyncio.create_task(coro)


def start_job(job):
    return asyncio.ensure_future(job.run())


def schedule(coro):
    task = asyncio.get_running_loop().create_task(coro)
    return task


def maybe_spawn(coro, enabled: bool) -> Optional[asyncio.Task]:
    if not enabled:
        return None
    return asyncio.create_task(coro)


def spawn_named(coro: "Coroutine[Any, Any, None]", name) -> "asyncio.Task[None]":
    return _factory()(coro, name=name)  # the body cannot tell: the annotation does


def spawn_again(coro):
    return spawn(coro)  # another helper that returns a task


def run_together(*coros):
    return asyncio.gather(*coros)


async def start_service(coro) -> asyncio.Task:
    await asyncio.sleep(0)
    return asyncio.create_task(coro)


def wrap(coro):
    return asyncio.ensure_future(coro)  # a coroutine given by the caller


# -- the helper keeps the task, or makes none ------------------------------------------------


def spawn_tracked(coro) -> asyncio.Task:
    task = asyncio.create_task(coro)
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)
    return task


def spawn_logged(coro):
    task = asyncio.create_task(coro)
    task.add_done_callback(_log_failure)
    return task


def spawn_global(coro):
    global _LAST
    _LAST = asyncio.create_task(coro)
    return _LAST


def in_group(group: asyncio.TaskGroup, coro) -> asyncio.Task:
    return group.create_task(coro)


def register(task: asyncio.Task) -> asyncio.Task:
    _TASKS.add(task)
    return task


def spawn_registered(coro) -> asyncio.Task:
    return register(asyncio.create_task(coro))


def spawn_in_context(coro) -> asyncio.Task:
    group = _current_group()
    if group is None:
        task = asyncio.create_task(coro)
        _TASKS.add(task)
        task.add_done_callback(_TASKS.discard)
        return task
    return group.create_task(coro)


def run_blocking(fn) -> asyncio.Future:
    return asyncio.get_running_loop().run_in_executor(None, fn)


def new_waiter() -> asyncio.Future:
    return asyncio.get_running_loop().create_future()


def closed(connection) -> asyncio.Future:
    return connection.wait_closed_future()  # a completion signal the connection resolves


def each_task(coros):
    for coro in coros:
        yield asyncio.create_task(coro)


@retrying
def spawn_decorated(coro):
    return asyncio.create_task(coro)  # a decorator we cannot read may return anything


class Runner:
    def __init__(self):
        self._task = None

    def start(self, coro) -> asyncio.Task:
        self._task = asyncio.create_task(coro)
        return self._task


def root_task() -> asyncio.Task:
    found = _ROOT.get(None)  # a lookup: the annotation names the type, not a new task
    if found is not None:
        return found
    for task in asyncio.all_tasks():
        return task
    return _factory()(_idle())


def current() -> Optional[asyncio.Task]:
    return asyncio.current_task()


def _factory():
    return asyncio.create_task


def _current_group():
    return None


def _log_failure(task):
    if not task.cancelled() and task.exception() is not None:
        log.error("task failed", exc_info=task.exception())


async def _idle():
    await asyncio.sleep(0)
