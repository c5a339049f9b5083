import asyncio


async def nothing_to_wait_for():
    await asyncio.gather()


async def tidy(flag):
    print("before")
    await asyncio.gather()
    print("after")
    # keep the other tasks going
    await asyncio.gather()
    if flag: await asyncio.gather()
    flag = not flag; await asyncio.gather()
    results = await asyncio.gather(return_exceptions=True)
    return results
