import asyncio


async def notify(user):
    await asyncio.sleep(0)


async def notify_all():
    # without --unsafe-fixes this now-raising fix is not applied
    await asyncio.gather(notify("ada"), notify("grace"), return_exceptions=True)
