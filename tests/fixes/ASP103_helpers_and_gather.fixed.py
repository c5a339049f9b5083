"""Tasks made one step removed: helpers that return one, and a gather nobody awaits."""
from asyncio import gather

import fake_tasks_pkg
from fake_tasks_pkg import fire
import asyncio

_background_tasks: set[asyncio.Task] = set()


async def ping(host):
    pass


def spawn(coro):
    return fake_tasks_pkg.create_task(coro)


async def start(coro):
    return spawn(coro)


async def run(hosts):
    task = spawn(ping(hosts[0]))  # the primary
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    task_2 = fire(ping(hosts[1]))
    _background_tasks.add(task_2)
    task_2.add_done_callback(_background_tasks.discard)
    task_2.add_done_callback(print)
    pending = fake_tasks_pkg.launch(ping(hosts[2]))
    _background_tasks.add(pending)
    pending.add_done_callback(_background_tasks.discard)
    task_3 = await start(ping(hosts[3]))
    _background_tasks.add(task_3)
    task_3.add_done_callback(_background_tasks.discard)
    future = gather(ping(hosts[0]), ping(hosts[1]))  # both mirrors
    _background_tasks.add(future)
    future.add_done_callback(_background_tasks.discard)
    for task_4 in [spawn(ping(h)) for h in hosts]:
        _background_tasks.add(task_4)
        task_4.add_done_callback(_background_tasks.discard)
