# fix-options: --unsafe-fixes --fix-style=gather
import asyncio


async def notify(user):
    await asyncio.sleep(0)


async def main(users):
    [notify(u) for u in users]  # fire them all
    list(map(notify, users))
    for user in users:
        notify(user)
