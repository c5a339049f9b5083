# fix-options: --unsafe-fixes --target-version=3.11
import asyncio as aio


async def notify(user):
    await aio.sleep(0)


async def notify_all(results, failures):
    # the names results and failures are taken
    results_2 = await aio.gather(
        notify("ada"),
        notify("grace"),  # trailing comma next
        return_exceptions=True,
    )
    failures_2 = [result for result in results_2 if isinstance(result, BaseException)]
    if failures_2:
        raise BaseExceptionGroup("gathered awaitables failed", failures_2)
    results_3: list = await aio.gather(notify("x"), notify("y"), return_exceptions=True)
    failures_3 = [result_2 for result_2 in results_3 if isinstance(result_2, BaseException)]
    if failures_3:
        raise BaseExceptionGroup("gathered awaitables failed", failures_3)
