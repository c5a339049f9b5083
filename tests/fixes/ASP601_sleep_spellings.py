import asyncio as aio
import time
import time as clock
from time import sleep as nap


async def poll(check):
    while not check():
        time.sleep(0.5)  # back off
    clock.sleep(  # settle
        0.1,
    )
    nap(1)
    waits = [time.sleep(0) for _ in range(2)]

    async def nested():
        time.sleep(0)

    await nested()
    return waits


def sync_poll():
    time.sleep(1)
