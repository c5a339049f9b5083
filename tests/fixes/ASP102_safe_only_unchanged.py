import asyncio


async def notify(user):
    await asyncio.sleep(0)


async def main(users):
    # an unsafe fix: without --unsafe-fixes the file stays as it is
    [notify(u) for u in users]
