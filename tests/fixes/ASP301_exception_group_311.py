# fix-options: --unsafe-fixes --target-version=3.11
import asyncio as aio


async def notify(user):
    await aio.sleep(0)


async def notify_all(results, failures):
    # the names results and failures are taken
    await aio.gather(
        notify("ada"),
        notify("grace"),  # trailing comma next
        return_exceptions=True,
    )
    _: list = await aio.gather(notify("x"), notify("y"), return_exceptions=True)
