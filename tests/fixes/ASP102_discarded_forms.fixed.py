# fix-options: --unsafe-fixes --fix-style=gather
import asyncio


async def notify(user):
    await asyncio.sleep(0)


async def main(users):
    semaphore = asyncio.Semaphore(10)

    async def bounded(awaitable):
        async with semaphore:
            return await awaitable
    await asyncio.gather(*(bounded(notify(u)) for u in users))  # fire them all
    await asyncio.gather(*(bounded(notify(item)) for item in users))
    await asyncio.gather(*(bounded(notify(user)) for user in users))
