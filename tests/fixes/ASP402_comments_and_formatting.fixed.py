import asyncio as aio


async def fetch(key):
    await aio.sleep(0)
    return key


async def load(key, task):
    await (  # only one left after the refactoring
        fetch(key)
    )
    await (
        fetch(key)  # the last fetch
    )
    value = \
        await fetch(key)
    values = [await fetch(key)]
    keys = [k for k in [await fetch(key)]]
    await task
    checked = await (
        fetch(key)  # on the keyword that goes
    )
    return value, values, keys, checked
