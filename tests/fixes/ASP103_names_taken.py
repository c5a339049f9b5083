from asyncio import create_task

_background_tasks = ["not", "a", "set", "of", "tasks"]


async def ping(host):
    return host


async def run(task, value):
    create_task(ping(task))
    create_task(ping(value))
