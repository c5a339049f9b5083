import asyncio

_background_tasks: set[asyncio.Task] = set()


async def ping(host):
    await asyncio.sleep(0)


async def first(host):
    task = asyncio.create_task(ping(host))
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)


async def added_later(host):
    asyncio.create_task(ping(host))
