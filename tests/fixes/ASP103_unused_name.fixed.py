import asyncio

_background_tasks: set[asyncio.Task] = set()


async def ping(host):
    await asyncio.sleep(0)


async def watch(host):
    watcher = asyncio.create_task(ping(host))  # never looked at again
    _background_tasks.add(watcher)
    watcher.add_done_callback(_background_tasks.discard)
    keeper: asyncio.Task = asyncio.ensure_future(
        ping(host),  # inside the call
    )
    _background_tasks.add(keeper)
    keeper.add_done_callback(_background_tasks.discard)
    await asyncio.sleep(0)
