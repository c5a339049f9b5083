# fix-options: --unsafe-fixes
import asyncio


async def notify(user):
    await asyncio.sleep(0)


async def notify_all(urgent):
    if urgent: await asyncio.gather(notify("ada"), notify("grace"), return_exceptions=True)
    x = 1; await asyncio.gather(notify("x"), notify("y"), return_exceptions=True)
