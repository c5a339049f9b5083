# fix-options: --unsafe-fixes --fix-style=gather --target-version=3.11
import asyncio


async def notify(user: str) -> None:
    await asyncio.sleep(0)


async def notify_all(users: list[str]) -> None:
    semaphore = asyncio.Semaphore(10)

    async def bounded(awaitable):
        async with semaphore:
            return await awaitable
    await asyncio.gather(*(bounded(notify(user)) for user in users))


async def notify_one(user: str) -> None:
    await notify(user)
