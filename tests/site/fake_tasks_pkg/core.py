"""The library's own helpers."""
import asyncio

from .compat import create_task

_running = set()


def fire(coro):
    """Start `coro` and give back its task."""
    return create_task(coro)


def launch(coro, *, name=None) -> asyncio.Task:
    loop = asyncio.get_event_loop()
    return loop.create_task(coro, name=name)


def fire_and_keep(coro):
    """Start `coro`; the library holds the task until it is done."""
    task = create_task(coro)
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


class Scheduler:
    def __init__(self):
        self._jobs = []

    def submit(self, coro) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._jobs.append(task)
        return task
