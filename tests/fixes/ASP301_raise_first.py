# fix-options: --unsafe-fixes
import asyncio as aio
from asyncio import gather as gather_all


async def notify(user):
    await aio.sleep(0)


async def notify_all(users):
    # tell everyone
    await aio.gather(notify("ada"), notify("grace"), return_exceptions=True)  # best effort?
    _ = await gather_all(
        notify("linus"),  # first
        notify("guido"),
        return_exceptions=True,
    )
    outcomes = await aio.gather(notify("x"), notify("y"), return_exceptions=True)


class Mailer:
    async def send(self):
        async def inner():
            await aio.gather(notify("a"), notify("b"),
                             return_exceptions=True)

        await inner()
