# fix-options: --unsafe-fixes
from asyncio import gather, sleep


async def notify(user):
    await sleep(0)


async def main():
    await gather(*(notify(u) for u in ("ada", "grace")))  # a small literal: no semaphore needed
