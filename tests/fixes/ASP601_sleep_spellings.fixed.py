import asyncio as aio
import time
import time as clock


async def poll(check):
    while not check():
        await aio.sleep(0.5)  # back off
    await aio.sleep(  # settle
        0.1,
    )
    await aio.sleep(1)
    waits = [await aio.sleep(0) for _ in range(2)]

    async def nested():
        await aio.sleep(0)

    await nested()
    return waits


def sync_poll():
    time.sleep(1)
