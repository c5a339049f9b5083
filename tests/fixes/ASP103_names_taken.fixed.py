from asyncio import create_task
import asyncio

_background_tasks_2: set[asyncio.Task] = set()

_background_tasks = ["not", "a", "set", "of", "tasks"]


async def ping(host):
    return host


async def run(task, value):
    task_2 = create_task(ping(task))
    _background_tasks_2.add(task_2)
    task_2.add_done_callback(_background_tasks_2.discard)
    task_3 = create_task(ping(value))
    _background_tasks_2.add(task_3)
    task_3.add_done_callback(_background_tasks_2.discard)
