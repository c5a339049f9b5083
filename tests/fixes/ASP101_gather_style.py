# fix-options: --unsafe-fixes --fix-style=gather --target-version=3.11
import asyncio


async def notify(user: str) -> None:
    await asyncio.sleep(0)


async def notify_all(users: list[str]) -> None:
    for user in users:
        notify(user)


async def notify_one(user: str) -> None:
    notify(user)
