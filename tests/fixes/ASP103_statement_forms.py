"""Tasks started and forgotten, in every spelling."""
import asyncio as aio


async def refresh(key, *, force=False):
    await aio.sleep(0)
    return key


async def start_all(loop):
    # refresh the cache in the background
    aio.create_task(refresh("users"))  # fire and forget
    aio.ensure_future(
        refresh(  # the slow one
            "orders",
            force=True,
        ),
    )
    loop.create_task(refresh("items")).add_done_callback(print)
    if loop: aio.create_task(refresh("one-liner"))
    count = 1; aio.create_task(refresh("semicolons")); count += 1
    aio.create_task \
        (refresh("continued"))


class Service:
    def __init__(self, loop):
        self.loop = loop

    async def poke(self):
        async def later():
            aio.get_running_loop().create_task(refresh("nested"))

        self.loop.create_task(refresh("method"))
        await later()


def start_from_sync(loop):
    loop.create_task(refresh("sync"))
