import asyncio as aio


async def probe(host):
    await aio.sleep(0)
    return host


async def first_answer(hosts):
    done, pending = await aio.wait([
        aio.create_task(probe("a")),  # was awaited before the wait
        aio.create_task(probe("b")),
    ])
    for future in aio.as_completed((probe("c"), probe("d"))):
        print(await future)
    task = aio.create_task(probe("e"))
    return done, pending, await task
