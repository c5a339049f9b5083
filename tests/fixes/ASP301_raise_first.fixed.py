# fix-options: --unsafe-fixes
import asyncio as aio
from asyncio import gather as gather_all


async def notify(user):
    await aio.sleep(0)


async def notify_all(users):
    # tell everyone
    results = await aio.gather(notify("ada"), notify("grace"), return_exceptions=True)  # best effort?
    failures = [result for result in results if isinstance(result, BaseException)]
    if failures:
        raise failures[0]
    results_2 = await gather_all(
        notify("linus"),  # first
        notify("guido"),
        return_exceptions=True,
    )
    failures_2 = [result_2 for result_2 in results_2 if isinstance(result_2, BaseException)]
    if failures_2:
        raise failures_2[0]
    outcomes = await aio.gather(notify("x"), notify("y"), return_exceptions=True)
    failures_3 = [result_3 for result_3 in outcomes if isinstance(result_3, BaseException)]
    if failures_3:
        raise failures_3[0]


class Mailer:
    async def send(self):
        async def inner():
            results = await aio.gather(notify("a"), notify("b"),
                             return_exceptions=True)
            failures = [result for result in results if isinstance(result, BaseException)]
            if failures:
                raise failures[0]

        await inner()
