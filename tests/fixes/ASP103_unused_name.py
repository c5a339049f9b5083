import asyncio


async def ping(host):
    await asyncio.sleep(0)


async def watch(host):
    watcher = asyncio.create_task(ping(host))  # never looked at again
    keeper: asyncio.Task = asyncio.ensure_future(
        ping(host),  # inside the call
    )
    await asyncio.sleep(0)
