import asyncio as aio


async def fetch(key):
    await aio.sleep(0)
    return key


async def load(key, task):
    await aio.gather(  # only one left after the refactoring
        fetch(key),
    )
    await aio.gather(
        fetch(key)  # the last fetch
    )
    [value] = \
        await aio.gather(fetch(key))
    values = await aio.gather(fetch(key),)
    keys = [k for k in await aio.gather(fetch(key))]
    await aio.gather(task)
    [checked] = await aio.gather(
        fetch(key),
        return_exceptions=False,  # on the keyword that goes
    )
    return value, values, keys, checked
